/* SCEP messages of the shell (src/shell/scep_msg.c) against a CertRep built
 * here with OpenSSL's PKCS#7 API, the way a SCEP CA builds it: the PKCSReq
 * must open at the CA, and a CertRep must be refused when its signer, nonce,
 * transactionID or type is wrong. The single-DES reply checks that the legacy
 * provider is loaded for the decryption and gone afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

#include "shell/scep_msg.h"

typedef struct {
  EVP_PKEY *ca_key, *other_key, *req_key;
  X509 *ca, *other;
  X509_NAME *name;
  scep_req req;
  STACK_OF(X509) *signers;
} fixture;

static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key)
{
  X509 *x = X509_new();
  X509_NAME *n = X509_NAME_new();
  X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_set_subject_name(x, n);
  X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) : n);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_set_pubkey(x, key);
  X509_sign(x, issuer_key != NULL ? issuer_key : key, EVP_sha256());
  X509_NAME_free(n);
  return x;
}

static int setup(void **state)
{
  fixture *f = calloc(1, sizeof *f);
  f->ca_key = EVP_RSA_gen(1024);
  f->other_key = EVP_RSA_gen(1024);
  f->req_key = EVP_RSA_gen(1024);
  f->ca = make_cert(f->ca_key, "test SCEP CA", NULL, NULL);
  f->other = make_cert(f->other_key, "test SCEP CA", NULL, NULL);
  f->name = X509_NAME_new();
  X509_NAME_add_entry_by_txt(f->name, "CN", MBSTRING_ASC, (const unsigned char *)"urn:dev:ops:t-1",
                             -1, -1, 0);
  assert_int_equal(scep_req_init(&f->req, f->req_key, f->name), 0);
  f->req.recipient = f->ca;
  f->req.cipher = EVP_aes_128_cbc();
  f->req.md = EVP_sha256();
  f->signers = sk_X509_new_null();
  sk_X509_push(f->signers, f->ca);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  scep_req_free(&f->req);
  sk_X509_free(f->signers);
  X509_NAME_free(f->name);
  X509_free(f->ca);
  X509_free(f->other);
  EVP_PKEY_free(f->ca_key);
  EVP_PKEY_free(f->other_key);
  EVP_PKEY_free(f->req_key);
  free(f);
  return 0;
}

static int nid(const char *oid)
{
  int n = OBJ_txt2nid(oid);
  return n != NID_undef ? n : OBJ_create(oid, oid, oid);
}

static void add_attr(PKCS7_SIGNER_INFO *si, const char *oid, int type, const void *v, size_t len)
{
  ASN1_STRING *s = ASN1_STRING_type_new(type);
  ASN1_STRING_set(s, v, (int)len);
  assert_int_equal(PKCS7_add_signed_attribute(si, nid(oid), type, s), 1);
}

typedef struct {
  const char *type;        /* messageType */
  const char *status;      /* pkiStatus */
  const char *fail_info;   /* or NULL */
  const char *trans_id;
  const uint8_t *nonce;    /* recipientNonce */
  const EVP_CIPHER *cipher;
} rep_spec;

/* A CertRep signed by signer, carrying issued encrypted to the requester. */
static uint8_t *certrep(fixture *f, X509 *signer, EVP_PKEY *signer_key, X509 *issued,
                        const rep_spec *r, size_t *len)
{
  PKCS7 *p7 = PKCS7_sign(NULL, NULL, NULL, NULL, PKCS7_PARTIAL | PKCS7_BINARY);
  PKCS7_SIGNER_INFO *si = PKCS7_sign_add_signer(p7, signer, signer_key, EVP_sha256(),
                                                PKCS7_NOSMIMECAP);
  uint8_t sender[16] = {1, 2, 3};
  BIO *content = NULL;
  unsigned char *env_der = NULL, *out = NULL;
  assert_non_null(si);
  add_attr(si, "2.16.840.1.113733.1.9.2", V_ASN1_PRINTABLESTRING, r->type, strlen(r->type));
  add_attr(si, "2.16.840.1.113733.1.9.3", V_ASN1_PRINTABLESTRING, r->status, strlen(r->status));
  if (r->fail_info != NULL)
    add_attr(si, "2.16.840.1.113733.1.9.4", V_ASN1_PRINTABLESTRING, r->fail_info,
             strlen(r->fail_info));
  add_attr(si, "2.16.840.1.113733.1.9.7", V_ASN1_PRINTABLESTRING, r->trans_id, strlen(r->trans_id));
  add_attr(si, "2.16.840.1.113733.1.9.6", V_ASN1_OCTET_STRING, r->nonce, SCEP_NONCE_LEN);
  add_attr(si, "2.16.840.1.113733.1.9.5", V_ASN1_OCTET_STRING, sender, sizeof sender);
  if (issued != NULL) {
    /* degenerate certs-only SignedData, encrypted to the requester's certificate */
    PKCS7 *certs = PKCS7_new();
    unsigned char *certs_der = NULL;
    STACK_OF(X509) *rcpt = sk_X509_new_null();
    PKCS7_set_type(certs, NID_pkcs7_signed);
    PKCS7_content_new(certs, NID_pkcs7_data);
    PKCS7_add_certificate(certs, issued);
    int n = i2d_PKCS7(certs, &certs_der);
    BIO *in = BIO_new_mem_buf(certs_der, n);
    sk_X509_push(rcpt, f->req.self);
    PKCS7 *env = PKCS7_encrypt(rcpt, in, r->cipher, PKCS7_BINARY);
    assert_non_null(env);
    int en = i2d_PKCS7(env, &env_der);
    content = BIO_new_mem_buf(env_der, en);
    PKCS7_free(env);
    BIO_free(in);
    sk_X509_free(rcpt);
    OPENSSL_free(certs_der);
    PKCS7_free(certs);
  } else {
    content = BIO_new_mem_buf("", 0);
  }
  assert_int_equal(PKCS7_final(p7, content, PKCS7_BINARY), 1);
  int n = i2d_PKCS7(p7, &out);
  assert_true(n > 0);
  *len = (size_t)n;
  BIO_free(content);
  OPENSSL_free(env_der);
  PKCS7_free(p7);
  return out;
}

static void test_pkcsreq_opens_at_the_ca(void **state)
{
  fixture *f = *state;
  const uint8_t csr[] = "stands for the DER CSR";
  uint8_t *der = NULL;
  size_t len = 0;
  assert_int_equal(scep_pkcsreq(&f->req, csr, sizeof csr, &der, &len), 0);

  const unsigned char *p = der;
  PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
  assert_non_null(p7);
  BIO *inner = BIO_new(BIO_s_mem());
  /* signed by the requester's self-signed certificate, which it carries */
  assert_int_equal(PKCS7_verify(p7, NULL, NULL, NULL, inner, PKCS7_NOVERIFY | PKCS7_BINARY), 1);
  PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_value(PKCS7_get_signer_info(p7), 0);
  ASN1_TYPE *t = PKCS7_get_signed_attribute(si, nid("2.16.840.1.113733.1.9.2"));
  assert_non_null(t);
  assert_int_equal(t->type, V_ASN1_PRINTABLESTRING);
  assert_memory_equal(ASN1_STRING_get0_data(t->value.printablestring), "19", 2);
  t = PKCS7_get_signed_attribute(si, nid("2.16.840.1.113733.1.9.7"));
  assert_non_null(t);
  assert_int_equal(ASN1_STRING_length(t->value.printablestring), (int)strlen(f->req.trans_id));
  t = PKCS7_get_signed_attribute(si, nid("2.16.840.1.113733.1.9.5"));
  assert_non_null(t);
  assert_memory_equal(ASN1_STRING_get0_data(t->value.octet_string), f->req.nonce, SCEP_NONCE_LEN);

  PKCS7 *env = d2i_PKCS7_bio(inner, NULL);
  assert_non_null(env);
  assert_true(PKCS7_type_is_enveloped(env));
  BIO *plain = BIO_new(BIO_s_mem());
  assert_int_equal(PKCS7_decrypt(env, f->ca_key, f->ca, plain, PKCS7_BINARY), 1);
  char *got = NULL;
  long n = BIO_get_mem_data(plain, &got);
  assert_int_equal(n, (long)sizeof csr);
  assert_memory_equal(got, csr, sizeof csr);
  BIO_free(plain);
  PKCS7_free(env);
  BIO_free(inner);
  PKCS7_free(p7);
  OPENSSL_free(der);
}

static int run_rep(fixture *f, X509 *signer, EVP_PKEY *key, X509 *issued, const rep_spec *r,
                   scep_rep *out, char *why, size_t cap)
{
  size_t len = 0;
  uint8_t *der = certrep(f, signer, key, issued, r, &len);
  int rc = scep_certrep(&f->req, f->signers, der, len, out, why, cap);
  OPENSSL_free(der);
  return rc;
}

static void test_certrep_success(void **state)
{
  fixture *f = *state;
  X509 *issued = make_cert(f->req_key, "urn:dev:ops:t-1", f->ca, f->ca_key);
  rep_spec r = {"3", "0", NULL, f->req.trans_id, f->req.nonce, EVP_aes_128_cbc()};
  scep_rep out = {0};
  char why[256] = "";
  assert_int_equal(run_rep(f, f->ca, f->ca_key, issued, &r, &out, why, sizeof why), 0);
  assert_int_equal(out.status, SCEP_SUCCESS);
  assert_int_equal(out.legacy_loaded, 0);
  assert_int_equal(sk_X509_num(out.certs), 1);
  assert_int_equal(X509_cmp(sk_X509_value(out.certs, 0), issued), 0);
  scep_rep_free(&out);
  X509_free(issued);
}

static void test_certrep_failure_bad_request(void **state)
{
  fixture *f = *state;
  rep_spec r = {"3", "2", "2", f->req.trans_id, f->req.nonce, NULL};
  scep_rep out = {0};
  char why[256] = "";
  assert_int_equal(run_rep(f, f->ca, f->ca_key, NULL, &r, &out, why, sizeof why), 0);
  assert_int_equal(out.status, SCEP_FAILURE);
  assert_int_equal(out.fail_info, 2);
  assert_string_equal(scep_fail_name(out.fail_info), "badRequest");
  assert_null(out.certs);
}

static void test_certrep_refused(void **state)
{
  fixture *f = *state;
  uint8_t wrong_nonce[SCEP_NONCE_LEN];
  memcpy(wrong_nonce, f->req.nonce, sizeof wrong_nonce);
  wrong_nonce[0] ^= 1;
  const struct {
    int other_signer;
    rep_spec r;
    const char *why;
  } cases[] = {
    {1, {"3", "2", "2", f->req.trans_id, f->req.nonce, NULL}, "signature"},
    {0, {"3", "2", "2", f->req.trans_id, wrong_nonce, NULL}, "recipientNonce"},
    {0, {"3", "2", "2", "0123456789abcdef", f->req.nonce, NULL}, "transactionID"},
    {0, {"19", "2", "2", f->req.trans_id, f->req.nonce, NULL}, "messageType"},
    {0, {"3", "9", NULL, f->req.trans_id, f->req.nonce, NULL}, "pkiStatus"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    scep_rep out = {0};
    char why[256] = "";
    int rc = run_rep(f, cases[i].other_signer ? f->other : f->ca,
                     cases[i].other_signer ? f->other_key : f->ca_key, NULL, &cases[i].r, &out,
                     why, sizeof why);
    if (rc != -1 || strstr(why, cases[i].why) == NULL)
      fail_msg("case %zu: rc %d, why \"%s\", wanted -1 and \"%s\"", i, rc, why, cases[i].why);
  }
}

static void test_certrep_single_des_loads_legacy_for_it_only(void **state)
{
  fixture *f = *state;
  X509 *issued = make_cert(f->req_key, "urn:dev:ops:t-1", f->ca, f->ca_key);
  /* the CA side needs DES too: the legacy provider only while building */
  OSSL_PROVIDER *deflt = OSSL_PROVIDER_load(NULL, "default");
  OSSL_PROVIDER *legacy = OSSL_PROVIDER_load(NULL, "legacy");
  assert_non_null(legacy);
  EVP_CIPHER *des = EVP_CIPHER_fetch(NULL, "DES-CBC", NULL);
  rep_spec r = {"3", "0", NULL, f->req.trans_id, f->req.nonce, des};
  size_t len = 0;
  uint8_t *der = certrep(f, f->ca, f->ca_key, issued, &r, &len);
  EVP_CIPHER_free(des);
  OSSL_PROVIDER_unload(legacy);
  OSSL_PROVIDER_unload(deflt);
  des = EVP_CIPHER_fetch(NULL, "DES-CBC", NULL);
  assert_null(des);

  scep_rep out = {0};
  char why[256] = "";
  assert_int_equal(scep_certrep(&f->req, f->signers, der, len, &out, why, sizeof why), 0);
  assert_int_equal(out.status, SCEP_SUCCESS);
  assert_int_equal(out.legacy_loaded, 1);
  assert_int_equal(X509_cmp(sk_X509_value(out.certs, 0), issued), 0);
  des = EVP_CIPHER_fetch(NULL, "DES-CBC", NULL);
  assert_null(des); /* unloaded again */
  scep_rep_free(&out);
  OPENSSL_free(der);
  X509_free(issued);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_pkcsreq_opens_at_the_ca, setup, teardown),
      cmocka_unit_test_setup_teardown(test_certrep_success, setup, teardown),
      cmocka_unit_test_setup_teardown(test_certrep_failure_bad_request, setup, teardown),
      cmocka_unit_test_setup_teardown(test_certrep_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_certrep_single_des_loads_legacy_for_it_only, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
