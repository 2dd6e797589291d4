/* Staging and storage of the bootstrapped LwM2M objects (lwm2m_store.h).
 * Values are typed by the object definitions below (Security and Server of
 * LwM2M 1.1, the MO objects of ruling I-46); opaque values are kept as
 * hexadecimal text so the stored file reads with jq. */
#include "lwm2m_store.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_json.h"
#include "fsutil.h"

enum { T_STR = 1, T_INT, T_BOOL, T_OPAQUE, T_FP };

typedef struct {
  uint32_t obj;
  uint16_t res;
  uint8_t type;
  uint8_t multi;
  const char *mo_key; /* MO objects: the node member or TS-0022 attribute it fills */
} res_def;

static const res_def defs[] = {
    /* Security (0) */
    {0, 0, T_STR, 0, NULL},     {0, 1, T_BOOL, 0, NULL},    {0, 2, T_INT, 0, NULL},
    {0, 3, T_OPAQUE, 0, NULL},  {0, 4, T_OPAQUE, 0, NULL},  {0, 5, T_OPAQUE, 0, NULL},
    {0, 6, T_INT, 0, NULL},     {0, 7, T_OPAQUE, 0, NULL},  {0, 8, T_OPAQUE, 0, NULL},
    {0, 9, T_STR, 0, NULL},     {0, 10, T_INT, 0, NULL},    {0, 11, T_INT, 0, NULL},
    {0, 12, T_INT, 0, NULL},    {0, 13, T_INT, 0, NULL},    {0, 14, T_STR, 0, NULL},
    {0, 15, T_INT, 0, NULL},    {0, 16, T_INT, 1, NULL},
    /* Server (1); 4, 8 and 9 are executable, 10 an object link: not written */
    {1, 0, T_INT, 0, NULL},     {1, 1, T_INT, 0, NULL},     {1, 2, T_INT, 0, NULL},
    {1, 3, T_INT, 0, NULL},     {1, 5, T_INT, 0, NULL},     {1, 6, T_BOOL, 0, NULL},
    {1, 7, T_STR, 0, NULL},     {1, 11, T_INT, 0, NULL},    {1, 12, T_INT, 0, NULL},
    {1, 13, T_INT, 0, NULL},    {1, 14, T_INT, 0, NULL},    {1, 15, T_BOOL, 0, NULL},
    {1, 16, T_BOOL, 0, NULL},   {1, 17, T_INT, 0, NULL},    {1, 18, T_INT, 0, NULL},
    {1, 19, T_INT, 0, NULL},    {1, 20, T_INT, 0, NULL},    {1, 21, T_BOOL, 0, NULL},
    {1, 22, T_STR, 0, NULL},    {1, 23, T_BOOL, 0, NULL},
    /* [authenticationProfile] */
    {LW_OBJ_AUTH_PROFILE, 0, T_STR, 0, "path"},   {LW_OBJ_AUTH_PROFILE, 1, T_STR, 0, "parent"},
    {LW_OBJ_AUTH_PROFILE, 2, T_INT, 0, "suid"},   {LW_OBJ_AUTH_PROFILE, 3, T_STR, 0, "aski"},
    {LW_OBJ_AUTH_PROFILE, 4, T_STR, 0, "skv"},    {LW_OBJ_AUTH_PROFILE, 5, T_INT, 1, "tlcs"},
    {LW_OBJ_AUTH_PROFILE, 6, T_STR, 0, "mkrd"},   {LW_OBJ_AUTH_PROFILE, 7, T_STR, 1, "mkrl"},
    {LW_OBJ_AUTH_PROFILE, 8, T_FP, 0, "mcfp"},
    /* [trustAnchorCred] */
    {LW_OBJ_TRUST_ANCHOR, 0, T_STR, 0, "path"},   {LW_OBJ_TRUST_ANCHOR, 1, T_STR, 0, "parent"},
    {LW_OBJ_TRUST_ANCHOR, 2, T_FP, 0, "cfp"},     {LW_OBJ_TRUST_ANCHOR, 3, T_STR, 0, "uri"},
    /* [MAFClientRegCfg] */
    {LW_OBJ_MAF_REG_CFG, 0, T_STR, 0, "path"},    {LW_OBJ_MAF_REG_CFG, 1, T_STR, 0, "parent"},
    {LW_OBJ_MAF_REG_CFG, 2, T_STR, 0, "fq"},      {LW_OBJ_MAF_REG_CFG, 3, T_STR, 0, "adfq"},
    {LW_OBJ_MAF_REG_CFG, 4, T_INT, 0, "hpt"},     {LW_OBJ_MAF_REG_CFG, 5, T_INT, 0, "coapPort"},
    {LW_OBJ_MAF_REG_CFG, 6, T_INT, 0, "wpt"},     {LW_OBJ_MAF_REG_CFG, 7, T_STR, 0, "et"},
    {LW_OBJ_MAF_REG_CFG, 8, T_STR, 1, "lbl"},
    /* [MEFClientRegCfg] */
    {LW_OBJ_MEF_REG_CFG, 0, T_STR, 0, "path"},    {LW_OBJ_MEF_REG_CFG, 1, T_STR, 0, "parent"},
    {LW_OBJ_MEF_REG_CFG, 2, T_STR, 0, "fq"},      {LW_OBJ_MEF_REG_CFG, 3, T_STR, 0, "adfq"},
    {LW_OBJ_MEF_REG_CFG, 4, T_INT, 0, "hpt"},     {LW_OBJ_MEF_REG_CFG, 5, T_INT, 0, "coapPort"},
    {LW_OBJ_MEF_REG_CFG, 6, T_INT, 0, "wpt"},     {LW_OBJ_MEF_REG_CFG, 7, T_STR, 0, "et"},
    {LW_OBJ_MEF_REG_CFG, 8, T_STR, 1, "lbl"},
};

static const struct {
  uint32_t obj, mgd;
} mo_objects[] = {{LW_OBJ_AUTH_PROFILE, 1022},
                  {LW_OBJ_TRUST_ANCHOR, 1024},
                  {LW_OBJ_MAF_REG_CFG, 1025},
                  {LW_OBJ_MEF_REG_CFG, 1026}};

static int say(char *why, size_t cap, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int say(char *why, size_t cap, int rc, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, cap, fmt, ap);
  va_end(ap);
  return rc;
}

static bool known_object(uint32_t obj)
{
  for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
    if (defs[i].obj == obj)
      return true;
  return false;
}

static const res_def *find_def(uint32_t obj, uint32_t res)
{
  for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
    if (defs[i].obj == obj && defs[i].res == res)
      return &defs[i];
  return NULL;
}

static void key_of(uint32_t v, char out[12])
{
  snprintf(out, 12, "%u", (unsigned)v);
}

static json_t *hex_of(const uint8_t *p, uint32_t n)
{
  static const char d[] = "0123456789abcdef";
  char *s = malloc(2u * n + 1u);
  if (s == NULL)
    return NULL;
  for (uint32_t i = 0; i < n; i++) {
    s[2 * i] = d[p[i] >> 4];
    s[2 * i + 1] = d[p[i] & 15u];
  }
  s[2u * n] = '\0';
  json_t *j = json_string(s);
  free(s);
  return j;
}

/* The value of record r as the definition's type, or NULL (why says). */
static json_t *typed(const res_def *d, const lw_rec *r, int *rc, char *why, size_t cap)
{
  *rc = LW_S_BAD;
  switch (d->type) {
  case T_STR:
    if (r->kind != LW_K_RAW && r->kind != LW_K_STR)
      break;
    if (memchr(r->p, 0, r->n) != NULL)
      break;
    if (r->n > LW_OPAQUE_MAX) {
      *rc = LW_S_LIMIT;
      break;
    }
    {
      json_t *j = json_stringn((const char *)r->p, r->n);
      if (j != NULL)
        return j;
      say(why, cap, 0, "/%u/%u/%u: a string that is not UTF-8", (unsigned)r->obj,
          (unsigned)r->inst, (unsigned)r->res);
      return NULL;
    }
  case T_INT:
    if (r->kind == LW_K_INT)
      return json_integer(r->i);
    if (r->kind == LW_K_RAW && (r->n == 1 || r->n == 2 || r->n == 4 || r->n == 8)) {
      uint64_t u = 0;
      for (uint32_t i = 0; i < r->n; i++)
        u = u << 8 | r->p[i];
      unsigned sh = 64u - 8u * r->n;
      int64_t v = sh == 0 ? (int64_t)u : (int64_t)(u << sh) >> sh; /* sign-extend */
      return json_integer(v);
    }
    break;
  case T_BOOL:
    if (r->kind == LW_K_BOOL)
      return json_boolean(r->i);
    if (r->kind == LW_K_RAW && r->n == 1 && r->p[0] <= 1)
      return json_boolean(r->p[0]);
    break;
  case T_OPAQUE:
  case T_FP:
    if (r->kind != LW_K_RAW && r->kind != LW_K_DATA)
      break;
    if (d->type == T_FP && r->n != MEFC_FP_LEN)
      break;
    if (r->n > LW_OPAQUE_MAX) {
      *rc = LW_S_LIMIT;
      break;
    }
    return hex_of(r->p, r->n);
  default:
    break;
  }
  say(why, cap, 0, "/%u/%u/%u: value does not fit the resource's type", (unsigned)r->obj,
      (unsigned)r->inst, (unsigned)r->res);
  return NULL;
}

int lw_store_open(lw_store *s, const char *state_dir, char *err, size_t cap)
{
  char *path = fsu_join(state_dir, LW_STORE_FILE);
  uint8_t *buf = NULL;
  size_t len = 0;
  s->objects = NULL;
  if (path == NULL)
    return say(err, cap, -1, "out of memory");
  int r = fsu_read_file(path, LW_STORE_FILE_MAX, 1, &buf, &len, err, cap);
  free(path);
  if (r < 0)
    return -1;
  if (r == 1) {
    s->objects = json_object();
    return s->objects == NULL ? say(err, cap, -1, "out of memory") : 0;
  }
  json_error_t je;
  json_t *root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
  free(buf);
  json_t *o = json_object_get(root, "objects");
  if (root == NULL || json_integer_value(json_object_get(root, "version")) != LW_STORE_VERSION ||
      !json_is_object(o)) {
    json_decref(root);
    return say(err, cap, -1, "%s: not a version %d LwM2M store", LW_STORE_FILE, LW_STORE_VERSION);
  }
  s->objects = json_incref(o);
  json_decref(root);
  return 0;
}

void lw_store_free(lw_store *s)
{
  json_decref(s->objects);
  s->objects = NULL;
}

int lw_store_delete(lw_store *s, const lw_path *p, char *why, size_t cap)
{
  char k0[12], k1[12];
  if (p->depth == 0) {
    json_object_clear(s->objects);
    return LW_S_OK;
  }
  if (p->depth > 2)
    return say(why, cap, LW_S_BAD, "Bootstrap-Delete names a resource");
  if (!known_object(p->id[0]))
    return say(why, cap, LW_S_NOT_FOUND, "no object %u", (unsigned)p->id[0]);
  key_of(p->id[0], k0);
  if (p->depth == 1) {
    json_object_del(s->objects, k0);
  } else {
    key_of(p->id[1], k1);
    json_object_del(json_object_get(s->objects, k0), k1);
  }
  return LW_S_OK;
}

/* The instance object of (obj, inst), created when absent (bounded). */
static json_t *instance(lw_store *s, uint32_t obj, uint32_t inst, int *rc)
{
  char k0[12], k1[12];
  key_of(obj, k0);
  key_of(inst, k1);
  json_t *o = json_object_get(s->objects, k0);
  if (o == NULL && json_object_set_new(s->objects, k0, o = json_object()) != 0)
    o = NULL;
  json_t *i = json_object_get(o, k1);
  if (i == NULL && o != NULL) {
    if (json_object_size(o) >= LW_INST_MAX) {
      *rc = LW_S_LIMIT;
      return NULL;
    }
    if (json_object_set_new(o, k1, i = json_object()) != 0)
      i = NULL;
  }
  if (i == NULL && *rc == LW_S_OK)
    *rc = LW_S_LIMIT; /* out of memory: this client's limit */
  return i;
}

int lw_store_write(lw_store *s, const lw_path *target, const lw_recs *recs, char *why, size_t cap)
{
  /* Multiple resources written whole are replaced: cleared once per write. */
  uint32_t cleared[LW_RECS_MAX][2];
  uint32_t n_cleared = 0;
  if (target->depth == 0)
    return say(why, cap, LW_S_BAD, "Bootstrap-Write on /");
  if (!known_object(target->id[0]))
    return say(why, cap, LW_S_NOT_FOUND, "no object %u", (unsigned)target->id[0]);
  for (uint32_t i = 0; i < recs->n; i++) {
    const lw_rec *r = &recs->v[i];
    const res_def *d = find_def(r->obj, r->res);
    char kr[12], kri[12];
    int rc = LW_S_OK;
    if (d == NULL)
      return say(why, cap, LW_S_NOT_FOUND, "no resource /%u/%u/%u", (unsigned)r->obj,
                 (unsigned)r->inst, (unsigned)r->res);
    if ((r->riid != LW_NONE) != (d->multi != 0))
      return say(why, cap, LW_S_BAD, "/%u/%u/%u: %s resource written as %s", (unsigned)r->obj,
                 (unsigned)r->inst, (unsigned)r->res, d->multi ? "a multiple" : "a single",
                 d->multi ? "a single one" : "a multiple one");
    json_t *inst = instance(s, r->obj, r->inst, &rc);
    if (inst == NULL)
      return say(why, cap, rc, "/%u: more than %u instances", (unsigned)r->obj, LW_INST_MAX);
    json_t *v = typed(d, r, &rc, why, cap);
    if (v == NULL)
      return rc;
    key_of(r->res, kr);
    if (!d->multi) {
      json_object_set_new(inst, kr, v);
      continue;
    }
    bool was_cleared = target->depth == 4;
    for (uint32_t c = 0; c < n_cleared && !was_cleared; c++)
      was_cleared = cleared[c][0] == r->inst && cleared[c][1] == r->res;
    if (!was_cleared) {
      json_object_del(inst, kr);
      cleared[n_cleared][0] = r->inst;
      cleared[n_cleared++][1] = r->res;
    }
    json_t *m = json_object_get(inst, kr);
    if (m == NULL)
      json_object_set_new(inst, kr, m = json_object());
    key_of(r->riid, kri);
    if (m == NULL || (json_object_get(m, kri) == NULL && json_object_size(m) >= LW_RES_INST_MAX)) {
      json_decref(v);
      return say(why, cap, LW_S_LIMIT, "/%u/%u/%u: more than %u instances", (unsigned)r->obj,
                 (unsigned)r->inst, (unsigned)r->res, LW_RES_INST_MAX);
    }
    json_object_set_new(m, kri, v);
  }
  return LW_S_OK;
}

static json_t *res_get(const json_t *inst, uint32_t res)
{
  char k[12];
  key_of(res, k);
  return json_object_get(inst, k);
}

/* Resource instances of a multiple resource, in riid order, as an array. */
static json_t *multi_array(const json_t *m)
{
  json_t *a = json_array();
  for (uint32_t riid = 0, left = (uint32_t)json_object_size(m); left > 0 && riid <= LW_ID_MAX;
       riid++) {
    json_t *v = res_get(m, riid);
    if (v != NULL) {
      json_array_append(a, v);
      left--;
    }
  }
  return a;
}

/* The MO node an instance of an MO object describes (config file form). */
static int mo_node(uint32_t obj, uint32_t mgd, const char *ik, const json_t *inst, json_t *out,
                   char *why, size_t cap)
{
  json_t *node = json_object(), *attrs = json_object();
  const char *rk;
  json_t *v;
  json_object_set_new(node, "mgd", json_integer(mgd));
  json_object_foreach((json_t *)inst, rk, v) {
    const res_def *d = find_def(obj, (uint32_t)strtoul(rk, NULL, 10));
    if (d == NULL || d->mo_key == NULL)
      continue;
    json_t *val = d->multi ? multi_array(v) : json_incref(v);
    if (strcmp(d->mo_key, "path") == 0 || strcmp(d->mo_key, "parent") == 0)
      json_object_set_new(node, d->mo_key, val);
    else
      json_object_set_new(attrs, d->mo_key, val);
  }
  if (json_object_size(attrs) > 0)
    json_object_set(node, "attrs", attrs);
  json_decref(attrs);
  if (json_object_get(node, "path") == NULL) {
    json_decref(node);
    return say(why, cap, -1, "/%u/%s: no MO path (resource 0)", (unsigned)obj, ik);
  }
  json_array_append_new(out, node);
  return 0;
}

static int check_accounts(const json_t *objs, char *why, size_t cap)
{
  const json_t *sec = json_object_get(objs, "0"), *srv = json_object_get(objs, "1");
  const char *ik, *jk;
  json_t *si, *vi;
  if (json_object_size(srv) == 0)
    return say(why, cap, -1, "no LwM2M Server account (object 1 has no instance)");
  json_object_foreach((json_t *)sec, ik, si) {
    json_int_t mode = json_integer_value(res_get(si, 2));
    if (!json_is_string(res_get(si, 0)) || !json_is_boolean(res_get(si, 1)) ||
        !json_is_integer(res_get(si, 2)) || mode < 0 || mode > 4)
      return say(why, cap, -1, "/0/%s: Server URI (0), Bootstrap-Server (1) and Security Mode "
                 "(2, 0..4) are mandatory", ik);
  }
  json_object_foreach((json_t *)srv, ik, si) {
    const json_t *ssid = res_get(si, 0);
    bool matched = false;
    if (!json_is_integer(ssid) || json_integer_value(ssid) < 1 ||
        json_integer_value(ssid) > 65534 || !json_is_integer(res_get(si, 1)) ||
        !json_is_string(res_get(si, 7)))
      return say(why, cap, -1, "/1/%s: Short Server ID (0, 1..65534), Lifetime (1) and Binding "
                 "(7) are mandatory", ik);
    json_object_foreach((json_t *)sec, jk, vi) {
      matched = matched || (json_is_false(res_get(vi, 1)) &&
                            json_integer_value(res_get(vi, 10)) == json_integer_value(ssid));
    }
    if (!matched)
      return say(why, cap, -1, "/1/%s: no Security instance (not a Bootstrap-Server) with Short "
                 "Server ID %lld", ik, (long long)json_integer_value(ssid));
  }
  return 0;
}

int lw_store_check(const lw_store *s, const json_t *configured, json_t **boot_mo, json_t **merged,
                   char *why, size_t cap)
{
  char mo_err[MEFC_CJ_ERR_MAX];
  *boot_mo = NULL;
  *merged = NULL;
  if (check_accounts(s->objects, why, cap) != 0)
    return -1;
  json_t *nodes = json_array();
  if (nodes == NULL)
    return say(why, cap, -1, "out of memory");
  for (size_t m = 0; m < sizeof mo_objects / sizeof mo_objects[0]; m++) {
    char k[12];
    const char *ik;
    json_t *inst;
    key_of(mo_objects[m].obj, k);
    json_object_foreach(json_object_get(s->objects, k), ik, inst) {
      if (mo_node(mo_objects[m].obj, mo_objects[m].mgd, ik, inst, nodes, why, cap) != 0) {
        json_decref(nodes);
        return -1;
      }
    }
  }
  json_t *all = lw_mo_merge(configured, nodes);
  mefc_client *tmp = calloc(1, sizeof *tmp);
  int bad = all == NULL || tmp == NULL || mefc_mo_from_json(all, tmp, mo_err, sizeof mo_err) != 0;
  free(tmp);
  if (bad) {
    json_decref(nodes);
    json_decref(all);
    return say(why, cap, -1, "the MO nodes do not check: %s",
               all == NULL ? "out of memory" : mo_err);
  }
  *boot_mo = nodes;
  *merged = all;
  return 0;
}

int lw_store_commit(const lw_store *s, const json_t *boot_mo, const char *state_dir,
                    const char *endpoint, const char *server_uri, char *err, size_t cap)
{
  json_t *root = json_pack("{s:i, s:s, s:s, s:O, s:O}", "version", LW_STORE_VERSION, "endpoint",
                           endpoint, "server", server_uri, "objects", s->objects, "mo", boot_mo);
  char *text = root != NULL ? json_dumps(root, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
  json_decref(root);
  if (text == NULL)
    return say(err, cap, -1, "out of memory");
  size_t n = strlen(text);
  int r = n > LW_STORE_FILE_MAX ? say(err, cap, -1, "the store would exceed %u bytes",
                                      LW_STORE_FILE_MAX)
                                : fsu_write_atomic(state_dir, LW_STORE_FILE, text, n, err, cap);
  free(text);
  return r;
}

static const char *path_of(const json_t *node)
{
  return json_string_value(json_object_get(node, "path"));
}

json_t *lw_mo_merge(const json_t *configured, const json_t *boot)
{
  json_t *out = configured != NULL ? json_deep_copy(configured) : json_array();
  json_t *pending = json_array();
  size_t i;
  json_t *b;
  if (out == NULL || pending == NULL) {
    json_decref(out);
    json_decref(pending);
    return NULL;
  }
  json_array_foreach(boot, i, b) {
    const char *p = path_of(b);
    bool replaced = false;
    for (size_t j = 0; p != NULL && j < json_array_size(out) && !replaced; j++) {
      const char *q = path_of(json_array_get(out, j));
      if (q != NULL && strcmp(p, q) == 0) {
        json_array_set(out, j, b);
        replaced = true;
      }
    }
    if (!replaced)
      json_array_append(pending, b);
  }
  /* Appended parents first; what never becomes ready (a cycle, a missing
   * parent) goes last, for the MO checks to name. */
  while (json_array_size(pending) > 0) {
    bool moved = false;
    for (size_t k = 0; k < json_array_size(pending); k++) {
      const char *par = json_string_value(json_object_get(json_array_get(pending, k), "parent"));
      bool waits = false;
      for (size_t m = 0; par != NULL && m < json_array_size(pending) && !waits; m++) {
        const char *q = path_of(json_array_get(pending, m));
        waits = m != k && q != NULL && strcmp(par, q) == 0;
      }
      if (!waits) {
        json_array_append(out, json_array_get(pending, k));
        json_array_remove(pending, k);
        moved = true;
        break;
      }
    }
    if (!moved) {
      json_array_extend(out, pending);
      json_array_clear(pending);
    }
  }
  json_decref(pending);
  return out;
}

int lw_mo_load(const char *state_dir, const json_t *configured, json_t **merged, char *err,
               size_t cap)
{
  char *path = fsu_join(state_dir, LW_STORE_FILE);
  uint8_t *buf = NULL;
  size_t len = 0;
  *merged = NULL;
  if (path == NULL)
    return say(err, cap, -1, "out of memory");
  int r = fsu_read_file(path, LW_STORE_FILE_MAX, 1, &buf, &len, err, cap);
  free(path);
  if (r < 0)
    return -1;
  if (r == 1) {
    if (configured != NULL && (*merged = json_deep_copy(configured)) == NULL)
      return say(err, cap, -1, "out of memory");
    return 0;
  }
  json_error_t je;
  json_t *root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
  free(buf);
  json_t *mo = json_object_get(root, "mo");
  if (root == NULL || json_integer_value(json_object_get(root, "version")) != LW_STORE_VERSION ||
      !json_is_array(mo)) {
    json_decref(root);
    return say(err, cap, -1, "state %s: not a version %d LwM2M store with an \"mo\" array",
               LW_STORE_FILE, LW_STORE_VERSION);
  }
  *merged = lw_mo_merge(configured, mo);
  json_decref(root);
  return *merged == NULL ? say(err, cap, -1, "out of memory") : 0;
}
