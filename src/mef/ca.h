/* The MEF's certificate authority for EST (RFC 7030) with OpenSSL: issues a
 * certificate for a CSR, copying the CSR's subject and SubjectAltName, and
 * wraps certificates in a PKCS#7 certs-only (degenerate signedData) structure.
 * Also names the identity a certificate stands for. */
#ifndef MEFD_CA_H
#define MEFD_CA_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

struct mefd_ca {
  STACK_OF(X509) *certs; /* every certificate of the CA file; the first issues */
  EVP_PKEY *key;         /* the first certificate's key, NULL when EST is off */
};

/* Load the CA file (PEM, one or more certificates) and, when key_file is not
 * NULL, the issuing key, which must match the first certificate. */
int mefd_ca_load(struct mefd_ca *ca, const char *ca_file, const char *key_file);

/* Issue a certificate for req (signature verified first): serial random,
 * valid one year, subject and SubjectAltName from the CSR. NULL with a reason
 * in err when the CSR is refused. */
X509 *mefd_ca_issue(const struct mefd_ca *ca, X509_REQ *req, char *err, size_t cap);

/* DER of a PKCS#7 certs-only structure holding certs. Returns 0 and a
 * buffer to OPENSSL_free in *der, or -1. */
int mefd_p7_certs_only(STACK_OF(X509) *certs, unsigned char **der, size_t *len);

/* The identity a certificate names: its first SubjectAltName URI, else its
 * first dNSName, else its subject CN. Returns 0, or -1 when it names none. */
int mefd_cert_identity(X509 *x, char *out, size_t cap);

/* True when req's SubjectAltName holds a URI or dNSName equal to id. */
bool mefd_csr_names(X509_REQ *req, const char *id);

void mefd_ca_free(struct mefd_ca *ca);

#endif
