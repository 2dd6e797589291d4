/* The LwM2M Bootstrap-Server side of DEV_CFG (bootstrap.h): POST /bs, then
 * one bootstrap per client session, one request outstanding - the next one
 * leaves when the client has answered the previous one - and the outcome
 * logged per client. Payloads: bootstrap_payload.c; the campaign member's
 * check: bootstrap_check.c. Fault knobs (campaign "fault"): refuse /bs, a
 * malformed first Write, no Bootstrap-Finish, the Server (1) writes left out. */
#include "bootstrap.h"
#include "coap_common.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap_payload.h"
#include "log.h"

#define BS_RUNS_MAX 8u
#define CF_TLV 11542u
#define CF_SENML 110u

struct bs_run {
  bool active;
  coap_session_t *sess;  /* referenced while the run lasts */
  char client[256];
  const json_t *spec;    /* the campaign's "bootstrap" member */
  size_t step;
  bool waiting;
  uint8_t token[8];
  size_t token_len;
  char what[128];        /* the outstanding request, for the log */
};

static struct {
  coap_context_t *ctx;
  struct mefd_registry *reg;
  struct bs_run runs[BS_RUNS_MAX];
} bs;

static const char *fault_of(const json_t *spec)
{
  const char *f = json_string_value(json_object_get(spec, "fault"));
  return f != NULL ? f : "";
}

static bool is_senml(const json_t *spec, const json_t *w)
{
  const char *f = json_string_value(json_object_get(w, "format"));
  if (f == NULL)
    f = json_string_value(json_object_get(spec, "format"));
  return f != NULL && strcmp(f, "senml") == 0;
}

static const json_t *deletes_of(const json_t *spec, json_t **own)
{
  const json_t *d = json_object_get(spec, "delete");
  if (d != NULL)
    return d;
  *own = json_pack("[s]", "/");
  return *own;
}

/* The writes that go out (fault "inconsistent": the Server object's left out). */
static bool write_skipped(const json_t *spec, const json_t *w)
{
  const char *p = json_string_value(json_object_get(w, "path"));
  return strcmp(fault_of(spec), "inconsistent") == 0 && p != NULL &&
         (strcmp(p, "/1") == 0 || strncmp(p, "/1/", 3) == 0);
}

static void end_run(struct bs_run *r, const char *outcome)
{
  mefd_log("bootstrap: client=%s outcome=%s", r->client, outcome);
  coap_session_release(r->sess);
  memset(r, 0, sizeof *r);
}

static void release_buf(coap_session_t *s, void *p)
{
  (void)s;
  free(p);
}

static int add_path(coap_optlist_t **ol, const char *p)
{
  while (*p == '/')
    p++;
  while (*p != '\0') {
    size_t n = strcspn(p, "/");
    if (!coap_insert_optlist(ol, coap_new_optlist(COAP_OPTION_URI_PATH, n, (const uint8_t *)p)))
      return -1;
    p += n;
    while (*p == '/')
      p++;
  }
  return 0;
}

/* Send request number r->step. Returns 0, 1 when there is none left, -1. */
static int send_step(struct bs_run *r)
{
  json_t *own = NULL;
  const json_t *dels = deletes_of(r->spec, &own);
  const json_t *writes = json_object_get(r->spec, "write");
  size_t nd = json_array_size(dels), k = r->step, wi = 0;
  const json_t *w = NULL;
  coap_pdu_code_t code;
  const char *path;
  struct mefd_bs_buf *body = NULL;
  unsigned cf = 0;
  bool first_write = true;

  if (k < nd) {
    code = COAP_REQUEST_CODE_DELETE;
    path = json_string_value(json_array_get(dels, k));
    snprintf(r->what, sizeof r->what, "DELETE %s", path);
  } else {
    size_t left = k - nd;
    for (wi = 0; wi < json_array_size(writes); wi++) {
      if (write_skipped(r->spec, json_array_get(writes, wi)))
        continue;
      if (left == 0) {
        w = json_array_get(writes, wi);
        break;
      }
      left--;
      first_write = false;
    }
    if (w == NULL && left > 0) {
      json_decref(own);
      return 1;
    }
    if (w == NULL && strcmp(fault_of(r->spec), "never_finish") == 0) {
      json_decref(own);
      return 1;
    }
    if (w == NULL) {
      code = COAP_REQUEST_CODE_POST;
      path = "/bs";
      snprintf(r->what, sizeof r->what, "Bootstrap-Finish POST /bs");
    } else {
      code = COAP_REQUEST_CODE_PUT;
      path = json_string_value(json_object_get(w, "path"));
      bool senml = is_senml(r->spec, w);
      cf = senml ? CF_SENML : CF_TLV;
      body = calloc(1, sizeof *body);
      if (body == NULL) {
        json_decref(own);
        return -1;
      }
      bool bad_one = first_write && strcmp(fault_of(r->spec), "malformed") == 0;
      if (mefd_bs_payload(w, senml, bad_one, body) != 0) {
        mefd_log("bootstrap: client=%s: the payload for %s exceeds %u bytes", r->client, path,
                 MEFD_BS_PAYLOAD_MAX);
        free(body);
        json_decref(own);
        return -1;
      }
      snprintf(r->what, sizeof r->what, "PUT %s (%s, %zu bytes)", path, senml ? "SenML JSON" : "TLV",
               body->n);
    }
  }
  coap_pdu_t *pdu = coap_new_pdu(COAP_MESSAGE_CON, code, r->sess);
  coap_optlist_t *ol = NULL;
  uint8_t cfb[4];
  int fail = pdu == NULL;
  if (!fail) {
    coap_session_new_token(r->sess, &r->token_len, r->token);
    fail = !coap_add_token(pdu, r->token_len, r->token) || add_path(&ol, path) != 0 ||
           (body != NULL &&
            !coap_insert_optlist(&ol, coap_new_optlist(COAP_OPTION_CONTENT_FORMAT,
                                                       coap_encode_var_safe(cfb, sizeof cfb, cf),
                                                       cfb))) ||
           (ol != NULL && !coap_add_optlist_pdu(pdu, &ol));
  }
  coap_delete_optlist(ol);
  json_decref(own);
  if (!fail && body != NULL) {
    uint8_t *data = malloc(body->n > 0 ? body->n : 1);
    fail = data == NULL;
    if (!fail) {
      memcpy(data, body->b, body->n);
      if (!coap_add_data_large_request(r->sess, pdu, body->n, data, release_buf, data))
        fail = 1; /* data is released by libcoap either way */
    }
  }
  free(body);
  if (fail) {
    mefd_log("bootstrap: client=%s: cannot build %s", r->client, r->what);
    coap_delete_pdu(pdu);
    return -1;
  }
  if (coap_send(r->sess, pdu) == COAP_INVALID_MID) {
    mefd_log("bootstrap: client=%s: cannot send %s", r->client, r->what);
    return -1;
  }
  mefd_log("bootstrap: client=%s: %s", r->client, r->what);
  r->waiting = true;
  return 0;
}

void mefd_bs_tick(void)
{
  for (size_t i = 0; i < BS_RUNS_MAX; i++) {
    struct bs_run *r = &bs.runs[i];
    if (!r->active || r->waiting)
      continue;
    int s = send_step(r);
    if (s == 1)
      end_run(r, "finish_withheld (fault never_finish)");
    else if (s < 0)
      end_run(r, "send_failed");
  }
}

static struct bs_run *run_of(const coap_session_t *sess, const coap_pdu_t *pdu)
{
  coap_bin_const_t tok = coap_pdu_get_token(pdu);
  for (size_t i = 0; i < BS_RUNS_MAX; i++) {
    struct bs_run *r = &bs.runs[i];
    if (r->active && r->waiting && r->sess == sess && tok.length == r->token_len &&
        memcmp(tok.s, r->token, r->token_len) == 0)
      return r;
  }
  return NULL;
}

static coap_response_t on_response(coap_session_t *sess, const coap_pdu_t *sent,
                                   const coap_pdu_t *received, const coap_mid_t mid)
{
  (void)sent;
  (void)mid;
  struct bs_run *r = run_of(sess, received);
  if (r == NULL)
    return COAP_RESPONSE_OK;
  coap_pdu_code_t c = coap_pdu_get_code(received);
  unsigned cls = (unsigned)c >> 5, det = (unsigned)c & 31u;
  mefd_log("bootstrap: client=%s: %s -> %u.%02u", r->client, r->what, cls, det);
  r->waiting = false;
  if (strncmp(r->what, "Bootstrap-Finish", 16) == 0)
    end_run(r, cls == 2 ? "finished (client accepted Bootstrap-Finish)"
                        : "finish_refused (client found the configuration inconsistent)");
  else if (cls != 2)
    end_run(r, "client_rejected");
  else
    r->step++;
  return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *sess, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid)
{
  (void)mid;
  (void)reason;
  struct bs_run *r = sent != NULL ? run_of(sess, sent) : NULL;
  if (r != NULL)
    end_run(r, "no_answer");
}

/* POST /bs?ep=<endpoint>: Bootstrap-Request (LwM2M 1.1 core 6.1.x). */
static void hnd_bs(coap_resource_t *res, coap_session_t *sess, const coap_pdu_t *req,
                   const coap_string_t *query, coap_pdu_t *resp)
{
  char ep[256] = "", who[256], auth[256];
  (void)res;
  (void)req;
  if (query != NULL) {
    const char *q = (const char *)query->s;
    size_t n = query->length;
    for (size_t i = 0; i + 3 <= n; i++) {
      if ((i == 0 || q[i - 1] == '&') && memcmp(q + i, "ep=", 3) == 0) {
        size_t e = i + 3, l = 0;
        while (e + l < n && q[e + l] != '&')
          l++;
        if (l > 0 && l < sizeof ep) {
          memcpy(ep, q + e, l);
          ep[l] = '\0';
        }
        break;
      }
    }
  }
  mefd_log_safe(who, sizeof who, ep, strlen(ep));
  if (ep[0] == '\0') {
    mefd_log("bootstrap: %s: POST /bs without ?ep= -> 4.00", coap_session_str(sess));
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE(400));
    return;
  }
  int k = mefd_coap_identity(sess, auth, sizeof auth);
  if (k < 0 || (k > 0 && strcmp(auth, ep) != 0)) {
    mefd_log("bootstrap: ep=%s: not the identity the DTLS handshake authenticated -> 4.03", who);
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE(403));
    return;
  }
  if (k == 0)
    mefd_log("bootstrap: ep=%s over plain CoAP: the endpoint name is not authenticated", who);
  struct mefd_client *c = mefd_registry_find(bs.reg, ep);
  const struct mefd_cmd *cmd = c != NULL ? mefd_client_current(c) : NULL;
  if (cmd == NULL || cmd->bootstrap == NULL) {
    mefd_log("bootstrap: ep=%s: no DEV_CFG with a bootstrap entry is current for it -> 4.04", who);
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE(404));
    return;
  }
  if (strcmp(fault_of(cmd->bootstrap), "refuse") == 0) {
    mefd_log("bootstrap: client=%s cmd=%s: Bootstrap-Request refused (fault refuse) -> 4.03", who,
             cmd->id);
    mefd_log("bootstrap: client=%s outcome=refused", who);
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE(403));
    return;
  }
  struct bs_run *r = NULL;
  for (size_t i = 0; i < BS_RUNS_MAX; i++) {
    if (bs.runs[i].active && strcmp(bs.runs[i].client, ep) == 0)
      end_run(&bs.runs[i], "superseded (a new Bootstrap-Request)");
  }
  for (size_t i = 0; i < BS_RUNS_MAX && r == NULL; i++)
    if (!bs.runs[i].active)
      r = &bs.runs[i];
  if (r == NULL) {
    mefd_log("bootstrap: client=%s: %u bootstraps already running -> 5.03", who, BS_RUNS_MAX);
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE(503));
    return;
  }
  r->active = true;
  r->sess = coap_session_reference(sess);
  snprintf(r->client, sizeof r->client, "%s", who);
  r->spec = cmd->bootstrap;
  r->step = 0;
  r->waiting = false; /* the first request leaves on the next tick, after this answer */
  mefd_log("bootstrap: client=%s cmd=%s: Bootstrap-Request accepted (%s%s%s) -> 2.04", who, cmd->id,
           is_senml(cmd->bootstrap, NULL) ? "SenML JSON" : "TLV",
           *fault_of(cmd->bootstrap) ? ", fault " : "", fault_of(cmd->bootstrap));
  coap_pdu_set_code(resp, COAP_RESPONSE_CODE(204));
}

int mefd_bs_attach(coap_context_t *ctx, struct mefd_registry *reg)
{
  memset(&bs, 0, sizeof bs);
  bs.ctx = ctx;
  bs.reg = reg;
  coap_resource_t *r = coap_resource_init(coap_make_str_const("bs"), 0);
  if (r == NULL)
    return -1;
  coap_register_request_handler(r, COAP_REQUEST_POST, hnd_bs);
  coap_add_resource(ctx, r);
  coap_register_response_handler(ctx, on_response);
  coap_register_nack_handler(ctx, on_nack);
  return 0;
}

void mefd_bs_stop(void)
{
  for (size_t i = 0; i < BS_RUNS_MAX; i++)
    if (bs.runs[i].active)
      end_run(&bs.runs[i], "stopped (mefd is stopping)");
}
