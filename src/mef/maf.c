/* The MAF listener. The MAF Handshake (TS-0003 8.8.2.2) is TLS 1.2 with the
 * MAF's certificate, a client certificate checked against --ca, or TLS-PSK
 * with a pre-provisioned Km whose KmID names the MAF Client (ruling I-41).
 * The MAF Client ID is that authenticated identity; X-M2M-Origin must be it.
 * POST /maf with ty=10023 is MAF Client Registration, ty=10022 MAF Key
 * Registration (whose key comes from this request's own session). The CoAPS
 * listener is in maf_coap.c. */
#include "maf.h"

#include <stdio.h>
#include <string.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "http_onem2m.h"
#include "log.h"
#include "tls_server.h"

#define ID_MAX 255u
#define BODY_MAX 65536

/* The MAF Client ID the handshake authenticated, into out; 0 or an RSC. */
static int maf_client(struct mefd_maf *m, struct evhttp_request *req,
                      const struct mefd_http_req *in, char *out, size_t cap)
{
  char auth[ID_MAX + 1], a[160], f[160];
  const char *how = mefd_tls_peer_identity(mefd_http_ssl(req), auth, sizeof auth);
  const char *id = how == NULL ? NULL : strcmp(how, "psk") == 0 ? mefd_maf_km_owner(&m->km, auth)
                                                                 : auth;
  if (id == NULL) {
    mefd_log("maf: %s: no authenticated MAF Client (%s%s) -> 4103", in->peer,
             how != NULL ? "KmID " : "no identity",
             how != NULL ? mefd_log_safe(a, sizeof a, auth, strlen(auth)) : "");
    return MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE;
  }
  if (in->fr == NULL || strcmp(in->fr, id) != 0) {
    mefd_log("maf: %s: From %s is not the MAF Client %s authenticated by %s -> 4103", in->peer,
             in->fr != NULL ? mefd_log_safe(f, sizeof f, in->fr, strlen(in->fr)) : "(none)",
             mefd_log_safe(a, sizeof a, id, strlen(id)), how);
    return MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE;
  }
  snprintf(out, cap, "%s", id);
  return 0;
}

const char *mefd_maf_fault(const struct mefd_maf *m, const char *client)
{
  /* The campaign's faults ride on the client's current MEF command. */
  const struct mefd_client *c = mefd_registry_find(m->reg, client);
  const struct mefd_cmd *cur = c != NULL ? mefd_client_current(c) : NULL;
  return cur != NULL ? cur->key_reg_fault : NULL;
}

static void route(struct evhttp_request *req, void *arg)
{
  struct mefd_maf *m = arg;
  struct mefd_http_req in;
  mefd_http_read(req, &in);
  const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
  const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
  char client[ID_MAX + 1];
  int rsc = 0;
  if (path == NULL || strcmp(path, "/maf") != 0)
    rsc = MEFD_RSC_NOT_FOUND;
  else if (evhttp_request_get_command(req) != EVHTTP_REQ_POST)
    rsc = MEFD_RSC_OPERATION_NOT_ALLOWED;
  if (rsc == 0)
    rsc = maf_client(m, req, &in, client, sizeof client);
  if (rsc == 0)
    rsc = mefd_http_check_formats(&in, "maf");
  long ty = rsc == 0 && in.type != NULL ? mefd_http_ty(in.type) : -1;
  if (rsc == 0 && ty != MEFD_TY_MAF_CLIENT_REG && ty != MEFD_TY_SYMM_KEY_REG) {
    mefd_log("maf: %s: Content-Type without ty=%d or ty=%d -> 4000", in.peer,
             MEFD_TY_MAF_CLIENT_REG, MEFD_TY_SYMM_KEY_REG);
    rsc = MEFD_RSC_BAD_REQUEST;
  }
  if (rsc != 0) {
    mefd_http_respond_error(req, &in, rsc);
    ERR_clear_error();
    return;
  }
  const char *fault = mefd_maf_fault(m, client);
  const char *body = in.body != NULL ? in.body : "";
  struct mefd_reply reply;
  if (ty == MEFD_TY_MAF_CLIENT_REG) {
    char loc[64];
    mefd_maf_client_register(&m->st, client, fault, body, in.len, &reply, loc, sizeof loc);
    mefd_http_respond(req, &in, &reply, loc[0] != '\0' ? loc : NULL);
  } else {
    uint8_t exp[MEFD_KR_EXPORT_LEN];
    const uint8_t *have = mefd_http_export(req, MEFD_MAF_KR_LABEL, exp);
    mefd_maf_key_register(&m->st, client, fault, body, in.len, have, &reply);
    OPENSSL_cleanse(exp, sizeof exp);
    mefd_http_respond(req, &in, &reply, NULL);
  }
  ERR_clear_error();
}

/* Each accepted connection gets its own OpenSSL session. */
static struct bufferevent *maf_bev(struct event_base *base, void *arg)
{
  SSL *ssl = SSL_new(((struct mefd_maf *)arg)->ssl);
  return ssl != NULL ? bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                                      BEV_OPT_CLOSE_ON_FREE)
                     : NULL;
}

static int https_start(struct mefd_maf *m, struct event_base *base, const struct mefd_opts *o)
{
  struct mefd_opts mo = *o;
  /* The MAF's own certificate; client certificates still chain to --ca. */
  mo.cert = o->maf_cert;
  mo.key = o->maf_key;
  m->ssl = mefd_tls_server_ctx(&mo, &m->km.psk);
  m->http = m->ssl != NULL ? evhttp_new(base) : NULL;
  if (m->http == NULL)
    return -1;
  evhttp_set_bevcb(m->http, maf_bev, m);
  evhttp_set_gencb(m->http, route, m);
  evhttp_set_max_body_size(m->http, BODY_MAX);
  evhttp_set_timeout(m->http, 10);
  evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                                          EVHTTP_REQ_DELETE);
  if (evhttp_bind_socket_with_handle(m->http, o->bind, (ev_uint16_t)o->maf_https_port) == NULL) {
    mefd_log("maf: cannot listen on %s:%d", o->bind, o->maf_https_port);
    return -1;
  }
  mefd_log("maf: %s listening on %s:%d (TLS 1.2; MAF Handshake with %zu pre-provisioned Km%s): "
           "POST /maf (ty=%d client registration, ty=%d key registration)", o->maf_fqdn, o->bind,
           o->maf_https_port, m->km.psk.n, o->ca != NULL ? " or client certificates" : "",
           MEFD_TY_MAF_CLIENT_REG, MEFD_TY_SYMM_KEY_REG);
  return 0;
}

int mefd_maf_start(struct mefd_maf *m, struct event_base *base, const struct mefd_opts *o,
                   struct mefd_registry *reg)
{
  m->reg = reg;
  m->st.fqdn = o->maf_fqdn;
  m->st.kr.dir = o->key_dir;
  if (o->maf_psk_file != NULL && mefd_maf_km_load(&m->km, o->maf_psk_file) != 0)
    return -1;
  if (o->maf_https_port != 0 && https_start(m, base, o) != 0)
    return -1;
  /* Both listeners share the MAF's state: a registration made over one
   * binding is precondition B of a key registration over the other. */
  if (o->maf_coaps_port != 0 && mefd_maf_coap_start(m, o) != 0)
    return -1;
  return 0;
}

void mefd_maf_stop(struct mefd_maf *m)
{
  mefd_maf_coap_stop(m);
  if (m->http != NULL)
    evhttp_free(m->http);
  if (m->ssl != NULL)
    SSL_CTX_free(m->ssl);
  m->http = NULL;
  m->ssl = NULL;
  mefd_maf_state_free(&m->st);
  mefd_maf_km_free(&m->km);
}
