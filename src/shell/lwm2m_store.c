/* Staging and storage of the bootstrapped LwM2M objects (lwm2m_store.h):
 * Bootstrap-Delete and Bootstrap-Write on the staged set, the checks of
 * Bootstrap-Finish, the atomic commit. Values are typed by lwm2m_objects.c;
 * opaque values are kept as hexadecimal text so the stored file reads with jq. */
#include "lwm2m_store.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_json.h"
#include "fsutil.h"
#include "lwm2m_objects.h"


static void key_of(uint32_t v, char out[12])
{
  snprintf(out, 12, "%u", (unsigned)v);
}

int lw_store_read(const char *state_dir, uint8_t **buf, size_t *len, char *err, size_t cap)
{
  char *path = fsu_join(state_dir, LW_STORE_FILE);
  *buf = NULL;
  *len = 0;
  if (path == NULL)
    return lw_say(err, cap, -1, "out of memory");
  int r = fsu_read_file(path, LW_STORE_FILE_MAX, 1, buf, len, err, cap);
  free(path);
  return r;
}

int lw_store_open(lw_store *s, const char *state_dir, char *err, size_t cap)
{
  uint8_t *buf = NULL;
  size_t len = 0;
  s->objects = NULL;
  int r = lw_store_read(state_dir, &buf, &len, err, cap);
  if (r < 0)
    return -1;
  if (r == 1) {
    s->objects = json_object();
    return s->objects == NULL ? lw_say(err, cap, -1, "out of memory") : 0;
  }
  json_error_t je;
  json_t *root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
  free(buf);
  json_t *o = json_object_get(root, "objects");
  if (root == NULL || json_integer_value(json_object_get(root, "version")) != LW_STORE_VERSION ||
      !json_is_object(o)) {
    json_decref(root);
    return lw_say(err, cap, -1, "%s: not a version %d LwM2M store", LW_STORE_FILE, LW_STORE_VERSION);
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
    return lw_say(why, cap, LW_S_BAD, "Bootstrap-Delete names a resource");
  if (!lw_known_object(p->id[0]))
    return lw_say(why, cap, LW_S_NOT_FOUND, "no object %u", (unsigned)p->id[0]);
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
    return lw_say(why, cap, LW_S_BAD, "Bootstrap-Write on /");
  if (!lw_known_object(target->id[0]))
    return lw_say(why, cap, LW_S_NOT_FOUND, "no object %u", (unsigned)target->id[0]);
  for (uint32_t i = 0; i < recs->n; i++) {
    const lw_rec *r = &recs->v[i];
    const lw_res_def *d = lw_find_def(r->obj, r->res);
    char kr[12], kri[12];
    int rc = LW_S_OK;
    if (d == NULL)
      return lw_say(why, cap, LW_S_NOT_FOUND, "no resource /%u/%u/%u", (unsigned)r->obj,
                 (unsigned)r->inst, (unsigned)r->res);
    if ((r->riid != LW_NONE) != (d->multi != 0))
      return lw_say(why, cap, LW_S_BAD, "/%u/%u/%u: %s resource written as %s", (unsigned)r->obj,
                 (unsigned)r->inst, (unsigned)r->res, d->multi ? "a multiple" : "a single",
                 d->multi ? "a single one" : "a multiple one");
    json_t *inst = instance(s, r->obj, r->inst, &rc);
    if (inst == NULL)
      return lw_say(why, cap, rc, "/%u: more than %u instances", (unsigned)r->obj, LW_INST_MAX);
    json_t *v = lw_typed(d, r, &rc, why, cap);
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
      return lw_say(why, cap, LW_S_LIMIT, "/%u/%u/%u: more than %u instances", (unsigned)r->obj,
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
    const lw_res_def *d = lw_find_def(obj, (uint32_t)strtoul(rk, NULL, 10));
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
    return lw_say(why, cap, -1, "/%u/%s: no MO path (resource 0)", (unsigned)obj, ik);
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
    return lw_say(why, cap, -1, "no LwM2M Server account (object 1 has no instance)");
  json_object_foreach((json_t *)sec, ik, si) {
    json_int_t mode = json_integer_value(res_get(si, 2));
    if (!json_is_string(res_get(si, 0)) || !json_is_boolean(res_get(si, 1)) ||
        !json_is_integer(res_get(si, 2)) || mode < 0 || mode > 4)
      return lw_say(why, cap, -1, "/0/%s: Server URI (0), Bootstrap-Server (1) and Security Mode "
                 "(2, 0..4) are mandatory", ik);
  }
  json_object_foreach((json_t *)srv, ik, si) {
    const json_t *ssid = res_get(si, 0);
    bool matched = false;
    if (!json_is_integer(ssid) || json_integer_value(ssid) < 1 ||
        json_integer_value(ssid) > 65534 || !json_is_integer(res_get(si, 1)) ||
        !json_is_string(res_get(si, 7)))
      return lw_say(why, cap, -1, "/1/%s: Short Server ID (0, 1..65534), Lifetime (1) and Binding "
                 "(7) are mandatory", ik);
    json_object_foreach((json_t *)sec, jk, vi) {
      matched = matched || (json_is_false(res_get(vi, 1)) &&
                            json_integer_value(res_get(vi, 10)) == json_integer_value(ssid));
    }
    if (!matched)
      return lw_say(why, cap, -1, "/1/%s: no Security instance (not a Bootstrap-Server) with Short "
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
    return lw_say(why, cap, -1, "out of memory");
  for (size_t m = 0; m < LW_MO_OBJECTS; m++) {
    char k[12];
    const char *ik;
    json_t *inst;
    key_of(lw_mo_objects[m].obj, k);
    json_object_foreach(json_object_get(s->objects, k), ik, inst) {
      if (mo_node(lw_mo_objects[m].obj, lw_mo_objects[m].mgd, ik, inst, nodes, why, cap) != 0) {
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
    return lw_say(why, cap, -1, "the MO nodes do not check: %s",
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
    return lw_say(err, cap, -1, "out of memory");
  size_t n = strlen(text);
  int r = n > LW_STORE_FILE_MAX ? lw_say(err, cap, -1, "the store would exceed %u bytes",
                                      LW_STORE_FILE_MAX)
                                : fsu_write_atomic(state_dir, LW_STORE_FILE, text, n, err, cap);
  free(text);
  return r;
}
