/* The HTTP side of mefd's oneM2M interface. Like coap_server.c it only
 * carries requests: headers in, the originator checked against the TLS
 * identity, the procedures of procedures.c called, their Response Status
 * Code turned into an HTTP status (TS-0009 6.3.2) and an X-M2M-RSC header.
 * The Reason-Phrase is left empty (TS-0009 6.3.3). */
#include "http_onem2m.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/keyvalq_struct.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "key_reg.h"
#include "log.h"
#include "procedures.h"
#include "tls_server.h"

#define ID_MAX 255u
#define TYPE_RES_JSON "application/vnd.onem2m-res+json"
#define TYPE_JSON "application/json"
#define TY_MEF_CLIENT_REG 10020L
/* drop_updates: how long an Update stays unanswered before a late 500. */
#define DROP_SECONDS 30

int mefd_http_status(int rsc)
{
  switch (rsc) {
  case MEFD_RSC_OK:
  case MEFD_RSC_UPDATED:
    return 200;
  case MEFD_RSC_CREATED:
    return 201;
  case MEFD_RSC_BAD_REQUEST:
    return 400;
  case MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE:
    return 403;
  case MEFD_RSC_NOT_FOUND:
    return 404;
  case MEFD_RSC_OPERATION_NOT_ALLOWED:
    return 405;
  case MEFD_RSC_NOT_ACCEPTABLE:
    return 406;
  case MEFD_RSC_UNSUPPORTED_MEDIA_TYPE:
    return 415;
  default:
    return 500;
  }
}

SSL *mefd_http_ssl(struct evhttp_request *req)
{
  struct evhttp_connection *conn = evhttp_request_get_connection(req);
  struct bufferevent *bev = conn != NULL ? evhttp_connection_get_bufferevent(conn) : NULL;
  return bev != NULL ? bufferevent_openssl_get_ssl(bev) : NULL;
}

static const char *method_name(enum evhttp_cmd_type m)
{
  switch (m) {
  case EVHTTP_REQ_GET:
    return "GET";
  case EVHTTP_REQ_POST:
    return "POST";
  case EVHTTP_REQ_PUT:
    return "PUT";
  case EVHTTP_REQ_DELETE:
    return "DELETE";
  default:
    return "other";
  }
}

void mefd_http_read(struct evhttp_request *req, struct mefd_http_req *in)
{
  struct evkeyvalq *h = evhttp_request_get_input_headers(req);
  struct evhttp_connection *conn = evhttp_request_get_connection(req);
  const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
  const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
  char *addr = NULL;
  ev_uint16_t port = 0;
  memset(in, 0, sizeof *in);
  in->method = method_name(evhttp_request_get_command(req));
  mefd_log_safe(in->path, sizeof in->path, path != NULL ? path : "", path != NULL ? strlen(path) : 0);
  if (conn != NULL)
    evhttp_connection_get_peer(conn, &addr, &port);
  snprintf(in->peer, sizeof in->peer, "%s:%u", addr != NULL ? addr : "?", port);
  in->fr = evhttp_find_header(h, "X-M2M-Origin");
  in->rqi = evhttp_find_header(h, "X-M2M-RI");
  in->rvi = evhttp_find_header(h, "X-M2M-RVI");
  in->type = evhttp_find_header(h, "Content-Type");
  in->accept = evhttp_find_header(h, "Accept");
  struct evbuffer *b = evhttp_request_get_input_buffer(req);
  in->len = evbuffer_get_length(b);
  in->body = in->len > 0 ? (const char *)evbuffer_pullup(b, -1) : NULL;
  if (in->body == NULL)
    in->len = 0;
}

/* The media type of a Content-Type or Accept element, without parameters. */
static bool media_is(const char *v, size_t n, const char *type)
{
  while (n > 0 && (*v == ' ' || *v == '\t')) {
    v++;
    n--;
  }
  size_t t = 0;
  while (t < n && v[t] != ';' && v[t] != ' ' && v[t] != '\t')
    t++;
  return t == strlen(type) && strncasecmp(v, type, t) == 0;
}

/* The response type the Accept header allows (TS-0009 6.4.2), or NULL when
 * it allows no JSON mefd can send. No Accept: the oneM2M type. */
static const char *response_type(const char *accept)
{
  if (accept == NULL)
    return TYPE_RES_JSON;
  const char *p = accept;
  bool json = false;
  while (*p != '\0') {
    size_t n = strcspn(p, ",");
    if (media_is(p, n, TYPE_RES_JSON) || media_is(p, n, "*/*") || media_is(p, n, "application/*"))
      return TYPE_RES_JSON;
    json = json || media_is(p, n, TYPE_JSON);
    p += n + (p[n] == ',');
  }
  return json ? TYPE_JSON : NULL;
}

/* The ty= parameter of a Content-Type (TS-0009 6.4.3), -1 when absent. */
long mefd_http_ty(const char *type)
{
  const char *p = strchr(type, ';');
  while (p != NULL) {
    p++;
    while (*p == ' ' || *p == '\t')
      p++;
    if (strncasecmp(p, "ty=", 3) == 0) {
      char *end;
      long v = strtol(p + 3, &end, 10);
      return end != p + 3 && (*end == '\0' || *end == ';' || *end == ' ') ? v : -2;
    }
    p = strchr(p, ';');
  }
  return -1;
}

void mefd_http_respond(struct evhttp_request *req, const struct mefd_http_req *in,
                    struct mefd_reply *reply, const char *location)
{
  struct evkeyvalq *h = evhttp_request_get_output_headers(req);
  char rsc[16];
  int status = mefd_http_status(reply->rsc);
  snprintf(rsc, sizeof rsc, "%d", reply->rsc);
  evhttp_add_header(h, "X-M2M-RSC", rsc);
  if (in->rqi != NULL)
    evhttp_add_header(h, "X-M2M-RI", in->rqi);
  if (in->rvi != NULL)
    evhttp_add_header(h, "X-M2M-RVI", in->rvi);
  if (location != NULL)
    evhttp_add_header(h, "Content-Location", location);
  struct evbuffer *b = NULL;
  if (reply->body != NULL) {
    const char *type = response_type(in->accept);
    evhttp_add_header(h, "Content-Type", type != NULL ? type : TYPE_RES_JSON);
    b = evbuffer_new();
    if (b != NULL)
      evbuffer_add(b, reply->body, reply->len);
  }
  evhttp_send_reply(req, status, "", b);
  if (b != NULL)
    evbuffer_free(b);
  free(reply->body);
  reply->body = NULL;
  mefd_log("https: %s %s from %s -> %d rsc=%d", in->method, in->path, in->peer, status, reply->rsc);
}

void mefd_http_respond_error(struct evhttp_request *req, const struct mefd_http_req *in, int rsc)
{
  struct mefd_reply reply = {.rsc = rsc, .body = NULL, .len = 0, .drop = false};
  mefd_http_respond(req, in, &reply, NULL);
}

/* MCC-2-2 (and the same for Registration and Update): the request names its
 * originator, and it is the identity the TLS handshake authenticated. */
static int check_originator(struct evhttp_request *req, const struct mefd_http_req *in,
                            const char *what)
{
  char who[160], auth[ID_MAX + 1], a[160];
  if (in->fr == NULL || in->fr[0] == '\0' || strlen(in->fr) > ID_MAX) {
    mefd_log("%s: %s: no usable X-M2M-Origin (From) -> 4000 [MCC-2-2]", what, in->peer);
    return MEFD_RSC_BAD_REQUEST;
  }
  mefd_log_safe(who, sizeof who, in->fr, strlen(in->fr));
  const char *how = mefd_tls_peer_identity(mefd_http_ssl(req), auth, sizeof auth);
  if (how == NULL) {
    mefd_log("%s: client=%s: TLS session without an authenticated identity -> 4103", what, who);
    return MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE;
  }
  if (strcmp(auth, in->fr) != 0) {
    mefd_log("%s: client=%s: From differs from the TLS %s identity %s -> 4103", what, who, how,
             mefd_log_safe(a, sizeof a, auth, strlen(auth)));
    return MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE;
  }
  return 0;
}

/* Accept must allow JSON; a body must be JSON (TS-0009 6.4.2, 6.4.3). */
int mefd_http_check_formats(const struct mefd_http_req *in, const char *what)
{
  char v[160];
  if (response_type(in->accept) == NULL) {
    mefd_log("%s: %s: Accept %s allows no JSON -> 5207 (406)", what, in->peer,
             mefd_log_safe(v, sizeof v, in->accept, strlen(in->accept)));
    return MEFD_RSC_NOT_ACCEPTABLE;
  }
  if (in->len > 0 && (in->type == NULL || (!media_is(in->type, strlen(in->type), TYPE_RES_JSON) &&
                                           !media_is(in->type, strlen(in->type), TYPE_JSON)))) {
    mefd_log("%s: %s: Content-Type %s is not JSON -> 4015 (415)", what, in->peer,
             in->type != NULL ? mefd_log_safe(v, sizeof v, in->type, strlen(in->type)) : "(none)");
    return MEFD_RSC_UNSUPPORTED_MEDIA_TYPE;
  }
  return 0;
}

static void hnd_cmd(struct evhttp_request *req, void *arg);

/* The <mefClientCmd> resource of a registration: its path gets a callback
 * (evhttp refuses a second one for the same path, which is what we want). */
static void add_cmd_resource(struct mefd_http_om2m *s, const struct mefd_client *c)
{
  char path[MEFD_RN_MAX + 16];
  snprintf(path, sizeof path, "/mef/%s/cmd", c->rn);
  evhttp_set_cb(s->http, path, hnd_cmd, s);
}

/* POST /mef with ty=10022: MEF Key Registration (8.3.5.2.7). The key comes
 * from the exporter of this request's own TLS session (10.3.1), the one the
 * client derives its copy from. */
const uint8_t *mefd_http_export(struct evhttp_request *req, const char *label,
                                uint8_t out[MEFD_KR_EXPORT_LEN])
{
  SSL *ssl = mefd_http_ssl(req);
  return ssl != NULL && SSL_export_keying_material(ssl, out, MEFD_KR_EXPORT_LEN, label,
                                                   strlen(label), NULL, 0, 0) == 1
             ? out
             : NULL;
}

static void key_register(struct evhttp_request *req, struct mefd_http_om2m *s,
                         const struct mefd_http_req *in)
{
  uint8_t exp[MEFD_KR_EXPORT_LEN];
  const uint8_t *have = mefd_http_export(req, MEFD_KR_LABEL, exp);
  struct mefd_reply reply;
  mefd_proc_key_register(&s->kr, s->reg, in->fr, in->body != NULL ? in->body : "", in->len, have,
                         &reply);
  OPENSSL_cleanse(exp, sizeof exp);
  mefd_http_respond(req, in, &reply, NULL);
}

/* POST /mef: MEF Client Registration, a CREATE (ty=10020 in Content-Type). */
static void hnd_register(struct evhttp_request *req, void *arg)
{
  struct mefd_http_om2m *s = arg;
  struct mefd_http_req in;
  mefd_http_read(req, &in);
  if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
    mefd_log("register: %s: %s on /mef -> 4005", in.peer, in.method);
    mefd_http_respond_error(req, &in, MEFD_RSC_OPERATION_NOT_ALLOWED);
    return;
  }
  int rsc = check_originator(req, &in, "register");
  if (rsc == 0)
    rsc = mefd_http_check_formats(&in, "register");
  if (rsc == 0 && in.type != NULL && mefd_http_ty(in.type) == MEFD_TY_SYMM_KEY_REG) {
    key_register(req, s, &in);
    return;
  }
  if (rsc == 0 && (in.type == NULL || mefd_http_ty(in.type) != TY_MEF_CLIENT_REG)) {
    /* Without ty= a POST is a Notify (TS-0009 6.2.1), which /mef does not take. */
    mefd_log("register: %s: Content-Type without ty=%ld: not a CREATE of <mefClientReg> -> 4000",
             in.peer, TY_MEF_CLIENT_REG);
    rsc = MEFD_RSC_BAD_REQUEST;
  }
  if (rsc != 0) {
    mefd_http_respond_error(req, &in, rsc);
    return;
  }
  struct mefd_reply reply;
  struct mefd_client *c = NULL;
  mefd_proc_register(s->reg, in.fr, in.body != NULL ? in.body : "", in.len, &reply, &c);
  char loc[MEFD_RN_MAX + 8];
  if (c != NULL) {
    add_cmd_resource(s, c);
    snprintf(loc, sizeof loc, "/mef/%s", c->rn);
  }
  mefd_http_respond(req, &in, &reply, c != NULL ? loc : NULL);
}

/* A late answer to an Update the campaign said to drop: by then the client
 * has given up and closed the connection, and evhttp only frees the request. */
static void late_reply(evutil_socket_t fd, short what, void *arg)
{
  struct evhttp_request *req = arg;
  (void)fd;
  (void)what;
  struct evkeyvalq *h = evhttp_request_get_output_headers(req);
  evhttp_add_header(h, "X-M2M-RSC", "5000");
  evhttp_send_reply(req, 500, "", NULL);
}

/* GET and PUT /mef/<rn>/cmd: MEF Client Command Retrieve and Update. */
static void hnd_cmd(struct evhttp_request *req, void *arg)
{
  struct mefd_http_om2m *s = arg;
  struct mefd_http_req in;
  mefd_http_read(req, &in);
  enum evhttp_cmd_type m = evhttp_request_get_command(req);
  bool get = m == EVHTTP_REQ_GET;
  const char *what = get ? "retrieve" : "update";
  const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
  const char *path = uri != NULL ? evhttp_uri_get_path(uri) : "";
  char rn[MEFD_RN_MAX];
  size_t n = path != NULL && strncmp(path, "/mef/", 5) == 0 ? strcspn(path + 5, "/") : 0;
  struct mefd_client *c = NULL;
  if (n > 0 && n < sizeof rn) {
    memcpy(rn, path + 5, n);
    rn[n] = '\0';
    c = mefd_registry_by_rn(s->reg, rn);
  }
  struct mefd_reply reply;
  if (c == NULL || mefd_proc_expired(c, what, &reply)) {
    mefd_http_respond_error(req, &in, MEFD_RSC_NOT_FOUND);
    return;
  }
  if (m != EVHTTP_REQ_GET && m != EVHTTP_REQ_PUT) {
    mefd_log("%s: %s: %s on <mefClientCmd> -> 4005", what, in.peer, in.method);
    mefd_http_respond_error(req, &in, MEFD_RSC_OPERATION_NOT_ALLOWED);
    return;
  }
  int rsc = check_originator(req, &in, what);
  if (rsc == 0 && strcmp(in.fr, c->id) != 0) {
    char who[160];
    mefd_log("%s: client=%s: registration %s belongs to another client -> 4103 [MCC-2-2]", what,
             mefd_log_safe(who, sizeof who, in.fr, strlen(in.fr)), c->rn);
    rsc = MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE;
  }
  if (rsc == 0)
    rsc = mefd_http_check_formats(&in, what);
  if (rsc != 0) {
    mefd_http_respond_error(req, &in, rsc);
    return;
  }
  if (get)
    mefd_proc_retrieve(c, &reply);
  else
    mefd_proc_update(s->res, c, in.body != NULL ? in.body : "", in.len, &reply);
  if (reply.drop) {
    struct evhttp_connection *conn = evhttp_request_get_connection(req);
    struct timeval tv = {DROP_SECONDS, 0};
    free(reply.body);
    mefd_log("https: %s %s from %s -> no response (dropped)", in.method, in.path, in.peer);
    if (conn == NULL || event_base_once(evhttp_connection_get_base(conn), -1, EV_TIMEOUT,
                                        late_reply, req, &tv) != 0)
      mefd_http_respond_error(req, &in, MEFD_RSC_INTERNAL_SERVER_ERROR);
    return;
  }
  mefd_http_respond(req, &in, &reply, NULL);
}

int mefd_http_om2m_start(struct mefd_http_om2m *s, struct evhttp *http, struct mefd_registry *reg,
                         struct mefd_results *res)
{
  s->http = http;
  s->reg = reg;
  s->res = res;
  /* DELETE reaches the handlers, so a oneM2M client gets 405 with 4005 (an
   * RSC) rather than evhttp's bare 405. */
  evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                                       EVHTTP_REQ_DELETE);
  if (evhttp_set_cb(http, "/mef", hnd_register, s) != 0) {
    mefd_log("https: cannot add the oneM2M resource /mef");
    return -1;
  }
  /* Registrations resumed from the results file (--resume), as over CoAP. */
  for (size_t i = 0; i < reg->n; i++)
    add_cmd_resource(s, reg->v[i]);
  mefd_log("https: oneM2M HTTP binding on: POST /mef (ty=10020 registration, ty=10022 key "
           "registration), GET and PUT /mef/<rn>/cmd");
  return 0;
}
