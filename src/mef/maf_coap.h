/* The MAF role's CoAPS listener (--maf-coaps-port): MAF Client Registration
 * and MAF Key Registration as POSTs to `maf` over DTLS 1.2 with the MAF's
 * credentials, told apart by the root of their JSON body (rulings I-40,
 * I-43; spec/binding.md 6.5). */
#ifndef MEFD_MAF_COAP_H
#define MEFD_MAF_COAP_H

#include "options.h"

struct mefd_maf;

/* Listen on o->bind:o->maf_coaps_port with the MAF's certificate and the
 * pre-provisioned Km of m. Returns 0, or -1 after logging. */
int mefd_maf_coap_start(struct mefd_maf *m, const struct mefd_opts *o);

/* The descriptor to wait on, and a non-blocking round of I/O and timers. */
int mefd_maf_coap_fd(const struct mefd_maf *m);
void mefd_maf_coap_process(struct mefd_maf *m);

void mefd_maf_coap_stop(struct mefd_maf *m);

#endif
