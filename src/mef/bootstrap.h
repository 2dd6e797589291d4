/* mefd as the LwM2M Bootstrap-Server of DEV_CFG commands (devMgmtID 3): POST
 * /bs?ep= on the CoAP(S) listener, then the campaign entry's Bootstrap-Delete
 * and Bootstrap-Write requests sent to the client on that session, then
 * Bootstrap-Finish; per-client outcome in the log. Format of the campaign
 * member "bootstrap": docs/mefd.md. */
#ifndef MEFD_BOOTSTRAP_H
#define MEFD_BOOTSTRAP_H

#include <coap3/coap.h>
#include <jansson.h>

#include "registry.h"

/* Check the "bootstrap" member of a campaign command (bootstrap_check.c).
 * 0, or -1 after logging. */
int mefd_bs_check(const char *path, const char *where, const json_t *spec);

/* Register /bs and the response handlers on the context. 0, or -1. */
int mefd_bs_attach(coap_context_t *ctx, struct mefd_registry *reg);

/* Send what is due (called after each round of libcoap I/O). */
void mefd_bs_tick(void);

/* Drop the bootstraps in progress (before the context is freed). */
void mefd_bs_stop(void);

#endif
