/* libcurl session to the MEF over HTTPS. The MEF Handshake happens in
 * libcurl's OpenSSL context, which the SSL_CTX hook adapts: with a PSK it
 * installs the PSK client callback (identity KpmID, TS-0003 8.3.5.2.2), with
 * certificates it replaces the verification store by the configured trust
 * anchors. The URL names mef.fqdn (SNI, certificate host check, Host header)
 * and CURLOPT_CONNECT_TO sends the connection to the address of mef.address. */
#include "http_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "log.h"
#include "onem2m.h"
#include "x509util.h"

#define HT_BODY_MAX (256u * 1024u)
#define HT_CONNECT_TIMEOUT_MS 10000L

/* TS-0003 10.2.2 / 10.2.3: the TLS mandatory suite first, then the DTLS one. */
static const char psk_ciphers[] = "PSK-AES128-CBC-SHA256:PSK-AES128-CCM8";
static const char pki_ciphers[] = "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-CCM8";

struct ht_transport {
  const mefc_config *cfg;
  CURL *curl;
  char base[600];       /* "https://FQDN:PORT/" */
  char connect_to[600]; /* "FQDN:PORT:ADDRESS:PORT" */
  const char *exp_label; /* ht_export_next: take the exporter output on the next response */
  uint8_t *exp_out;
  size_t exp_len;
  int exp_done;
};

typedef struct {
  ht_transport *t;
  ct_result *res;
  size_t cap;
  int too_big;
  char *ri;
  size_t ri_cap;
} sink;

static int ctx_index = -1;

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
  sink *s = arg;
  size_t add = size * n;
  ct_result *r = s->res;
  if (r->len + add > HT_BODY_MAX) {
    s->too_big = 1;
    return 0;
  }
  if (r->len + add > s->cap) {
    size_t nc = (r->len + add) * 2;
    uint8_t *nb = realloc(r->body, nc);
    if (nb == NULL)
      return 0;
    r->body = nb;
    s->cap = nc;
  }
  memcpy(r->body + r->len, p, add);
  r->len += add;
  return add;
}

/* The value of header line p[0..len) when its name is name, trimmed; NULL
 * otherwise. */
static const char *header_value(const char *p, size_t len, const char *name, size_t *vlen)
{
  size_t n = strlen(name);
  if (len <= n || strncasecmp(p, name, n) != 0 || p[n] != ':')
    return NULL;
  size_t i = n + 1;
  while (i < len && (p[i] == ' ' || p[i] == '\t'))
    i++;
  size_t e = len;
  while (e > i && (p[e - 1] == '\r' || p[e - 1] == '\n' || p[e - 1] == ' ' || p[e - 1] == '\t'))
    e--;
  *vlen = e - i;
  return p + i;
}

/* While the response arrives, the connection that carries it is the one
 * libcurl reports: its TLS session is the one the request went on. */
static void take_export(ht_transport *t)
{
  struct curl_tlssessioninfo *info = NULL;
  if (t->exp_label == NULL || t->exp_done)
    return;
  if (curl_easy_getinfo(t->curl, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || info == NULL ||
      info->backend != CURLSSLBACKEND_OPENSSL || info->internals == NULL)
    return;
  SSL *ssl = info->internals;
  if (SSL_export_keying_material(ssl, t->exp_out, t->exp_len, t->exp_label, strlen(t->exp_label),
                                 NULL, 0, 0) == 1)
    t->exp_done = 1;
}

void ht_export_next(ht_transport *t, const char *label, uint8_t *out, size_t len)
{
  t->exp_label = label;
  t->exp_out = out;
  t->exp_len = len;
  t->exp_done = 0;
}

int ht_export_taken(const ht_transport *t)
{
  return t->exp_label != NULL && t->exp_done;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
  sink *s = arg;
  size_t len = size * n, vl;
  const char *v;
  if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
    /* A new response (after an interim one): forget what the last said. */
    s->res->has_rsc = 0;
    s->ri[0] = '\0';
    take_export(s->t);
  } else if ((v = header_value(p, len, "X-M2M-RSC", &vl)) != NULL) {
    char num[16];
    char *end;
    if (vl > 0 && vl < sizeof num) {
      memcpy(num, v, vl);
      num[vl] = '\0';
      unsigned long rsc = strtoul(num, &end, 10);
      if (*end == '\0' && rsc <= 9999) {
        s->res->has_rsc = 1;
        s->res->rsc = (unsigned)rsc;
      }
    }
  } else if ((v = header_value(p, len, "X-M2M-RI", &vl)) != NULL) {
    size_t m = vl < s->ri_cap - 1 ? vl : s->ri_cap - 1;
    memcpy(s->ri, v, m);
    s->ri[m] = '\0';
  }
  return len;
}

static const mefc_config *cfg_of(const SSL *ssl)
{
  return SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ctx_index);
}

/* MEF Handshake with a PSK: the KpmID as psk_identity, the Kpm as the key. */
static unsigned int psk_client(SSL *ssl, const char *hint, char *identity,
                               unsigned int max_identity_len, unsigned char *psk,
                               unsigned int max_psk_len)
{
  const mefc_config *cfg = cfg_of(ssl);
  (void)hint;
  if (cfg == NULL || cfg->psk_identity == NULL || strlen(cfg->psk_identity) >= max_identity_len ||
      cfg->psk_key_len > max_psk_len) {
    mlog(MLOG_ERROR, "tls: no PSK to offer");
    return 0;
  }
  memcpy(identity, cfg->psk_identity, strlen(cfg->psk_identity) + 1);
  memcpy(psk, cfg->psk_key, cfg->psk_key_len);
  return (unsigned int)cfg->psk_key_len;
}

static void on_tls_info(const SSL *ssl, int where, int ret)
{
  (void)ret;
  if (!(where & SSL_CB_HANDSHAKE_DONE))
    return;
  const mefc_config *cfg = cfg_of(ssl);
  const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
  mlog(MLOG_INFO, "tls handshake with %s: %s, cipher %s (0x%04x)",
       cfg != NULL ? cfg->mef_fqdn : "?", SSL_get_version(ssl),
       c != NULL ? SSL_CIPHER_get_name(c) : "?",
       c != NULL ? (unsigned)(SSL_CIPHER_get_id(c) & 0xffffu) : 0u);
}

static CURLcode ssl_ctx_cb(CURL *curl, void *ssl_ctx, void *arg)
{
  const mefc_config *cfg = arg;
  SSL_CTX *ctx = ssl_ctx;
  (void)curl;
  SSL_CTX_set_ex_data(ctx, ctx_index, (void *)cfg);
  SSL_CTX_set_info_callback(ctx, on_tls_info);
  if (cfg->cred == CFG_CRED_PSK) {
    SSL_CTX_set_psk_client_callback(ctx, psk_client);
    return CURLE_OK;
  }
  /* The MEF chains to the configured trust anchors only, never to a CA
   * bundle libcurl may have been built with. */
  char err[256];
  STACK_OF(X509) *sk = x509u_load_pem_certs(cfg->trust_anchors, err, sizeof err);
  if (sk == NULL) {
    mlog(MLOG_ERROR, "tls: %s", err);
    return CURLE_SSL_CACERT_BADFILE;
  }
  X509_STORE *st = X509_STORE_new();
  for (int i = 0; st != NULL && i < sk_X509_num(sk); i++)
    X509_STORE_add_cert(st, sk_X509_value(sk, i));
  sk_X509_pop_free(sk, X509_free);
  if (st == NULL)
    return CURLE_OUT_OF_MEMORY;
  SSL_CTX_set_cert_store(ctx, st);
  return CURLE_OK;
}

ht_transport *ht_open(const mefc_config *cfg, char *err, size_t cap)
{
  if (!cfg->secure || (cfg->cred != CFG_CRED_PSK && cfg->cred != CFG_CRED_CERT)) {
    snprintf(err, cap, "https: needs credentials (psk or cert)");
    return NULL;
  }
  const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
  if (v == NULL || v->ssl_version == NULL || strncmp(v->ssl_version, "OpenSSL", 7) != 0) {
    snprintf(err, cap, "https: libcurl is not built with OpenSSL (%s): the PSK handshake needs it",
             v != NULL && v->ssl_version != NULL ? v->ssl_version : "no TLS");
    return NULL;
  }
  if (ctx_index < 0)
    ctx_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
  ht_transport *t = calloc(1, sizeof *t);
  if (t == NULL || ctx_index < 0) {
    free(t);
    snprintf(err, cap, "out of memory");
    return NULL;
  }
  t->cfg = cfg;
  const char *addr = cfg_resolve_host(cfg, cfg->mef_host);
  int v6 = strchr(addr, ':') != NULL;
  snprintf(t->base, sizeof t->base, "https://%s:%u/", cfg->mef_fqdn, (unsigned)cfg->mef_port);
  snprintf(t->connect_to, sizeof t->connect_to, "%s:%u:%s%s%s:%u", cfg->mef_fqdn,
           (unsigned)cfg->mef_port, v6 ? "[" : "", addr, v6 ? "]" : "", (unsigned)cfg->mef_port);
  t->curl = curl_easy_init();
  if (t->curl == NULL) {
    snprintf(err, cap, "cannot initialise libcurl");
    free(t);
    return NULL;
  }
  return t;
}

/* A failure in words an operator can act on. */
static void explain(const ht_transport *t, CURLcode rc, const char *errbuf, int too_big,
                    ct_result *res)
{
  const mefc_config *cfg = t->cfg;
  const char *hint = "";
  char h[400];
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    snprintf(h, sizeof h, " (no response within %u ms, http.response_timeout_ms)",
             cfg->http_response_timeout_ms);
    hint = h;
  } else if (rc == CURLE_SSL_CONNECT_ERROR && cfg->cred == CFG_CRED_PSK) {
    /* A MAF peer's configuration carries maf.psk's identity as its PSK
     * identity (keyreg_common.c): name the MAF's Km/KmID, not the MEF's. */
    int maf = cfg->maf_psk_identity != NULL && cfg->psk_identity == cfg->maf_psk_identity;
    snprintf(h, sizeof h, " (TLS-PSK handshake refused: the %s does not hold this %s for %s %s)",
             maf ? "MAF" : "MEF", maf ? "Km" : "Kpm", maf ? "KmID" : "KpmID", cfg->psk_identity);
    hint = h;
  } else if (rc == CURLE_PEER_FAILED_VERIFICATION) {
    snprintf(h, sizeof h, " (MEF certificate not accepted: it must chain to "
                          "credentials.cert.trust_anchors and name %s)", cfg->mef_fqdn);
    hint = h;
  }
  char all[CURL_ERROR_SIZE + 512];
  snprintf(all, sizeof all, "%s%s%s%s%s", too_big ? "response body too large: " : "",
           curl_easy_strerror(rc), errbuf[0] ? ": " : "", errbuf, hint);
  snprintf(res->why, sizeof res->why, "%.*s", (int)(sizeof res->why - 1), all);
}

int ht_request(ht_transport *t, const char *method, const char *path, const ht_header *hdrs,
               size_t n_hdrs, const uint8_t *body, size_t len, ct_result *res, char *ri,
               size_t ri_cap)
{
  const mefc_config *cfg = t->cfg;
  char errbuf[CURL_ERROR_SIZE] = "";
  char url[1200];
  struct curl_slist *hl = NULL, *ct = NULL;
  CURL *c = t->curl;

  memset(res, 0, sizeof *res);
  ri[0] = '\0';
  sink s = {t, res, 0, 0, ri, ri_cap};
  snprintf(url, sizeof url, "%s%s", t->base, path);
  /* Reset keeps the connection cache: the next request reuses the session. */
  curl_easy_reset(c);
  ct = curl_slist_append(NULL, t->connect_to);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CONNECT_TO, ct);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_SSLVERSION,
                   (long)(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2));
  curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb);
  curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, (void *)cfg);
  if (cfg->cred == CFG_CRED_PSK) {
    /* No certificate in a PSK suite: the PSK is what authenticates the MEF,
     * so there is nothing for libcurl to verify. */
    curl_easy_setopt(c, CURLOPT_SSL_CIPHER_LIST, psk_ciphers);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  } else {
    curl_easy_setopt(c, CURLOPT_SSL_CIPHER_LIST, pki_ciphers);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_CAINFO, cfg->trust_anchors);
    curl_easy_setopt(c, CURLOPT_SSLCERT, cfg->cert_file);
    curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(c, CURLOPT_SSLKEY, cfg->key_file);
    curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, HT_CONNECT_TIMEOUT_MS);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)cfg->http_response_timeout_ms);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "mefc");
  for (size_t i = 0; i < n_hdrs; i++) {
    char line[600];
    snprintf(line, sizeof line, "%s: %s", hdrs[i].name, hdrs[i].value);
    hl = curl_slist_append(hl, line);
  }
  /* Bodies are small; a 100-continue round trip would only add latency. */
  hl = curl_slist_append(hl, "Expect:");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
  if (strcmp(method, "GET") == 0) {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body != NULL ? (const char *)body : "");
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)(body != NULL ? len : 0));
    if (strcmp(method, "POST") != 0)
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) {
    long status = 0;
    char *type = NULL;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    res->code = (unsigned)status;
    res->got = 1;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != NULL) {
      size_t tl = strcspn(type, "; \t");
      res->has_cf = 1;
      if (tl == strlen(HT_TYPE_RES_JSON) && strncasecmp(type, HT_TYPE_RES_JSON, tl) == 0)
        res->cf = OM2M_CF_RES_JSON;
      else if (tl == strlen(HT_TYPE_JSON) && strncasecmp(type, HT_TYPE_JSON, tl) == 0)
        res->cf = OM2M_CF_JSON;
      else
        res->cf = 0;
    }
  } else {
    free(res->body);
    res->body = NULL;
    res->len = 0;
    res->got = 0;
    explain(t, rc, errbuf, s.too_big, res);
  }
  curl_slist_free_all(hl);
  curl_slist_free_all(ct);
  return rc == CURLE_OK ? 0 : -1;
}

void ht_idle(ht_transport *t, uint32_t ms)
{
  struct timespec ts = {(time_t)(ms / 1000u), (long)(ms % 1000u) * 1000000L};
  (void)t;
  nanosleep(&ts, NULL);
}

void ht_close(ht_transport *t)
{
  if (t == NULL)
    return;
  if (t->curl != NULL)
    curl_easy_cleanup(t->curl);
  free(t);
}
