/* The OpenSSL server context of mefd's HTTPS side: TLS 1.2 only, the MEF's
 * certificate, client certificates requested and checked against --ca, and
 * TLS-PSK with the same per-identity keys as DTLS (EST certificate-less
 * mutual authentication, TS-0003 8.3.6.2.1). */
#ifndef MEFD_TLS_SERVER_H
#define MEFD_TLS_SERVER_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "options.h"
#include "psk.h"

/* NULL after logging when the certificate or key cannot be used. psk must
 * outlive the context. */
SSL_CTX *mefd_tls_server_ctx(const struct mefd_opts *o, const struct mefd_psk_table *psk);

/* How the peer of ssl authenticated: "psk" or "certificate" with its identity
 * in out, or NULL when it did not (out is then ""). */
const char *mefd_tls_peer_identity(SSL *ssl, char *out, size_t cap);

#endif
