/* The CoAP pieces both of mefd's listeners use (coap_common.h): libcoap
 * 4.3's server API for contexts, DTLS credentials and endpoints, request
 * options in, oneM2M-RSC out, and the Response Status Codes turned into CoAP
 * codes (TS-0008 table 6.2.4-1). */
#include "coap_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <jansson.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "ca.h"
#include "log.h"

#define ID_MAX MEFD_COAP_ID_MAX

const char *mefd_coap_peer(coap_session_t *sess)
{
  const char *s = coap_session_str(sess);
  return s != NULL ? s : "?";
}

/* Printable ASCII without spaces: what a oneM2M ID can be. */
static bool id_chars(const uint8_t *v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (v[i] < 0x21 || v[i] > 0x7e)
      return false;
  return n > 0;
}

/* Read the options and body. Returns 0, or -1 when an option is malformed. */
int mefd_coap_read(const coap_pdu_t *req, struct mefd_coap_req *in)
{
  coap_opt_iterator_t it;
  coap_opt_t *opt;
  memset(in, 0, sizeof *in);
  in->cf = -1;
  in->accept = -1;
  if ((opt = coap_check_option(req, MEFD_OPT_FR, &it)) != NULL) {
    size_t n = coap_opt_length(opt);
    if (n > ID_MAX || !id_chars(coap_opt_value(opt), n))
      return -1;
    memcpy(in->fr, coap_opt_value(opt), n);
    in->fr[n] = '\0';
    in->has_fr = true;
  }
  if ((opt = coap_check_option(req, MEFD_OPT_RQI, &it)) != NULL) {
    in->rqi_len = coap_opt_length(opt);
    if (in->rqi_len > sizeof in->rqi)
      return -1;
    memcpy(in->rqi, coap_opt_value(opt), in->rqi_len);
    in->has_rqi = true;
  }
  if ((opt = coap_check_option(req, COAP_OPTION_CONTENT_FORMAT, &it)) != NULL)
    in->cf = (long)coap_decode_var_bytes(coap_opt_value(opt), coap_opt_length(opt));
  if ((opt = coap_check_option(req, COAP_OPTION_ACCEPT, &it)) != NULL)
    in->accept = (long)coap_decode_var_bytes(coap_opt_value(opt), coap_opt_length(opt));
  size_t off = 0, total = 0;
  if (!coap_get_data_large(req, &in->len, &in->data, &off, &total)) {
    in->data = NULL;
    in->len = 0;
  }
  return 0;
}

static coap_pdu_code_t coap_code(int rsc, coap_pdu_code_t method)
{
  switch (rsc) {
  case MEFD_RSC_OK:
    return method == COAP_REQUEST_CODE_GET ? COAP_RESPONSE_CODE(205) : COAP_RESPONSE_CODE(204);
  case MEFD_RSC_CREATED:
    return COAP_RESPONSE_CODE(201);
  case MEFD_RSC_UPDATED:
    return COAP_RESPONSE_CODE(204);
  case MEFD_RSC_BAD_REQUEST:
    return COAP_RESPONSE_CODE(400);
  case MEFD_RSC_NOT_FOUND:
    return COAP_RESPONSE_CODE(404);
  case MEFD_RSC_OPERATION_NOT_ALLOWED:
    return COAP_RESPONSE_CODE(405);
  case MEFD_RSC_UNSUPPORTED_MEDIA_TYPE:
    return COAP_RESPONSE_CODE(415);
  case MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE:
    return COAP_RESPONSE_CODE(403);
  case MEFD_RSC_NOT_ACCEPTABLE:
    return COAP_RESPONSE_CODE(406);
  default:
    return COAP_RESPONSE_CODE(500);
  }
}

static void release_body(coap_session_t *sess, void *body)
{
  (void)sess;
  free(body);
}

/* Fill the response: code, RQI echoed when the request had one, RSC, then
 * the body (if any) as vnd.onem2m-res+json, block-wise when it does not fit
 * one datagram. RVI is not echoed: a libcoap 4.3 client knows at most two
 * oneM2M options, and it needs RQI and RSC. */
void mefd_coap_respond(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                    const coap_string_t *query, coap_pdu_t *resp, const struct mefd_coap_req *in,
                    struct mefd_reply *reply)
{
  uint8_t buf[4];
  coap_pdu_code_t method = coap_pdu_get_code(req);
  coap_pdu_set_code(resp, coap_code(reply->rsc, method));
  if (in->has_rqi)
    coap_add_option(resp, MEFD_OPT_RQI, in->rqi_len, in->rqi);
  coap_add_option(resp, MEFD_OPT_RSC, coap_encode_var_safe(buf, sizeof buf, (unsigned)reply->rsc),
                  buf);
  if (reply->body != NULL) {
    /* The body is JSON either way: labelled as the client asked (TS-0008 6.2.2.2). */
    uint16_t cf = in->accept == COAP_MEDIATYPE_APPLICATION_JSON ? COAP_MEDIATYPE_APPLICATION_JSON
                                                                 : MEFD_CF_RES_JSON;
    if (!coap_add_data_large_response(r, sess, req, resp, query, cf, -1, 0,
                                      reply->len, (const uint8_t *)reply->body, release_body,
                                      reply->body))
      free(reply->body);
    reply->body = NULL;
  }
}

void mefd_coap_respond_error(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                          const coap_string_t *query, coap_pdu_t *resp, const struct mefd_coap_req *in,
                          int rsc)
{
  struct mefd_reply reply = {.rsc = rsc, .body = NULL, .len = 0, .drop = false};
  mefd_coap_respond(r, sess, req, query, resp, in, &reply);
}

/* The identity the secure session authenticated: the PSK identity (1), or
 * the one the client certificate names (2), in out; 0 for a session without
 * security, -1 for a secure session with no identity known. */
int mefd_coap_identity(coap_session_t *sess, char *out, size_t cap)
{
  if (coap_session_get_proto(sess) != COAP_PROTO_DTLS)
    return 0;
  const coap_bin_const_t *psk_id = coap_session_get_psk_identity(sess);
  if (psk_id != NULL && psk_id->length > 0 && psk_id->length < cap) {
    memcpy(out, psk_id->s, psk_id->length);
    out[psk_id->length] = '\0';
    return 1;
  }
  const char *cert_id = coap_session_get_app_data(sess);
  if (cert_id != NULL && strlen(cert_id) < cap) {
    snprintf(out, cap, "%s", cert_id);
    return 2;
  }
  return -1;
}

/* Accept (if any) must be a JSON format mefd can answer in; Content-Format
 * (if any) a JSON format it can read. */
int mefd_coap_check_formats(coap_session_t *sess, const struct mefd_coap_req *in, const char *what)
{
  if (in->accept >= 0 && in->accept != MEFD_CF_RES_JSON &&
      in->accept != COAP_MEDIATYPE_APPLICATION_JSON) {
    mefd_log("%s: %s: Accept %ld is neither 10001 nor 50 -> 5207 (4.06)", what, mefd_coap_peer(sess),
             in->accept);
    return MEFD_RSC_NOT_ACCEPTABLE;
  }
  if (in->cf >= 0 && in->cf != MEFD_CF_RES_JSON && in->cf != COAP_MEDIATYPE_APPLICATION_JSON) {
    mefd_log("%s: %s: Content-Format %ld is neither 10001 nor 50 -> 4015", what, mefd_coap_peer(sess),
             in->cf);
    return MEFD_RSC_UNSUPPORTED_MEDIA_TYPE;
  }
  return 0;
}

/* The root name of a JSON object body is key (spec/binding.md 6.4): over
 * CoAP it is what tells a CREATE's resource type, oneM2M-TY being an option
 * a libcoap 4.3.1 server cannot be taught (ruling I-40). */
bool mefd_coap_body_root(const uint8_t *data, size_t len, const char *key)
{
  json_t *doc = data != NULL ? json_loadb((const char *)data, len, 0, NULL) : NULL;
  bool yes = json_is_object(doc) && json_object_get(doc, key) != NULL;
  json_decref(doc);
  return yes;
}

/* The TLS exporter output of the request's DTLS session (10.3.1), the one
 * the client derives its copy of the key from: NULL without DTLS or output. */
const uint8_t *mefd_coap_export(coap_session_t *sess, const char *label,
                                uint8_t out[MEFD_KR_EXPORT_LEN])
{
  coap_tls_library_t lib;
  SSL *ssl = coap_session_get_proto(sess) == COAP_PROTO_DTLS ? coap_session_get_tls(sess, &lib)
                                                             : NULL;
  return ssl != NULL && lib == COAP_TLS_LIBRARY_OPENSSL &&
                 SSL_export_keying_material(ssl, out, MEFD_KR_EXPORT_LEN, label, strlen(label),
                                            NULL, 0, 0) == 1
             ? out
             : NULL;
}

/* Anything else: NOT_FOUND with its RSC, so a oneM2M client can read it. */
void mefd_coap_hnd_unknown(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                        const coap_string_t *query, coap_pdu_t *resp)
{
  struct mefd_coap_req in;
  if (mefd_coap_read(req, &in) != 0)
    memset(&in, 0, sizeof in);
  coap_string_t *path = coap_get_uri_path(req);
  char p[160];
  mefd_log("coap: %s: no resource /%s -> 4004", mefd_coap_peer(sess),
           path != NULL ? mefd_log_safe(p, sizeof p, path->s, path->length) : "");
  coap_delete_string(path);
  mefd_coap_respond_error(r, sess, req, query, resp, &in, MEFD_RSC_NOT_FOUND);
}

/* PSK per identity (MEF Handshake with KpmID as psk_identity, 8.3.5.2.2). */
static const coap_bin_const_t *psk_for_identity(coap_bin_const_t *identity, coap_session_t *sess,
                                                void *arg)
{
  struct mefd_coap *s = arg;
  char who[160];
  mefd_log_safe(who, sizeof who, identity->s, identity->length);
  const struct mefd_psk *e = mefd_psk_find(s->psk, identity->s, identity->length);
  if (e == NULL) {
    mefd_log("dtls: %s: PSK identity %s unknown, handshake refused", mefd_coap_peer(sess), who);
    return NULL;
  }
  mefd_log("dtls: %s: PSK identity %s known", mefd_coap_peer(sess), who);
  s->psk_reply.s = e->key;
  s->psk_reply.length = e->key_len;
  return &s->psk_reply;
}

/* The stored copy of a certificate identity (one per distinct identity, so a
 * session only points at it and nothing is freed per session). */
static const char *intern_id(struct mefd_coap *s, const char *id)
{
  for (size_t i = 0; i < s->n_cert_ids; i++)
    if (strcmp(s->cert_ids[i], id) == 0)
      return s->cert_ids[i];
  char **nv = realloc(s->cert_ids, (s->n_cert_ids + 1) * sizeof *nv);
  if (nv == NULL)
    return NULL;
  s->cert_ids = nv;
  if ((nv[s->n_cert_ids] = strdup(id)) == NULL)
    return NULL;
  return nv[s->n_cert_ids++];
}

/* Client certificate checked by OpenSSL against --ca; keep the identity it
 * names for the session (8.3.5.2.2: the MEF verifies the client certificate). */
static int cert_checked(const char *cn, const uint8_t *der, size_t der_len, coap_session_t *sess,
                        unsigned depth, int validated, void *arg)
{
  (void)cn;
  if (!validated) {
    mefd_log("dtls: %s: certificate at depth %u does not verify against --ca, refused", mefd_coap_peer(sess),
             depth);
    return 0;
  }
  if (depth > 0)
    return 1;
  const unsigned char *p = der;
  X509 *x = d2i_X509(NULL, &p, (long)der_len);
  char id[ID_MAX + 1];
  int rc = x != NULL ? mefd_cert_identity(x, id, sizeof id) : -1;
  X509_free(x);
  if (rc != 0) {
    mefd_log("dtls: %s: client certificate names no identity (SAN URI, dNSName or CN), refused",
             mefd_coap_peer(sess));
    return 0;
  }
  const char *kept = intern_id(arg, id);
  if (kept == NULL)
    return 0;
  coap_session_set_app_data(sess, (void *)kept);
  char who[160];
  mefd_log("dtls: %s: client certificate verified, identity %s", mefd_coap_peer(sess),
           mefd_log_safe(who, sizeof who, id, strlen(id)));
  return 1;
}

static int on_event(coap_session_t *sess, const coap_event_t ev)
{
  switch (ev) {
  case COAP_EVENT_DTLS_CONNECTED: {
    coap_tls_library_t lib;
    SSL *ssl = coap_session_get_tls(sess, &lib);
    mefd_log("dtls: %s: handshake done, %s %s", mefd_coap_peer(sess),
             ssl != NULL && lib == COAP_TLS_LIBRARY_OPENSSL ? SSL_get_version(ssl) : "?",
             ssl != NULL && lib == COAP_TLS_LIBRARY_OPENSSL ? SSL_get_cipher_name(ssl) : "?");
    break;
  }
  case COAP_EVENT_DTLS_ERROR:
    mefd_log("dtls: %s: handshake or record error, session dropped", mefd_coap_peer(sess));
    break;
  case COAP_EVENT_DTLS_CLOSED:
    mefd_log("dtls: %s: closed", mefd_coap_peer(sess));
    break;
  default:
    break;
  }
  return 0;
}

static int add_endpoint(coap_context_t *ctx, const char *bind, int port, coap_proto_t proto)
{
  coap_address_t addr;
  coap_address_init(&addr);
  if (inet_pton(AF_INET, bind, &addr.addr.sin.sin_addr) == 1) {
    addr.addr.sin.sin_family = AF_INET;
    addr.addr.sin.sin_port = htons((uint16_t)port);
    addr.size = sizeof addr.addr.sin;
  } else if (inet_pton(AF_INET6, bind, &addr.addr.sin6.sin6_addr) == 1) {
    addr.addr.sin6.sin6_family = AF_INET6;
    addr.addr.sin6.sin6_port = htons((uint16_t)port);
    addr.size = sizeof addr.addr.sin6;
  } else {
    mefd_log("coap: --bind %s is not a numeric IPv4 or IPv6 address", bind);
    return -1;
  }
  if (coap_new_endpoint(ctx, &addr, proto) == NULL) {
    mefd_log("coap: cannot listen on %s port %d (%s)", bind, port,
             proto == COAP_PROTO_DTLS ? "coaps" : "coap");
    return -1;
  }
  mefd_log("coap: listening on %s:%d (%s)", bind, port,
           proto == COAP_PROTO_DTLS ? "coaps, DTLS" : "coap, no security");
  return 0;
}


int mefd_coap_context(struct mefd_coap *s)
{
  s->ctx = coap_new_context(NULL);
  if (s->ctx == NULL) {
    mefd_log("coap: cannot create a context");
    return -1;
  }
  coap_set_app_data(s->ctx, s);
  coap_context_set_block_mode(s->ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
  /* The oneM2M options are critical (odd numbers): libcoap answers 4.02 Bad
   * Option to a request with one it does not know, and libcoap 4.3.1 can be
   * taught at most two options above 255 (COAP_OPT_FILTER_LONG). mefd takes
   * From and Request Identifier; requests must not carry RVI or TY. */
  coap_register_option(s->ctx, MEFD_OPT_FR);
  coap_register_option(s->ctx, MEFD_OPT_RQI);
  coap_register_event_handler(s->ctx, on_event);
  return 0;
}

int mefd_coap_listen(struct mefd_coap *s, const char *who, const char *bind, int coaps_port,
                     int coap_port, const char *cert, const char *key, const char *ca)
{
  if (coaps_port != 0) {
    if (!coap_dtls_is_supported()) {
      mefd_log("%s: this libcoap has no DTLS", who);
      return -1;
    }
    if (s->psk != NULL && s->psk->n > 0) {
      coap_dtls_spsk_t spsk;
      memset(&spsk, 0, sizeof spsk);
      spsk.version = COAP_DTLS_SPSK_SETUP_VERSION;
      spsk.validate_id_call_back = psk_for_identity;
      spsk.id_call_back_arg = s;
      if (!coap_context_set_psk2(s->ctx, &spsk)) {
        mefd_log("%s: cannot set up DTLS PSK", who);
        return -1;
      }
      mefd_log("%s: DTLS PSK on, one key per identity", who);
    }
    if (cert != NULL && key != NULL && ca != NULL) {
      coap_dtls_pki_t pki;
      memset(&pki, 0, sizeof pki);
      pki.version = COAP_DTLS_PKI_SETUP_VERSION;
      pki.verify_peer_cert = 1;
      pki.check_common_ca = 1;
      pki.cert_chain_validation = 1;
      pki.cert_chain_verify_depth = 3;
      pki.validate_cn_call_back = cert_checked;
      pki.cn_call_back_arg = s;
      pki.pki_key.key_type = COAP_PKI_KEY_PEM;
      pki.pki_key.key.pem.ca_file = ca;
      pki.pki_key.key.pem.public_cert = cert;
      pki.pki_key.key.pem.private_key = key;
      if (!coap_context_set_pki(s->ctx, &pki)) {
        mefd_log("%s: cannot set up DTLS certificates from %s, its key and %s", who, cert, ca);
        return -1;
      }
      mefd_log("%s: DTLS certificates on, client certificates verified against %s", who, ca);
    }
    if (add_endpoint(s->ctx, bind, coaps_port, COAP_PROTO_DTLS) != 0)
      return -1;
  }
  if (coap_port != 0 && add_endpoint(s->ctx, bind, coap_port, COAP_PROTO_UDP) != 0)
    return -1;
  return 0;
}

void mefd_coap_free(struct mefd_coap *s)
{
  if (s->ctx != NULL)
    coap_free_context(s->ctx);
  s->ctx = NULL;
  for (size_t i = 0; i < s->n_cert_ids; i++)
    free(s->cert_ids[i]);
  free(s->cert_ids);
  s->cert_ids = NULL;
  s->n_cert_ids = 0;
}
