/* mefd's HTTPS server: EST (RFC 7030) with the MEF as RA/CA, and trust-anchor
 * certificates. Bodies are base64 as RFC 7030 requires. Enrolment follows
 * TS-0003 8.3.6.2.2 step 3: the client is authenticated by TLS (PSK identity
 * or a client certificate that verifies against --ca), the MEF must have
 * issued it a CERT_PROV command, and the CSR's SubjectAltName must name that
 * command's certSubjectID. */
#include "est_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "log.h"
#include "tls_server.h"

#define EST_PREFIX "/.well-known/est/"
#define BODY_MAX 65536

/* Base64 with a line break every 64 characters (RFC 2045 allows 76). */
static char *b64_encode(const unsigned char *der, size_t len)
{
  size_t raw = 4 * ((len + 2) / 3);
  unsigned char *flat = malloc(raw + 1);
  char *out = malloc(raw + raw / 64 + 2);
  if (flat == NULL || out == NULL) {
    free(flat);
    free(out);
    return NULL;
  }
  EVP_EncodeBlock(flat, der, (int)len);
  size_t o = 0;
  for (size_t i = 0; i < raw; i++) {
    out[o++] = (char)flat[i];
    if ((i + 1) % 64 == 0 || i + 1 == raw)
      out[o++] = '\n';
  }
  out[o] = '\0';
  free(flat);
  return out;
}

/* Decode base64 that may hold line breaks and spaces. Returns a malloc'd
 * buffer and its length, or NULL when it is not base64. */
static unsigned char *b64_decode(const char *in, size_t len, size_t *out_len)
{
  char *clean = malloc(len + 1);
  if (clean == NULL)
    return NULL;
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (in[i] != '\n' && in[i] != '\r' && in[i] != ' ' && in[i] != '\t')
      clean[n++] = in[i];
  clean[n] = '\0';
  unsigned char *out = n > 0 && n % 4 == 0 ? malloc(n / 4 * 3 + 1) : NULL;
  int got = out != NULL ? EVP_DecodeBlock(out, (unsigned char *)clean, (int)n) : -1;
  if (got < 0) {
    free(out);
    free(clean);
    return NULL;
  }
  size_t pad = (clean[n - 1] == '=') + (clean[n - 2] == '=');
  free(clean);
  *out_len = (size_t)got - pad;
  return out;
}

static void send_text(struct evhttp_request *req, int code, const char *reason, const char *text)
{
  struct evbuffer *b = evbuffer_new();
  evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
                    "text/plain; charset=utf-8");
  if (b != NULL && text != NULL)
    evbuffer_add_printf(b, "%s\n", text);
  evhttp_send_reply(req, code, reason, b);
  if (b != NULL)
    evbuffer_free(b);
}

/* 200 with a base64 body of the given media type. */
static void send_b64(struct evhttp_request *req, const char *type, const char *b64)
{
  struct evkeyvalq *h = evhttp_request_get_output_headers(req);
  evhttp_add_header(h, "Content-Type", type);
  evhttp_add_header(h, "Content-Transfer-Encoding", "base64");
  struct evbuffer *b = evbuffer_new();
  if (b == NULL) {
    evhttp_send_error(req, 500, NULL);
    return;
  }
  evbuffer_add(b, b64, strlen(b64));
  evhttp_send_reply(req, 200, "OK", b);
  evbuffer_free(b);
}

static SSL *request_ssl(struct evhttp_request *req)
{
  struct evhttp_connection *conn = evhttp_request_get_connection(req);
  struct bufferevent *bev = conn != NULL ? evhttp_connection_get_bufferevent(conn) : NULL;
  return bev != NULL ? bufferevent_openssl_get_ssl(bev) : NULL;
}

static void log_request(struct evhttp_request *req, const char *path, const char *how,
                        const char *who, int code, const char *why)
{
  char *addr = NULL;
  ev_uint16_t port = 0;
  struct evhttp_connection *conn = evhttp_request_get_connection(req);
  if (conn != NULL)
    evhttp_connection_get_peer(conn, &addr, &port);
  char p[160], w[160];
  mefd_log("https: %s %s from %s:%u (%s%s%s) -> %d%s%s",
           evhttp_request_get_command(req) == EVHTTP_REQ_POST ? "POST" : "GET",
           mefd_log_safe(p, sizeof p, path, strlen(path)), addr != NULL ? addr : "?", port,
           how != NULL ? how : "no client authentication", how != NULL ? " " : "",
           how != NULL ? mefd_log_safe(w, sizeof w, who, strlen(who)) : "", code,
           why != NULL ? ": " : "", why != NULL ? why : "");
}

/* GET /.well-known/est/csrattrs: SEQUENCE { ecdsa-with-SHA256 }, a hint to
 * sign the CSR with SHA-256 (RFC 7030 4.5.2). */
static void est_csrattrs(struct evhttp_request *req, const char *path)
{
  unsigned char der[64], *p = der + 2;
  int n = i2d_ASN1_OBJECT(OBJ_nid2obj(NID_ecdsa_with_SHA256), NULL);
  if (n <= 0 || n > 60) {
    evhttp_send_error(req, 500, NULL);
    return;
  }
  i2d_ASN1_OBJECT(OBJ_nid2obj(NID_ecdsa_with_SHA256), &p);
  der[0] = 0x30; /* SEQUENCE */
  der[1] = (unsigned char)n;
  char *b64 = b64_encode(der, (size_t)n + 2);
  if (b64 == NULL) {
    evhttp_send_error(req, 500, NULL);
    return;
  }
  send_b64(req, "application/csrattrs", b64);
  free(b64);
  log_request(req, path, NULL, "", 200, NULL);
}

/* The certSubjectID of a CERT_PROV command issued to the client, or NULL. */
static const char *cert_prov_subject(const struct mefd_client *c)
{
  const struct mefd_cmd *cmd = mefd_client_current(c);
  if (c->issued == 0 || cmd->class_id != 1)
    return NULL;
  json_t *csi = json_object_get(json_object_get(json_object_get(cmd->mccd, "cma"), "cpca"), "csi");
  return json_is_string(csi) ? json_string_value(csi) : NULL;
}

/* POST /.well-known/est/simpleenroll (RFC 7030 4.2). */
static void est_enroll(struct mefd_est *s, struct evhttp_request *req, const char *path)
{
  char who[300], msg[300];
  const char *how = mefd_tls_peer_identity(request_ssl(req), who, sizeof who);
  struct mefd_client *c = how != NULL ? mefd_registry_find(s->reg, who) : NULL;
  const char *csi = c != NULL ? cert_prov_subject(c) : NULL;
  const char *type = evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");

  if (s->est_auth == MEFD_EST_AUTH_TLS && how == NULL) {
    evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
                      "Basic realm=\"mefd EST: TLS client authentication required\"");
    send_text(req, 401, "Unauthorized", "TLS client authentication (PSK or certificate) required");
    log_request(req, path, how, who, 401, "client not authenticated by TLS");
    return;
  }
  if (s->est_auth == MEFD_EST_AUTH_TLS && csi == NULL) {
    send_text(req, 403, "Forbidden", "no CERT_PROV command was issued to this client");
    log_request(req, path, how, who, 403, "no CERT_PROV command with a certSubjectID issued to "
                                          "this client");
    return;
  }
  if (c != NULL && csi != NULL) {
    const struct mefd_cmd *cmd = mefd_client_current(c);
    if (cmd->est_fail != 0) {
      send_text(req, cmd->est_fail, "Refused", "refused by the campaign (est_fail)");
      log_request(req, path, how, who, cmd->est_fail, "campaign est_fail");
      return;
    }
    if (c->est_pending_left > 0) {
      c->est_pending_left--;
      evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "1");
      send_text(req, 202, "Accepted", "enrolment pending, retry later");
      log_request(req, path, how, who, 202, "campaign est_pending, Retry-After: 1");
      return;
    }
  }
  if (type == NULL || strncmp(type, "application/pkcs10", 18) != 0) {
    send_text(req, 415, "Unsupported Media Type", "expected application/pkcs10");
    log_request(req, path, how, who, 415, "Content-Type is not application/pkcs10");
    return;
  }
  struct evbuffer *in = evhttp_request_get_input_buffer(req);
  size_t len = evbuffer_get_length(in);
  const char *body = (const char *)evbuffer_pullup(in, -1);
  size_t der_len = 0;
  unsigned char *der = body != NULL ? b64_decode(body, len, &der_len) : NULL;
  const unsigned char *p = der;
  X509_REQ *csr = der != NULL ? d2i_X509_REQ(NULL, &p, (long)der_len) : NULL;
  free(der);
  if (csr == NULL) {
    ERR_clear_error();
    send_text(req, 400, "Bad Request", "the body is not a base64 DER PKCS#10 request");
    log_request(req, path, how, who, 400, "body is not a base64 DER PKCS#10");
    return;
  }
  if (csi != NULL && !mefd_csr_names(csr, csi)) {
    snprintf(msg, sizeof msg, "the CSR's SubjectAltName does not name the certSubjectID");
    send_text(req, 400, "Bad Request", msg);
    log_request(req, path, how, who, 400, msg);
    X509_REQ_free(csr);
    return;
  }
  X509 *cert = mefd_ca_issue(s->ca, csr, msg, sizeof msg);
  X509_REQ_free(csr);
  if (cert == NULL) {
    send_text(req, 400, "Bad Request", msg);
    log_request(req, path, how, who, 400, msg);
    return;
  }
  STACK_OF(X509) *one = sk_X509_new_null();
  unsigned char *p7 = NULL;
  size_t p7_len = 0;
  int rc = one != NULL && sk_X509_push(one, cert) > 0 ? mefd_p7_certs_only(one, &p7, &p7_len) : -1;
  char *b64 = rc == 0 ? b64_encode(p7, p7_len) : NULL;
  char subject[256];
  X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject);
  OPENSSL_free(p7);
  sk_X509_pop_free(one, X509_free);
  if (b64 == NULL) {
    evhttp_send_error(req, 500, NULL);
    log_request(req, path, how, who, 500, "cannot encode the certificate");
    return;
  }
  send_b64(req, "application/pkcs7-mime; smime-type=certs-only", b64);
  free(b64);
  snprintf(msg, sizeof msg, "issued %.200s%s%.60s", subject, csi != NULL ? " for " : "",
           csi != NULL ? csi : "");
  log_request(req, path, how, who, 200, msg);
}

/* A trust-anchor name: letters, digits, '-', '_' and '.', not starting with '.'. */
static bool ta_name_ok(const char *n, size_t len)
{
  if (len == 0 || len > 64 || n[0] == '.')
    return false;
  for (size_t i = 0; i < len; i++) {
    char c = n[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_' || c == '.'))
      return false;
  }
  return true;
}

/* GET /ta/NAME.pem or /ta/NAME.der: the first certificate of TA_DIR/NAME.pem
 * (or, without --ta-dir, NAME "ca": the first --ca certificate). */
static void trust_anchor(struct mefd_est *s, struct evhttp_request *req, const char *path)
{
  const char *file = path + 4;
  size_t flen = strlen(file);
  bool pem = flen > 4 && strcmp(file + flen - 4, ".pem") == 0;
  bool der = flen > 4 && strcmp(file + flen - 4, ".der") == 0;
  X509 *x = NULL;
  if ((pem || der) && ta_name_ok(file, flen - 4)) {
    if (s->ta_dir != NULL) {
      char fn[1024];
      snprintf(fn, sizeof fn, "%s/%.*s.pem", s->ta_dir, (int)(flen - 4), file);
      BIO *b = BIO_new_file(fn, "r");
      x = b != NULL ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
      BIO_free(b);
      ERR_clear_error();
    } else if (s->ca != NULL && flen - 4 == 2 && strncmp(file, "ca", 2) == 0) {
      x = X509_dup(sk_X509_value(s->ca->certs, 0));
    }
  }
  if (x == NULL) {
    send_text(req, 404, "Not Found", "no such trust anchor");
    log_request(req, path, NULL, "", 404, "no such trust anchor");
    return;
  }
  unsigned char *out = NULL;
  long n = 0;
  BIO *mem = NULL;
  if (der) {
    int k = i2d_X509(x, &out);
    n = k;
  } else {
    mem = BIO_new(BIO_s_mem());
    char *data = NULL;
    if (mem != NULL && PEM_write_bio_X509(mem, x) == 1)
      n = BIO_get_mem_data(mem, &data);
    out = (unsigned char *)data;
  }
  struct evbuffer *b = evbuffer_new();
  if (n <= 0 || out == NULL || b == NULL) {
    evhttp_send_error(req, 500, NULL);
  } else {
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
                      der ? "application/pkix-cert" : "application/x-pem-file");
    evbuffer_add(b, out, (size_t)n);
    evhttp_send_reply(req, 200, "OK", b);
    log_request(req, path, NULL, "", 200, der ? "DER" : "PEM");
  }
  if (b != NULL)
    evbuffer_free(b);
  if (der)
    OPENSSL_free(out);
  BIO_free(mem);
  X509_free(x);
}

static void route(struct evhttp_request *req, void *arg)
{
  struct mefd_est *s = arg;
  const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
  const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
  enum evhttp_cmd_type m = evhttp_request_get_command(req);
  if (path == NULL)
    path = "";
  bool est = strncmp(path, EST_PREFIX, strlen(EST_PREFIX)) == 0;
  const char *op = est ? path + strlen(EST_PREFIX) : "";
  if (est && strcmp(op, "cacerts") == 0 && s->cacerts != NULL) {
    if (m != EVHTTP_REQ_GET) {
      send_text(req, 405, "Method Not Allowed", "GET only");
      return;
    }
    send_b64(req, "application/pkcs7-mime", s->cacerts);
    log_request(req, path, NULL, "", 200, NULL);
  } else if (est && strcmp(op, "csrattrs") == 0 && s->ca != NULL && s->ca->key != NULL) {
    if (m != EVHTTP_REQ_GET) {
      send_text(req, 405, "Method Not Allowed", "GET only");
      return;
    }
    est_csrattrs(req, path);
  } else if (est && strcmp(op, "simpleenroll") == 0 && s->ca != NULL && s->ca->key != NULL) {
    if (m != EVHTTP_REQ_POST) {
      send_text(req, 405, "Method Not Allowed", "POST only");
      return;
    }
    est_enroll(s, req, path);
  } else if (strncmp(path, "/ta/", 4) == 0 && m == EVHTTP_REQ_GET) {
    trust_anchor(s, req, path);
  } else {
    /* Also what a oneM2M client reads for an unknown resource (TS-0009 6.3.2). */
    evhttp_add_header(evhttp_request_get_output_headers(req), "X-M2M-RSC", "4004");
    send_text(req, 404, "Not Found", "not found");
    log_request(req, path, NULL, "", 404, NULL);
  }
  ERR_clear_error();
}

/* Each accepted connection gets its own OpenSSL session. */
static struct bufferevent *tls_bev(struct event_base *base, void *arg)
{
  struct mefd_est *s = arg;
  SSL *ssl = SSL_new(s->ssl);
  if (ssl == NULL)
    return NULL;
  return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                        BEV_OPT_CLOSE_ON_FREE);
}

int mefd_est_start(struct mefd_est *s, struct event_base *base, const struct mefd_opts *o,
                   struct mefd_registry *reg, const struct mefd_ca *ca,
                   const struct mefd_psk_table *psk)
{
  memset(s, 0, sizeof *s);
  s->reg = reg;
  s->ca = ca;
  s->ta_dir = o->ta_dir;
  s->est_auth = o->est_auth;
  s->ssl = mefd_tls_server_ctx(o, psk);
  if (s->ssl == NULL)
    return -1;
  if (ca != NULL) {
    unsigned char *der = NULL;
    size_t len = 0;
    if (mefd_p7_certs_only(ca->certs, &der, &len) != 0)
      return -1;
    s->cacerts = b64_encode(der, len);
    OPENSSL_free(der);
    if (s->cacerts == NULL)
      return -1;
  }
  s->http = evhttp_new(base);
  if (s->http == NULL)
    return -1;
  evhttp_set_bevcb(s->http, tls_bev, s);
  evhttp_set_gencb(s->http, route, s);
  evhttp_set_max_body_size(s->http, BODY_MAX);
  evhttp_set_timeout(s->http, 10);
  evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
  if (evhttp_bind_socket_with_handle(s->http, o->bind, (ev_uint16_t)o->https_port) == NULL) {
    mefd_log("https: cannot listen on %s:%d", o->bind, o->https_port);
    return -1;
  }
  mefd_log("https: listening on %s:%d (TLS 1.2; EST %s, client authentication %s; trust anchors "
           "from %s)", o->bind, o->https_port,
           ca != NULL && ca->key != NULL ? "on" : "off (no --ca-key)",
           o->est_auth == MEFD_EST_AUTH_TLS ? "required" : "not required",
           o->ta_dir != NULL ? o->ta_dir : (ca != NULL ? "--ca as /ta/ca.*" : "nowhere"));
  return 0;
}

void mefd_est_stop(struct mefd_est *s)
{
  if (s->http != NULL)
    evhttp_free(s->http);
  if (s->ssl != NULL)
    SSL_CTX_free(s->ssl);
  free(s->cacerts);
  memset(s, 0, sizeof *s);
}
