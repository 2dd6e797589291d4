/* oneM2M primitives over CoAP for the MEF Client. This file knows the
 * binding (options, content format, resource shapes of profile v1); it does
 * not judge command responses: their bodies go to the core untouched. */
#include "onem2m_coap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <coap3/coap.h>

#include "log.h"

const char *om2m_code_str(unsigned code, char *buf, size_t cap)
{
  snprintf(buf, cap, "%u.%02u", code / 100u, code % 100u);
  return buf;
}

static int send_primitive(ct_transport *t, const mefc_config *cfg, int method, const char *op,
                          const char *path, unsigned ty_num, const uint8_t *body, size_t len,
                          ct_result *res)
{
  char rqi[OM2M_RQI_MAX];
  char cs[16];
  uint8_t ty[4];
  uint8_t accept[4];
  const char *fr = cfg_originator(cfg);
  ct_opt opts[5];
  size_t n = 0;

  om2m_new_rqi(rqi);
  opts[n++] = (ct_opt){OM2M_OPT_FR, (const uint8_t *)fr, strlen(fr)};
  opts[n++] = (ct_opt){OM2M_OPT_RQI, (const uint8_t *)rqi, strlen(rqi)};
  opts[n++] = (ct_opt){COAP_OPTION_ACCEPT, accept,
                       coap_encode_var_safe(accept, sizeof accept, OM2M_CF_RES_JSON)};
  /* RVI and TY are critical options a libcoap 4.3.1 MEF cannot be taught
   * besides FR and RQI (two options above 255): sent only when configured. */
  if (cfg->send_rvi)
    opts[n++] = (ct_opt){OM2M_OPT_RVI, (const uint8_t *)OM2M_RVI, strlen(OM2M_RVI)};
  if (ty_num != 0 && cfg->send_ty) {
    unsigned tl = coap_encode_var_safe(ty, sizeof ty, ty_num);
    opts[n++] = (ct_opt){OM2M_OPT_TY, ty, tl};
  }
  mlog(MLOG_DEBUG, "coap: %s /%s rqi=%s fr=%s%s", op, path, rqi, fr,
       body != NULL ? " cf=10001" : "");
  if (ty_num != 0)
    mlog(MLOG_DEBUG, "coap: %s /%s is a CREATE of ty=%u (%s)", op, path, ty_num,
         cfg->send_ty ? "oneM2M-TY sent" : "told by the body's root, no oneM2M-TY");
  int r = ct_request(t, method, path, opts, n, OM2M_CF_RES_JSON, body, len, res);
  if (r == 0) {
    char rsc[24] = "";
    if (res->has_rsc)
      snprintf(rsc, sizeof rsc, " rsc=%u", res->rsc);
    mlog(MLOG_DEBUG, "coap: %s -> %s%s cf=%d, %zu bytes", op, om2m_code_str(res->code, cs, sizeof cs),
         rsc, res->has_cf ? (int)res->cf : -1, res->len);
  }
  return r;
}

int om2m_retrieve(ct_transport *t, const mefc_config *cfg, const char *cmd_path, ct_result *res)
{
  return send_primitive(t, cfg, CT_GET, "GET", cmd_path, 0u, NULL, 0, res);
}

int om2m_update(ct_transport *t, const mefc_config *cfg, const char *cmd_path,
                const uint8_t *body, size_t len, ct_result *res)
{
  return send_primitive(t, cfg, CT_PUT, "PUT", cmd_path, 0u, body, len, res);
}

int om2m_coap_create(ct_transport *t, const mefc_config *cfg, const char *path, unsigned ty,
                     const uint8_t *body, size_t len, ct_result *res)
{
  return send_primitive(t, cfg, CT_POST, "POST", path, ty, body, len, res);
}

int om2m_register(ct_transport *t, const mefc_config *cfg, state_registration *reg, char *err,
                  size_t cap)
{
  ct_result res;
  char cs[16];
  char *body = om2m_registration_body(cfg);
  if (body == NULL) {
    snprintf(err, cap, "cannot build the registration request");
    return -1;
  }
  memset(reg, 0, sizeof *reg);
  int r = send_primitive(t, cfg, CT_POST, "POST", OM2M_MEF_PATH, OM2M_TY_MEF_CLIENT_REG,
                         (const uint8_t *)body,
                         strlen(body), &res);
  free(body);
  if (r != 0) {
    snprintf(err, cap, "registration: %s", res.why);
    return -1;
  }
  int rc = -1;
  if (res.code != 201 || (res.has_rsc && res.rsc != 2001))
    snprintf(err, cap, "registration refused: %s rsc=%d", om2m_code_str(res.code, cs, sizeof cs),
             res.has_rsc ? (int)res.rsc : -1);
  else
    rc = om2m_registration_parse(res.body, res.len, reg, err, cap);
  ct_result_free(&res);
  return rc;
}
