/* oneM2M primitives over HTTP for the MEF Client (TS-0009 6.2, 6.4). Like
 * onem2m_coap.c it knows the binding, never the meaning of a command
 * response: bodies go to the core untouched. */
#include "onem2m_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static int send_primitive(ht_transport *t, const mefc_config *cfg, const char *method,
                          const char *path, unsigned create, const uint8_t *body, size_t len,
                          ct_result *res)
{
  char rqi[OM2M_RQI_MAX];
  char ri[64];
  char type[80];
  ht_header h[5];
  size_t n = 0;
  const char *fr = cfg_originator(cfg);

  om2m_new_rqi(rqi);
  h[n++] = (ht_header){"X-M2M-Origin", fr};
  h[n++] = (ht_header){"X-M2M-RI", rqi};
  h[n++] = (ht_header){"X-M2M-RVI", OM2M_RVI};
  h[n++] = (ht_header){"Accept", HT_TYPE_RES_JSON};
  if (body != NULL) {
    /* TS-0009 6.4.3: a CREATE carries its Resource Type as ty=. */
    if (create)
      snprintf(type, sizeof type, "%s; ty=%u", HT_TYPE_RES_JSON, create);
    else
      snprintf(type, sizeof type, "%s", HT_TYPE_RES_JSON);
    h[n++] = (ht_header){"Content-Type", type};
  }
  char tyl[24];
  snprintf(tyl, sizeof tyl, " ty=%u", create);
  mlog(MLOG_DEBUG, "http: %s /%s rqi=%s origin=%s%s", method, path, rqi, fr,
       body != NULL ? create ? tyl : " res+json" : "");
  int r = ht_request(t, method, path, h, n, body, len, res, ri, sizeof ri);
  if (r != 0)
    return r;
  if (ri[0] != '\0' && strcmp(ri, rqi) != 0) {
    ct_result_free(res);
    res->got = 0;
    snprintf(res->why, sizeof res->why, "the response's X-M2M-RI is not the request's (%s)", rqi);
    return -1;
  }
  char rsc[24] = "";
  if (res->has_rsc)
    snprintf(rsc, sizeof rsc, " rsc=%u", res->rsc);
  mlog(MLOG_DEBUG, "http: %s -> %u%s cf=%d, %zu bytes", method, res->code, rsc,
       res->has_cf ? (int)res->cf : -1, res->len);
  return 0;
}

int om2m_http_retrieve(ht_transport *t, const mefc_config *cfg, const char *cmd_path,
                       ct_result *res)
{
  return send_primitive(t, cfg, "GET", cmd_path, 0, NULL, 0, res);
}

int om2m_http_update(ht_transport *t, const mefc_config *cfg, const char *cmd_path,
                     const uint8_t *body, size_t len, ct_result *res)
{
  return send_primitive(t, cfg, "PUT", cmd_path, 0, body, len, res);
}

int om2m_http_register(ht_transport *t, const mefc_config *cfg, state_registration *reg,
                       char *err, size_t cap)
{
  ct_result res;
  char *body = om2m_registration_body(cfg);
  if (body == NULL) {
    snprintf(err, cap, "cannot build the registration request");
    return -1;
  }
  memset(reg, 0, sizeof *reg);
  int r = send_primitive(t, cfg, "POST", OM2M_MEF_PATH, OM2M_TY_MEF_CLIENT_REG,
                         (const uint8_t *)body, strlen(body), &res);
  free(body);
  if (r != 0) {
    snprintf(err, cap, "registration: %s", res.why);
    return -1;
  }
  int rc = -1;
  if (res.code != 201 || (res.has_rsc && res.rsc != 2001))
    snprintf(err, cap, "registration refused: HTTP %u rsc=%d", res.code,
             res.has_rsc ? (int)res.rsc : -1);
  else
    rc = om2m_registration_parse(res.body, res.len, reg, err, cap);
  ct_result_free(&res);
  return rc;
}

int om2m_http_create(ht_transport *t, const mefc_config *cfg, const char *path, unsigned ty,
                     const uint8_t *body, size_t len, ct_result *res)
{
  return send_primitive(t, cfg, "POST", path, ty, body, len, res);
}
