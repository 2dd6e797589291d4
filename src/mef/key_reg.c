/* The MEF side of MEF Key Registration (TS-0003 8.3.5.2.7). The MEF checks
 * the request, derives the key from the exporter output of the session the
 * request came on (10.3.1), selects an unused RelativeKeyID (the hex of the
 * export's 16 most significant bytes, ruling I-40), stores the key under
 * RelativeKeyID@MEF-FQDN (10.3.4) and answers with the <symmKeyReg>. The
 * campaign's key_reg_fault lets tests see a refusal or a damaged response. */
#include "key_reg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "log.h"

#define FQDN_MAX 253u

void mefd_kr_reply(struct mefd_reply *reply, int rsc, json_t *o)
{
  reply->drop = false;
  reply->body = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
  reply->len = reply->body != NULL ? strlen(reply->body) : 0;
  reply->rsc = (o == NULL || reply->body != NULL) ? rsc : MEFD_RSC_INTERNAL_SERVER_ERROR;
  json_decref(o);
}

/* "YYYYMMDDTHHMMSS", later than now. */
bool mefd_kr_future(const char *s)
{
  if (strlen(s) != 15 || s[8] != 'T')
    return false;
  for (int i = 0; i < 15; i++)
    if (i != 8 && (s[i] < '0' || s[i] > '9'))
      return false;
  char now[20];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(now, sizeof now, "%Y%m%dT%H%M%S", &tm);
  return strcmp(s, now) > 0;
}

/* A host name safe to put in a file name: letters, digits, '.', '-'. */
static bool fqdn_ok(const char *s)
{
  size_t n = strlen(s);
  if (n == 0 || n > FQDN_MAX || s[0] == '.' || s[0] == '-')
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '.' || c == '-'))
      return false;
  }
  return true;
}

bool mefd_kr_strings(const json_t *a, bool non_empty)
{
  if (!json_is_array(a) || (non_empty && json_array_size(a) == 0))
    return false;
  for (size_t i = 0; i < json_array_size(a); i++) {
    const json_t *v = json_array_get(a, i);
    if (!json_is_string(v) || json_string_length(v) == 0)
      return false;
  }
  return true;
}

/* Write the key to DIR/KEYID.key, mode 0600, refusing to replace a file. */
static int store_key(const char *dir, const char *key_id, const uint8_t *key, size_t n)
{
  char path[1024];
  if (snprintf(path, sizeof path, "%s/%s.key", dir, key_id) >= (int)sizeof path)
    return -1;
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    mefd_log("key-reg: cannot create %s: %s", path, strerror(errno));
    return -1;
  }
  ssize_t w = write(fd, key, n);
  int rc = (w == (ssize_t)n && fsync(fd) == 0) ? 0 : -1;
  if (close(fd) != 0)
    rc = -1;
  if (rc != 0)
    unlink(path);
  return rc;
}

/* The campaign's fault on the response: drop or change one member. */
void mefd_kr_fault(json_t *mkr, const char *fault)
{
  bool omit = strncmp(fault, "omit:", 5) == 0;
  const char *name = fault + (omit ? 5 : 6);
  json_t *v = json_object_get(mkr, name);
  if (v == NULL)
    return;
  if (omit) {
    json_object_del(mkr, name);
  } else if (strcmp(name, "rkid") == 0 && json_is_string(v) && json_string_length(v) > 0) {
    /* Another hexBinary value, so that only a check of its value finds it. */
    char buf[80];
    snprintf(buf, sizeof buf, "%s", json_string_value(v));
    buf[0] = buf[0] == '0' ? '1' : '0';
    json_object_set_new(mkr, name, json_string(buf));
  } else if (json_is_string(v)) {
    char buf[600];
    snprintf(buf, sizeof buf, "%s%s", json_string_value(v),
             strcmp(name, "et") == 0 ? "" : "-altered");
    /* An expirationTime already past is the altered value of et. */
    json_object_set_new(mkr, name, json_string(strcmp(name, "et") == 0 ? "20000101T000000" : buf));
  } else if (json_is_integer(v)) {
    json_object_set_new(mkr, name, json_integer(json_integer_value(v) + 1));
  } else if (json_is_array(v)) {
    json_array_append_new(v, json_string("/altered"));
  }
}

json_t *mefd_kr_content(const void *body, size_t len, const char *root_name, json_t **root)
{
  json_error_t jerr;
  *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
  return json_is_object(*root) && json_object_size(*root) == 1
             ? json_object_get(*root, root_name) : NULL;
}

const char *mefd_kr_check(const json_t *o, const char *fqdn)
{
  const json_t *fq = json_object_get(o, "fq"), *et = json_object_get(o, "et");
  const json_t *lbl = json_object_get(o, "lbl"), *adfq = json_object_get(o, "adfq");
  if (!json_is_object(o))
    return "body is not {\"sec:...\":{...}} of the resource type given";
  if (!json_is_string(fq) || !fqdn_ok(json_string_value(fq)) ||
      (fqdn != NULL && strcasecmp(json_string_value(fq), fqdn) != 0))
    return "fq missing, not a host name or not this server's FQDN";
  if (!json_is_string(et) || !mefd_kr_future(json_string_value(et)))
    return "et (expirationTime) missing, malformed or past";
  if (lbl != NULL && !mefd_kr_strings(lbl, false))
    return "lbl is not an array of strings";
  if (!json_is_string(adfq) || json_string_length(adfq) == 0)
    return "adfq (adminFQDN) missing";
  return NULL;
}

void mefd_key_register(struct mefd_key_regs *kr, const struct mefd_kr_rules *r,
                       const char *client_id, const void *body, size_t len,
                       const uint8_t *exported, struct mefd_reply *reply)
{
  char who[160];
  const char *w = r->what;
  mefd_log_safe(who, sizeof who, client_id, strlen(client_id));
  json_t *root = NULL;
  json_t *mkr = mefd_kr_content(body, len, "sec:mkr", &root);
  json_t *fq = json_object_get(mkr, "fq"), *et = json_object_get(mkr, "et");
  json_t *lbl = json_object_get(mkr, "lbl"), *adfq = json_object_get(mkr, "adfq");
  json_t *suid = json_object_get(mkr, "suid"), *tgis = json_object_get(mkr, "tgis");
  const char *bad = mefd_kr_check(mkr, r->fqdn);
  if (bad == NULL && (!json_is_integer(suid) || json_integer_value(suid) < r->suid_lo ||
                      json_integer_value(suid) > r->suid_hi))
    bad = "suid missing or not one of this server's key SUIDs";
  if (bad == NULL && tgis != NULL && !mefd_kr_strings(tgis, true))
    bad = "tgis is not a non-empty array of identifiers";
  if (bad == NULL && json_object_get(mkr, "kv") != NULL)
    bad = "kv (self-generated key value): this server registers exported keys only";
  if (bad != NULL) {
    mefd_log("%s: client=%s: %s -> 4000", w, who, bad);
    json_decref(root);
    mefd_kr_reply(reply, MEFD_RSC_BAD_REQUEST, NULL);
    return;
  }
  const char *denied = r->precond != NULL ? r->precond(r->arg, client_id, mkr) : NULL;
  if (denied != NULL || (r->fault != NULL && strcmp(r->fault, "refuse") == 0)) {
    /* NOTE 2 of 8.3.5.2.7 / 8.8.2.7 leaves authorisation open. */
    mefd_log("%s: client=%s: %s -> 4103", w, who,
             denied != NULL ? denied : "not authorised by the campaign (key_reg_fault)");
    json_decref(root);
    mefd_kr_reply(reply, MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE, NULL);
    return;
  }
  if (exported == NULL) {
    mefd_log("%s: client=%s: no TLS exporter output for this session -> 5000", w, who);
    json_decref(root);
    mefd_kr_reply(reply, MEFD_RSC_INTERNAL_SERVER_ERROR, NULL);
    return;
  }
  char rkid[33];
  for (int i = 0; i < 16; i++)
    snprintf(rkid + 2 * i, 3, "%02x", exported[i]);
  for (size_t i = 0; i < kr->n; i++) {
    if (strcmp(kr->rkids[i], rkid) == 0) {
      mefd_log("%s: client=%s: RelativeKeyID %s already in use -> 5000", w, who, rkid);
      json_decref(root);
      mefd_kr_reply(reply, MEFD_RSC_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
  }
  char key_id[33 + 1 + FQDN_MAX + 1];
  snprintf(key_id, sizeof key_id, "%s@%s", rkid, json_string_value(fq));
  const uint8_t *key = exported + 16;
  char **ids = realloc(kr->rkids, (kr->n + 1) * sizeof *ids);
  if (ids != NULL)
    kr->rkids = ids;
  uint8_t(*keys)[32] = ids != NULL ? realloc(kr->keys, (kr->n + 1) * sizeof *keys) : NULL;
  if (keys != NULL)
    kr->keys = keys;
  char *copy = keys != NULL ? strdup(rkid) : NULL;
  if (copy == NULL || (kr->dir != NULL && store_key(kr->dir, key_id, key, 32) != 0)) {
    free(copy);
    mefd_log("%s: client=%s: cannot store the key %s -> 5000", w, who, key_id);
    json_decref(root);
    mefd_kr_reply(reply, MEFD_RSC_INTERNAL_SERVER_ERROR, NULL);
    return;
  }
  kr->rkids[kr->n] = copy;
  memcpy(kr->keys[kr->n], key, 32);
  kr->n++;

  /* Tables 8.3.5.2.7-2 / 8.8.2.7-2; the target list is the request's (none
   * given: the client itself, the only one this server can name). */
  json_t *out = json_pack("{s:s, s:s, s:s, s:O, s:O}", "rkid", rkid, "et", json_string_value(et),
                          "mci", client_id, "adfq", adfq, "suid", suid);
  if (out != NULL) {
    json_object_set_new(out, "tgis", tgis != NULL ? json_deep_copy(tgis)
                                                  : json_pack("[s]", client_id));
    if (lbl != NULL)
      json_object_set(out, "lbl", lbl);
    if (r->fault != NULL)
      mefd_kr_fault(out, r->fault);
  }
  mefd_log("%s: client=%s suid=%lld key %s registered (TLS exporter %s, %u bytes), %zu "
           "target(s)%s -> 2001",
           w, who, (long long)json_integer_value(suid), key_id, r->label, MEFD_KR_EXPORT_LEN,
           tgis != NULL ? json_array_size(tgis) : (size_t)1,
           r->fault != NULL ? " [response changed by key_reg_fault]" : "");
  json_decref(root);
  mefd_kr_reply(reply, MEFD_RSC_CREATED, out != NULL ? json_pack("{s:o}", "sec:mkr", out) : NULL);
}

void mefd_proc_key_register(struct mefd_key_regs *kr, struct mefd_registry *reg,
                            const char *client_id, const void *body, size_t len,
                            const uint8_t *exported, struct mefd_reply *reply)
{
  char who[160];
  mefd_log_safe(who, sizeof who, client_id, strlen(client_id));
  struct mefd_client *c = mefd_registry_find(reg, client_id);
  if (c == NULL) {
    /* 8.3.5.2.7 precondition: a MEF Client Registration comes first. */
    mefd_log("key-reg: client=%s: not registered -> 4103", who);
    mefd_kr_reply(reply, MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE, NULL);
    return;
  }
  const struct mefd_cmd *cur = mefd_client_current(c);
  struct mefd_kr_rules r = {"key-reg", 21, 23, MEFD_KR_LABEL, NULL,
                            cur != NULL ? cur->key_reg_fault : NULL, NULL, NULL};
  mefd_key_register(kr, &r, client_id, body, len, exported, reply);
}

void mefd_key_regs_free(struct mefd_key_regs *kr)
{
  for (size_t i = 0; i < kr->n; i++)
    free(kr->rkids[i]);
  free(kr->rkids);
  if (kr->keys != NULL)
    OPENSSL_cleanse(kr->keys, kr->n * sizeof *kr->keys);
  free(kr->keys);
  kr->rkids = NULL;
  kr->keys = NULL;
  kr->n = 0;
}
