/* mefd's CoAP side as the MEF, through libcoap 4.3's server API: the
 * resources `mef` and `mef/<rn>/cmd`, binding the From parameter to the DTLS
 * identity, and MEF Key Registration typed by its body's root (ruling
 * I-40). The transport's job only: what a request means is decided in
 * procedures.c and key_reg.c; the pieces shared with the MAF role's listener
 * are in coap_common.c. */
#include "coap_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "bootstrap.h"
#include "log.h"
#include "procedures.h"

#define ID_MAX MEFD_COAP_ID_MAX

static struct mefd_coap *server_of(coap_session_t *sess)
{
  return coap_get_app_data(coap_session_get_context(sess));
}

/* MCC-2-2 (and the same for Registration and Update): the request must name
 * its originator, and over DTLS the originator must be the identity the
 * handshake authenticated. Returns 0 or the RSC to refuse with. */
static int check_originator(coap_session_t *sess, const struct mefd_coap_req *in, const char *what)
{
  char who[160], auth[ID_MAX + 1], a[160];
  if (!in->has_fr) {
    mefd_log("%s: %s: no oneM2M-FR option (From) -> 4000 [MCC-2-2]", what, mefd_coap_peer(sess));
    return MEFD_RSC_BAD_REQUEST;
  }
  mefd_log_safe(who, sizeof who, in->fr, strlen(in->fr));
  int k = mefd_coap_identity(sess, auth, sizeof auth);
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

/* POST /mef with a `sec:mkr` body: MEF Key Registration (8.3.5.2.7). */
static void key_register(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                         const coap_string_t *query, coap_pdu_t *resp, const struct mefd_coap_req *in)
{
  struct mefd_coap *s = server_of(sess);
  uint8_t exp[MEFD_KR_EXPORT_LEN];
  const uint8_t *have = mefd_coap_export(sess, MEFD_KR_LABEL, exp);
  struct mefd_reply reply;
  mefd_proc_key_register(s->kr, s->reg, in->fr, in->data != NULL ? in->data : (const uint8_t *)"",
                         in->len, have, &reply);
  OPENSSL_cleanse(exp, sizeof exp);
  mefd_coap_respond(r, sess, req, query, resp, in, &reply);
}

/* POST /mef: MEF Client Registration (CREATE of <mefClientReg>), or MEF Key
 * Registration when the body's root is `sec:mkr`. */
static void hnd_register(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                         const coap_string_t *query, coap_pdu_t *resp)
{
  struct mefd_coap *s = server_of(sess);
  struct mefd_coap_req in;
  if (mefd_coap_read(req, &in) != 0) {
    mefd_log("register: %s: malformed oneM2M option -> 4000", mefd_coap_peer(sess));
    mefd_coap_respond_error(r, sess, req, query, resp, &in, MEFD_RSC_BAD_REQUEST);
    return;
  }
  int rsc = check_originator(sess, &in, "register");
  if (rsc == 0)
    rsc = mefd_coap_check_formats(sess, &in, "register");
  if (rsc != 0) {
    mefd_coap_respond_error(r, sess, req, query, resp, &in, rsc);
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
  mefd_coap_respond(r, sess, req, query, resp, &in, &reply);
}

/* GET and PUT /mef/<rn>/cmd: MEF Client Command Retrieve and Update. */
static void hnd_cmd(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                    const coap_string_t *query, coap_pdu_t *resp)
{
  struct mefd_coap *s = server_of(sess);
  struct mefd_client *c = coap_resource_get_userdata(r);
  bool get = coap_pdu_get_code(req) == COAP_REQUEST_CODE_GET;
  const char *what = get ? "retrieve" : "update";
  struct mefd_coap_req in;
  if (mefd_coap_read(req, &in) != 0) {
    mefd_log("%s: %s: malformed oneM2M option -> 4000 [%s]", what, mefd_coap_peer(sess),
             get ? "MCC-2-2" : "MCC-3-2a");
    mefd_coap_respond_error(r, sess, req, query, resp, &in, MEFD_RSC_BAD_REQUEST);
    return;
  }
  struct mefd_reply reply;
  if (mefd_proc_expired(c, what, &reply)) {
    mefd_coap_respond_error(r, sess, req, query, resp, &in, reply.rsc);
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
    rsc = mefd_coap_check_formats(sess, &in, what);
  if (rsc != 0) {
    mefd_coap_respond_error(r, sess, req, query, resp, &in, rsc);
    return;
  }
  if (get)
    mefd_proc_retrieve(c, &reply);
  else
    mefd_proc_update(s->res, c, in.data, in.len, &reply);
  if (reply.drop) {
    /* No response code: libcoap acknowledges the message and sends nothing more. */
    free(reply.body);
    return;
  }
  mefd_coap_respond(r, sess, req, query, resp, &in, &reply);
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
  if (mefd_coap_context(s) != 0 ||
      mefd_coap_listen(s, "coap", o->bind, o->coaps_port, o->coap_port, o->cert, o->key,
                       o->ca) != 0)
    return -1;

  /* LwM2M Bootstrap-Server for DEV_CFG (POST /bs, MCC-8-5). */
  if (mefd_bs_attach(s->ctx, reg) != 0)
    return -1;
  coap_resource_t *mef = coap_resource_init(coap_make_str_const("mef"), 0);
  coap_resource_t *unknown = coap_resource_unknown_init2(mefd_coap_hnd_unknown, 0);
  if (mef == NULL || unknown == NULL)
    return -1;
  coap_register_request_handler(mef, COAP_REQUEST_POST, hnd_register);
  coap_add_resource(s->ctx, mef);
  coap_register_request_handler(unknown, COAP_REQUEST_GET, mefd_coap_hnd_unknown);
  coap_register_request_handler(unknown, COAP_REQUEST_POST, mefd_coap_hnd_unknown);
  coap_register_request_handler(unknown, COAP_REQUEST_DELETE, mefd_coap_hnd_unknown);
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
  if (s->ctx != NULL)
    mefd_bs_stop();
  mefd_coap_free(s);
  coap_cleanup();
}
