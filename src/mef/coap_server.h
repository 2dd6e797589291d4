/* mefd's CoAP side through libcoap's server API: endpoints (CoAP, CoAP over
 * DTLS with a PSK per identity and with certificates), the "mef" resource
 * (MEF Client Registration, and MEF Key Registration told by the body's root
 * `sec:mkr`, ruling I-40) and one "mef/<rn>/cmd" resource per registration
 * (MEF Client Command Retrieve and Update), with the oneM2M options of TS-0008. */
#ifndef MEFD_COAP_SERVER_H
#define MEFD_COAP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <coap3/coap.h>

#include "key_reg.h"
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
  struct mefd_key_regs *kr;   /* MEF Key Registrations, shared with the HTTPS side */
  coap_bin_const_t psk_reply; /* the key handed to libcoap, which copies it */
  char **cert_ids;            /* identities client certificates named, owned here */
  size_t n_cert_ids;
};

/* Create the context and endpoints; key registrations go to kr. Returns 0,
 * or -1 after logging. */
int mefd_coap_start(struct mefd_coap *s, const struct mefd_opts *o, struct mefd_registry *reg,
                    struct mefd_results *res, const struct mefd_psk_table *psk,
                    struct mefd_key_regs *kr);

/* The descriptor to wait on (libcoap's epoll descriptor). */
int mefd_coap_fd(const struct mefd_coap *s);

/* Handle whatever is ready and libcoap's timers, without blocking. */
void mefd_coap_process(struct mefd_coap *s);

void mefd_coap_stop(struct mefd_coap *s);

/* What the MAF's CoAPS listener shares: whether a JSON body's root object
 * has member key (how a CREATE is typed over CoAP, ruling I-40), and the
 * 48-byte exporter output of a DTLS session under label (NULL: none). */
bool mefd_coap_body_root(const uint8_t *data, size_t len, const char *key);
const uint8_t *mefd_coap_export(coap_session_t *sess, const char *label,
                                uint8_t out[MEFD_KR_EXPORT_LEN]);

#endif
