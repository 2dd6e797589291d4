/* The pieces of mefd's CoAP side that its listeners share (the MEF's, and
 * the MAF role's with --maf-coaps-port): a context that knows the oneM2M
 * options FR and RQI, DTLS credentials (a PSK per identity, certificates
 * checked against --ca) and endpoints, reading a request's options and body,
 * the originator a DTLS session authenticated, responses with oneM2M-RSC,
 * and what the key registrations need over CoAP: the request type told by
 * the body's root and the session's TLS exporter (ruling I-40). */
#ifndef MEFD_COAP_COMMON_H
#define MEFD_COAP_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <coap3/coap.h>

#include "key_reg.h"
#include "procedures.h"
#include "psk.h"
#include "registry.h"
#include "results.h"

/* oneM2M CoAP options (TS-0008 table 6.2.2.4.0-1) mefd reads and writes.
 * RVI (271) and TY (267) are not among them: see mefd_coap_context(). */
#define MEFD_OPT_FR 279
#define MEFD_OPT_RQI 283
#define MEFD_OPT_RSC 307

/* Content-Format application/vnd.onem2m-res+json. */
#define MEFD_CF_RES_JSON 10001

#define MEFD_COAP_ID_MAX 255u /* FR is a string of 0-255 bytes (TS-0008) */

struct mefd_coap {
  coap_context_t *ctx;
  struct mefd_registry *reg;
  struct mefd_results *res;
  const struct mefd_psk_table *psk;
  struct mefd_key_regs *kr;   /* MEF Key Registrations, shared with the HTTPS side */
  void *owner;                /* the role this listener serves (the MAF's: struct mefd_maf) */
  coap_bin_const_t psk_reply; /* the key handed to libcoap, which copies it */
  char **cert_ids;            /* identities client certificates named, owned here */
  size_t n_cert_ids;
};

/* What a request carries besides its path and method. */
struct mefd_coap_req {
  char fr[MEFD_COAP_ID_MAX + 1];
  bool has_fr;
  uint8_t rqi[MEFD_COAP_ID_MAX];
  size_t rqi_len;
  bool has_rqi;
  long cf;     /* Content-Format, -1 when absent */
  long accept; /* Accept, -1 when absent */
  const uint8_t *data;
  size_t len;
};

/* s->ctx: a new context whose app data is s, block-wise transfers by
 * libcoap, oneM2M-FR and -RQI registered. 0, or -1 after logging. */
int mefd_coap_context(struct mefd_coap *s);

/* DTLS credentials and endpoints on s->ctx: with coaps_port, PSKs from s->psk
 * (when it has any) and certificates cert/key with client certificates
 * verified against ca (when all three are given); coap_port (plain UDP) when
 * not 0. who names the listener in the log. 0, or -1 after logging. */
int mefd_coap_listen(struct mefd_coap *s, const char *who, const char *bind, int coaps_port,
                     int coap_port, const char *cert, const char *key, const char *ca);

/* The peer's address for the log. */
const char *mefd_coap_peer(coap_session_t *sess);

/* Read the options and body. Returns 0, or -1 when an option is malformed. */
int mefd_coap_read(const coap_pdu_t *req, struct mefd_coap_req *in);

/* Fill the response: the CoAP code for reply->rsc, RQI echoed, oneM2M-RSC,
 * the body (consumed) as JSON, block-wise when large. */
void mefd_coap_respond(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                       const coap_string_t *query, coap_pdu_t *resp,
                       const struct mefd_coap_req *in, struct mefd_reply *reply);
void mefd_coap_respond_error(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                             const coap_string_t *query, coap_pdu_t *resp,
                             const struct mefd_coap_req *in, int rsc);

/* The identity the secure session authenticated, into out: 1 for a PSK
 * identity, 2 for the identity a client certificate names, 0 for a session
 * without security, -1 for a secure session with no identity known. */
int mefd_coap_identity(coap_session_t *sess, char *out, size_t cap);

/* Accept and Content-Format (if any) JSON formats mefd handles: 0 or the RSC. */
int mefd_coap_check_formats(coap_session_t *sess, const struct mefd_coap_req *in,
                            const char *what);

/* Whether a JSON body's root object has member key: how a CREATE is typed
 * over CoAP (ruling I-40). */
bool mefd_coap_body_root(const uint8_t *data, size_t len, const char *key);

/* The 48-byte TLS exporter output of the request's DTLS session under label
 * (10.3.1), into out; NULL without DTLS or output. */
const uint8_t *mefd_coap_export(coap_session_t *sess, const char *label,
                                uint8_t out[MEFD_KR_EXPORT_LEN]);

/* Anything else: 4.04 with RSC 4004. */
void mefd_coap_hnd_unknown(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                           const coap_string_t *query, coap_pdu_t *resp);

/* Free the context and the identities kept (not coap_cleanup()). */
void mefd_coap_free(struct mefd_coap *s);

#endif
