/* mefd's HTTPS server (libevent evhttp over bufferevent_openssl): EST
 * (RFC 7030: /.well-known/est/cacerts, /csrattrs, /simpleenroll) with the MEF
 * as RA/CA, and trust-anchor certificates at /ta/NAME.pem and /ta/NAME.der. */
#ifndef MEFD_EST_SERVER_H
#define MEFD_EST_SERVER_H

#include <event2/event.h>
#include <openssl/ssl.h>

#include "ca.h"
#include "options.h"
#include "psk.h"
#include "registry.h"

struct mefd_est {
  struct evhttp *http;
  SSL_CTX *ssl;
  struct mefd_registry *reg;
  const struct mefd_ca *ca; /* NULL without --ca */
  const char *ta_dir;       /* NULL: /ta/ca.* serves the first --ca certificate */
  int est_auth;             /* enum mefd_est_auth */
  char *cacerts;            /* base64 PKCS#7 of every --ca certificate */
};

/* Listen on o->bind:o->https_port. Returns 0, or -1 after logging. */
int mefd_est_start(struct mefd_est *s, struct event_base *base, const struct mefd_opts *o,
                   struct mefd_registry *reg, const struct mefd_ca *ca,
                   const struct mefd_psk_table *psk);

void mefd_est_stop(struct mefd_est *s);

#endif
