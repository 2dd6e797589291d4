/* The MEF's certificate authority for EST, with OpenSSL 3: a CSR in, an
 * X.509 v3 certificate out, signed with SHA-256 by the CA key; the subject
 * and SubjectAltName are the CSR's (8.3.6.2.2 step 3: the identity goes in the
 * SubjectAltName). Certificates go out in PKCS#7 certs-only form. */
#include "ca.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include "log.h"

#define VALIDITY_DAYS 365

int mefd_ca_load(struct mefd_ca *ca, const char *ca_file, const char *key_file)
{
  ca->certs = sk_X509_new_null();
  ca->key = NULL;
  BIO *b = BIO_new_file(ca_file, "r");
  if (ca->certs == NULL || b == NULL) {
    mefd_log("ca: cannot read %s", ca_file);
    return -1;
  }
  X509 *x;
  while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
    sk_X509_push(ca->certs, x);
  ERR_clear_error();
  BIO_free(b);
  if (sk_X509_num(ca->certs) == 0) {
    mefd_log("ca: %s holds no PEM certificate", ca_file);
    return -1;
  }
  if (key_file != NULL) {
    b = BIO_new_file(key_file, "r");
    ca->key = b != NULL ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    if (ca->key == NULL || X509_check_private_key(sk_X509_value(ca->certs, 0), ca->key) != 1) {
      mefd_log("ca: %s is not the private key of the first certificate of %s", key_file,
               ca_file);
      ERR_clear_error();
      return -1;
    }
  }
  char name[256];
  X509_NAME_oneline(X509_get_subject_name(sk_X509_value(ca->certs, 0)), name, sizeof name);
  mefd_log("ca: %d certificate(s) from %s, first %s%s", sk_X509_num(ca->certs), ca_file, name,
           ca->key != NULL ? ", issues EST certificates" : "");
  return 0;
}

/* Add extension nid with value v (OpenSSL configuration syntax). */
static int add_ext(X509 *cert, X509V3_CTX *ctx, int nid, const char *v)
{
  X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, ctx, nid, v);
  int ok = e != NULL && X509_add_ext(cert, e, -1) == 1;
  X509_EXTENSION_free(e);
  return ok ? 0 : -1;
}

/* The SubjectAltName extension of req, or NULL (to free by the caller). */
static X509_EXTENSION *csr_san(X509_REQ *req)
{
  STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
  X509_EXTENSION *found = NULL;
  for (int i = 0; exts != NULL && i < sk_X509_EXTENSION_num(exts); i++) {
    X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);
    if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) == NID_subject_alt_name && found == NULL)
      found = X509_EXTENSION_dup(e);
  }
  sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
  return found;
}

X509 *mefd_ca_issue(const struct mefd_ca *ca, X509_REQ *req, char *err, size_t cap)
{
  X509 *issuer = sk_X509_value(ca->certs, 0);
  EVP_PKEY *pub = X509_REQ_get0_pubkey(req);
  if (ca->key == NULL) {
    snprintf(err, cap, "no CA key: EST enrolment is off");
    return NULL;
  }
  if (pub == NULL || X509_REQ_verify(req, pub) != 1) {
    ERR_clear_error();
    snprintf(err, cap, "the CSR's signature does not verify (no proof of possession)");
    return NULL;
  }
  X509_EXTENSION *san = csr_san(req);
  X509_NAME *subject = X509_REQ_get_subject_name(req);
  if (san == NULL && X509_NAME_entry_count(subject) == 0) {
    snprintf(err, cap, "the CSR names no subject and has no SubjectAltName");
    return NULL;
  }
  X509 *cert = X509_new();
  BIGNUM *serial = BN_new();
  int ok = cert != NULL && serial != NULL;
  ok = ok && X509_set_version(cert, 2) == 1;
  ok = ok && BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
       BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert)) != NULL;
  ok = ok && X509_set_issuer_name(cert, X509_get_subject_name(issuer)) == 1 &&
       X509_set_subject_name(cert, subject) == 1 && X509_set_pubkey(cert, pub) == 1;
  /* A minute back for clocks that lag. */
  ok = ok && X509_gmtime_adj(X509_getm_notBefore(cert), -60) != NULL &&
       X509_time_adj_ex(X509_getm_notAfter(cert), VALIDITY_DAYS, 0, NULL) != NULL;
  X509V3_CTX v3;
  X509V3_set_ctx(&v3, issuer, cert, NULL, NULL, 0);
  bool rsa = EVP_PKEY_is_a(pub, "RSA");
  ok = ok && add_ext(cert, &v3, NID_basic_constraints, "critical,CA:FALSE") == 0 &&
       add_ext(cert, &v3, NID_key_usage,
               rsa ? "critical,digitalSignature,keyEncipherment"
                   : "critical,digitalSignature,keyAgreement") == 0 &&
       add_ext(cert, &v3, NID_ext_key_usage, "clientAuth,serverAuth") == 0 &&
       add_ext(cert, &v3, NID_subject_key_identifier, "hash") == 0 &&
       add_ext(cert, &v3, NID_authority_key_identifier, "keyid:always") == 0;
  if (ok && san != NULL) {
    /* RFC 5280 4.2.1.6: with an empty subject the SubjectAltName is critical. */
    if (X509_NAME_entry_count(subject) == 0)
      X509_EXTENSION_set_critical(san, 1);
    ok = X509_add_ext(cert, san, -1) == 1;
  }
  ok = ok && X509_sign(cert, ca->key, EVP_sha256()) > 0;
  X509_EXTENSION_free(san);
  BN_free(serial);
  if (!ok) {
    unsigned long e = ERR_get_error();
    snprintf(err, cap, "issuing failed: %s", e != 0 ? ERR_reason_error_string(e) : "unknown");
    ERR_clear_error();
    X509_free(cert);
    return NULL;
  }
  return cert;
}

int mefd_p7_certs_only(STACK_OF(X509) *certs, unsigned char **der, size_t *len)
{
  PKCS7 *p7 = PKCS7_new();
  int ok = p7 != NULL && PKCS7_set_type(p7, NID_pkcs7_signed) == 1 &&
           PKCS7_content_new(p7, NID_pkcs7_data) == 1;
  /* Degenerate signedData: no signer, no content, only certificates. */
  ok = ok && PKCS7_set_detached(p7, 1) == 1;
  for (int i = 0; ok && i < sk_X509_num(certs); i++)
    ok = PKCS7_add_certificate(p7, sk_X509_value(certs, i)) == 1;
  *der = NULL;
  int n = ok ? i2d_PKCS7(p7, der) : -1;
  PKCS7_free(p7);
  if (n <= 0) {
    ERR_clear_error();
    return -1;
  }
  *len = (size_t)n;
  return 0;
}

/* Copy an ASN1 string into out when it is printable and fits. */
static int copy_name(const ASN1_STRING *s, char *out, size_t cap)
{
  int n = ASN1_STRING_length(s);
  const unsigned char *d = ASN1_STRING_get0_data(s);
  if (n <= 0 || (size_t)n >= cap)
    return -1;
  for (int i = 0; i < n; i++)
    if (d[i] < 0x20 || d[i] > 0x7e)
      return -1;
  memcpy(out, d, (size_t)n);
  out[n] = '\0';
  return 0;
}

/* The first name of type `type` in a GENERAL_NAMES list. */
static int first_name(GENERAL_NAMES *names, int type, char *out, size_t cap)
{
  for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names); i++) {
    GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
    if (g->type == type && type == GEN_URI)
      return copy_name(g->d.uniformResourceIdentifier, out, cap);
    if (g->type == type && type == GEN_DNS)
      return copy_name(g->d.dNSName, out, cap);
  }
  return -1;
}

int mefd_cert_identity(X509 *x, char *out, size_t cap)
{
  GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
  int rc = first_name(names, GEN_URI, out, cap);
  if (rc != 0)
    rc = first_name(names, GEN_DNS, out, cap);
  GENERAL_NAMES_free(names);
  if (rc != 0) {
    X509_NAME *subj = X509_get_subject_name(x);
    int i = X509_NAME_get_index_by_NID(subj, NID_commonName, -1);
    if (i >= 0)
      rc = copy_name(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, i)), out, cap);
  }
  return rc;
}

bool mefd_csr_names(X509_REQ *req, const char *id)
{
  X509_EXTENSION *san = csr_san(req);
  GENERAL_NAMES *names = san != NULL ? X509V3_EXT_d2i(san) : NULL;
  bool found = false;
  size_t len = strlen(id);
  for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names) && !found; i++) {
    GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
    const ASN1_STRING *s = g->type == GEN_URI   ? g->d.uniformResourceIdentifier
                           : g->type == GEN_DNS ? g->d.dNSName
                                                : NULL;
    found = s != NULL && (size_t)ASN1_STRING_length(s) == len &&
            memcmp(ASN1_STRING_get0_data(s), id, len) == 0;
  }
  GENERAL_NAMES_free(names);
  X509_EXTENSION_free(san);
  return found;
}

void mefd_ca_free(struct mefd_ca *ca)
{
  sk_X509_pop_free(ca->certs, X509_free);
  EVP_PKEY_free(ca->key);
  ca->certs = NULL;
  ca->key = NULL;
}
