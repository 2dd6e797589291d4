/* Binding-neutral oneM2M helpers of the MEF Client: what a registration
 * says and how its answer names the <mefClientCmd> resource. */
#include "onem2m.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/rand.h>

void om2m_new_rqi(char out[OM2M_RQI_MAX])
{
  uint8_t r[8];
  static unsigned counter;
  if (RAND_bytes(r, sizeof r) != 1) {
    /* Uniqueness, not secrecy, is what an RQI needs. */
    uint64_t v = (uint64_t)time(NULL) * 1000003u + ++counter;
    memcpy(r, &v, sizeof r);
  }
  snprintf(out, OM2M_RQI_MAX, "mefc-%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3],
           r[4], r[5], r[6], r[7]);
}

char *om2m_registration_body(const mefc_config *cfg)
{
  json_t *inner = json_object();
  json_object_set_new(inner, "lbl", cfg->labels != NULL ? json_deep_copy(cfg->labels)
                                                        : json_pack("[s]", "mefc"));
  if (cfg->expiration != NULL)
    json_object_set_new(inner, "et", json_string(cfg->expiration));
  json_t *root = json_pack("{s:o}", "sec:mecr", inner);
  char *body = root != NULL ? json_dumps(root, JSON_COMPACT) : NULL;
  json_decref(root);
  return body;
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

int om2m_registration_parse(const uint8_t *body, size_t len, state_registration *reg, char *err,
                            size_t cap)
{
  json_error_t je;
  int rc = -1;
  json_t *doc = len > 0 ? json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES, &je) : NULL;
  json_t *mecr = doc != NULL ? json_object_get(doc, "sec:mecr") : NULL;
  if (mecr == NULL && doc != NULL)
    mecr = json_object_get(doc, "m2m:mecr");
  memset(reg, 0, sizeof *reg);
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
  return rc;
}
