/* SCEP pkiMessage construction and CertRep checking with OpenSSL's PKCS#7
 * API. The SCEP attributes (RFC 8894 3.2.1) are signed attributes under
 * id-VeriSign OIDs, registered with OBJ_create on first use. The legacy
 * provider is loaded only around the decryption of a single-DES envelope
 * (OpenSSL 3 keeps DES-CBC there) and unloaded right after. */
#include "scep_msg.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "x509util.h"

#define OID_MESSAGE_TYPE "2.16.840.1.113733.1.9.2"
#define OID_PKI_STATUS "2.16.840.1.113733.1.9.3"
#define OID_FAIL_INFO "2.16.840.1.113733.1.9.4"
#define OID_SENDER_NONCE "2.16.840.1.113733.1.9.5"
#define OID_RECIPIENT_NONCE "2.16.840.1.113733.1.9.6"
#define OID_TRANS_ID "2.16.840.1.113733.1.9.7"

#define MSG_CERTREP 3
#define MSG_PKCSREQ 19

static int nid_of(const char *oid, const char *name)
{
  int nid = OBJ_txt2nid(oid);
  return nid != NID_undef ? nid : OBJ_create(oid, name, name);
}

static int add_string_attr(PKCS7_SIGNER_INFO *si, int nid, int type, const uint8_t *v, size_t n)
{
  ASN1_STRING *s = ASN1_STRING_type_new(type);
  if (s == NULL || ASN1_STRING_set(s, v, (int)n) != 1 ||
      PKCS7_add_signed_attribute(si, nid, type, s) != 1) {
    ASN1_STRING_free(s);
    return -1;
  }
  return 0;
}

int scep_req_init(scep_req *r, EVP_PKEY *key, const X509_NAME *name)
{
  X509 *x = X509_new();
  X509V3_CTX ctx;
  X509_EXTENSION *ku = NULL;
  unsigned char *spki = NULL;
  uint8_t dg[32];
  unsigned int dn = 0;
  uint64_t serial = 0;
  int ok = x != NULL && RAND_bytes((unsigned char *)&serial, sizeof serial) == 1 &&
           RAND_bytes(r->nonce, sizeof r->nonce) == 1;

  ok = ok && X509_set_version(x, 2) == 1;
  ok = ok && ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), serial >> 1) == 1;
  ok = ok && X509_set_subject_name(x, name) == 1 && X509_set_issuer_name(x, name) == 1;
  ok = ok && X509_gmtime_adj(X509_getm_notBefore(x), -300) != NULL &&
       X509_gmtime_adj(X509_getm_notAfter(x), 86400) != NULL;
  ok = ok && X509_set_pubkey(x, key) == 1;
  if (ok) {
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    ku = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    ok = ku != NULL && X509_add_ext(x, ku, -1) == 1;
  }
  ok = ok && X509_sign(x, key, EVP_sha256()) > 0;
  /* transactionID: a hash of the public key (RFC 8894 3.2.1.1). */
  int n = ok ? i2d_PUBKEY(key, &spki) : 0;
  ok = ok && n > 0 && EVP_Digest(spki, (size_t)n, dg, &dn, EVP_sha256(), NULL) == 1 && dn == 32;
  if (ok)
    x509u_fp_hex(dg, r->trans_id);
  OPENSSL_free(spki);
  X509_EXTENSION_free(ku);
  if (!ok) {
    X509_free(x);
    return -1;
  }
  r->self = x;
  r->key = key;
  return 0;
}

int scep_pkcsreq(const scep_req *r, const uint8_t *csr, size_t csr_len, uint8_t **der,
                 size_t *der_len)
{
  STACK_OF(X509) *rcpt = sk_X509_new_null();
  BIO *in = BIO_new_mem_buf(csr, (int)csr_len);
  BIO *env_bio = NULL;
  PKCS7 *env = NULL, *p7 = NULL;
  unsigned char *env_der = NULL, *out = NULL;
  char type[8];
  int env_len = 0, n = 0;
  int ok = rcpt != NULL && in != NULL && sk_X509_push(rcpt, r->recipient) > 0;

  ok = ok && (env = PKCS7_encrypt(rcpt, in, r->cipher, PKCS7_BINARY)) != NULL;
  ok = ok && (env_len = i2d_PKCS7(env, &env_der)) > 0;
  ok = ok && (env_bio = BIO_new_mem_buf(env_der, env_len)) != NULL;
  ok = ok && (p7 = PKCS7_sign(NULL, NULL, NULL, NULL, PKCS7_PARTIAL | PKCS7_BINARY)) != NULL;
  PKCS7_SIGNER_INFO *si = NULL;
  ok = ok && (si = PKCS7_sign_add_signer(p7, r->self, r->key, r->md, PKCS7_NOSMIMECAP)) != NULL;
  snprintf(type, sizeof type, "%d", MSG_PKCSREQ);
  ok = ok && add_string_attr(si, nid_of(OID_MESSAGE_TYPE, "scep-messageType"),
                             V_ASN1_PRINTABLESTRING, (const uint8_t *)type, strlen(type)) == 0;
  ok = ok && add_string_attr(si, nid_of(OID_TRANS_ID, "scep-transactionID"),
                             V_ASN1_PRINTABLESTRING, (const uint8_t *)r->trans_id,
                             strlen(r->trans_id)) == 0;
  ok = ok && add_string_attr(si, nid_of(OID_SENDER_NONCE, "scep-senderNonce"),
                             V_ASN1_OCTET_STRING, r->nonce, sizeof r->nonce) == 0;
  ok = ok && PKCS7_final(p7, env_bio, PKCS7_BINARY) == 1;
  ok = ok && (n = i2d_PKCS7(p7, &out)) > 0;
  if (ok) {
    *der = out;
    *der_len = (size_t)n;
  }
  PKCS7_free(p7);
  BIO_free(env_bio);
  OPENSSL_free(env_der);
  PKCS7_free(env);
  BIO_free(in);
  sk_X509_free(rcpt);
  return ok ? 0 : -1;
}

/* The value of a single-valued string attribute, or NULL. */
static const ASN1_STRING *attr(PKCS7_SIGNER_INFO *si, const char *oid, const char *name,
                               int octets)
{
  ASN1_TYPE *t = PKCS7_get_signed_attribute(si, nid_of(oid, name));
  if (t == NULL)
    return NULL;
  if (octets)
    return t->type == V_ASN1_OCTET_STRING ? t->value.octet_string : NULL;
  if (t->type == V_ASN1_PRINTABLESTRING || t->type == V_ASN1_UTF8STRING ||
      t->type == V_ASN1_IA5STRING)
    return t->value.asn1_string;
  return NULL;
}

/* A small decimal number held in a string attribute, or -1. */
static int attr_number(const ASN1_STRING *s)
{
  int v = 0;
  int n = s != NULL ? ASN1_STRING_length(s) : 0;
  const unsigned char *d = s != NULL ? ASN1_STRING_get0_data(s) : NULL;
  if (n <= 0 || n > 4)
    return -1;
  for (int i = 0; i < n; i++) {
    if (d[i] < '0' || d[i] > '9')
      return -1;
    v = v * 10 + (d[i] - '0');
  }
  return v;
}

static int fail_why(char *why, size_t cap, const char *msg)
{
  snprintf(why, cap, "%s", msg);
  return -1;
}

/* Decrypt the EnvelopedData of a SUCCESS reply into its certificates. */
static int open_envelope(const scep_req *r, BIO *content, scep_rep *out, char *why, size_t cap)
{
  PKCS7 *env = d2i_PKCS7_bio(content, NULL);
  BIO *plain = BIO_new(BIO_s_mem());
  OSSL_PROVIDER *legacy = NULL, *deflt = NULL;
  int rc = -1;

  if (plain == NULL) {
    rc = -2;
    snprintf(why, cap, "out of memory");
    goto done;
  }
  if (env == NULL || !PKCS7_type_is_enveloped(env)) {
    fail_why(why, cap, "the CertRep content is not an EnvelopedData");
    goto done;
  }
  int cnid = OBJ_obj2nid(env->d.enveloped->enc_data->algorithm->algorithm);
  if (cnid == NID_des_cbc) {
    EVP_CIPHER *des = EVP_CIPHER_fetch(NULL, "DES-CBC", NULL);
    if (des == NULL) {
      /* default is loaded again by name so that it stays available next to legacy */
      deflt = OSSL_PROVIDER_load(NULL, "default");
      legacy = OSSL_PROVIDER_load(NULL, "legacy");
      if (legacy == NULL) {
        rc = -2;
        snprintf(why, cap, "the CertRep envelope uses single DES and OpenSSL's legacy provider "
                 "cannot be loaded");
        goto done;
      }
      out->legacy_loaded = 1;
      mlog(MLOG_INFO, "scep: the server encrypted its reply with single DES (DES-CBC): OpenSSL's "
           "legacy provider loaded for this decryption only");
    }
    EVP_CIPHER_free(des);
  }
  if (PKCS7_decrypt(env, r->key, r->self, plain, PKCS7_BINARY) != 1) {
    fail_why(why, cap, "the CertRep envelope cannot be decrypted with the request's key");
    goto done;
  }
  {
    const unsigned char *p = NULL;
    long n = BIO_get_mem_data(plain, (char **)&p);
    out->certs = n > 0 ? x509u_pkcs7_certs(p, (size_t)n) : NULL;
  }
  if (out->certs == NULL) {
    fail_why(why, cap, "the decrypted CertRep is not a PKCS#7 certs-only message");
    goto done;
  }
  rc = 0;
done:
  if (legacy != NULL) {
    OSSL_PROVIDER_unload(legacy);
    mlog(MLOG_DEBUG, "scep: legacy provider unloaded");
  }
  if (deflt != NULL)
    OSSL_PROVIDER_unload(deflt);
  BIO_free(plain);
  PKCS7_free(env);
  return rc;
}

int scep_certrep(const scep_req *r, STACK_OF(X509) *signers, const uint8_t *der, size_t len,
                 scep_rep *out, char *why, size_t cap)
{
  const unsigned char *p = der;
  PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
  BIO *content = BIO_new(BIO_s_mem());
  int rc = -1;

  out->status = -1;
  out->fail_info = -1;
  out->certs = NULL;
  out->legacy_loaded = 0;
  if (content == NULL) {
    snprintf(why, cap, "out of memory");
    rc = -2;
    goto done;
  }
  if (p7 == NULL || !PKCS7_type_is_signed(p7)) {
    fail_why(why, cap, "the reply is not a PKCS#7 SignedData");
    goto done;
  }
  /* Only the CA/RA certificates authenticated before may have signed it. */
  if (PKCS7_verify(p7, signers, NULL, NULL, content,
                   PKCS7_NOINTERN | PKCS7_NOVERIFY | PKCS7_BINARY) != 1) {
    fail_why(why, cap, "the CertRep signature does not verify with the SCEP CA/RA certificate");
    goto done;
  }
  STACK_OF(PKCS7_SIGNER_INFO) *sis = PKCS7_get_signer_info(p7);
  PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_num(sis) == 1 ? sk_PKCS7_SIGNER_INFO_value(sis, 0)
                                                             : NULL;
  if (si == NULL) {
    fail_why(why, cap, "the CertRep must have exactly one signer");
    goto done;
  }
  int type = attr_number(attr(si, OID_MESSAGE_TYPE, "scep-messageType", 0));
  const ASN1_STRING *tid = attr(si, OID_TRANS_ID, "scep-transactionID", 0);
  const ASN1_STRING *rn = attr(si, OID_RECIPIENT_NONCE, "scep-recipientNonce", 1);
  out->status = attr_number(attr(si, OID_PKI_STATUS, "scep-pkiStatus", 0));
  if (type != MSG_CERTREP) {
    fail_why(why, cap, "the reply's messageType is not CertRep (3)");
  } else if (tid == NULL || (size_t)ASN1_STRING_length(tid) != strlen(r->trans_id) ||
             memcmp(ASN1_STRING_get0_data(tid), r->trans_id, strlen(r->trans_id)) != 0) {
    fail_why(why, cap, "the CertRep's transactionID is not the request's");
  } else if (rn == NULL || ASN1_STRING_length(rn) != (int)SCEP_NONCE_LEN ||
             CRYPTO_memcmp(ASN1_STRING_get0_data(rn), r->nonce, SCEP_NONCE_LEN) != 0) {
    fail_why(why, cap, "the CertRep's recipientNonce is not the request's senderNonce");
  } else if (out->status == SCEP_FAILURE) {
    out->fail_info = attr_number(attr(si, OID_FAIL_INFO, "scep-failInfo", 0));
    rc = 0;
  } else if (out->status == SCEP_PENDING) {
    rc = 0;
  } else if (out->status == SCEP_SUCCESS) {
    rc = open_envelope(r, content, out, why, cap);
  } else {
    fail_why(why, cap, "the CertRep's pkiStatus is missing or unknown");
  }
done:
  BIO_free(content);
  PKCS7_free(p7);
  return rc;
}

void scep_req_free(scep_req *r)
{
  X509_free(r->self);
  r->self = NULL;
}

void scep_rep_free(scep_rep *out)
{
  sk_X509_pop_free(out->certs, X509_free);
  out->certs = NULL;
}

const char *scep_fail_name(int fail_info)
{
  static const char *const names[] = {"badAlg", "badMessageCheck", "badRequest", "badTime",
                                      "badCertId"};
  return fail_info >= 0 && fail_info <= 4 ? names[fail_info] : "(no failInfo)";
}
