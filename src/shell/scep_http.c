/* SCEP's HTTP requests. Plain http:// gets its own libcurl handle because
 * https_client allows HTTPS only (EST and trust anchors must not fall back
 * to plain HTTP); the limits (no redirects, body size, timeouts) are the
 * same. libcurl undoes chunked transfer coding; the flag is kept for the
 * log only. */
#include "scep_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "https_client.h"
#include "log.h"

#define SCEP_BODY_MAX (1024u * 1024u)

typedef struct {
  scep_http_result *res;
  size_t cap;
  int too_big;
} sink;

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
  sink *s = arg;
  scep_http_result *r = s->res;
  size_t add = size * n;
  if (r->len + add > SCEP_BODY_MAX) {
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
  scep_http_result *r = arg;
  size_t len = size * n;
  static const char te[] = "transfer-encoding:";
  if (len > sizeof te - 1 && strncasecmp(p, te, sizeof te - 1) == 0) {
    char v[64];
    size_t m = len - (sizeof te - 1) < sizeof v - 1 ? len - (sizeof te - 1) : sizeof v - 1;
    memcpy(v, p + sizeof te - 1, m);
    v[m] = '\0';
    for (size_t i = 0; i + 7 <= m; i++)
      if (strncasecmp(v + i, "chunked", 7) == 0)
        r->chunked = 1;
  }
  return len;
}

/* CURLOPT_RESOLVE "host:port:addr" when mef.hosts overrides the URL's host. */
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

static int via_https(const mefc_config *cfg, const char *method, const char *url,
                     const char *content_type, const uint8_t *body, size_t len,
                     scep_http_result *res)
{
  https_req q = {method, url, content_type, body, len};
  https_result r;
  int rc = https_do(cfg, &q, &r);
  res->status = r.status;
  memcpy(res->content_type, r.content_type, sizeof res->content_type);
  res->body = r.body;
  res->len = r.len;
  res->local_error = r.local_error;
  memcpy(res->why, r.why, sizeof res->why);
  return rc;
}

int scep_http_do(const mefc_config *cfg, const char *method, const char *url,
                 const char *content_type, const uint8_t *body, size_t len, scep_http_result *res)
{
  char errbuf[CURL_ERROR_SIZE] = "";
  struct curl_slist *hdrs = NULL, *resolve = NULL;
  sink s = {res, 0, 0};
  CURLcode rc;

  memset(res, 0, sizeof *res);
  if (strncasecmp(url, "https://", 8) == 0)
    return via_https(cfg, method, url, content_type, body, len, res);
  CURL *c = curl_easy_init();
  if (c == NULL) {
    res->local_error = 1;
    snprintf(res->why, sizeof res->why, "cannot initialise libcurl");
    return -1;
  }
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, res);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "mefc");
  resolve = resolve_entry(cfg, url);
  if (resolve != NULL)
    curl_easy_setopt(c, CURLOPT_RESOLVE, resolve);
  if (strcmp(method, "POST") == 0) {
    char ct[160];
    snprintf(ct, sizeof ct, "Content-Type: %s",
             content_type != NULL ? content_type : "application/octet-stream");
    hdrs = curl_slist_append(hdrs, ct);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
  }
  mlog(MLOG_DEBUG, "scep: %s %s", method, url);
  rc = curl_easy_perform(c);
  if (rc == CURLE_OK) {
    char *ct = NULL;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != NULL)
      snprintf(res->content_type, sizeof res->content_type, "%s", ct);
  } else {
    res->local_error = (rc == CURLE_OUT_OF_MEMORY || rc == CURLE_URL_MALFORMAT ||
                        rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_FAILED_INIT) &&
                       !s.too_big;
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

void scep_http_free(scep_http_result *res)
{
  free(res->body);
  res->body = NULL;
  res->len = 0;
}
