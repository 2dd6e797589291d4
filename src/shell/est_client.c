/* RFC 7030 EST client for CERT_PROV with certProvProtocolID EST (8.3.6.2,
 * 8.3.9.7 step 5): /cacerts, /csrattrs, then /simpleenroll with a fresh key
 * and a CSR carrying the certSubjectID in SubjectAltName.
 *
 * Outcome classification (8.3.9.7 step 6):
 *   server_error - no connection, TLS failure or server not verified, any
 *     HTTP status other than 200 (and 202 within bounds; 401 included: this
 *     client does no HTTP authentication, 8.3.6.2.1), a body that is not
 *     base64 PKCS#7 certs-only, an issued certificate without our public key
 *     or without the requested SubjectAltName, 202 past the configured bound;
 *   client_error - key generation, CSR construction, a certSubjectID that
 *     cannot be a SubjectAltName URI, missing HTTPS trust anchors, storing the
 *     key/certificate (full key store, file system).
 *
 * SubjectAltName: one uniformResourceIdentifier, built by csr.c. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/asn1.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "csr.h"
#include "executor.h"
#include "https_client.h"
#include "log.h"
#include "mefc/status.h"
#include "x509util.h"

#define SERVER MEFC_OUTCOME_SERVER_ERROR
#define CLIENT MEFC_OUTCOME_CLIENT_ERROR

/* base URI: "https://host[:port]" alone gets the well-known path. */
static char *est_base(const mefc_exec_args *a)
{
  size_t n = a->uri_len;
  const char *u = (const char *)a->uri;
  char *out = malloc(n + 32);
  if (out == NULL)
    return NULL;
  memcpy(out, u, n);
  out[n] = '\0';
  const char *auth = strstr(out, "://");
  const char *path = auth != NULL ? strchr(auth + 3, '/') : NULL;
  while (n > 0 && out[n - 1] == '/' && (path == NULL || out + n - 1 > path))
    out[--n] = '\0';
  if (path == NULL || strcmp(path, "/") == 0) {
    if (n > 0 && out[n - 1] == '/')
      out[--n] = '\0';
    strcpy(out + n, "/.well-known/est");
  } else if (out[n - 1] == '/') {
    out[--n] = '\0';
  }
  return out;
}

static EVP_PKEY *gen_key(const mefc_config *cfg)
{
  if (cfg->est_key_type == CFG_KEY_RSA)
    return EVP_RSA_gen(cfg->est_rsa_bits);
  return EVP_EC_gen("P-256");
}

/* A base64 PKCS#7 certs-only body, as RFC 7030 4.1.3 and 4.2.3 send it. */
static STACK_OF(X509) *certs_only(const https_result *r)
{
  uint8_t *der;
  size_t n;
  if (r->len == 0 || x509u_b64_decode(r->body, r->len, &der, &n) != 0)
    return NULL;
  STACK_OF(X509) *sk = x509u_pkcs7_certs(der, n);
  free(der);
  return sk;
}

static uint32_t get_cacerts(exec_ctx *x, const char *base, STACK_OF(X509) **out)
{
  char url[1024];
  https_result r;
  https_req q = {"GET", url, NULL, NULL, 0};
  snprintf(url, sizeof url, "%s/cacerts", base);
  *out = NULL;
  if (https_do(x->cfg, &q, &r) != 0) {
    mlog(MLOG_INFO, "est: /cacerts failed: %s", r.why);
    return r.local_error ? CLIENT : SERVER;
  }
  uint32_t oc = SERVER;
  if (r.status != 200) {
    mlog(MLOG_INFO, "est: /cacerts answered HTTP %ld", r.status);
  } else if ((*out = certs_only(&r)) == NULL) {
    mlog(MLOG_INFO, "est: /cacerts body is not base64 PKCS#7 certs-only");
  } else {
    mlog(MLOG_DEBUG, "est: /cacerts: %d CA certificate(s)", sk_X509_num(*out));
    oc = MEFC_OUTCOME_OK;
  }
  https_result_free(&r);
  return oc;
}

/* CSR attributes are optional (RFC 7030 4.5): 204 or 404 mean none. The
 * OIDs asked for are logged; this client adds none of them (it has no
 * challengePassword to give, 8.3.6.2.1 excludes HTTP authentication). */
static uint32_t get_csrattrs(exec_ctx *x, const char *base)
{
  char url[1024];
  https_result r;
  https_req q = {"GET", url, NULL, NULL, 0};
  snprintf(url, sizeof url, "%s/csrattrs", base);
  if (https_do(x->cfg, &q, &r) != 0) {
    mlog(MLOG_INFO, "est: /csrattrs failed: %s", r.why);
    return r.local_error ? CLIENT : SERVER;
  }
  uint32_t oc = MEFC_OUTCOME_OK;
  if (r.status == 204 || r.status == 404) {
    mlog(MLOG_DEBUG, "est: /csrattrs: none (HTTP %ld)", r.status);
  } else if (r.status != 200) {
    mlog(MLOG_INFO, "est: /csrattrs answered HTTP %ld", r.status);
    oc = SERVER;
  } else {
    uint8_t *der;
    size_t n;
    if (r.len > 0 && x509u_b64_decode(r.body, r.len, &der, &n) == 0) {
      const unsigned char *p = der;
      ASN1_SEQUENCE_ANY *seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, (long)n);
      for (int i = 0; seq != NULL && i < sk_ASN1_TYPE_num(seq); i++) {
        ASN1_TYPE *t = sk_ASN1_TYPE_value(seq, i);
        char txt[80] = "(attribute)";
        if (ASN1_TYPE_get(t) == V_ASN1_OBJECT)
          OBJ_obj2txt(txt, sizeof txt, t->value.object, 0);
        mlog(MLOG_DEBUG, "est: /csrattrs asks for %s (not added)", txt);
      }
      sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
      free(der);
    } else {
      mlog(MLOG_DEBUG, "est: /csrattrs body is not base64 DER; ignored");
    }
  }
  https_result_free(&r);
  return oc;
}

/* Seconds to wait for a 202's Retry-After, or -1 when absent/unusable. */
static long retry_after_s(const char *v)
{
  char *end;
  if (v[0] == '\0')
    return -1;
  errno = 0;
  long s = strtol(v, &end, 10);
  if (end != v && *end == '\0' && errno == 0 && s >= 0)
    return s;
  time_t when = curl_getdate(v, NULL);
  if (when == (time_t)-1)
    return -1;
  time_t now = time(NULL);
  return when > now ? (long)(when - now) : 0;
}

static void sleep_s(long s)
{
  struct timespec ts = {s, 0};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static uint32_t simpleenroll(exec_ctx *x, const char *base, const char *b64csr, EVP_PKEY *key,
                             const char *uri, X509 **issued)
{
  char url[1024];
  https_req q = {"POST", url, "application/pkcs10", (const uint8_t *)b64csr, strlen(b64csr)};
  snprintf(url, sizeof url, "%s/simpleenroll", base);
  *issued = NULL;
  for (uint32_t attempt = 1;; attempt++) {
    https_result r;
    if (https_do(x->cfg, &q, &r) != 0) {
      mlog(MLOG_INFO, "est: /simpleenroll failed: %s", r.why);
      return r.local_error ? CLIENT : SERVER;
    }
    if (r.status == 202) {
      long wait = retry_after_s(r.retry_after);
      https_result_free(&r);
      if (wait < 0 || wait > (long)x->cfg->est_max_retry_after_s ||
          attempt >= x->cfg->est_max_attempts) {
        mlog(MLOG_INFO, "est: enrolment pending (202, Retry-After \"%s\") past the bound of %u "
             "attempts / %u s: giving up", r.retry_after, x->cfg->est_max_attempts,
             x->cfg->est_max_retry_after_s);
        return SERVER;
      }
      mlog(MLOG_INFO, "est: enrolment pending (202): retrying in %ld s", wait);
      sleep_s(wait);
      continue;
    }
    uint32_t oc = SERVER;
    STACK_OF(X509) *sk = NULL;
    if (r.status == 401) {
      mlog(MLOG_INFO, "est: /simpleenroll answered 401: the EST server wants authentication "
           "this client does not do (8.3.6.2.1)");
    } else if (r.status != 200) {
      mlog(MLOG_INFO, "est: /simpleenroll answered HTTP %ld", r.status);
    } else if ((sk = certs_only(&r)) == NULL) {
      mlog(MLOG_INFO, "est: /simpleenroll body is not base64 PKCS#7 certs-only");
    } else {
      for (int i = 0; i < sk_X509_num(sk) && *issued == NULL; i++) {
        if (x509u_cert_has_key(sk_X509_value(sk, i), key)) {
          *issued = sk_X509_value(sk, i);
          X509_up_ref(*issued);
        }
      }
      if (*issued == NULL) {
        mlog(MLOG_INFO, "est: no issued certificate carries the requested public key");
      } else if (!csr_cert_has_uri(*issued, uri)) {
        mlog(MLOG_INFO, "est: the issued certificate lacks SubjectAltName URI %s", uri);
        X509_free(*issued);
        *issued = NULL;
      } else {
        oc = MEFC_OUTCOME_OK;
      }
    }
    sk_X509_pop_free(sk, X509_free);
    https_result_free(&r);
    return oc;
  }
}

uint32_t est_enroll(exec_ctx *x, const mefc_exec_args *args)
{
  char *base = est_base(args);
  char *uri = csr_san_uri(&args->subject_id);
  STACK_OF(X509) *cas = NULL;
  EVP_PKEY *key = NULL;
  X509 *issued = NULL;
  uint8_t *csr = NULL;
  size_t csr_len = 0;
  char *b64 = NULL;
  char err[384];
  uint32_t oc;

  if (base == NULL) {
    oc = CLIENT;
    goto out;
  }
  if (uri == NULL) {
    mlog(MLOG_INFO, "est: certSubjectID cannot be written as a SubjectAltName URI");
    oc = CLIENT;
    goto out;
  }
  mlog(MLOG_INFO, "est: enrolling at %s for %s", base, uri);
  if ((oc = get_cacerts(x, base, &cas)) != MEFC_OUTCOME_OK)
    goto out;
  for (int i = 0; i < sk_X509_num(cas); i++) {
    if (ks_store_ca(x->ks, x->cli, sk_X509_value(cas, i), NULL, "est-cacerts", err, sizeof err) !=
        0) {
      mlog(MLOG_INFO, "est: cannot install the EST CA certificates: %s", err);
      oc = CLIENT;
      goto out;
    }
  }
  if ((oc = get_csrattrs(x, base)) != MEFC_OUTCOME_OK)
    goto out;
  key = gen_key(x->cfg);
  if (key == NULL) {
    mlog(MLOG_INFO, "est: key generation failed");
    oc = CLIENT;
    goto out;
  }
  if (csr_make(key, uri, &args->subject_id, NULL, &csr, &csr_len) != 0 ||
      (b64 = x509u_b64_encode(csr, csr_len)) == NULL) {
    mlog(MLOG_INFO, "est: cannot build the certificate signing request");
    oc = CLIENT;
    goto out;
  }
  if ((oc = simpleenroll(x, base, b64, key, uri, &issued)) != MEFC_OUTCOME_OK)
    goto out;
  if (ks_store_own(x->ks, x->cli, issued, key, uri, err, sizeof err) != 0) {
    mlog(MLOG_INFO, "est: cannot store the certificate and key: %s", err);
    oc = CLIENT;
    goto out;
  }
  {
    uint8_t fp[MEFC_FP_LEN];
    char hex[2 * MEFC_FP_LEN + 1];
    char subj[256];
    x509u_fingerprint(issued, fp);
    x509u_fp_hex(fp, hex);
    X509_NAME_oneline(X509_get_subject_name(issued), subj, sizeof subj);
    mlog(MLOG_INFO, "est: certificate issued and stored (subject %s, sha256 %s)", subj, hex);
  }
out:
  X509_free(issued);
  EVP_PKEY_free(key);
  OPENSSL_free(csr);
  free(b64);
  sk_X509_pop_free(cas, X509_free);
  free(uri);
  free(base);
  return oc;
}
