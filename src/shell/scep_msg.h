/* SCEP messages (RFC 8894 3): the PKCSReq pkiMessage - a SignedData over an
 * EnvelopedData holding the CSR, signed with the requester's self-signed
 * certificate - and the CertRep it gets back, verified against the CA (or
 * RA) certificates and decrypted with the requester's key. */
#ifndef MEFC_SHELL_SCEP_MSG_H
#define MEFC_SHELL_SCEP_MSG_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#define SCEP_NONCE_LEN 16u

/* pkiStatus (RFC 8894 3.2.1.3) */
enum scep_status { SCEP_SUCCESS = 0, SCEP_FAILURE = 2, SCEP_PENDING = 3 };

typedef struct {
  X509 *self;            /* self-signed certificate of key (RFC 8894 2.3) */
  EVP_PKEY *key;
  X509 *recipient;       /* CA or RA certificate the CSR is encrypted to */
  const EVP_CIPHER *cipher;
  const EVP_MD *md;
  char trans_id[2 * 32 + 1];     /* transactionID: SHA-256 of the public key, hex */
  uint8_t nonce[SCEP_NONCE_LEN]; /* senderNonce */
} scep_req;

typedef struct {
  int status;            /* enum scep_status */
  int fail_info;         /* failInfo 0..4 with FAILURE, else -1 */
  STACK_OF(X509) *certs; /* the degenerate certs-only content, with SUCCESS */
  int legacy_loaded;     /* the envelope used single DES: the legacy provider was loaded */
} scep_rep;

/* A self-signed certificate for key with subject name (keyUsage
 * digitalSignature and keyEncipherment), and the transactionID and a fresh
 * senderNonce in *r. Returns 0 or -1. */
int scep_req_init(scep_req *r, EVP_PKEY *key, const X509_NAME *name);

/* The DER PKCSReq message for csr. Returns 0 (*der freed with OPENSSL_free)
 * or -1. */
int scep_pkcsreq(const scep_req *r, const uint8_t *csr, size_t csr_len, uint8_t **der,
                 size_t *der_len);

/* Parse and check a CertRep: signed by one of signers (and only them),
 * messageType CertRep, our transactionID, recipientNonce = our senderNonce;
 * with SUCCESS the envelope decrypted. Returns 0, -1 when the server's
 * message is unusable (why says what), -2 when this side fails (memory, no
 * DES available). */
int scep_certrep(const scep_req *r, STACK_OF(X509) *signers, const uint8_t *der, size_t len,
                 scep_rep *out, char *why, size_t cap);

void scep_req_free(scep_req *r);
void scep_rep_free(scep_rep *out);

/* "badAlg", "badMessageCheck", ... for a failInfo value. */
const char *scep_fail_name(int fail_info);

#endif
