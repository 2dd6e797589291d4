/* Build the core's client profile, MO tree and durable record from JSON.
 * Every field is checked for type, range and capacity here, so the core is
 * only ever handed a profile that satisfies its preconditions. */
#include "client_json.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mefc/status.h"

/* Write a message into err (always NUL-terminated) and return -1. */
static int fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t cap, const char *fmt, ...)
{
  if (err != NULL && cap > 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
  }
  return -1;
}

/* Reject any key of obj that is not in allowed (a NULL-terminated list). */
static int check_keys(const json_t *obj, const char *const *allowed, const char *where, char *err,
                      size_t cap)
{
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)obj, key, val) {
    bool known = false;
    (void)val;
    for (size_t i = 0; allowed[i] != NULL; i++) {
      if (strcmp(key, allowed[i]) == 0) {
        known = true;
        break;
      }
    }
    if (!known)
      return fail(err, cap, "%s: unknown key \"%s\"", where, key);
  }
  return 0;
}

/* A JSON string of min..max bytes; copied to dst (when not NULL) with its length. */
static int get_bytes(const json_t *v, const char *where, size_t min, size_t max, uint8_t *dst,
                     uint32_t *dst_len, char *err, size_t cap)
{
  if (!json_is_string(v))
    return fail(err, cap, "%s: must be a string", where);
  size_t n = json_string_length(v);
  if (n < min)
    return fail(err, cap, "%s: must not be empty", where);
  if (n > max)
    return fail(err, cap, "%s: %zu bytes, more than the capacity of %zu", where, n, max);
  if (dst != NULL) {
    memcpy(dst, json_string_value(v), n);
    *dst_len = (uint32_t)n;
  }
  return 0;
}

/* A JSON integer (not a real, not a boolean) in lo..hi. */
static int get_int(const json_t *v, const char *where, long long lo, long long hi, long long *out,
                   char *err, size_t cap)
{
  if (!json_is_integer(v))
    return fail(err, cap, "%s: must be an integer", where);
  long long x = json_integer_value(v);
  if (x < lo || x > hi)
    return fail(err, cap, "%s: %lld is outside %lld..%lld", where, x, lo, hi);
  *out = x;
  return 0;
}

/* A JSON array of at most max elements. */
static int get_array(const json_t *v, const char *where, size_t max, char *err, size_t cap)
{
  if (!json_is_array(v))
    return fail(err, cap, "%s: must be an array", where);
  if (json_array_size(v) > max)
    return fail(err, cap, "%s: %zu entries, more than the capacity of %zu", where,
                json_array_size(v), max);
  return 0;
}

/* An array of distinct integers in lo..hi (lo >= 0, hi <= 31), as a bitmask. */
static int get_bitset(const json_t *v, const char *where, long long lo, long long hi,
                      uint32_t *mask, char *err, size_t cap)
{
  char at[96];
  if (get_array(v, where, 32, err, cap) != 0)
    return -1;
  *mask = 0;
  for (size_t i = 0; i < json_array_size(v); i++) {
    long long x;
    snprintf(at, sizeof at, "%s[%zu]", where, i);
    if (get_int(json_array_get(v, i), at, lo, hi, &x, err, cap) != 0)
      return -1;
    if ((*mask & (1u << x)) != 0)
      return fail(err, cap, "%s: %lld listed twice", at, x);
    *mask |= 1u << x;
  }
  return 0;
}

int mefc_fp_from_hex(const char *s, size_t len, uint8_t fp[MEFC_FP_LEN])
{
  if (s == NULL || len != 2u * MEFC_FP_LEN)
    return -1;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    unsigned d;
    if (c >= '0' && c <= '9')
      d = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a') + 10u;
    else if (c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A') + 10u;
    else
      return -1;
    if (i % 2u == 0)
      fp[i / 2u] = (uint8_t)(d * 16u);
    else
      fp[i / 2u] = (uint8_t)(fp[i / 2u] + d);
  }
  return 0;
}

static int get_fp(const json_t *v, const char *where, uint8_t fp[MEFC_FP_LEN], char *err, size_t cap)
{
  if (!json_is_string(v))
    return fail(err, cap, "%s: must be a string of 64 hexadecimal digits", where);
  if (mefc_fp_from_hex(json_string_value(v), json_string_length(v), fp) != 0)
    return fail(err, cap, "%s: not a SHA-256 fingerprint (64 hexadecimal digits)", where);
  return 0;
}

/* An array of fingerprints into fps[0..*n). */
static int get_fps(const json_t *v, const char *where, uint8_t fps[][MEFC_FP_LEN], uint32_t *n,
                   char *err, size_t cap)
{
  char at[96];
  if (get_array(v, where, MEFC_CERTS_MAX, err, cap) != 0)
    return -1;
  for (size_t i = 0; i < json_array_size(v); i++) {
    snprintf(at, sizeof at, "%s[%zu]", where, i);
    if (get_fp(json_array_get(v, i), at, fps[i], err, cap) != 0)
      return -1;
  }
  *n = (uint32_t)json_array_size(v);
  return 0;
}

int mefc_role_from_name(const char *name)
{
  if (strcmp(name, "node") == 0)
    return MEFC_ROLE_NODE;
  if (strcmp(name, "cse") == 0)
    return MEFC_ROLE_CSE;
  if (strcmp(name, "ae") == 0)
    return MEFC_ROLE_AE;
  return -1;
}

int mefc_phase_from_name(const char *name)
{
  if (strcmp(name, "none") == 0)
    return MEFC_PHASE_NONE;
  if (strcmp(name, "started") == 0)
    return MEFC_PHASE_STARTED;
  if (strcmp(name, "done") == 0)
    return MEFC_PHASE_DONE;
  if (strcmp(name, "reported") == 0)
    return MEFC_PHASE_REPORTED;
  return -1;
}

static int get_client_fields(const json_t *c, mefc_client *out, char *err, size_t cap)
{
  static const char *const keys[] = {"mef_fqdn", "role", "acts_for", "classes",
                                     "cert_prov_protocols", "dev_mgmt_ids", "symm_keys",
                                     "certs", "ca_certs", NULL};
  char at[96];
  json_t *v;

  if (!json_is_object(c))
    return fail(err, cap, "client: must be an object");
  if (check_keys(c, keys, "client", err, cap) != 0)
    return -1;

  v = json_object_get(c, "mef_fqdn");
  if (v == NULL)
    return fail(err, cap, "client.mef_fqdn: missing");
  if (get_bytes(v, "client.mef_fqdn", 1, MEFC_FQDN_MAX, out->mef_fqdn, &out->mef_fqdn_len, err,
                cap) != 0)
    return -1;

  v = json_object_get(c, "role");
  if (v == NULL)
    return fail(err, cap, "client.role: missing");
  if (!json_is_string(v) || mefc_role_from_name(json_string_value(v)) < 0)
    return fail(err, cap, "client.role: must be \"node\", \"cse\" or \"ae\"");
  out->role = (uint32_t)mefc_role_from_name(json_string_value(v));

  v = json_object_get(c, "acts_for");
  if (v != NULL) {
    if (get_array(v, "client.acts_for", MEFC_ACTS_FOR_MAX, err, cap) != 0)
      return -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
      snprintf(at, sizeof at, "client.acts_for[%zu]", i);
      if (get_bytes(json_array_get(v, i), at, 1, MEFC_ID_MAX, out->acts_for[i].b,
                    &out->acts_for[i].len, err, cap) != 0)
        return -1;
    }
    out->n_acts_for = (uint32_t)json_array_size(v);
  }

  v = json_object_get(c, "classes");
  if (v != NULL && get_bitset(v, "client.classes", MEFC_CLASS_NO_MORE_COMMANDS, MEFC_CLASS_MO_NODE,
                              &out->classes, err, cap) != 0)
    return -1;
  v = json_object_get(c, "cert_prov_protocols");
  if (v != NULL && get_bitset(v, "client.cert_prov_protocols", MEFC_CPP_EST, MEFC_CPP_SCEP,
                              &out->cert_prov_protocols, err, cap) != 0)
    return -1;
  v = json_object_get(c, "dev_mgmt_ids");
  if (v != NULL && get_bitset(v, "client.dev_mgmt_ids", MEFC_DM_OMA_DM13, MEFC_DM_TR069,
                              &out->dev_mgmt_ids, err, cap) != 0)
    return -1;

  v = json_object_get(c, "symm_keys");
  if (v != NULL) {
    if (get_array(v, "client.symm_keys", MEFC_KEYS_MAX, err, cap) != 0)
      return -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
      snprintf(at, sizeof at, "client.symm_keys[%zu]", i);
      if (get_bytes(json_array_get(v, i), at, 1, MEFC_KEY_ID_MAX, out->symm_keys[i].b,
                    &out->symm_keys[i].len, err, cap) != 0)
        return -1;
    }
    out->n_symm_keys = (uint32_t)json_array_size(v);
  }

  v = json_object_get(c, "certs");
  if (v != NULL && get_fps(v, "client.certs", out->certs, &out->n_certs, err, cap) != 0)
    return -1;
  v = json_object_get(c, "ca_certs");
  if (v != NULL && get_fps(v, "client.ca_certs", out->ca_certs, &out->n_ca_certs, err, cap) != 0)
    return -1;
  return 0;
}

/* The attributes of one MO node, by TS-0022 short name. Attributes the core
 * only tests for presence are type-checked and not stored. */
static int get_attrs(const json_t *a, const char *where, mefc_mo_node *n, char *err, size_t cap)
{
  static const char *const keys[] = {"suid", "aski", "skv", "tlcs", "mkrd", "mkrl", "mcfp",
                                     "cfp", "uri", "fq", "adfq", "csi", "cntp", "hpt",
                                     "coapPort", "wpt", "et", "lbl", NULL};
  static const char *const ports[] = {"hpt", "coapPort", "wpt", NULL};
  char at[128];
  json_t *v;
  long long x;

  if (!json_is_object(a))
    return fail(err, cap, "%s: must be an object", where);
  if (check_keys(a, keys, where, err, cap) != 0)
    return -1;

  if ((v = json_object_get(a, "suid")) != NULL) {
    snprintf(at, sizeof at, "%s.suid", where);
    if (get_int(v, at, INT64_MIN, INT64_MAX, &x, err, cap) != 0)
      return -1;
    n->suid = x;
    n->attrs |= MEFC_MO_SUID;
  }
  if ((v = json_object_get(a, "aski")) != NULL) {
    snprintf(at, sizeof at, "%s.aski", where);
    if (get_bytes(v, at, 1, MEFC_KEY_ID_MAX, n->symm_key_id.b, &n->symm_key_id.len, err, cap) != 0)
      return -1;
    n->attrs |= MEFC_MO_ASKI;
  }
  if ((v = json_object_get(a, "skv")) != NULL) {
    snprintf(at, sizeof at, "%s.skv", where);
    if (get_bytes(v, at, 1, SIZE_MAX, NULL, NULL, err, cap) != 0)
      return -1;
    n->attrs |= MEFC_MO_SKV;
  }
  if ((v = json_object_get(a, "tlcs")) != NULL) {
    snprintf(at, sizeof at, "%s.tlcs", where);
    if (get_array(v, at, MEFC_TLCS_MAX, err, cap) != 0)
      return -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
      snprintf(at, sizeof at, "%s.tlcs[%zu]", where, i);
      if (get_int(json_array_get(v, i), at, 0, 65535, &x, err, cap) != 0)
        return -1;
      n->tlcs[i] = (uint16_t)x;
    }
    n->n_tlcs = (uint32_t)json_array_size(v);
    n->attrs |= MEFC_MO_TLCS;
  }
  if ((v = json_object_get(a, "mkrd")) != NULL) {
    snprintf(at, sizeof at, "%s.mkrd", where);
    if (get_bytes(v, at, 1, SIZE_MAX, NULL, NULL, err, cap) != 0)
      return -1;
    n->attrs |= MEFC_MO_MKRD;
  }
  if ((v = json_object_get(a, "mkrl")) != NULL) {
    snprintf(at, sizeof at, "%s.mkrl", where);
    if (get_array(v, at, SIZE_MAX, err, cap) != 0)
      return -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
      snprintf(at, sizeof at, "%s.mkrl[%zu]", where, i);
      if (get_bytes(json_array_get(v, i), at, 1, SIZE_MAX, NULL, NULL, err, cap) != 0)
        return -1;
    }
    n->attrs |= MEFC_MO_MKRL;
  }
  if (json_object_get(a, "mcfp") != NULL && json_object_get(a, "cfp") != NULL)
    return fail(err, cap, "%s: mcfp and cfp together (a node holds one fingerprint)", where);
  if ((v = json_object_get(a, "mcfp")) != NULL) {
    snprintf(at, sizeof at, "%s.mcfp", where);
    if (get_fp(v, at, n->fp, err, cap) != 0)
      return -1;
    n->attrs |= MEFC_MO_MCFP;
  }
  if ((v = json_object_get(a, "cfp")) != NULL) {
    snprintf(at, sizeof at, "%s.cfp", where);
    if (get_fp(v, at, n->fp, err, cap) != 0)
      return -1;
    n->attrs |= MEFC_MO_CFP;
  }
  if ((v = json_object_get(a, "uri")) != NULL) {
    snprintf(at, sizeof at, "%s.uri", where);
    if (get_bytes(v, at, 1, MEFC_URI_MAX, n->uri, &n->uri_len, err, cap) != 0)
      return -1;
    n->attrs |= MEFC_MO_URI;
  }
  if ((v = json_object_get(a, "fq")) != NULL) {
    snprintf(at, sizeof at, "%s.fq", where);
    if (get_bytes(v, at, 1, MEFC_FQDN_MAX, NULL, NULL, err, cap) != 0)
      return -1;
    n->attrs |= MEFC_MO_FQ;
  }
  if ((v = json_object_get(a, "adfq")) != NULL) {
    snprintf(at, sizeof at, "%s.adfq", where);
    if (get_bytes(v, at, 1, MEFC_FQDN_MAX, NULL, NULL, err, cap) != 0)
      return -1;
    n->attrs |= MEFC_MO_ADFQ;
  }
  if ((v = json_object_get(a, "csi")) != NULL) {
    snprintf(at, sizeof at, "%s.csi", where);
    if (get_bytes(v, at, 1, MEFC_ID_MAX, NULL, NULL, err, cap) != 0)
      return -1;
    n->attrs |= MEFC_MO_CSI;
  }
  /* [MEFClientRegCfg] / [MAFClientRegCfg] values only the shell reads
   * (ports 0..65535, ruling I-7). */
  for (size_t i = 0; ports[i] != NULL; i++) {
    if ((v = json_object_get(a, ports[i])) != NULL) {
      snprintf(at, sizeof at, "%s.%s", where, ports[i]);
      if (get_int(v, at, 1, 65535, &x, err, cap) != 0)
        return -1;
    }
  }
  if ((v = json_object_get(a, "et")) != NULL) {
    snprintf(at, sizeof at, "%s.et", where);
    if (get_bytes(v, at, 1, 64, NULL, NULL, err, cap) != 0)
      return -1;
  }
  if ((v = json_object_get(a, "lbl")) != NULL) {
    snprintf(at, sizeof at, "%s.lbl", where);
    if (get_array(v, at, SIZE_MAX, err, cap) != 0)
      return -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
      snprintf(at, sizeof at, "%s.lbl[%zu]", where, i);
      if (get_bytes(json_array_get(v, i), at, 1, SIZE_MAX, NULL, NULL, err, cap) != 0)
        return -1;
    }
  }
  if ((v = json_object_get(a, "cntp")) != NULL) {
    snprintf(at, sizeof at, "%s.cntp", where);
    if (get_bytes(v, at, 1, MEFC_URI_MAX, NULL, NULL, err, cap) != 0)
      return -1;
    n->attrs |= MEFC_MO_CNTP;
  }
  return 0;
}

/* Index of the node listed before `before` whose path is p[0..len), or MEFC_NONE. */
static uint32_t find_path(const mefc_client *cli, uint32_t before, const char *p, size_t len)
{
  for (uint32_t i = 0; i < before; i++) {
    if (cli->mo[i].path_len == len && memcmp(cli->mo[i].path, p, len) == 0)
      return i;
  }
  return MEFC_NONE;
}

/* The MO tree. A node's parent is named by path and must be listed before it,
 * which keeps the tree free of cycles. */
static int get_mo(const json_t *mo, mefc_client *out, char *err, size_t cap)
{
  static const char *const keys[] = {"path", "parent", "mgd", "attrs", NULL};
  char where[48];
  char at[96];

  if (get_array(mo, "mo", MEFC_MO_NODES_MAX, err, cap) != 0)
    return -1;
  for (size_t i = 0; i < json_array_size(mo); i++) {
    const json_t *e = json_array_get(mo, i);
    mefc_mo_node *n = &out->mo[i];
    json_t *v;
    long long x;

    snprintf(where, sizeof where, "mo[%zu]", i);
    if (!json_is_object(e))
      return fail(err, cap, "%s: must be an object", where);
    if (check_keys(e, keys, where, err, cap) != 0)
      return -1;

    snprintf(at, sizeof at, "%s.path", where);
    if ((v = json_object_get(e, "path")) == NULL)
      return fail(err, cap, "%s: missing", at);
    if (get_bytes(v, at, 1, MEFC_PATH_MAX, n->path, &n->path_len, err, cap) != 0)
      return -1;
    if (find_path(out, (uint32_t)i, (const char *)n->path, n->path_len) != MEFC_NONE)
      return fail(err, cap, "%s: \"%s\" is listed twice", at, json_string_value(v));

    snprintf(at, sizeof at, "%s.mgd", where);
    if ((v = json_object_get(e, "mgd")) == NULL)
      return fail(err, cap, "%s: missing", at);
    if (get_int(v, at, 0, (long long)MEFC_NONE - 1, &x, err, cap) != 0)
      return -1;
    n->mgd = (uint32_t)x;

    n->parent = MEFC_NONE;
    if ((v = json_object_get(e, "parent")) != NULL) {
      snprintf(at, sizeof at, "%s.parent", where);
      if (get_bytes(v, at, 1, MEFC_PATH_MAX, NULL, NULL, err, cap) != 0)
        return -1;
      n->parent = find_path(out, (uint32_t)i, json_string_value(v), json_string_length(v));
      if (n->parent == MEFC_NONE)
        return fail(err, cap, "%s: no MO node \"%s\" listed before this one", at,
                    json_string_value(v));
    }

    if ((v = json_object_get(e, "attrs")) != NULL) {
      snprintf(at, sizeof at, "%s.attrs", where);
      if (get_attrs(v, at, n, err, cap) != 0)
        return -1;
    }
    out->n_mo = (uint32_t)(i + 1);
  }
  return 0;
}

int mefc_client_from_json(const json_t *client, const json_t *mo, mefc_client *out, char *err,
                          size_t err_cap)
{
  memset(out, 0, sizeof *out);
  if (err != NULL && err_cap > 0)
    err[0] = '\0';
  if (client == NULL)
    return fail(err, err_cap, "client: missing");
  if (get_client_fields(client, out, err, err_cap) != 0)
    return -1;
  if (mo != NULL && get_mo(mo, out, err, err_cap) != 0)
    return -1;
  return 0;
}

int mefc_mo_from_json(const json_t *mo, mefc_client *out, char *err, size_t err_cap)
{
  memset(out->mo, 0, sizeof out->mo);
  out->n_mo = 0;
  if (err != NULL && err_cap > 0)
    err[0] = '\0';
  return mo != NULL ? get_mo(mo, out, err, err_cap) : 0;
}

/* Status codes a client may report (Table 12.3.2.4-1 without 10 and 11). */
static bool client_status(long long s)
{
  static const int codes[] = {20, 40, 41, 42, 43, 100, 101, 201, 202, 300, 301, 302, 303, 304, 305};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    if (codes[i] == s)
      return true;
  }
  return false;
}

int mefc_record_from_json(const json_t *record, mefc_record *out, char *err, size_t err_cap)
{
  static const char *const keys[] = {"cmd_id", "phase", "status", "class", NULL};
  json_t *v;
  long long x;
  int phase;

  memset(out, 0, sizeof *out);
  if (err != NULL && err_cap > 0)
    err[0] = '\0';
  out->phase = MEFC_PHASE_NONE;
  if (record == NULL)
    return 0;
  if (!json_is_object(record))
    return fail(err, err_cap, "record: must be an object");
  if (check_keys(record, keys, "record", err, err_cap) != 0)
    return -1;

  v = json_object_get(record, "phase");
  if (v == NULL)
    return fail(err, err_cap, "record.phase: missing");
  if (!json_is_string(v) || (phase = mefc_phase_from_name(json_string_value(v))) < 0)
    return fail(err, err_cap, "record.phase: must be \"none\", \"started\", \"done\" or \"reported\"");
  out->phase = (uint32_t)phase;

  v = json_object_get(record, "cmd_id");
  if (v != NULL) {
    if (get_bytes(v, "record.cmd_id", 1, MEFC_CMD_ID_MAX, out->id.b, &out->id.len, err, err_cap) != 0)
      return -1;
  } else if (phase != MEFC_PHASE_NONE) {
    return fail(err, err_cap, "record.cmd_id: missing (needed unless phase is \"none\")");
  }

  v = json_object_get(record, "status");
  if (phase == MEFC_PHASE_DONE || phase == MEFC_PHASE_REPORTED) {
    if (v == NULL)
      return fail(err, err_cap, "record.status: missing (needed for phase done or reported)");
    if (get_int(v, "record.status", 0, 999, &x, err, err_cap) != 0)
      return -1;
    if (!client_status(x))
      return fail(err, err_cap, "record.status: %lld is not a status a client reports", x);
    out->status = (uint32_t)x;
  } else if (v != NULL) {
    return fail(err, err_cap, "record.status: only for phase done or reported");
  }

  v = json_object_get(record, "class");
  if (phase == MEFC_PHASE_STARTED) {
    if (v == NULL)
      return fail(err, err_cap, "record.class: missing (needed for phase started)");
    if (get_int(v, "record.class", MEFC_CLASS_CERT_PROV, MEFC_CLASS_MO_NODE, &x, err, err_cap) != 0)
      return -1;
    out->class_id = (uint32_t)x;
  } else if (v != NULL) {
    return fail(err, err_cap, "record.class: only for phase started");
  }
  return 0;
}
