/* mefd's CoAP side through libcoap's server API: endpoints (CoAP, CoAP over
 * DTLS with a PSK per identity and with certificates), the "mef" resource
 * (MEF Client Registration) and one "mef/<rn>/cmd" resource per registration
 * (MEF Client Command Retrieve and Update), with the oneM2M options of TS-0008. */
#ifndef MEFD_COAP_SERVER_H
#define MEFD_COAP_SERVER_H

#include <coap3/coap.h>

#include "options.h"
#include "psk.h"
#include "registry.h"
#include "results.h"

/* oneM2M CoAP options (TS-0008 table 6.2.2.4.0-1) mefd reads and writes.
 * RVI (271) and TY (267) are not among them: see mefd_coap_start(). */
#define MEFD_OPT_FR 279
#define MEFD_OPT_RQI 283
#define MEFD_OPT_RSC 307

/* Content-Format application/vnd.onem2m-res+json. */
#define MEFD_CF_RES_JSON 10001

struct mefd_coap {
  coap_context_t *ctx;
  struct mefd_registry *reg;
  struct mefd_results *res;
  const struct mefd_psk_table *psk;
  coap_bin_const_t psk_reply; /* the key handed to libcoap, which copies it */
  char **cert_ids;            /* identities client certificates named, owned here */
  size_t n_cert_ids;
};

/* Create the context and endpoints. Returns 0, or -1 after logging. */
int mefd_coap_start(struct mefd_coap *s, const struct mefd_opts *o, struct mefd_registry *reg,
                    struct mefd_results *res, const struct mefd_psk_table *psk);

/* The descriptor to wait on (libcoap's epoll descriptor). */
int mefd_coap_fd(const struct mefd_coap *s);

/* Handle whatever is ready and libcoap's timers, without blocking. */
void mefd_coap_process(struct mefd_coap *s);

void mefd_coap_stop(struct mefd_coap *s);

/* The identity the secure session authenticated: the PSK identity, or the one
 * the client certificate names. Returns 1 with it in out, 0 for a session
 * without security, -1 for a secure session with no identity known. */
int mefd_coap_session_identity(coap_session_t *sess, char *out, size_t cap);

#endif
