/* CSR construction shared by EST and SCEP. The certSubjectID goes into one
 * SubjectAltName uniformResourceIdentifier: no otherName, so any CA that
 * copies URIs (EST servers, micromdm scep) carries it into the certificate. */
#include "csr.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

static bool is_bare_oid(const char *s)
{
  bool digit = false;
  if (*s == '\0')
    return false;
  for (; *s != '\0'; s++) {
    if (*s >= '0' && *s <= '9')
      digit = true;
    else if (*s == '.' && digit)
      digit = false;
    else
      return false;
  }
  return digit;
}

char *csr_san_uri(const mefc_ident *id)
{
  char *s = malloc(id->len + 9);
  if (s == NULL)
    return NULL;
  for (uint32_t i = 0; i < id->len; i++) {
    if (id->b[i] <= 0x20 || id->b[i] >= 0x7f) { /* IA5, no spaces or controls */
      free(s);
      return NULL;
    }
  }
  memcpy(s, id->b, id->len);
  s[id->len] = '\0';
  if (is_bare_oid(s)) {
    memmove(s + 8, s, id->len + 1);
    memcpy(s, "urn:oid:", 8);
  }
  return s;
}

int csr_make(EVP_PKEY *key, const char *uri, const mefc_ident *id, const char *challenge,
             uint8_t **der, size_t *der_len)
{
  X509_REQ *req = X509_REQ_new();
  X509_NAME *name = X509_NAME_new();
  GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
  GENERAL_NAME *gn = GENERAL_NAME_new();
  ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new();
  STACK_OF(X509_EXTENSION) *exts = NULL;
  int ok = req != NULL && name != NULL && gens != NULL && gn != NULL && ia5 != NULL;

  ok = ok && X509_REQ_set_version(req, 0) == 1;
  if (ok && id->len <= 64)
    ok = X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, id->b, (int)id->len, -1, 0) == 1;
  ok = ok && X509_REQ_set_subject_name(req, name) == 1;
  ok = ok && X509_REQ_set_pubkey(req, key) == 1;
  ok = ok && ASN1_STRING_set(ia5, uri, (int)strlen(uri)) == 1;
  if (ok) {
    GENERAL_NAME_set0_value(gn, GEN_URI, ia5);
    ia5 = NULL;
    ok = sk_GENERAL_NAME_push(gens, gn) > 0;
    if (ok)
      gn = NULL;
  }
  ok = ok && X509V3_add1_i2d(&exts, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT) == 1;
  ok = ok && X509_REQ_add_extensions(req, exts) == 1;
  /* RFC 8894 3.3.1: the password travels as a PKCS#9 attribute, which the
   * EnvelopedData around the CSR keeps confidential. */
  if (ok && challenge != NULL)
    ok = X509_REQ_add1_attr_by_NID(req, NID_pkcs9_challengePassword, MBSTRING_UTF8,
                                   (const unsigned char *)challenge, (int)strlen(challenge)) == 1;
  ok = ok && X509_REQ_sign(req, key, EVP_sha256()) > 0;
  if (ok) {
    unsigned char *p = NULL;
    int n = i2d_X509_REQ(req, &p);
    ok = n > 0;
    if (ok) {
      *der = p;
      *der_len = (size_t)n;
    }
  }
  sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
  GENERAL_NAME_free(gn);
  ASN1_IA5STRING_free(ia5);
  GENERAL_NAMES_free(gens);
  X509_NAME_free(name);
  X509_REQ_free(req);
  return ok ? 0 : -1;
}

int csr_cert_has_uri(X509 *x, const char *uri)
{
  GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
  int found = 0;
  for (int i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens); i++) {
    GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
    int type;
    ASN1_STRING *v = GENERAL_NAME_get0_value(g, &type);
    if (type == GEN_URI && (size_t)ASN1_STRING_length(v) == strlen(uri) &&
        memcmp(ASN1_STRING_get0_data(v), uri, strlen(uri)) == 0)
      found = 1;
  }
  GENERAL_NAMES_free(gens);
  return found;
}
