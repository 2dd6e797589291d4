/* mefd's MAF role: a reference M2M Authentication Function on an HTTPS
 * listener (--maf-https-port) and a CoAPS listener (--maf-coaps-port) of its
 * own, with its own FQDN and certificate, taking MAF Client Registration and
 * MAF Key Registration CREATEs at /maf (profile v1, spec/binding.md 6.5) in
 * the same libevent loop as the MEF. */
#ifndef MEFD_MAF_H
#define MEFD_MAF_H

#include <stdbool.h>

#include <event2/event.h>
#include <openssl/ssl.h>

#include "coap_common.h"
#include "maf_coap.h"
#include "maf_km.h"
#include "maf_proc.h"
#include "options.h"
#include "registry.h"

struct mefd_maf {
  struct evhttp *http;
  SSL_CTX *ssl;
  struct mefd_maf_km km;      /* --maf-psk-file, or empty */
  struct mefd_registry *reg;  /* the MEF's: a client's current command carries the faults */
  struct mefd_maf_state st;
  struct mefd_coap coap;      /* --maf-coaps-port, or ctx NULL */
};

/* Listen on o->bind:o->maf_https_port and (or) o->maf_coaps_port. Returns
 * 0, or -1 after logging. */
int mefd_maf_start(struct mefd_maf *m, struct event_base *base, const struct mefd_opts *o,
                   struct mefd_registry *reg);

void mefd_maf_stop(struct mefd_maf *m);

/* The campaign's key_reg_fault for a MAF Client: it rides on the client's
 * current MEF command (NULL: none). */
const char *mefd_maf_fault(const struct mefd_maf *m, const char *client);

#endif
