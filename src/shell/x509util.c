/* OpenSSL helpers for certificates, PKCS#7 and base64. Thin wrappers: every
 * check of content (which certificate, which fingerprint) stays with the
 * caller that knows why it checks. */
#include "x509util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>

int x509u_fingerprint(X509 *x, uint8_t fp[MEFC_FP_LEN])
{
  unsigned char *der = NULL;
  unsigned int n = 0;
  int len = i2d_X509(x, &der);
  if (len <= 0)
    return -1;
  int ok = EVP_Digest(der, (size_t)len, fp, &n, EVP_sha256(), NULL);
  OPENSSL_free(der);
  return ok == 1 && n == MEFC_FP_LEN ? 0 : -1;
}

void x509u_fp_hex(const uint8_t fp[MEFC_FP_LEN], char out[2 * MEFC_FP_LEN + 1])
{
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < MEFC_FP_LEN; i++) {
    out[2 * i] = hex[fp[i] >> 4];
    out[2 * i + 1] = hex[fp[i] & 15u];
  }
  out[2 * MEFC_FP_LEN] = '\0';
}

X509 *x509u_parse_cert(const uint8_t *buf, size_t len)
{
  static const char begin[] = "-----BEGIN";
  size_t i = 0;
  while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
    i++;
  if (len - i >= sizeof begin - 1 && memcmp(buf + i, begin, sizeof begin - 1) == 0) {
    BIO *b = BIO_new_mem_buf(buf, (int)len);
    X509 *x = b != NULL ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    return x;
  }
  const unsigned char *p = buf;
  X509 *x = d2i_X509(NULL, &p, (long)len);
  if (x != NULL && p != buf + len) { /* trailing bytes: not one DER certificate */
    X509_free(x);
    x = NULL;
  }
  return x;
}

STACK_OF(X509) *x509u_load_pem_certs(const char *path, char *err, size_t cap)
{
  BIO *b = BIO_new_file(path, "r");
  STACK_OF(X509) *sk;
  X509 *x;
  if (b == NULL) {
    snprintf(err, cap, "cannot open %s", path);
    return NULL;
  }
  sk = sk_X509_new_null();
  while (sk != NULL && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
    if (sk_X509_push(sk, x) <= 0) {
      X509_free(x);
      break;
    }
  }
  BIO_free(b);
  if (sk == NULL || sk_X509_num(sk) == 0) {
    snprintf(err, cap, "%s holds no PEM certificate", path);
    sk_X509_pop_free(sk, X509_free);
    return NULL;
  }
  return sk;
}

int x509u_b64_decode(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len)
{
  char *clean = malloc(len + 1);
  size_t n = 0;
  if (clean == NULL)
    return -1;
  for (size_t i = 0; i < len; i++) {
    uint8_t c = in[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
      continue;
    clean[n++] = (char)c;
  }
  if (n == 0 || n % 4 != 0 || n > 0x7fffffff) {
    free(clean);
    return -1;
  }
  uint8_t *buf = malloc(n / 4 * 3 + 1);
  if (buf == NULL) {
    free(clean);
    return -1;
  }
  int r = EVP_DecodeBlock(buf, (const unsigned char *)clean, (int)n);
  if (r < 0) {
    free(clean);
    free(buf);
    return -1;
  }
  /* EVP_DecodeBlock counts padding as zero bytes. */
  size_t dl = (size_t)r;
  if (clean[n - 1] == '=')
    dl--;
  if (clean[n - 2] == '=')
    dl--;
  free(clean);
  *out = buf;
  *out_len = dl;
  return 0;
}

char *x509u_b64_encode(const uint8_t *in, size_t len)
{
  char *out = malloc((len + 2) / 3 * 4 + 1);
  if (out == NULL || len > 0x3fffffff) {
    free(out);
    return NULL;
  }
  EVP_EncodeBlock((unsigned char *)out, in, (int)len);
  return out;
}

STACK_OF(X509) *x509u_pkcs7_certs(const uint8_t *der, size_t len)
{
  const unsigned char *p = der;
  PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
  STACK_OF(X509) *out = NULL;
  if (p7 == NULL)
    return NULL;
  if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL && p7->d.sign->cert != NULL) {
    STACK_OF(X509) *certs = p7->d.sign->cert;
    out = sk_X509_new_null();
    for (int i = 0; out != NULL && i < sk_X509_num(certs); i++) {
      X509 *x = sk_X509_value(certs, i);
      if (X509_up_ref(x) != 1 || sk_X509_push(out, x) <= 0) {
        sk_X509_pop_free(out, X509_free);
        out = NULL;
      }
    }
    if (out != NULL && sk_X509_num(out) == 0) {
      sk_X509_free(out);
      out = NULL;
    }
  }
  PKCS7_free(p7);
  return out;
}

static char *bio_text(BIO *b, size_t *len)
{
  char *data;
  long n = BIO_get_mem_data(b, &data);
  char *out = n > 0 ? malloc((size_t)n + 1) : NULL;
  if (out != NULL) {
    memcpy(out, data, (size_t)n);
    out[n] = '\0';
    *len = (size_t)n;
  }
  return out;
}

char *x509u_cert_pem(X509 *x, size_t *len)
{
  BIO *b = BIO_new(BIO_s_mem());
  char *out = NULL;
  if (b != NULL && PEM_write_bio_X509(b, x) == 1)
    out = bio_text(b, len);
  BIO_free(b);
  return out;
}

char *x509u_key_pem(EVP_PKEY *k, size_t *len)
{
  BIO *b = BIO_new(BIO_s_secmem());
  char *out = NULL;
  if (b == NULL)
    b = BIO_new(BIO_s_mem());
  if (b != NULL && PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) == 1)
    out = bio_text(b, len);
  if (b != NULL) {
    char *data;
    long n = BIO_get_mem_data(b, &data);
    if (n > 0)
      OPENSSL_cleanse(data, (size_t)n);
  }
  BIO_free(b);
  return out;
}

void x509u_free_secret(char *s, size_t len)
{
  if (s != NULL)
    OPENSSL_cleanse(s, len);
  free(s);
}

int x509u_cert_has_key(X509 *x, EVP_PKEY *k)
{
  EVP_PKEY *pub = X509_get0_pubkey(x);
  return pub != NULL && EVP_PKEY_eq(pub, k) == 1;
}
