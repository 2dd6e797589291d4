/* libcurl easy requests. The trust anchors replace the SSL_CTX's store in
 * the SSL_CTX callback, so a server is trusted only when it chains to the
 * configured anchors, whatever CA bundle libcurl was built with. */
#include "https_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "log.h"
#include "x509util.h"

#define HTTPS_BODY_MAX (1024u * 1024u)

typedef struct {
  https_result *res;
  size_t cap;
  int too_big;
} sink;

int https_global_init(void)
{
  return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void https_global_cleanup(void)
{
  curl_global_cleanup();
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
  sink *s = arg;
  size_t add = size * n;
  https_result *r = s->res;
  if (r->len + add > HTTPS_BODY_MAX) {
    s->too_big = 1;
    return 0;
  }
  if (r->len + add + 1 > s->cap) {
    size_t nc = (r->len + add + 1) * 2;
    uint8_t *nb = realloc(r->body, nc);
    if (nb == NULL)
      return 0;
    r->body = nb;
    s->cap = nc;
  }
  memcpy(r->body + r->len, p, add);
  r->len += add;
  r->body[r->len] = '\0';
  return add;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
  https_result *r = arg;
  size_t len = size * n;
  static const char ra[] = "retry-after:";
  if (len > sizeof ra - 1 && strncasecmp(p, ra, sizeof ra - 1) == 0) {
    size_t i = sizeof ra - 1;
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
      i++;
    size_t e = len;
    while (e > i && (p[e - 1] == '\r' || p[e - 1] == '\n' || p[e - 1] == ' '))
      e--;
    size_t m = e - i < sizeof r->retry_after - 1 ? e - i : sizeof r->retry_after - 1;
    memcpy(r->retry_after, p + i, m);
    r->retry_after[m] = '\0';
  }
  return len;
}

/* Replace the verification store by the configured trust anchors only. */
static CURLcode ssl_ctx_cb(CURL *curl, void *ssl_ctx, void *arg)
{
  const mefc_config *cfg = arg;
  char err[256];
  (void)curl;
  STACK_OF(X509) *sk = x509u_load_pem_certs(cfg->https_trust_anchors, err, sizeof err);
  if (sk == NULL) {
    mlog(MLOG_ERROR, "https: %s", err);
    return CURLE_SSL_CACERT_BADFILE;
  }
  X509_STORE *st = X509_STORE_new();
  for (int i = 0; st != NULL && i < sk_X509_num(sk); i++)
    X509_STORE_add_cert(st, sk_X509_value(sk, i));
  sk_X509_pop_free(sk, X509_free);
  if (st == NULL)
    return CURLE_OUT_OF_MEMORY;
  SSL_CTX_set_cert_store((SSL_CTX *)ssl_ctx, st);
  return CURLE_OK;
}

/* CURLOPT_RESOLVE entry "host:port:addr" when the URL's host is overridden. */
static struct curl_slist *resolve_entry(const mefc_config *cfg, const char *url)
{
  CURLU *u = curl_url();
  char *host = NULL, *port = NULL;
  struct curl_slist *l = NULL;
  if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    const char *addr = cfg_resolve_host(cfg, host);
    if (addr != host) {
      char e[600];
      snprintf(e, sizeof e, "%s:%s:%s", host, port, addr);
      l = curl_slist_append(NULL, e);
    }
  }
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return l;
}

static int local_code(CURLcode c)
{
  return c == CURLE_OUT_OF_MEMORY || c == CURLE_SSL_CERTPROBLEM || c == CURLE_SSL_CACERT_BADFILE ||
         c == CURLE_SSL_ENGINE_NOTFOUND || c == CURLE_SSL_ENGINE_SETFAILED ||
         c == CURLE_URL_MALFORMAT || c == CURLE_UNSUPPORTED_PROTOCOL || c == CURLE_FAILED_INIT ||
         c == CURLE_WRITE_ERROR;
}

int https_do(const mefc_config *cfg, const https_req *req, https_result *res)
{
  char errbuf[CURL_ERROR_SIZE] = "";
  struct curl_slist *hdrs = NULL;
  struct curl_slist *resolve = NULL;
  CURL *c;
  CURLcode rc;

  memset(res, 0, sizeof *res);
  sink s = {res, 0, 0};
  if (cfg->https_trust_anchors == NULL) {
    res->local_error = 1;
    snprintf(res->why, sizeof res->why,
             "no trust anchors configured for HTTPS (https.trust_anchors)");
    return -1;
  }
  c = curl_easy_init();
  if (c == NULL) {
    res->local_error = 1;
    snprintf(res->why, sizeof res->why, "cannot initialise libcurl");
    return -1;
  }
  curl_easy_setopt(c, CURLOPT_URL, req->url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_SSLVERSION,
                   (long)(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_CAINFO, cfg->https_trust_anchors);
  curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb);
  curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, (void *)cfg);
  if (cfg->https_client_cert) {
    curl_easy_setopt(c, CURLOPT_SSLCERT, cfg->cert_file);
    curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(c, CURLOPT_SSLKEY, cfg->key_file);
    curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, res);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "mefc");
  resolve = resolve_entry(cfg, req->url);
  if (resolve != NULL)
    curl_easy_setopt(c, CURLOPT_RESOLVE, resolve);
  if (strcmp(req->method, "POST") == 0) {
    char ct[160];
    snprintf(ct, sizeof ct, "Content-Type: %s", req->content_type != NULL ? req->content_type
                                                                             : "application/octet-stream");
    hdrs = curl_slist_append(hdrs, ct);
    /* RFC 7030 bodies are base64 and say so; SCEP's PKIOperation is binary DER. */
    if (req->content_type != NULL && strcmp(req->content_type, "application/pkcs10") == 0)
      hdrs = curl_slist_append(hdrs, "Content-Transfer-Encoding: base64");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)req->body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)req->len);
  }
  mlog(MLOG_DEBUG, "https: %s %s", req->method, req->url);
  rc = curl_easy_perform(c);
  if (rc == CURLE_OK) {
    char *ct = NULL;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != NULL)
      snprintf(res->content_type, sizeof res->content_type, "%s", ct);
    mlog(MLOG_DEBUG, "https: -> %ld, %s, %zu bytes", res->status,
         res->content_type[0] ? res->content_type : "no content type", res->len);
  } else {
    res->status = 0;
    res->local_error = local_code(rc) && !s.too_big;
    snprintf(res->why, sizeof res->why, "%s%s%s", s.too_big ? "response body too large: " : "",
             curl_easy_strerror(rc), errbuf[0] ? " - " : "");
    if (errbuf[0]) {
      size_t l = strlen(res->why);
      snprintf(res->why + l, sizeof res->why - l, "%s", errbuf);
    }
  }
  curl_slist_free_all(hdrs);
  curl_slist_free_all(resolve);
  curl_easy_cleanup(c);
  return rc == CURLE_OK ? 0 : -1;
}

void https_result_free(https_result *res)
{
  free(res->body);
  res->body = NULL;
  res->len = 0;
}
