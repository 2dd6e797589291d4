/* MEF Key Registration (TS-0003 8.3.5.2.7) as 8.3.9.9.4 runs it for an
 * [authenticationProfile] with SUID 21-23: the request built from the profile,
 * its parent and its child [MEFClientRegCfg], sent in a new MEF Handshake over
 * the binding the child's ports allow, the response verified element by
 * element, the key taken from the TLS exporter of that same session (10.3.1)
 * and stored under RelativeKeyID@MEF-FQDN (10.3.4). Wire format and choices:
 * spec/binding.md 6.4, ruling I-40. Every failure is 305 for the core; the
 * outcome still says which side failed (I-36) for the log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "executor.h"
#include "fsutil.h"
#include "http_transport.h"
#include "log.h"
#include "mefc/checks.h"
#include "onem2m.h"
#include "onem2m_http.h"

#define KR_LABEL "EXPORTER-oneM2M-Bootstrap"
#define KR_EXPORT_LEN 48u
#define KR_KEY_LEN 32u
#define KR_INDEX "keyreg.json"
#define KR_RKID_MAX 64u

/* The attribute name of MO node idx as configured, or NULL. */
static const json_t *attr(const mefc_config *cfg, uint32_t idx, const char *name)
{
  const json_t *n = cfg->mo_json != NULL ? json_array_get(cfg->mo_json, idx) : NULL;
  return json_object_get(json_object_get(n, "attrs"), name);
}

static const char *attr_str(const mefc_config *cfg, uint32_t idx, const char *name)
{
  return json_string_value(attr(cfg, idx, name));
}

static void node_path(const mefc_client *cli, uint32_t idx, char *out, size_t cap)
{
  snprintf(out, cap, "%.*s", (int)cli->mo[idx].path_len, (const char *)cli->mo[idx].path);
}

static void timestamp(time_t t, char out[20])
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 20, "%Y%m%dT%H%M%S", &tm);
}

/* The CSE-ID of a containerPath (ruling I-40): "/CSE/..." gives "/CSE",
 * "//SP/CSE/..." gives "//SP/CSE"; a CSE-relative path names none. */
static int cse_of_container(const char *p, char *out, size_t cap)
{
  const char *e;
  if (strncmp(p, "//", 2) == 0) {
    const char *sp_end = strchr(p + 2, '/');
    if (sp_end == NULL || sp_end == p + 2 || sp_end[1] == '/' || sp_end[1] == '\0')
      return -1;
    e = strchr(sp_end + 1, '/');
  } else if (p[0] == '/' && p[1] != '\0') {
    e = strchr(p + 1, '/');
  } else {
    return -1;
  }
  size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
  if (n + 1 > cap)
    return -1;
  memcpy(out, p, n);
  out[n] = '\0';
  return 0;
}

/* targetIDs by the profile's parent (8.3.9.9.4). */
static json_t *target_ids(const mefc_config *cfg, const mefc_client *cli, uint32_t parent)
{
  const char *v;
  char cse[MEFC_URI_MAX + 1];
  if (parent >= cli->n_mo)
    return NULL;
  switch (cli->mo[parent].mgd) {
  case MEFC_MGD_REGISTRATION:
    v = attr_str(cfg, parent, "csi");
    return v != NULL ? json_pack("[s]", v) : NULL;
  case MEFC_MGD_DATA_COLLECTION:
    v = attr_str(cfg, parent, "cntp");
    if (v == NULL || cse_of_container(v, cse, sizeof cse) != 0)
      return NULL;
    return json_pack("[s]", cse);
  case MEFC_MGD_MAF_CLIENT_REG_CFG:
    v = attr_str(cfg, parent, "fq");
    return v != NULL ? json_pack("[s]", v) : NULL;
  default:
    return NULL;
  }
}

static int hex_id(const char *s)
{
  size_t n = strlen(s);
  if (n == 0 || n > KR_RKID_MAX || n % 2 != 0)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
          (s[i] >= 'A' && s[i] <= 'F')))
      return 0;
  return 1;
}

/* 8.3.9.9.4 step 10: NULL when the response verifies, else what failed. */
static const char *verify(const json_t *mkr, const mefc_config *cfg, const json_t *sent,
                          const char *now)
{
  const json_t *rkid = json_object_get(mkr, "rkid"), *et = json_object_get(mkr, "et");
  const json_t *mci = json_object_get(mkr, "mci"), *tgis = json_object_get(mkr, "tgis");
  if (!json_is_string(rkid) || !hex_id(json_string_value(rkid)))
    return "RelativeKeyID (rkid) missing or not hexBinary";
  if (!json_is_string(et) || strlen(json_string_value(et)) != 15)
    return "expirationTime (et) missing or not a timestamp";
  if (strcmp(json_string_value(et), now) < 0)
    return "expirationTime (et) is already past";
  if (!json_is_string(mci) || strcmp(json_string_value(mci), cfg_originator(cfg)) != 0)
    return "Source MEF Client ID (mci) missing or not this client's";
  if (!json_equal(json_object_get(mkr, "adfq"), json_object_get(sent, "adfq")))
    return "adminFQDN (adfq) missing or not the one sent";
  if (!json_equal(json_object_get(mkr, "suid"), json_object_get(sent, "suid")))
    return "SUID (suid) missing or not the one sent";
  if (tgis == NULL || !json_equal(tgis, json_object_get(sent, "tgis")))
    return "targetIDs (tgis) missing or not the ones sent";
  return NULL;
}

/* Store the key and, in keyreg.json, the response bound to the node. */
static int store(exec_ctx *x, const char *node, const char *key_id, const uint8_t *key,
                 const json_t *mkr, char *err, size_t cap)
{
  const char *dir = x->cfg->state_dir;
  char name[KR_RKID_MAX + MEFC_FQDN_MAX + 16];
  snprintf(name, sizeof name, "%s.key", key_id);
  char *kdir = fsu_join(dir, KS_KEYS_DIR);
  char *ipath = fsu_join(dir, KR_INDEX);
  int rc = -1;
  uint8_t *old = NULL;
  size_t olen = 0;
  json_t *idx = NULL;
  if (kdir == NULL || ipath == NULL || fsu_mkdirs(kdir, err, cap) != 0 ||
      fsu_write_atomic(kdir, name, key, KR_KEY_LEN, err, cap) != 0)
    goto out;
  int r = fsu_read_file(ipath, 1u << 20, 1, &old, &olen, err, cap);
  if (r < 0)
    goto out;
  idx = r == 0 ? json_loadb((const char *)old, olen, 0, NULL) : NULL;
  if (idx == NULL)
    idx = json_pack("{s:s, s:i, s:[]}", "format", "mefc-keyreg", "version", 1, "keys");
  json_t *keys = json_object_get(idx, "keys");
  if (!json_is_array(keys)) {
    snprintf(err, cap, "%s: not a key registration index", KR_INDEX);
    goto out;
  }
  for (size_t i = json_array_size(keys); i-- > 0;) {
    const char *n = json_string_value(json_object_get(json_array_get(keys, i), "node"));
    if (n != NULL && strcmp(n, node) == 0)
      json_array_remove(keys, i);
  }
  json_t *e = json_deep_copy(mkr);
  char file[sizeof name + 8];
  snprintf(file, sizeof file, "%s/%s", KS_KEYS_DIR, name);
  json_object_set_new(e, "node", json_string(node));
  json_object_set_new(e, "key_id", json_string(key_id));
  json_object_set_new(e, "file", json_string(file));
  json_array_append_new(keys, e);
  char *text = json_dumps(idx, JSON_INDENT(1));
  if (text == NULL) {
    snprintf(err, cap, "out of memory");
    goto out;
  }
  rc = fsu_write_atomic(dir, KR_INDEX, text, strlen(text), err, cap);
  free(text);
out:
  json_decref(idx);
  free(old);
  free(kdir);
  free(ipath);
  return rc;
}

/* One MEF Handshake and request over HTTPS; the exporter output of that
 * session lands in exp. Returns the outcome. */
static uint32_t exchange(const mefc_config *base, uint16_t port, const char *body, json_t **mkr,
                         uint8_t exp[KR_EXPORT_LEN])
{
  char err[400];
  mefc_config *c = malloc(sizeof *c);
  if (c == NULL)
    return MEFC_OUTCOME_CLIENT_ERROR;
  *c = *base;
  c->binding = CFG_BIND_HTTP;
  c->secure = 1;
  c->mef_port = port;
  ht_transport *t = ht_open(c, err, sizeof err);
  if (t == NULL) {
    mlog(MLOG_INFO, "mef key reg: %s", err);
    free(c);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  ct_result res;
  uint32_t oc = MEFC_OUTCOME_SERVER_ERROR;
  ht_export_next(t, KR_LABEL, exp, KR_EXPORT_LEN);
  if (om2m_http_create(t, c, OM2M_MEF_PATH, OM2M_TY_SYMM_KEY_REG, (const uint8_t *)body,
                       strlen(body), &res) != 0) {
    mlog(MLOG_INFO, "mef key reg: %s", res.why);
  } else {
    mlog(MLOG_INFO, "mef key reg: MEF answered %u rsc=%d", res.code,
         res.has_rsc ? (int)res.rsc : -1);
    json_t *root = NULL;
    if (res.code != 201 || (res.has_rsc && res.rsc != 2001))
      mlog(MLOG_INFO, "mef key reg: the MEF refused the key registration");
    else if ((root = json_loadb((const char *)res.body, res.len, 0, NULL)) == NULL ||
             !json_is_object(json_object_get(root, "sec:mkr")))
      mlog(MLOG_INFO, "mef key reg: the response is not a <symmKeyReg> ({\"sec:mkr\":{...}})");
    else if (!ht_export_taken(t))
      mlog(MLOG_INFO, "mef key reg: the TLS exporter of the session gave no output");
    else {
      *mkr = json_incref(json_object_get(root, "sec:mkr"));
      oc = MEFC_OUTCOME_OK;
    }
    json_decref(root);
    ct_result_free(&res);
  }
  ht_close(t);
  free(c);
  return oc;
}

uint32_t mef_key_reg(exec_ctx *x, const mefc_exec_args *args)
{
  const mefc_config *cfg = x->cfg;
  const mefc_client *cli = x->cli;
  char node[MEFC_PATH_MAX + 1], now[20], et[20];
  uint32_t idx = args->node, child = MEFC_NONE;
  if (idx >= cli->n_mo)
    return MEFC_OUTCOME_CLIENT_ERROR;
  node_path(cli, idx, node, sizeof node);
  for (uint32_t i = 0; i < cli->n_mo && child == MEFC_NONE; i++)
    if (cli->mo[i].parent == idx && cli->mo[i].mgd == MEFC_MGD_MEF_CLIENT_REG_CFG)
      child = i;
  const char *fq = child != MEFC_NONE ? attr_str(cfg, child, "fq") : NULL;
  const char *adfq = child != MEFC_NONE ? attr_str(cfg, child, "adfq") : NULL;
  const char *mkrd = attr_str(cfg, idx, "mkrd");
  const json_t *hpt = child != MEFC_NONE ? attr(cfg, child, "hpt") : NULL;
  uint64_t ms = 0;
  if (fq == NULL || adfq == NULL) {
    mlog(MLOG_INFO, "mef key reg: %s: the child [MEFClientRegCfg] lacks fqdn or adminFQDN", node);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  if (strcmp(fq, cfg->mef_fqdn) != 0) {
    /* Precondition B: the registration this client holds is with mef.fqdn. */
    mlog(MLOG_INFO, "mef key reg: %s: no MEF Client Registration with %s (registered with %s)",
         node, fq, cfg->mef_fqdn);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  /* An expirationTime beyond year 9999 has no timestamp to write. */
  if (mkrd == NULL || !mefc_duration_ms((const uint8_t *)mkrd, strlen(mkrd), &ms) ||
      ms / 1000u > 100ull * 365u * 86400u) {
    mlog(MLOG_INFO, "mef key reg: %s: MAFKeyRegDuration is not an xs:duration of at most 100 years",
         node);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  if (hpt == NULL) {
    mlog(MLOG_INFO, "mef key reg: %s: the child [MEFClientRegCfg] has no httpPort: %s", node,
         attr(cfg, child, "coapPort") != NULL
             ? "key registration over CoAP is not in this build (ruling I-40)"
             : "no protocol both sides support");
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  json_t *tgis = target_ids(cfg, cli, cli->mo[idx].parent);
  if (tgis == NULL) {
    mlog(MLOG_INFO, "mef key reg: %s: no targetIDs from the parent node (csi, cntp or fq)", node);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  time_t t0 = time(NULL);
  timestamp(t0, now);
  timestamp(t0 + (time_t)(ms / 1000u), et);
  json_t *sent = json_pack("{s:s, s:s, s:s, s:I, s:o}", "fq", fq, "et", et, "adfq", adfq, "suid",
                           (json_int_t)args->suid, "tgis", tgis);
  const json_t *mkrl = attr(cfg, idx, "mkrl");
  if (sent != NULL && mkrl != NULL)
    json_object_set_new(sent, "lbl", json_deep_copy(mkrl));
  json_t *req = sent != NULL ? json_pack("{s:O}", "sec:mkr", sent) : NULL;
  char *body = req != NULL ? json_dumps(req, JSON_COMPACT) : NULL;
  json_decref(req);
  if (body == NULL) {
    json_decref(sent);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  mlog(MLOG_INFO, "mef key reg: %s suid=%lld with %s over https port %lld, et=%s, %zu target(s)",
       node, (long long)args->suid, fq, (long long)json_integer_value(hpt), et,
       json_array_size(json_object_get(sent, "tgis")));

  uint8_t exp[KR_EXPORT_LEN];
  json_t *mkr = NULL;
  uint32_t oc = exchange(cfg, (uint16_t)json_integer_value(hpt), body, &mkr, exp);
  free(body);
  if (oc == MEFC_OUTCOME_OK) {
    const char *why = verify(mkr, cfg, sent, now);
    char key_id[KR_RKID_MAX + MEFC_FQDN_MAX + 2], err[400];
    if (why != NULL) {
      mlog(MLOG_INFO, "mef key reg: verification failed: %s", why);
      oc = MEFC_OUTCOME_SERVER_ERROR;
    } else {
      snprintf(key_id, sizeof key_id, "%s@%s", json_string_value(json_object_get(mkr, "rkid")),
               fq);
      if (store(x, node, key_id, exp + (KR_EXPORT_LEN - KR_KEY_LEN), mkr, err, sizeof err) != 0) {
        mlog(MLOG_INFO, "mef key reg: storing the key failed: %s", err);
        oc = MEFC_OUTCOME_CLIENT_ERROR;
      } else {
        mlog(MLOG_INFO, "mef key reg: key %s registered for %s, from the TLS exporter (%s, %u "
             "bytes), stored in %s/%s.key, expires %s", key_id, node, KR_LABEL, KR_EXPORT_LEN,
             KS_KEYS_DIR, key_id, json_string_value(json_object_get(mkr, "et")));
      }
    }
  }
  OPENSSL_cleanse(exp, sizeof exp);
  json_decref(mkr);
  json_decref(sent);
  return oc;
}
