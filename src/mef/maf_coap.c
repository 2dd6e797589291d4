/* The MAF role over CoAP/DTLS. The MAF Handshake (TS-0003 8.8.2.2) is DTLS 1.2
 * with the MAF's certificate (a client certificate checked against --ca) or
 * with a pre-provisioned Km whose KmID names the MAF Client (ruling I-41); the
 * MAF Client ID is that authenticated identity and oneM2M-FR must be it. A
 * libcoap 4.3.1 server cannot read oneM2M-TY, so a POST to `maf` is a MAF
 * Client Registration when its body's root is `sec:macr` and a MAF Key
 * Registration when it is `sec:mkr`, whose key comes from this request's own
 * DTLS session (rulings I-40, I-43). */
#include "maf_coap.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "coap_common.h"
#include "log.h"
#include "maf.h"

/* The MAF Client ID the DTLS handshake authenticated, into out; 0 or an RSC. */
static int maf_client(struct mefd_maf *m, coap_session_t *sess, const struct mefd_coap_req *in,
                      char *out, size_t cap)
{
  char auth[MEFD_COAP_ID_MAX + 1], a[160], f[160];
  int k = mefd_coap_identity(sess, auth, sizeof auth);
  const char *id = k == 1 ? mefd_maf_km_owner(&m->km, auth) : k == 2 ? auth : NULL;
  if (id == NULL) {
    mefd_log("maf: %s: no authenticated MAF Client (%s%s) -> 4103", mefd_coap_peer(sess),
             k == 1 ? "KmID " : "no identity",
             k == 1 ? mefd_log_safe(a, sizeof a, auth, strlen(auth)) : "");
    return MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE;
  }
  if (!in->has_fr || strcmp(in->fr, id) != 0) {
    mefd_log("maf: %s: From %s is not the MAF Client %s authenticated by %s -> 4103",
             mefd_coap_peer(sess),
             in->has_fr ? mefd_log_safe(f, sizeof f, in->fr, strlen(in->fr)) : "(none)",
             mefd_log_safe(a, sizeof a, id, strlen(id)), k == 1 ? "psk" : "certificate");
    return MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE;
  }
  snprintf(out, cap, "%s", id);
  return 0;
}

/* The created record's address ("/maf/macr-1") as Location-Path options,
 * as Content-Location carries it over HTTPS. */
static void add_location(coap_pdu_t *resp, const char *loc)
{
  const char *p = loc;
  while (*p == '/')
    p++;
  while (*p != '\0') {
    size_t n = strcspn(p, "/");
    if (n > 0)
      coap_add_option(resp, COAP_OPTION_LOCATION_PATH, n, (const uint8_t *)p);
    p += n;
    while (*p == '/')
      p++;
  }
}

/* POST /maf. */
static void hnd_maf(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                    const coap_string_t *query, coap_pdu_t *resp)
{
  struct mefd_coap *s = coap_get_app_data(coap_session_get_context(sess));
  struct mefd_maf *m = s->owner;
  struct mefd_coap_req in;
  char client[MEFD_COAP_ID_MAX + 1];
  if (mefd_coap_read(req, &in) != 0) {
    mefd_log("maf: %s: malformed oneM2M option -> 4000", mefd_coap_peer(sess));
    mefd_coap_respond_error(r, sess, req, query, resp, &in, MEFD_RSC_BAD_REQUEST);
    return;
  }
  int rsc = maf_client(m, sess, &in, client, sizeof client);
  if (rsc == 0)
    rsc = mefd_coap_check_formats(sess, &in, "maf");
  bool macr = rsc == 0 && mefd_coap_body_root(in.data, in.len, "sec:macr");
  bool mkr = rsc == 0 && !macr && mefd_coap_body_root(in.data, in.len, "sec:mkr");
  if (rsc == 0 && !macr && !mkr) {
    mefd_log("maf: %s: body is neither {\"sec:macr\":...} nor {\"sec:mkr\":...} -> 4000",
             mefd_coap_peer(sess));
    rsc = MEFD_RSC_BAD_REQUEST;
  }
  if (rsc != 0) {
    mefd_coap_respond_error(r, sess, req, query, resp, &in, rsc);
    return;
  }
  const char *fault = mefd_maf_fault(m, client);
  struct mefd_reply reply;
  if (macr) {
    char loc[64];
    mefd_maf_client_register(&m->st, client, fault, in.data, in.len, &reply, loc, sizeof loc);
    if (loc[0] != '\0')
      add_location(resp, loc);
  } else {
    uint8_t exp[MEFD_KR_EXPORT_LEN];
    const uint8_t *have = mefd_coap_export(sess, MEFD_MAF_KR_LABEL, exp);
    mefd_maf_key_register(&m->st, client, fault, in.data, in.len, have, &reply);
    OPENSSL_cleanse(exp, sizeof exp);
  }
  mefd_coap_respond(r, sess, req, query, resp, &in, &reply);
}

int mefd_maf_coap_start(struct mefd_maf *m, const struct mefd_opts *o)
{
  struct mefd_coap *s = &m->coap;
  memset(s, 0, sizeof *s);
  s->owner = m;
  s->psk = &m->km.psk;
  /* The MAF's own certificate; client certificates still chain to --ca. */
  if (mefd_coap_context(s) != 0 ||
      mefd_coap_listen(s, "maf coap", o->bind, o->maf_coaps_port, 0, o->maf_cert, o->maf_key,
                       o->ca) != 0)
    return -1;
  coap_resource_t *maf = coap_resource_init(coap_make_str_const("maf"), 0);
  coap_resource_t *unknown = coap_resource_unknown_init2(mefd_coap_hnd_unknown, 0);
  if (maf == NULL || unknown == NULL)
    return -1;
  coap_register_request_handler(maf, COAP_REQUEST_POST, hnd_maf);
  coap_add_resource(s->ctx, maf);
  coap_register_request_handler(unknown, COAP_REQUEST_GET, mefd_coap_hnd_unknown);
  coap_register_request_handler(unknown, COAP_REQUEST_POST, mefd_coap_hnd_unknown);
  coap_register_request_handler(unknown, COAP_REQUEST_DELETE, mefd_coap_hnd_unknown);
  coap_add_resource(s->ctx, unknown);
  if (coap_context_get_coap_fd(s->ctx) < 0) {
    mefd_log("maf coap: this libcoap has no epoll descriptor to wait on");
    return -1;
  }
  mefd_log("maf: %s listening on %s:%d (DTLS 1.2; MAF Handshake with %zu pre-provisioned Km%s): "
           "POST /maf (body sec:macr client registration, sec:mkr key registration)",
           o->maf_fqdn, o->bind, o->maf_coaps_port, m->km.psk.n,
           o->ca != NULL ? " or client certificates" : "");
  return 0;
}

int mefd_maf_coap_fd(const struct mefd_maf *m)
{
  return coap_context_get_coap_fd(m->coap.ctx);
}

void mefd_maf_coap_process(struct mefd_maf *m)
{
  ERR_clear_error();
  coap_io_process(m->coap.ctx, COAP_IO_NO_WAIT);
}

void mefd_maf_coap_stop(struct mefd_maf *m)
{
  mefd_coap_free(&m->coap);
}
