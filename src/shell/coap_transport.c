/* libcoap client session to the MEF. Handshake: DTLS 1.2 with PSK (identity
 * KpmID, SNI = MEF FQDN) or certificates (the MEF's chain verified against
 * the configured trust anchors, its name checked against the MEF FQDN, the
 * 10.2.3 suites offered first). Time-outs and refusals become a failed
 * result; the caller turns them into MEFC_EV_TRANSPORT_FAIL. */
#include "coap_transport.h"
#include "faultpoint.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <coap3/coap.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "log.h"

struct ct_transport {
  const mefc_config *cfg;
  coap_context_t *ctx;
  coap_session_t *session;
  coap_address_t dst;
  char sni[MEFC_FQDN_MAX + 1];
  /* the outstanding request */
  int waiting;
  uint8_t token[8];
  size_t token_len;
  ct_result *res;
  int done;
  int session_failed;
  int logged_cipher;
};

/* Certificate suites of TS-0003 10.2.3 (DTLS mandatory first). */
static const char pki_ciphers[] = "ECDHE-ECDSA-AES128-CCM8:ECDHE-ECDSA-AES128-SHA256";

/* PSK suites of TS-0003 10.2.2 (DTLS mandatory first). */
static const char psk_ciphers[] = "PSK-AES128-CCM8:PSK-AES128-CBC-SHA256";

static uint64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void set_fail(ct_transport *t, const char *why)
{
  if (t->waiting && !t->done) {
    snprintf(t->res->why, sizeof t->res->why, "%s", why);
    t->res->got = 0;
    t->done = 1;
  }
}

static void log_cipher(ct_transport *t, coap_session_t *session)
{
  coap_tls_library_t lib;
  SSL *ssl = coap_session_get_tls(session, &lib);
  if (t->logged_cipher || ssl == NULL || lib != COAP_TLS_LIBRARY_OPENSSL)
    return;
  t->logged_cipher = 1;
  const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
  mlog(MLOG_INFO, "dtls connected to %s: %s, cipher %s (0x%04x)", t->sni, SSL_get_version(ssl),
       c != NULL ? SSL_CIPHER_get_name(c) : "?",
       c != NULL ? (unsigned)(SSL_CIPHER_get_id(c) & 0xffffu) : 0u);
}

static coap_response_t on_response(coap_session_t *session, const coap_pdu_t *sent,
                                   const coap_pdu_t *received, const coap_mid_t mid)
{
  ct_transport *t = coap_get_app_data(coap_session_get_context(session));
  coap_bin_const_t tok = coap_pdu_get_token(received);
  (void)sent;
  (void)mid;
  if (t == NULL || !t->waiting || t->done || tok.length != t->token_len ||
      memcmp(tok.s, t->token, t->token_len) != 0) {
    mlog(MLOG_DEBUG, "coap: ignoring a response that matches no outstanding request");
    return COAP_RESPONSE_OK;
  }
  ct_result *r = t->res;
  coap_pdu_code_t code = coap_pdu_get_code(received);
  coap_opt_iterator_t it;
  coap_opt_t *o;
  size_t len = 0, off = 0, total = 0;
  const uint8_t *data = NULL;

  r->code = (unsigned)(code >> 5) * 100u + (unsigned)(code & 0x1f);
  if ((o = coap_check_option(received, 307, &it)) != NULL) {
    r->has_rsc = 1;
    r->rsc = coap_decode_var_bytes(coap_opt_value(o), coap_opt_length(o));
  }
  if ((o = coap_check_option(received, COAP_OPTION_CONTENT_FORMAT, &it)) != NULL) {
    r->has_cf = 1;
    r->cf = coap_decode_var_bytes(coap_opt_value(o), coap_opt_length(o));
  }
  if (coap_get_data_large(received, &len, &data, &off, &total) && len > 0) {
    r->body = malloc(len);
    if (r->body == NULL) {
      set_fail(t, "out of memory for the response body");
      return COAP_RESPONSE_OK;
    }
    memcpy(r->body, data, len);
    r->len = len;
  }
  r->got = 1;
  t->done = 1;
  log_cipher(t, session);
  return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *session, const coap_pdu_t *sent,
                    const coap_nack_reason_t reason, const coap_mid_t mid)
{
  ct_transport *t = coap_get_app_data(coap_session_get_context(session));
  (void)sent;
  (void)mid;
  if (t == NULL)
    return;
  switch (reason) {
  case COAP_NACK_TOO_MANY_RETRIES:
    set_fail(t, "no response after all retransmissions");
    break;
  case COAP_NACK_RST:
    set_fail(t, "the MEF answered with a reset (RST)");
    break;
  case COAP_NACK_TLS_FAILED:
    set_fail(t, "DTLS handshake failed");
    t->session_failed = 1;
    break;
  case COAP_NACK_ICMP_ISSUE:
    set_fail(t, "ICMP error (nothing listening?)");
    t->session_failed = 1;
    break;
  default:
    set_fail(t, "the request could not be delivered");
    t->session_failed = 1;
    break;
  }
}

static int on_event(coap_session_t *session, const coap_event_t event)
{
  ct_transport *t = coap_get_app_data(coap_session_get_context(session));
  if (t == NULL)
    return 0;
  switch (event) {
  case COAP_EVENT_DTLS_CONNECTED:
    log_cipher(t, session);
    break;
  case COAP_EVENT_DTLS_ERROR:
    t->session_failed = 1;
    set_fail(t, "DTLS error (handshake refused or peer not authenticated)");
    break;
  case COAP_EVENT_DTLS_CLOSED:
  case COAP_EVENT_SESSION_CLOSED:
  case COAP_EVENT_SESSION_FAILED:
    t->session_failed = 1;
    set_fail(t, "the session was closed");
    break;
  default:
    break;
  }
  return 0;
}

/* libcoap calls this for each certificate of the MEF's chain after OpenSSL's
 * verification; at depth 0 the MEF certificate must name the MEF FQDN. */
static int check_cn(const char *cn, const uint8_t *der, size_t der_len, coap_session_t *session,
                    unsigned depth, int validated, void *arg)
{
  ct_transport *t = arg;
  (void)session;
  if (!validated) {
    mlog(MLOG_ERROR, "dtls: MEF certificate chain not verified (depth %u, %s)", depth, cn);
    return 0;
  }
  if (depth != 0)
    return 1;
  const unsigned char *p = der;
  X509 *x = d2i_X509(NULL, &p, (long)der_len);
  int ok = x != NULL && X509_check_host(x, t->sni, 0, 0, NULL) == 1;
  X509_free(x);
  if (!ok)
    mlog(MLOG_ERROR, "dtls: MEF certificate (%s) does not name the MEF FQDN %s", cn, t->sni);
  return ok;
}

static int resolve(ct_transport *t, char *err, size_t cap)
{
  const mefc_config *cfg = t->cfg;
  const char *host = cfg_resolve_host(cfg, cfg->mef_host);
  char port[8];
  struct addrinfo hints, *ai = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  snprintf(port, sizeof port, "%u", (unsigned)cfg->mef_port);
  int r = getaddrinfo(host, port, &hints, &ai);
  if (r != 0 || ai == NULL) {
    snprintf(err, cap, "cannot resolve the MEF host %s: %s", host, gai_strerror(r));
    return -1;
  }
  coap_address_init(&t->dst);
  memcpy(&t->dst.addr, ai->ai_addr, ai->ai_addrlen);
  t->dst.size = ai->ai_addrlen;
  freeaddrinfo(ai);
  return 0;
}

ct_transport *ct_open(const mefc_config *cfg, char *err, size_t cap)
{
  ct_transport *t = calloc(1, sizeof *t);
  if (t == NULL) {
    snprintf(err, cap, "out of memory");
    return NULL;
  }
  t->cfg = cfg;
  snprintf(t->sni, sizeof t->sni, "%s", cfg->mef_fqdn);
  coap_startup();
  mlog_attach_libcoap();
  if (cfg->secure && !coap_dtls_is_supported()) {
    snprintf(err, cap, "this libcoap has no DTLS support");
    free(t);
    return NULL;
  }
  if (resolve(t, err, cap) != 0) {
    free(t);
    return NULL;
  }
  t->ctx = coap_new_context(NULL);
  if (t->ctx == NULL) {
    snprintf(err, cap, "cannot create a CoAP context");
    free(t);
    return NULL;
  }
  coap_set_app_data(t->ctx, t);
  /* The oneM2M options are critical (odd numbers) and libcoap drops a
   * response carrying one it was not taught; libcoap 4.3.1 can be taught at
   * most two options above 255 (COAP_OPT_FILTER_LONG): the two a response
   * must carry, Request Identifier and Response Status Code. */
  coap_register_option(t->ctx, 283);
  coap_register_option(t->ctx, 307);
  coap_context_set_block_mode(t->ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
  coap_register_response_handler(t->ctx, on_response);
  coap_register_nack_handler(t->ctx, on_nack);
  coap_register_event_handler(t->ctx, on_event);
  return t;
}

/* libcoap 4.3.1 offers every PSK (or certificate) suite OpenSSL has and
 * gives no hook before its first ClientHello. The suites are narrowed on the
 * session's SSL right after it is created: the ClientHello resent with the
 * server's cookie (HelloVerifyRequest, which libcoap servers always send)
 * then offers the suites of TS-0003 10.2.2 / 10.2.3 first. */
static void prefer_suites(coap_session_t *s, const char *list)
{
  coap_tls_library_t lib;
  SSL *ssl = s != NULL ? coap_session_get_tls(s, &lib) : NULL;
  if (ssl != NULL && lib == COAP_TLS_LIBRARY_OPENSSL && SSL_set_cipher_list(ssl, list) != 1)
    mlog(MLOG_INFO, "dtls: cannot restrict the cipher suites to %s", list);
}

static coap_session_t *new_session(ct_transport *t)
{
  const mefc_config *cfg = t->cfg;
  coap_session_t *s = NULL;
  if (!cfg->secure) {
    s = coap_new_client_session(t->ctx, NULL, &t->dst, COAP_PROTO_UDP);
  } else if (cfg->cred == CFG_CRED_PSK) {
    coap_dtls_cpsk_t psk;
    memset(&psk, 0, sizeof psk);
    psk.version = COAP_DTLS_CPSK_SETUP_VERSION;
    psk.client_sni = t->sni;
    psk.psk_info.identity.s = (const uint8_t *)cfg->psk_identity;
    psk.psk_info.identity.length = strlen(cfg->psk_identity);
    psk.psk_info.key.s = cfg->psk_key;
    psk.psk_info.key.length = cfg->psk_key_len;
    s = coap_new_client_session_psk2(t->ctx, NULL, &t->dst, COAP_PROTO_DTLS, &psk);
    prefer_suites(s, psk_ciphers);
  } else {
    coap_dtls_pki_t pki;
    memset(&pki, 0, sizeof pki);
    pki.version = COAP_DTLS_PKI_SETUP_VERSION;
    pki.verify_peer_cert = 1;
    pki.check_common_ca = 1;
    pki.allow_self_signed = 0;
    pki.allow_expired_certs = 0;
    pki.cert_chain_validation = 1;
    pki.cert_chain_verify_depth = 3;
    pki.validate_cn_call_back = check_cn;
    pki.cn_call_back_arg = t;
    pki.client_sni = t->sni;
    pki.pki_key.key_type = COAP_PKI_KEY_PEM;
    pki.pki_key.key.pem.ca_file = cfg->trust_anchors;
    pki.pki_key.key.pem.public_cert = cfg->cert_file;
    pki.pki_key.key.pem.private_key = cfg->key_file;
    s = coap_new_client_session_pki(t->ctx, NULL, &t->dst, COAP_PROTO_DTLS, &pki);
    prefer_suites(s, pki_ciphers);
  }
  if (s != NULL) {
    coap_fixed_point_t ack = {(uint16_t)(cfg->ack_timeout_ms / 1000u),
                              (uint16_t)(cfg->ack_timeout_ms % 1000u)};
    coap_session_set_ack_timeout(s, ack);
    coap_session_set_max_retransmit(s, (uint16_t)cfg->max_retransmit);
    t->logged_cipher = 0;
    mlog(MLOG_DEBUG, "coap: new %s session to %s:%u", cfg->secure ? "DTLS" : "UDP",
         cfg->mef_host, (unsigned)cfg->mef_port);
  }
  return s;
}

static void drop_session(ct_transport *t)
{
  if (t->session != NULL) {
    coap_session_release(t->session);
    t->session = NULL;
  }
  t->session_failed = 0;
}

static int add_path(coap_optlist_t **ol, const char *path)
{
  const char *p = path;
  while (*p == '/')
    p++;
  while (*p != '\0') {
    size_t n = strcspn(p, "/");
    if (n > 0 && !coap_insert_optlist(ol, coap_new_optlist(COAP_OPTION_URI_PATH, n,
                                                              (const uint8_t *)p)))
      return -1;
    p += n;
    while (*p == '/')
      p++;
  }
  return 0;
}

int ct_request(ct_transport *t, int method, const char *path, const ct_opt *opts, size_t n_opts,
               uint16_t content_format, const uint8_t *body, size_t len, ct_result *res)
{
  coap_optlist_t *ol = NULL;
  coap_pdu_t *pdu;
  uint8_t cfbuf[4];
  coap_pdu_code_t code = method == CT_GET    ? COAP_REQUEST_CODE_GET
                         : method == CT_POST ? COAP_REQUEST_CODE_POST
                                             : COAP_REQUEST_CODE_PUT;

  memset(res, 0, sizeof *res);
  if (t->session != NULL && (t->session_failed ||
                             coap_session_get_state(t->session) == COAP_SESSION_STATE_NONE))
    drop_session(t);
  if (t->session == NULL && (t->session = new_session(t)) == NULL) {
    snprintf(res->why, sizeof res->why, "cannot create a CoAP session (see the libcoap error)");
    return -1;
  }
  pdu = coap_new_pdu(COAP_MESSAGE_CON, code, t->session);
  if (pdu == NULL) {
    snprintf(res->why, sizeof res->why, "cannot create a CoAP message");
    return -1;
  }
  coap_session_new_token(t->session, &t->token_len, t->token);
  coap_add_token(pdu, t->token_len, t->token);
  int bad = add_path(&ol, path);
  if (body != NULL && !bad)
    bad = !coap_insert_optlist(&ol, coap_new_optlist(COAP_OPTION_CONTENT_FORMAT,
                                                     coap_encode_var_safe(cfbuf, sizeof cfbuf,
                                                                          content_format),
                                                     cfbuf));
  for (size_t i = 0; i < n_opts && !bad; i++)
    bad = !coap_insert_optlist(&ol, coap_new_optlist(opts[i].num, opts[i].len, opts[i].val));
  if (bad || !coap_add_optlist_pdu(pdu, &ol) || (body != NULL && !coap_add_data(pdu, len, body))) {
    coap_delete_optlist(ol);
    coap_delete_pdu(pdu);
    snprintf(res->why, sizeof res->why, "cannot build the CoAP message");
    return -1;
  }
  coap_delete_optlist(ol);

  t->res = res;
  t->waiting = 1;
  t->done = 0;
  if (coap_send(t->session, pdu) == COAP_INVALID_MID) {
    t->waiting = 0;
    drop_session(t);
    snprintf(res->why, sizeof res->why, "cannot send the CoAP message");
    return -1;
  }
  faultpoint("coap: request sent, no response yet");
  uint64_t deadline = now_ms() + t->cfg->response_timeout_ms;
  while (!t->done) {
    uint64_t now = now_ms();
    if (now >= deadline) {
      snprintf(res->why, sizeof res->why, "no response within %u ms",
               (unsigned)t->cfg->response_timeout_ms);
      t->session_failed = 1; /* drop what libcoap still retransmits */
      break;
    }
    uint64_t wait = deadline - now;
    if (coap_io_process(t->ctx, (uint32_t)(wait < 250 ? wait : 250)) < 0) {
      snprintf(res->why, sizeof res->why, "CoAP I/O error");
      t->session_failed = 1;
      break;
    }
  }
  t->waiting = 0;
  t->res = NULL;
  if (!res->got && t->session != NULL)
    t->session_failed = 1;
  return res->got ? 0 : -1;
}

void ct_result_free(ct_result *res)
{
  free(res->body);
  res->body = NULL;
  res->len = 0;
}

int ct_export(ct_transport *t, const char *label, uint8_t *out, size_t len)
{
  coap_tls_library_t lib;
  SSL *ssl = t->session != NULL && !t->session_failed ? coap_session_get_tls(t->session, &lib)
                                                      : NULL;
  /* libcoap 4.3.1 hands out OpenSSL's SSL of the session; DTLS 1.2 has the
   * same exporter as TLS 1.2. */
  if (ssl == NULL || lib != COAP_TLS_LIBRARY_OPENSSL)
    return -1;
  return SSL_export_keying_material(ssl, out, len, label, strlen(label), NULL, 0, 0) == 1 ? 0 : -1;
}

void ct_idle(ct_transport *t, uint32_t ms)
{
  uint64_t end = now_ms() + ms;
  for (;;) {
    uint64_t now = now_ms();
    if (now >= end)
      break;
    uint64_t left = end - now;
    if (coap_io_process(t->ctx, (uint32_t)(left < 1000 ? left : 1000)) < 0)
      break;
  }
}

struct coap_context_t *ct_context(ct_transport *t)
{
  return t->ctx;
}

void ct_close(ct_transport *t)
{
  if (t == NULL)
    return;
  drop_session(t);
  if (t->ctx != NULL)
    coap_free_context(t->ctx);
  coap_cleanup();
  free(t);
}
