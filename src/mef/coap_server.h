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

#include "coap_common.h"
#include "key_reg.h"
#include "options.h"
#include "psk.h"
#include "registry.h"
#include "results.h"

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

#endif
