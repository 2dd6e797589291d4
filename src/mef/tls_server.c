/* The OpenSSL server context of mefd's HTTPS side. Widely deployed EST
 * servers speak TLS 1.2 only, and so does this one. A client certificate is
 * requested but not demanded: the handshake completes either way and each
 * request is judged by mefd_tls_peer_identity(). */
#include "tls_server.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "ca.h"
#include "log.h"

/* TS-0003 10.2.2/10.2.3 mandatory TLS suites (PSK-AES128-CBC-SHA256 = 174,
 * ECDHE-ECDSA-AES128-SHA256 = 49187) and common AEAD ones. */
#define CIPHERS                                                                                  \
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"       \
  "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA256:"             \
  "PSK-AES128-CBC-SHA256:PSK-AES128-GCM-SHA256:PSK-AES128-CCM8:ECDHE-PSK-AES128-CBC-SHA256"

static int psk_index = -1;

static unsigned int psk_cb(SSL *ssl, const char *identity, unsigned char *psk, unsigned int max)
{
  const struct mefd_psk_table *t = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), psk_index);
  char who[160];
  const struct mefd_psk *e = identity != NULL && t != NULL ? mefd_psk_find(t, identity,
                                                                          strlen(identity))
                                                           : NULL;
  if (identity != NULL)
    mefd_log_safe(who, sizeof who, identity, strlen(identity));
  if (e == NULL || e->key_len > max) {
    mefd_log("https: TLS-PSK identity %s unknown, handshake refused", identity ? who : "(none)");
    return 0;
  }
  memcpy(psk, e->key, e->key_len);
  return (unsigned int)e->key_len;
}

/* Let the handshake finish whatever the client certificate: its verdict stays
 * in SSL_get_verify_result() for the request handlers. */
static int accept_any(int preverify, X509_STORE_CTX *x)
{
  (void)preverify;
  (void)x;
  return 1;
}

SSL_CTX *mefd_tls_server_ctx(const struct mefd_opts *o, const struct mefd_psk_table *psk)
{
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == NULL)
    return NULL;
  int ok = SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 &&
           SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) == 1 &&
           SSL_CTX_set_cipher_list(ctx, CIPHERS) == 1;
  if (ok && (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1 ||
             SSL_CTX_use_PrivateKey_file(ctx, o->key, SSL_FILETYPE_PEM) != 1 ||
             SSL_CTX_check_private_key(ctx) != 1)) {
    mefd_log("https: cannot use --cert %s with --key %s", o->cert, o->key);
    ok = 0;
  }
  if (ok && o->ca != NULL) {
    STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(o->ca);
    if (SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1 || names == NULL) {
      mefd_log("https: cannot load --ca %s", o->ca);
      sk_X509_NAME_pop_free(names, X509_NAME_free);
      ok = 0;
    } else {
      SSL_CTX_set_client_CA_list(ctx, names);
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any);
    }
  }
  if (ok && psk != NULL && psk->n > 0) {
    if (psk_index < 0)
      psk_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    SSL_CTX_set_ex_data(ctx, psk_index, (void *)psk);
    SSL_CTX_set_psk_server_callback(ctx, psk_cb);
  }
  if (!ok) {
    ERR_clear_error();
    SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

const char *mefd_tls_peer_identity(SSL *ssl, char *out, size_t cap)
{
  out[0] = '\0';
  if (ssl == NULL)
    return NULL;
  const char *psk_id = SSL_get_psk_identity(ssl);
  if (psk_id != NULL && psk_id[0] != '\0' && strlen(psk_id) < cap) {
    snprintf(out, cap, "%s", psk_id);
    return "psk";
  }
  X509 *peer = SSL_get0_peer_certificate(ssl);
  if (peer != NULL && SSL_get_verify_result(ssl) == X509_V_OK &&
      mefd_cert_identity(peer, out, cap) == 0)
    return "certificate";
  out[0] = '\0';
  return NULL;
}
