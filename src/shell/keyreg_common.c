/* The parts of the three registration procedures of 8.3.9.9 that are the
 * same (MEF Key Registration, MAF Key Registration, MAF Client
 * Registration): reading the MO tree, forming requests, verifying a key
 * registration response, running the exchange in a handshake of its own, and
 * keeping the durable indexes. Wire form: spec/binding.md 6.4 and 6.5;
 * rulings I-40, I-41, I-42. */
#include "keyreg_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "fsutil.h"
#include "http_transport.h"
#include "keystore.h"
#include "log.h"
#include "mefc/checks.h"
#include "onem2m.h"
#include "onem2m_coap.h"
#include "onem2m_http.h"

#define KR_INDEX "keyreg.json"

const json_t *kr_attr(const mefc_config *cfg, uint32_t idx, const char *name)
{
  const json_t *n = cfg->mo_json != NULL ? json_array_get(cfg->mo_json, idx) : NULL;
  return json_object_get(json_object_get(n, "attrs"), name);
}

const char *kr_attr_str(const mefc_config *cfg, uint32_t idx, const char *name)
{
  return json_string_value(kr_attr(cfg, idx, name));
}

void kr_node_path(const mefc_client *cli, uint32_t idx, char *out, size_t cap)
{
  snprintf(out, cap, "%.*s", (int)cli->mo[idx].path_len, (const char *)cli->mo[idx].path);
}

uint32_t kr_child(const mefc_client *cli, uint32_t idx, uint32_t mgd)
{
  for (uint32_t i = 0; i < cli->n_mo; i++)
    if (cli->mo[i].parent == idx && cli->mo[i].mgd == mgd)
      return i;
  return MEFC_NONE;
}

void kr_timestamp(time_t t, char out[20])
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 20, "%Y%m%dT%H%M%S", &tm);
}

int kr_is_timestamp(const char *s)
{
  if (s == NULL || strlen(s) != KR_TS_LEN || s[8] != 'T')
    return 0;
  for (size_t i = 0; i < KR_TS_LEN; i++)
    if (i != 8 && (s[i] < '0' || s[i] > '9'))
      return 0;
  return 1;
}

int kr_hex_id(const char *s)
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

int kr_cse_of_container(const char *p, char *out, size_t cap)
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

json_t *kr_target_ids(const mefc_config *cfg, const mefc_client *cli, uint32_t parent,
                      int maf_parent_ok)
{
  const char *v;
  char cse[MEFC_URI_MAX + 1];
  if (parent >= cli->n_mo)
    return NULL;
  switch (cli->mo[parent].mgd) {
  case MEFC_MGD_REGISTRATION:
    v = kr_attr_str(cfg, parent, "csi");
    return v != NULL ? json_pack("[s]", v) : NULL;
  case MEFC_MGD_DATA_COLLECTION:
    v = kr_attr_str(cfg, parent, "cntp");
    if (v == NULL || kr_cse_of_container(v, cse, sizeof cse) != 0)
      return NULL;
    return json_pack("[s]", cse);
  case MEFC_MGD_MAF_CLIENT_REG_CFG:
    v = maf_parent_ok ? kr_attr_str(cfg, parent, "fq") : NULL;
    return v != NULL ? json_pack("[s]", v) : NULL;
  default:
    return NULL;
  }
}

/* A port attribute's value: 1 with *port when it is one, 0 when absent, -1
 * (logged) when present but no port number. */
static int port_attr(const mefc_config *cfg, uint32_t node, const char *attr, const char *name,
                     const char *what, const char *path, const char *desc, uint16_t *port)
{
  const json_t *v = kr_attr(cfg, node, attr);
  if (v == NULL)
    return 0;
  if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 65535) {
    mlog(MLOG_INFO, "%s: %s: %s has %s that is no port number", what, path, desc, name);
    return -1;
  }
  *port = (uint16_t)json_integer_value(v);
  return 1;
}

int kr_pick_port(const mefc_config *cfg, uint32_t node, const char *what, const char *path,
                 const char *desc, const char *proc, const char *ruling, int coap_ok,
                 uint16_t *port, int *coap)
{
  *coap = 0;
  /* Both present: HTTPS, whose Content-Type carries the resource type; the
   * CoAP form tells it by the body's root only (I-40). */
  int h = port_attr(cfg, node, "hpt", "an httpPort", what, path, desc, port);
  if (h != 0)
    return h > 0 ? 0 : -1;
  if (kr_attr(cfg, node, "coapPort") == NULL) {
    mlog(MLOG_INFO, "%s: %s: %s has neither httpPort nor coapPort: no protocol both sides support",
         what, path, desc);
    return -1;
  }
  if (!coap_ok) {
    mlog(MLOG_INFO, "%s: %s: %s has no httpPort: %s over CoAP is not in this build (ruling %s)",
         what, path, desc, proc, ruling);
    return -1;
  }
  if (port_attr(cfg, node, "coapPort", "a coapPort", what, path, desc, port) < 0)
    return -1;
  *coap = 1;
  return 0;
}

int kr_expiry(const char *dur, time_t now, char out[20])
{
  uint64_t ms = 0;
  /* An expirationTime beyond year 9999 has no timestamp to write. */
  if (dur == NULL || !mefc_duration_ms((const uint8_t *)dur, strlen(dur), &ms) ||
      ms / 1000u > 100ull * 365u * 86400u)
    return -1;
  kr_timestamp(now + (time_t)(ms / 1000u), out);
  return 0;
}

const char *kr_verify_key_reg(const json_t *resp, const json_t *sent, const char *client_id,
                              const char *now, int maf)
{
  const json_t *rkid = json_object_get(resp, "rkid"), *et = json_object_get(resp, "et");
  const json_t *mci = json_object_get(resp, "mci"), *tgis = json_object_get(resp, "tgis");
  if (!json_is_string(rkid) || !kr_hex_id(json_string_value(rkid)))
    return "RelativeKeyID (rkid) missing or not hexBinary";
  if (!kr_is_timestamp(json_string_value(et)))
    return "expirationTime (et) missing or not a timestamp";
  if (strcmp(json_string_value(et), now) < 0)
    return "expirationTime (et) is already past";
  if (!json_is_string(mci) || strcmp(json_string_value(mci), client_id) != 0)
    return maf ? "Source MAF Client ID (mci) missing or not this client's"
               : "Source MEF Client ID (mci) missing or not this client's";
  if (!json_equal(json_object_get(resp, "adfq"), json_object_get(sent, "adfq")))
    return "adminFQDN (adfq) missing or not the one sent";
  if (!json_equal(json_object_get(resp, "suid"), json_object_get(sent, "suid")))
    return "SUID (suid) missing or not the one sent";
  if (tgis == NULL || !json_equal(tgis, json_object_get(sent, "tgis")))
    return "targetIDs (tgis) missing or not the ones sent";
  return NULL;
}

static void peer_config_free(mefc_config *c)
{
  if (c == NULL)
    return;
  OPENSSL_cleanse(c->psk_key, sizeof c->psk_key);
  free(c->mef_host);
  free(c->mef_fqdn);
  free(c);
}

/* The configuration the transport sees for this peer: the MEF's address on
 * another port, or the MAF's FQDN with the MAF Handshake credentials
 * (8.8.2.2: Km/KmID from maf.psk, else the client certificate verified
 * against maf.trust_anchors). NULL with a message when none fit. */
static mefc_config *peer_config(const mefc_config *base, const kr_peer *p, char *err, size_t cap)
{
  mefc_config *c = malloc(sizeof *c);
  if (c == NULL) {
    snprintf(err, cap, "out of memory");
    return NULL;
  }
  *c = *base;
  c->binding = p->coap ? CFG_BIND_COAP : CFG_BIND_HTTP;
  c->secure = 1;
  c->mef_port = p->port;
  c->mef_host = strdup(p->maf ? p->fqdn : base->mef_host);
  c->mef_fqdn = strdup(p->maf ? p->fqdn : base->mef_fqdn);
  if (c->mef_host == NULL || c->mef_fqdn == NULL) {
    snprintf(err, cap, "out of memory");
    peer_config_free(c);
    return NULL;
  }
  if (!p->maf)
    return c;
  const char *kmid = base->maf_psk_identity;
  const char *at = kmid != NULL ? strrchr(kmid, '@') : NULL;
  if (at != NULL && strcasecmp(at + 1, p->fqdn) != 0) {
    /* 10.6: a KmID names its MAF; this Km is another MAF's. */
    snprintf(err, cap, "maf.psk.identity %s is a KmID of another MAF than %s", kmid, p->fqdn);
    peer_config_free(c);
    return NULL;
  }
  if (kmid != NULL) {
    c->cred = CFG_CRED_PSK;
    c->psk_identity = base->maf_psk_identity;
    memcpy(c->psk_key, base->maf_psk_key, sizeof c->psk_key);
    c->psk_key_len = base->maf_psk_key_len;
    return c;
  }
  OPENSSL_cleanse(c->psk_key, sizeof c->psk_key);
  c->psk_key_len = 0;
  c->cred = CFG_CRED_CERT;
  c->trust_anchors = base->maf_trust_anchors != NULL ? base->maf_trust_anchors
                                                     : base->trust_anchors;
  if (base->cert_file == NULL || c->trust_anchors == NULL) {
    snprintf(err, cap, "no MAF Handshake credentials: give maf.psk, or credentials.cert (and "
                       "maf.trust_anchors)");
    peer_config_free(c);
    return NULL;
  }
  return c;
}

/* The CREATE over CoAP/DTLS on a session of its own (rulings I-40, I-43):
 * the exporter is read after the response arrived, before the session is
 * closed. 0 when a response arrived (res filled), -1 otherwise, -2 when
 * the transport could not be set up (res.why says why). */
static int create_coap(const mefc_config *c, const mefc_config *cfg, const kr_peer *peer,
                       unsigned ty, const char *body, const char *label,
                       uint8_t exp[KR_EXPORT_LEN], int *taken, ct_result *res)
{
  memset(res, 0, sizeof *res);
  ct_transport *t = ct_open(c, res->why, sizeof res->why);
  if (t == NULL)
    return -2;
  int r = om2m_coap_create(t, cfg, peer->base, ty, (const uint8_t *)body, strlen(body), res);
  if (r == 0 && label != NULL)
    *taken = ct_export(t, label, exp, KR_EXPORT_LEN) == 0;
  ct_close(t);
  return r;
}

/* The same over HTTPS: libcurl may close the connection once the response is
 * read, so the export is taken when the response arrives (ht_export_next). */
static int create_http(const mefc_config *c, const mefc_config *cfg, const kr_peer *peer,
                       unsigned ty, const char *body, const char *label,
                       uint8_t exp[KR_EXPORT_LEN], int *taken, ct_result *res)
{
  memset(res, 0, sizeof *res);
  ht_transport *t = ht_open(c, res->why, sizeof res->why);
  if (t == NULL)
    return -2;
  if (label != NULL)
    ht_export_next(t, label, exp, KR_EXPORT_LEN);
  int r = om2m_http_create(t, cfg, peer->base, ty, (const uint8_t *)body, strlen(body), res);
  if (r == 0 && label != NULL)
    *taken = ht_export_taken(t);
  ht_close(t);
  return r != 0 ? -1 : 0;
}

uint32_t kr_exchange(const mefc_config *cfg, const kr_peer *peer, unsigned ty, const char *root,
                     const char *body, const char *label, uint8_t exp[KR_EXPORT_LEN],
                     json_t **out)
{
  char err[400], cs[16];
  const char *w = peer->what, *who = peer->maf ? "MAF" : "MEF";
  mefc_config *c = peer_config(cfg, peer, err, sizeof err);
  if (c == NULL) {
    mlog(MLOG_INFO, "%s: %s (client side)", w, err);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  ct_result res;
  int taken = 0;
  /* The From is the client's own identity (cfg), whatever the handshake
   * used: with a PSK the MAF knows the client by its KmID. */
  int r = peer->coap ? create_coap(c, cfg, peer, ty, body, label, exp, &taken, &res)
                     : create_http(c, cfg, peer, ty, body, label, exp, &taken, &res);
  peer_config_free(c);
  if (r == -2) {
    /* The transport could not be set up here (libcoap, resolution, libcurl). */
    mlog(MLOG_INFO, "%s: %s (client side)", w, res.why);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  if (r != 0) {
    mlog(MLOG_INFO, "%s: %s (server side)", w, res.why);
    return MEFC_OUTCOME_SERVER_ERROR;
  }
  uint32_t oc = MEFC_OUTCOME_SERVER_ERROR;
  if (peer->coap)
    mlog(MLOG_INFO, "%s: %s answered %s rsc=%d over CoAP", w, who,
         om2m_code_str(res.code, cs, sizeof cs), res.has_rsc ? (int)res.rsc : -1);
  else
    mlog(MLOG_INFO, "%s: %s answered %u rsc=%d", w, who, res.code,
         res.has_rsc ? (int)res.rsc : -1);
  json_t *doc = NULL;
  /* 201 is HTTP's Created and CoAP's 2.01 alike (class * 100 + detail). */
  if (res.code != 201 || (res.has_rsc && res.rsc != 2001))
    mlog(MLOG_INFO, "%s: the %s refused the request (server side)", w, who);
  else if ((doc = json_loadb((const char *)res.body, res.len, 0, NULL)) == NULL ||
           !json_is_object(json_object_get(doc, root)))
    mlog(MLOG_INFO, "%s: the response is not {\"%s\":{...}} (server side)", w, root);
  else if (label != NULL && !taken)
    mlog(MLOG_INFO, "%s: the %s exporter of the session gave no output (server side)", w,
         peer->coap ? "DTLS" : "TLS");
  else {
    *out = json_incref(json_object_get(doc, root));
    oc = MEFC_OUTCOME_OK;
  }
  json_decref(doc);
  ct_result_free(&res);
  return oc;
}

/* MCC-9-4-REQ, MCC-9-5-REQ: tgis is consumed. */
static json_t *key_reg_request(const mefc_config *cfg, uint32_t profile, const char *fq,
                               const char *adfq, int64_t suid, const char *et, json_t *tgis)
{
  json_t *sent = json_pack("{s:s, s:s, s:s, s:I, s:o}", "fq", fq, "et", et, "adfq", adfq, "suid",
                           (json_int_t)suid, "tgis", tgis);
  const json_t *mkrl = kr_attr(cfg, profile, "mkrl");
  if (sent != NULL && mkrl != NULL)
    json_object_set_new(sent, "lbl", json_deep_copy(mkrl));
  return sent;
}

/* 10.3.5: with a MAF, RelativeKeyID is hexBinary(KcID), the export's 16
 * most significant bytes (ruling I-42). */
static int rkid_is_kcid(const char *rkid, const uint8_t exp[KR_EXPORT_LEN])
{
  char hex[2 * (KR_EXPORT_LEN - KR_KEY_LEN) + 1];
  for (size_t i = 0; i < KR_EXPORT_LEN - KR_KEY_LEN; i++)
    snprintf(hex + 2 * i, 3, "%02x", exp[i]);
  return strlen(rkid) == strlen(hex) && strncasecmp(rkid, hex, strlen(hex)) == 0;
}

/* Send, verify, store (the second half of kr_key_reg). */
static uint32_t key_reg_run(const mefc_config *cfg, const kr_peer *peer, const char *node,
                            const json_t *sent, const char *now, const char *label)
{
  const char *w = peer->what;
  json_t *req = json_pack("{s:O}", "sec:mkr", sent);
  char *body = req != NULL ? json_dumps(req, JSON_COMPACT) : NULL;
  json_decref(req);
  if (body == NULL)
    return MEFC_OUTCOME_CLIENT_ERROR;
  uint8_t exp[KR_EXPORT_LEN];
  json_t *mkr = NULL;
  uint32_t oc = kr_exchange(cfg, peer, OM2M_TY_SYMM_KEY_REG, "sec:mkr", body, label, exp, &mkr);
  free(body);
  if (oc == MEFC_OUTCOME_OK) {
    /* MCC-9-4-VERIFY, MCC-9-5-VERIFY */
    const char *why = kr_verify_key_reg(mkr, sent, cfg_originator(cfg), now, peer->maf);
    const char *fq = json_string_value(json_object_get(sent, "fq"));
    if (why == NULL && peer->maf && !rkid_is_kcid(json_string_value(json_object_get(mkr, "rkid")),
                                                   exp))
      why = "RelativeKeyID (rkid) is not hexBinary(KcID) of this session (10.3.5)";
    char key_id[KR_RKID_MAX + MEFC_FQDN_MAX + 2], err[400];
    if (why != NULL) {
      mlog(MLOG_INFO, "%s: verification failed: %s (server side)", w, why);
      oc = MEFC_OUTCOME_SERVER_ERROR;
    } else {
      snprintf(key_id, sizeof key_id, "%s@%s", json_string_value(json_object_get(mkr, "rkid")),
               fq);
      if (kr_store_key(cfg, node, key_id, exp + (KR_EXPORT_LEN - KR_KEY_LEN), mkr, err,
                       sizeof err) != 0) {
        mlog(MLOG_INFO, "%s: storing the key failed: %s (client side)", w, err);
        oc = MEFC_OUTCOME_CLIENT_ERROR;
      } else {
        /* MCC-9-4-OK, MCC-9-5-OK */
        mlog(MLOG_INFO, "%s: key %s registered for %s, from the TLS exporter (%s, %u bytes), "
             "stored in %s/%s.key, expires %s", w, key_id, node, label, KR_EXPORT_LEN,
             KS_KEYS_DIR, key_id, json_string_value(json_object_get(mkr, "et")));
      }
    }
  }
  OPENSSL_cleanse(exp, sizeof exp);
  json_decref(mkr);
  return oc;
}

uint32_t kr_key_reg(const mefc_config *cfg, const mefc_client *cli, kr_peer *peer,
                    uint32_t profile, uint32_t child, int64_t suid, const char *desc,
                    const char *ruling, const char *label)
{
  const char *w = peer->what;
  const char *fq = kr_attr_str(cfg, child, "fq"), *adfq = kr_attr_str(cfg, child, "adfq");
  char node[MEFC_PATH_MAX + 1], now[20], et[20];
  kr_node_path(cli, profile, node, sizeof node);
  time_t t0 = time(NULL);
  kr_timestamp(t0, now);
  if (kr_expiry(kr_attr_str(cfg, profile, "mkrd"), t0, et) != 0) {
    mlog(MLOG_INFO, "%s: %s: MAFKeyRegDuration is not an xs:duration of at most 100 years", w,
         node);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  /* MCC-9-4-PROTO, MCC-9-5-PROTO */
  if (kr_pick_port(cfg, child, w, node, desc, "key registration", ruling, peer->coap_ok,
                   &peer->port, &peer->coap) != 0)
    return MEFC_OUTCOME_CLIENT_ERROR;
  /* MCC-9-4-TGTS, MCC-9-5-TGTS (a MAF's precondition A leaves no
   * [MAFClientRegCfg] parent). */
  json_t *tgis = kr_target_ids(cfg, cli, cli->mo[profile].parent, !peer->maf);
  if (tgis == NULL) {
    mlog(MLOG_INFO, "%s: %s: no targetIDs from the parent node (csi, cntp%s)", w, node,
         peer->maf ? "" : " or fq");
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  json_t *sent = key_reg_request(cfg, profile, fq, adfq, suid, et, tgis);
  if (sent == NULL)
    return MEFC_OUTCOME_CLIENT_ERROR;
  mlog(MLOG_INFO, "%s: %s suid=%lld with %s over %s port %u, et=%s, %zu target(s)", w, node,
       (long long)suid, fq, peer->coap ? "coaps" : "https", (unsigned)peer->port, et,
       json_array_size(json_object_get(sent, "tgis")));
  uint32_t oc = key_reg_run(cfg, peer, node, sent, now, label);
  json_decref(sent);
  return oc;
}

json_t *kr_index_load(const mefc_config *cfg, const char *name, const char *format,
                      const char *array, char *err, size_t cap)
{
  char *path = fsu_join(cfg->state_dir, name);
  uint8_t *old = NULL;
  size_t olen = 0;
  json_t *idx = NULL;
  if (path == NULL) {
    snprintf(err, cap, "out of memory");
    return NULL;
  }
  int r = fsu_read_file(path, 1u << 20, 1, &old, &olen, err, cap);
  free(path);
  if (r < 0)
    return NULL;
  if (r == 0) {
    idx = json_loadb((const char *)old, olen, 0, NULL);
    free(old);
    /* A damaged index is refused, never silently reset (its entries may be
     * what a later procedure depends on). */
    if (!json_is_array(json_object_get(idx, array))) {
      json_decref(idx);
      snprintf(err, cap, "%s: not a %s index", name, format);
      return NULL;
    }
    return idx;
  }
  idx = json_pack("{s:s, s:i, s:[]}", "format", format, "version", 1, array);
  if (idx == NULL)
    snprintf(err, cap, "out of memory");
  return idx;
}

int kr_index_put(const mefc_config *cfg, const char *name, const char *format, const char *array,
                 const char *node, json_t *entry, char *err, size_t cap)
{
  json_t *idx = kr_index_load(cfg, name, format, array, err, cap);
  if (idx == NULL || entry == NULL) {
    json_decref(idx);
    json_decref(entry);
    if (entry == NULL)
      snprintf(err, cap, "out of memory");
    return -1;
  }
  json_t *a = json_object_get(idx, array);
  for (size_t i = json_array_size(a); i-- > 0;) {
    const char *n = json_string_value(json_object_get(json_array_get(a, i), "node"));
    if (n != NULL && strcmp(n, node) == 0)
      json_array_remove(a, i);
  }
  json_object_set_new(entry, "node", json_string(node));
  json_array_append_new(a, entry);
  char *text = json_dumps(idx, JSON_INDENT(1));
  json_decref(idx);
  if (text == NULL) {
    snprintf(err, cap, "out of memory");
    return -1;
  }
  int rc = fsu_mkdirs(cfg->state_dir, err, cap) == 0
               ? fsu_write_atomic(cfg->state_dir, name, text, strlen(text), err, cap)
               : -1;
  free(text);
  return rc;
}

int kr_store_key(const mefc_config *cfg, const char *node, const char *key_id,
                 const uint8_t *key, const json_t *resp, char *err, size_t cap)
{
  char name[KR_RKID_MAX + MEFC_FQDN_MAX + 16];
  snprintf(name, sizeof name, "%s.key", key_id);
  char *kdir = fsu_join(cfg->state_dir, KS_KEYS_DIR);
  int rc = kdir != NULL && fsu_mkdirs(kdir, err, cap) == 0 &&
                   fsu_write_atomic(kdir, name, key, KR_KEY_LEN, err, cap) == 0
               ? 0
               : -1;
  free(kdir);
  if (rc != 0)
    return -1;
  json_t *e = json_deep_copy(resp);
  char file[sizeof name + 8];
  snprintf(file, sizeof file, "%s/%s", KS_KEYS_DIR, name);
  if (e != NULL) {
    json_object_set_new(e, "key_id", json_string(key_id));
    json_object_set_new(e, "file", json_string(file));
  }
  return kr_index_put(cfg, KR_INDEX, "mefc-keyreg", "keys", node, e, err, cap);
}
