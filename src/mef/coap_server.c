/* mefd's CoAP side through libcoap 4.3's server API. The transport's job
 * only: endpoints and DTLS credentials, the oneM2M options FR/RQI in and
 * RSC/RQI out, binding the From parameter to the DTLS identity, and
 * turning the procedures' Response Status Codes into CoAP codes (TS-0008
 * table 6.2.4-1). What a request means is decided in procedures.c. */
#include "coap_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "bootstrap.h"
#include "ca.h"
#include "log.h"
#include "procedures.h"

#define ID_MAX 255u /* FR is a string of 0-255 bytes (TS-0008) */

/* What a request carries besides its path and method. */
struct req_info {
  char fr[ID_MAX + 1];
  bool has_fr;
  uint8_t rqi[ID_MAX];
  size_t rqi_len;
  bool has_rqi;
  long cf;     /* Content-Format, -1 when absent */
  long accept; /* Accept, -1 when absent */
  const uint8_t *data;
  size_t len;
};

static struct mefd_coap *server_of(coap_session_t *sess)
{
  return coap_get_app_data(coap_session_get_context(sess));
}

static const char *peer(coap_session_t *sess)
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
static int read_request(const coap_pdu_t *req, struct req_info *in)
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
static void respond(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                    const coap_string_t *query, coap_pdu_t *resp, const struct req_info *in,
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

static void respond_error(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                          const coap_string_t *query, coap_pdu_t *resp, const struct req_info *in,
                          int rsc)
{
  struct mefd_reply reply = {.rsc = rsc, .body = NULL, .len = 0, .drop = false};
  respond(r, sess, req, query, resp, in, &reply);
}

/* The identity the secure session authenticated: the PSK identity, or the one
 * the client certificate names. Returns 1 with it in out, 0 for a session
 * without security, -1 for a secure session with no identity known. */
static int session_identity(coap_session_t *sess, char *out, size_t cap)
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
    return 1;
  }
  return -1;
}

/* MCC-2-2 (and the same for Registration and Update): the request must name
 * its originator, and over DTLS the originator must be the identity the
 * handshake authenticated. Returns 0 or the RSC to refuse with. */
static int check_originator(coap_session_t *sess, const struct req_info *in, const char *what)
{
  char who[160], auth[ID_MAX + 1], a[160];
  if (!in->has_fr) {
    mefd_log("%s: %s: no oneM2M-FR option (From) -> 4000 [MCC-2-2]", what, peer(sess));
    return MEFD_RSC_BAD_REQUEST;
  }
  mefd_log_safe(who, sizeof who, in->fr, strlen(in->fr));
  int k = session_identity(sess, auth, sizeof auth);
  if (k < 0) {
    mefd_log("%s: client=%s: secure session without an authenticated identity -> 4103", what,
             who);
    return MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE;
  }
  if (k > 0 && strcmp(auth, in->fr) != 0) {
    mefd_log("%s: client=%s: From differs from the DTLS identity %s -> 4103", what, who,
             mefd_log_safe(a, sizeof a, auth, strlen(auth)));
    return MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE;
  }
  if (k == 0)
    mefd_log("%s: client=%s over plain CoAP: From is not authenticated", what, who);
  return 0;
}

/* Accept (if any) must be a JSON format mefd can answer in; Content-Format
 * (if any) a JSON format it can read. */
static int check_formats(coap_session_t *sess, const struct req_info *in, const char *what)
{
  if (in->accept >= 0 && in->accept != MEFD_CF_RES_JSON &&
      in->accept != COAP_MEDIATYPE_APPLICATION_JSON) {
    mefd_log("%s: %s: Accept %ld is neither 10001 nor 50 -> 5207 (4.06)", what, peer(sess),
             in->accept);
    return MEFD_RSC_NOT_ACCEPTABLE;
  }
  if (in->cf >= 0 && in->cf != MEFD_CF_RES_JSON && in->cf != COAP_MEDIATYPE_APPLICATION_JSON) {
    mefd_log("%s: %s: Content-Format %ld is neither 10001 nor 50 -> 4015", what, peer(sess),
             in->cf);
    return MEFD_RSC_UNSUPPORTED_MEDIA_TYPE;
  }
  return 0;
}

static void hnd_cmd(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                    const coap_string_t *query, coap_pdu_t *resp);

/* The <mefClientCmd> resource of a registration, created once. */
static void add_cmd_resource(struct mefd_coap *s, struct mefd_client *c)
{
  if (c->resource != NULL)
    return;
  char path[MEFD_RN_MAX + 16];
  int n = snprintf(path, sizeof path, "mef/%s/cmd", c->rn);
  coap_str_const_t *uri = coap_new_str_const((const uint8_t *)path, (size_t)n);
  coap_resource_t *r = uri != NULL ? coap_resource_init(uri, COAP_RESOURCE_FLAGS_RELEASE_URI)
                                   : NULL;
  if (r == NULL) {
    mefd_log("coap: cannot create resource /%s", path);
    return;
  }
  coap_register_request_handler(r, COAP_REQUEST_GET, hnd_cmd);
  coap_register_request_handler(r, COAP_REQUEST_PUT, hnd_cmd);
  coap_resource_set_userdata(r, c);
  coap_add_resource(s->ctx, r);
  c->resource = r;
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

/* POST /mef with a `sec:mkr` body: MEF Key Registration (8.3.5.2.7). */
static void key_register(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                         const coap_string_t *query, coap_pdu_t *resp, const struct req_info *in)
{
  struct mefd_coap *s = server_of(sess);
  uint8_t exp[MEFD_KR_EXPORT_LEN];
  const uint8_t *have = mefd_coap_export(sess, MEFD_KR_LABEL, exp);
  struct mefd_reply reply;
  mefd_proc_key_register(s->kr, s->reg, in->fr, in->data != NULL ? in->data : (const uint8_t *)"",
                         in->len, have, &reply);
  OPENSSL_cleanse(exp, sizeof exp);
  respond(r, sess, req, query, resp, in, &reply);
}

/* POST /mef: MEF Client Registration (CREATE of <mefClientReg>), or MEF Key
 * Registration when the body's root is `sec:mkr`. */
static void hnd_register(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                         const coap_string_t *query, coap_pdu_t *resp)
{
  struct mefd_coap *s = server_of(sess);
  struct req_info in;
  if (read_request(req, &in) != 0) {
    mefd_log("register: %s: malformed oneM2M option -> 4000", peer(sess));
    respond_error(r, sess, req, query, resp, &in, MEFD_RSC_BAD_REQUEST);
    return;
  }
  int rsc = check_originator(sess, &in, "register");
  if (rsc == 0)
    rsc = check_formats(sess, &in, "register");
  if (rsc != 0) {
    respond_error(r, sess, req, query, resp, &in, rsc);
    return;
  }
  if (mefd_coap_body_root(in.data, in.len, "sec:mkr")) {
    key_register(r, sess, req, query, resp, &in);
    return;
  }
  struct mefd_reply reply;
  struct mefd_client *c = NULL;
  mefd_proc_register(s->reg, in.fr, in.data, in.len, &reply, &c);
  if (c != NULL)
    add_cmd_resource(s, c);
  respond(r, sess, req, query, resp, &in, &reply);
}

/* GET and PUT /mef/<rn>/cmd: MEF Client Command Retrieve and Update. */
static void hnd_cmd(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                    const coap_string_t *query, coap_pdu_t *resp)
{
  struct mefd_coap *s = server_of(sess);
  struct mefd_client *c = coap_resource_get_userdata(r);
  bool get = coap_pdu_get_code(req) == COAP_REQUEST_CODE_GET;
  const char *what = get ? "retrieve" : "update";
  struct req_info in;
  if (read_request(req, &in) != 0) {
    mefd_log("%s: %s: malformed oneM2M option -> 4000 [%s]", what, peer(sess),
             get ? "MCC-2-2" : "MCC-3-2a");
    respond_error(r, sess, req, query, resp, &in, MEFD_RSC_BAD_REQUEST);
    return;
  }
  int rsc = check_originator(sess, &in, what);
  if (rsc == 0 && strcmp(in.fr, c->id) != 0) {
    char who[160];
    mefd_log("%s: client=%s: registration %s belongs to another client -> 4103 [MCC-2-2]", what,
             mefd_log_safe(who, sizeof who, in.fr, strlen(in.fr)), c->rn);
    rsc = MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE;
  }
  if (rsc == 0)
    rsc = check_formats(sess, &in, what);
  if (rsc != 0) {
    respond_error(r, sess, req, query, resp, &in, rsc);
    return;
  }
  struct mefd_reply reply;
  if (get)
    mefd_proc_retrieve(c, &reply);
  else
    mefd_proc_update(s->res, c, in.data, in.len, &reply);
  if (reply.drop) {
    /* No response code: libcoap acknowledges the message and sends nothing more. */
    free(reply.body);
    return;
  }
  respond(r, sess, req, query, resp, &in, &reply);
}

/* Anything else: NOT_FOUND with its RSC, so a oneM2M client can read it. */
static void hnd_unknown(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                        const coap_string_t *query, coap_pdu_t *resp)
{
  struct req_info in;
  if (read_request(req, &in) != 0)
    memset(&in, 0, sizeof in);
  coap_string_t *path = coap_get_uri_path(req);
  char p[160];
  mefd_log("coap: %s: no resource /%s -> 4004", peer(sess),
           path != NULL ? mefd_log_safe(p, sizeof p, path->s, path->length) : "");
  coap_delete_string(path);
  respond_error(r, sess, req, query, resp, &in, MEFD_RSC_NOT_FOUND);
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
    mefd_log("dtls: %s: PSK identity %s unknown, handshake refused", peer(sess), who);
    return NULL;
  }
  mefd_log("dtls: %s: PSK identity %s known", peer(sess), who);
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
    mefd_log("dtls: %s: certificate at depth %u does not verify against --ca, refused", peer(sess),
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
             peer(sess));
    return 0;
  }
  const char *kept = intern_id(arg, id);
  if (kept == NULL)
    return 0;
  coap_session_set_app_data(sess, (void *)kept);
  char who[160];
  mefd_log("dtls: %s: client certificate verified, identity %s", peer(sess),
           mefd_log_safe(who, sizeof who, id, strlen(id)));
  return 1;
}

static bool verbose;

/* libcoap's own messages: warnings and worse, the critical options it
 * refused (which never reach a handler), or everything with --verbose. */
static void libcoap_log(coap_log_t level, const char *message)
{
  size_t n = strlen(message);
  while (n > 0 && message[n - 1] == '\n')
    n--;
  if (strstr(message, "unknown critical option") != NULL)
    mefd_log("coap: libcoap: %.*s -> 4.02 Bad Option (mefd knows oneM2M options %d FR and %d "
             "RQI only)", (int)n, message, MEFD_OPT_FR, MEFD_OPT_RQI);
  else if (verbose || level <= LOG_WARNING)
    mefd_log("coap: libcoap: %.*s", (int)n, message);
}

static int on_event(coap_session_t *sess, const coap_event_t ev)
{
  switch (ev) {
  case COAP_EVENT_DTLS_CONNECTED: {
    coap_tls_library_t lib;
    SSL *ssl = coap_session_get_tls(sess, &lib);
    mefd_log("dtls: %s: handshake done, %s %s", peer(sess),
             ssl != NULL && lib == COAP_TLS_LIBRARY_OPENSSL ? SSL_get_version(ssl) : "?",
             ssl != NULL && lib == COAP_TLS_LIBRARY_OPENSSL ? SSL_get_cipher_name(ssl) : "?");
    break;
  }
  case COAP_EVENT_DTLS_ERROR:
    mefd_log("dtls: %s: handshake or record error, session dropped", peer(sess));
    break;
  case COAP_EVENT_DTLS_CLOSED:
    mefd_log("dtls: %s: closed", peer(sess));
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

int mefd_coap_start(struct mefd_coap *s, const struct mefd_opts *o, struct mefd_registry *reg,
                    struct mefd_results *res, const struct mefd_psk_table *psk,
                    struct mefd_key_regs *kr)
{
  memset(s, 0, sizeof *s);
  s->reg = reg;
  s->kr = kr;
  s->res = res;
  s->psk = psk;
  coap_startup();
  verbose = o->verbose;
  /* Debug level always, so that "unknown critical option" reaches
   * libcoap_log(), which keeps only what matters unless --verbose. */
  coap_set_log_handler(libcoap_log);
  coap_set_show_pdu_output(0); /* PDU dumps through libcoap_log, not stdout */
  coap_set_log_level(LOG_DEBUG);
  coap_dtls_set_log_level(o->verbose ? LOG_DEBUG : LOG_WARNING);
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

  if (o->coaps_port != 0) {
    if (!coap_dtls_is_supported()) {
      mefd_log("coap: this libcoap has no DTLS");
      return -1;
    }
    if (psk->n > 0) {
      coap_dtls_spsk_t spsk;
      memset(&spsk, 0, sizeof spsk);
      spsk.version = COAP_DTLS_SPSK_SETUP_VERSION;
      spsk.validate_id_call_back = psk_for_identity;
      spsk.id_call_back_arg = s;
      if (!coap_context_set_psk2(s->ctx, &spsk)) {
        mefd_log("coap: cannot set up DTLS PSK");
        return -1;
      }
      mefd_log("coap: DTLS PSK on, one key per identity");
    }
    if (o->cert != NULL && o->ca != NULL) {
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
      pki.pki_key.key.pem.ca_file = o->ca;
      pki.pki_key.key.pem.public_cert = o->cert;
      pki.pki_key.key.pem.private_key = o->key;
      if (!coap_context_set_pki(s->ctx, &pki)) {
        mefd_log("coap: cannot set up DTLS certificates from --cert/--key/--ca");
        return -1;
      }
      mefd_log("coap: DTLS certificates on, client certificates verified against %s", o->ca);
    }
    if (add_endpoint(s->ctx, o->bind, o->coaps_port, COAP_PROTO_DTLS) != 0)
      return -1;
  }
  if (o->coap_port != 0 && add_endpoint(s->ctx, o->bind, o->coap_port, COAP_PROTO_UDP) != 0)
    return -1;

  /* LwM2M Bootstrap-Server for DEV_CFG (POST /bs, MCC-8-5). */
  if (mefd_bs_attach(s->ctx, reg) != 0)
    return -1;
  coap_resource_t *mef = coap_resource_init(coap_make_str_const("mef"), 0);
  coap_resource_t *unknown = coap_resource_unknown_init2(hnd_unknown, 0);
  if (mef == NULL || unknown == NULL)
    return -1;
  coap_register_request_handler(mef, COAP_REQUEST_POST, hnd_register);
  coap_add_resource(s->ctx, mef);
  coap_register_request_handler(unknown, COAP_REQUEST_GET, hnd_unknown);
  coap_register_request_handler(unknown, COAP_REQUEST_POST, hnd_unknown);
  coap_register_request_handler(unknown, COAP_REQUEST_DELETE, hnd_unknown);
  coap_add_resource(s->ctx, unknown);
  /* Registrations resumed from the results file (--resume). */
  for (size_t i = 0; i < reg->n; i++)
    add_cmd_resource(s, reg->v[i]);
  if (coap_context_get_coap_fd(s->ctx) < 0) {
    mefd_log("coap: this libcoap has no epoll descriptor to wait on");
    return -1;
  }
  return 0;
}

int mefd_coap_fd(const struct mefd_coap *s)
{
  return coap_context_get_coap_fd(s->ctx);
}

void mefd_coap_process(struct mefd_coap *s)
{
  /* OpenSSL's error queue is shared with the HTTPS side: start clean so
   * libcoap reports only its own errors. */
  ERR_clear_error();
  coap_io_process(s->ctx, COAP_IO_NO_WAIT);
  mefd_bs_tick();
}

void mefd_coap_stop(struct mefd_coap *s)
{
  if (s->ctx != NULL) {
    mefd_bs_stop();
    coap_free_context(s->ctx);
  }
  s->ctx = NULL;
  for (size_t i = 0; i < s->n_cert_ids; i++)
    free(s->cert_ids[i]);
  free(s->cert_ids);
  s->cert_ids = NULL;
  s->n_cert_ids = 0;
  coap_cleanup();
}
