/* OpenSSL helpers shared by the key store, EST and trust-anchor fetching:
 * SHA-256 fingerprints, PEM/DER certificate parsing, base64 (RFC 7030
 * bodies), PKCS#7 certs-only parsing and PEM serialisation. */
#ifndef MEFC_SHELL_X509UTIL_H
#define MEFC_SHELL_X509UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "mefc/limits.h"

/* SHA-256 over the DER encoding of the certificate. Returns 0 or -1. */
int x509u_fingerprint(X509 *x, uint8_t fp[MEFC_FP_LEN]);

/* 64 lowercase hexadecimal digits and a NUL. */
void x509u_fp_hex(const uint8_t fp[MEFC_FP_LEN], char out[2 * MEFC_FP_LEN + 1]);

/* One certificate from a PEM ("-----BEGIN CERTIFICATE-----") or DER buffer. */
X509 *x509u_parse_cert(const uint8_t *buf, size_t len);

/* Every certificate of a PEM file (at least one), or NULL with a message. */
STACK_OF(X509) *x509u_load_pem_certs(const char *path, char *err, size_t cap);

/* Decode base64, ignoring whitespace (RFC 7030 bodies carry line breaks).
 * Returns 0 and a malloc'd buffer, or -1 when the text is not base64. */
int x509u_b64_decode(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len);

/* base64 without line breaks, malloc'd and NUL-terminated. */
char *x509u_b64_encode(const uint8_t *in, size_t len);

/* The certificates of a DER PKCS#7 SignedData certs-only message (a new
 * stack holding its own references), or NULL when it is not one. */
STACK_OF(X509) *x509u_pkcs7_certs(const uint8_t *der, size_t len);

/* PEM text of a certificate / a private key (PKCS#8), malloc'd, with its
 * length. The key text is wiped by x509u_free_secret. */
char *x509u_cert_pem(X509 *x, size_t *len);
char *x509u_key_pem(EVP_PKEY *k, size_t *len);
void x509u_free_secret(char *s, size_t len);

/* 1 when the certificate carries the public key of k. */
int x509u_cert_has_key(X509 *x, EVP_PKEY *k);

#endif
