/* oneM2M primitives over CoAP for the MEF Client. This file knows the
 * binding (options, content format, resource shapes of profile v1); it does
 * not judge command responses: their bodies go to the core untouched. */
#include "onem2m_coap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <coap3/coap.h>
#include <jansson.h>
#include <openssl/rand.h>

#include "log.h"

const char *om2m_code_str(unsigned code, char *buf, size_t cap)
{
  snprintf(buf, cap, "%u.%02u", code / 100u, code % 100u);
  return buf;
}

/* A fresh Request Identifier: "mefc-" and 16 random hexadecimal digits. */
static void new_rqi(char out[32])
{
  uint8_t r[8];
  static unsigned counter;
  if (RAND_bytes(r, sizeof r) != 1) {
    /* Uniqueness, not secrecy, is what an RQI needs. */
    uint64_t v = (uint64_t)time(NULL) * 1000003u + ++counter;
    memcpy(r, &v, sizeof r);
  }
  snprintf(out, 32, "mefc-%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5],
           r[6], r[7]);
}

static int send_primitive(ct_transport *t, const mefc_config *cfg, int method, const char *op,
                          const char *path, int with_ty, const uint8_t *body, size_t len,
                          ct_result *res)
{
  char rqi[32];
  char cs[16];
  uint8_t ty[4];
  uint8_t accept[4];
  const char *fr = cfg_originator(cfg);
  ct_opt opts[5];
  size_t n = 0;

  new_rqi(rqi);
  opts[n++] = (ct_opt){OM2M_OPT_FR, (const uint8_t *)fr, strlen(fr)};
  opts[n++] = (ct_opt){OM2M_OPT_RQI, (const uint8_t *)rqi, strlen(rqi)};
  opts[n++] = (ct_opt){COAP_OPTION_ACCEPT, accept,
                       coap_encode_var_safe(accept, sizeof accept, OM2M_CF_RES_JSON)};
  /* RVI and TY are critical options a libcoap 4.3.1 MEF cannot be taught
   * besides FR and RQI (two options above 255): sent only when configured. */
  if (cfg->send_rvi)
    opts[n++] = (ct_opt){OM2M_OPT_RVI, (const uint8_t *)"3", 1};
  if (with_ty && cfg->send_ty) {
    unsigned tl = coap_encode_var_safe(ty, sizeof ty, OM2M_TY_MEF_CLIENT_REG);
    opts[n++] = (ct_opt){OM2M_OPT_TY, ty, tl};
  }
  mlog(MLOG_DEBUG, "coap: %s /%s rqi=%s fr=%s%s", op, path, rqi, fr,
       body != NULL ? " cf=10001" : "");
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
  return send_primitive(t, cfg, CT_GET, "GET", cmd_path, 0, NULL, 0, res);
}

int om2m_update(ct_transport *t, const mefc_config *cfg, const char *cmd_path,
                const uint8_t *body, size_t len, ct_result *res)
{
  return send_primitive(t, cfg, CT_PUT, "PUT", cmd_path, 0, body, len, res);
}

static int copy_str(json_t *o, const char *k, char *dst, size_t cap)
{
  json_t *v = json_object_get(o, k);
  dst[0] = '\0';
  if (v == NULL)
    return 0;
  if (!json_is_string(v) || json_string_length(v) >= cap ||
      strlen(json_string_value(v)) != json_string_length(v))
    return -1;
  memcpy(dst, json_string_value(v), json_string_length(v) + 1);
  return 0;
}

/* The <mefClientCmd> child: the "ch" entry of type 10021 (or named "cmd"). */
static int cmd_path_from(json_t *mecr, state_registration *reg)
{
  json_t *ch = json_object_get(mecr, "ch");
  size_t i;
  json_t *e;
  if (!json_is_array(ch))
    return -1;
  json_array_foreach(ch, i, e) {
    json_t *typ = json_object_get(e, "typ");
    json_t *nm = json_object_get(e, "nm");
    json_t *val = json_object_get(e, "val");
    int is_cmd = (json_is_integer(typ) && json_integer_value(typ) == OM2M_TY_MEF_CLIENT_CMD) ||
                 (json_is_string(nm) && strcmp(json_string_value(nm), "cmd") == 0);
    if (is_cmd && json_is_string(val) && json_string_length(val) > 0) {
      const char *p = json_string_value(val);
      while (*p == '/')
        p++;
      if (*p == '\0' || strlen(p) >= sizeof reg->cmd_path)
        return -1;
      snprintf(reg->cmd_path, sizeof reg->cmd_path, "%s", p);
      return 0;
    }
  }
  return -1;
}

int om2m_register(ct_transport *t, const mefc_config *cfg, state_registration *reg, char *err,
                  size_t cap)
{
  ct_result res;
  char cs[16];
  json_t *inner = json_object();
  json_object_set_new(inner, "lbl", cfg->labels != NULL ? json_deep_copy(cfg->labels)
                                                        : json_pack("[s]", "mefc"));
  if (cfg->expiration != NULL)
    json_object_set_new(inner, "et", json_string(cfg->expiration));
  json_t *root = json_pack("{s:o}", "sec:mecr", inner);
  char *body = json_dumps(root, JSON_COMPACT);
  json_decref(root);
  if (body == NULL) {
    snprintf(err, cap, "cannot build the registration request");
    return -1;
  }
  memset(reg, 0, sizeof *reg);
  int r = send_primitive(t, cfg, CT_POST, "POST", OM2M_MEF_PATH, 1, (const uint8_t *)body,
                         strlen(body), &res);
  free(body);
  if (r != 0) {
    snprintf(err, cap, "registration: %s", res.why);
    return -1;
  }
  int rc = -1;
  if (res.code != 201 || (res.has_rsc && res.rsc != 2001)) {
    snprintf(err, cap, "registration refused: %s rsc=%d", om2m_code_str(res.code, cs, sizeof cs),
             res.has_rsc ? (int)res.rsc : -1);
    goto out;
  }
  json_error_t je;
  json_t *doc = res.len > 0 ? json_loadb((const char *)res.body, res.len, JSON_REJECT_DUPLICATES, &je)
                            : NULL;
  json_t *mecr = doc != NULL ? json_object_get(doc, "sec:mecr") : NULL;
  if (mecr == NULL && doc != NULL)
    mecr = json_object_get(doc, "m2m:mecr");
  if (!json_is_object(mecr)) {
    snprintf(err, cap, "registration response is not a <mefClientReg> representation");
  } else if (copy_str(mecr, "ri", reg->reg_id, sizeof reg->reg_id) != 0 || reg->reg_id[0] == '\0') {
    snprintf(err, cap, "registration response has no usable MEFClientRegID (ri)");
  } else if (copy_str(mecr, "rn", reg->name, sizeof reg->name) != 0 ||
             copy_str(mecr, "et", reg->et, sizeof reg->et) != 0 ||
             copy_str(mecr, "mci", reg->mci, sizeof reg->mci) != 0) {
    snprintf(err, cap, "registration response: rn, et or mci is not a string");
  } else if (cmd_path_from(mecr, reg) != 0) {
    snprintf(err, cap, "registration response names no <mefClientCmd> child (ch, typ %u)",
             OM2M_TY_MEF_CLIENT_CMD);
  } else {
    reg->registered_at = (long long)time(NULL);
    rc = 0;
  }
  if (doc != NULL)
    json_decref(doc);
out:
  ct_result_free(&res);
  return rc;
}
