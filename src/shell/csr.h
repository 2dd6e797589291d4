/* Certificate signing requests of the enrolment executors (EST, SCEP): the
 * SubjectAltName URI written for a certSubjectID (8.3.9.7 step 5), the DER
 * CSR carrying it, and the check that an issued certificate carries it. */
#ifndef MEFC_SHELL_CSR_H
#define MEFC_SHELL_CSR_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "mefc/command.h"

/* The SubjectAltName URI for certSubjectID, malloc'd; NULL when it cannot be
 * one (bytes outside printable IA5). A bare OID Node-ID ("1.2.3") becomes
 * "urn:oid:1.2.3" (RFC 3061); every other ID is written as it is. */
char *csr_san_uri(const mefc_ident *id);

/* DER CSR signed with key (SHA-256): CN = the ID when it fits (64 bytes),
 * SAN = the URI, and a PKCS#9 challengePassword when challenge is not NULL
 * (SCEP). *der is freed with OPENSSL_free. Returns 0 or -1. */
int csr_make(EVP_PKEY *key, const char *uri, const mefc_ident *id, const char *challenge,
             uint8_t **der, size_t *der_len);

/* 1 when the certificate's SubjectAltName holds the URI. */
int csr_cert_has_uri(X509 *x, const char *uri);

#endif
