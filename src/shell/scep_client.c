/* RFC 8894 SCEP client for CERT_PROV with certProvProtocolID SCEP (8.3.6.3,
 * 8.3.9.7 step 5): GetCACaps, GetCACert (the CA authenticated by the
 * configured fingerprint or a CA certificate the client holds, ruling I-39),
 * then PKCSReq with a fresh RSA key, a CSR carrying the challenge password
 * and the certSubjectID in SubjectAltName, and the CertRep checked.
 *
 * Outcome classification (8.3.9.7 step 6, rulings I-36, I-39):
 *   server_error - no connection, any HTTP status but 200 from GetCACert or
 *     PKIOperation, a CA certificate that is not the one configured or held,
 *     a reply that is not a CertRep signed by the CA/RA for this transaction,
 *     FAILURE (a wrong challenge password gives badRequest) or PENDING, an
 *     issued certificate without our key, the SAN URI or the CA's signature;
 *   client_error - no way to authenticate the CA (no scep.ca_fingerprint and
 *     no CA certificate held), key/CSR/message construction, a certSubjectID
 *     that cannot be a SAN URI, no DES when the reply needs it, storing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "csr.h"
#include "executor.h"
#include "log.h"
#include "mefc/status.h"
#include "scep_http.h"
#include "scep_msg.h"
#include "x509util.h"

#define SERVER MEFC_OUTCOME_SERVER_ERROR
#define CLIENT MEFC_OUTCOME_CLIENT_ERROR

enum { CAP_POST = 1, CAP_AES = 2, CAP_DES3 = 4, CAP_SHA256 = 8, CAP_SHA1 = 16, CAP_STANDARD = 32 };

typedef struct {
  exec_ctx *x;
  char *base;                /* the command's URI */
  unsigned caps;
  X509 *ca;                  /* authenticated CA certificate */
  STACK_OF(X509) *signers;   /* CA and the RA certificates it issued */
  X509 *recipient;           /* where the CSR is encrypted to */
} scep_ctx;

static char *op_url(const scep_ctx *s, const char *op, const char *message)
{
  size_t n = strlen(s->base) + strlen(op) + (message != NULL ? strlen(message) : 0) + 32;
  char *u = malloc(n);
  if (u != NULL)
    snprintf(u, n, "%s%soperation=%s%s%s", s->base, strchr(s->base, '?') != NULL ? "&" : "?", op,
             message != NULL ? "&message=" : "", message != NULL ? message : "");
  return u;
}

/* The GET of an operation; 0 with a 200 reply, else the outcome. */
static uint32_t get_op(scep_ctx *s, const char *op, scep_http_result *r)
{
  char *url = op_url(s, op, NULL);
  memset(r, 0, sizeof *r);
  if (url == NULL)
    return CLIENT;
  int rc = scep_http_do(s->x->cfg, "GET", url, NULL, NULL, 0, r);
  free(url);
  if (rc != 0) {
    mlog(MLOG_INFO, "scep: %s failed: %s", op, r->why);
    return r->local_error ? CLIENT : SERVER;
  }
  mlog(MLOG_DEBUG, "scep: %s answered HTTP %ld, %s, %zu bytes%s", op, r->status,
       r->content_type[0] ? r->content_type : "no content type", r->len,
       r->chunked ? " (chunked)" : "");
  if (r->status != 200) {
    mlog(MLOG_INFO, "scep: %s answered HTTP %ld", op, r->status);
    return SERVER;
  }
  return MEFC_OUTCOME_OK;
}

/* RFC 8894 3.5.2: one capability per line, case-insensitive. A server that
 * cannot answer gets the minimal set (GET, DES3, SHA-1). */
static uint32_t get_caps(scep_ctx *s)
{
  scep_http_result r = {0};
  uint32_t oc = get_op(s, "GetCACaps", &r);
  if (oc == MEFC_OUTCOME_OK && r.body != NULL) {
    static const struct { const char *name; unsigned bit; } names[] = {
      {"POSTPKIOperation", CAP_POST}, {"AES", CAP_AES}, {"DES3", CAP_DES3},
      {"SHA-256", CAP_SHA256}, {"SHA-1", CAP_SHA1}, {"SCEPStandard", CAP_STANDARD}};
    char *save = NULL;
    for (char *l = strtok_r((char *)r.body, "\r\n", &save); l != NULL;
         l = strtok_r(NULL, "\r\n", &save))
      for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(l, names[i].name) == 0)
          s->caps |= names[i].bit;
    if (s->caps & CAP_STANDARD)
      s->caps |= CAP_POST | CAP_AES | CAP_SHA256;
  } else if (oc == SERVER && r.status != 0) {
    mlog(MLOG_INFO, "scep: no capabilities: assuming GET, DES3 and SHA-1");
    oc = MEFC_OUTCOME_OK;
  }
  scep_http_free(&r);
  return oc;
}

static int held_ca(const mefc_client *cli, const uint8_t fp[MEFC_FP_LEN])
{
  for (uint32_t i = 0; i < cli->n_ca_certs; i++)
    if (CRYPTO_memcmp(cli->ca_certs[i], fp, MEFC_FP_LEN) == 0)
      return 1;
  return 0;
}

/* Pick the CA among the certificates of GetCACert (RFC 8894 4.2.1), and
 * the RA certificates it signed. */
static uint32_t authenticate_ca(scep_ctx *s, STACK_OF(X509) *got)
{
  const mefc_config *cfg = s->x->cfg;
  char hex[2 * MEFC_FP_LEN + 1];
  if (!cfg->scep_has_ca_fp && s->x->cli->n_ca_certs == 0) {
    mlog(MLOG_INFO, "scep: cannot authenticate the SCEP CA: no scep.ca_fingerprint configured and "
         "no CA certificate held");
    return CLIENT;
  }
  for (int i = 0; i < sk_X509_num(got) && s->ca == NULL; i++) {
    uint8_t fp[MEFC_FP_LEN];
    if (x509u_fingerprint(sk_X509_value(got, i), fp) != 0)
      continue;
    if (cfg->scep_has_ca_fp ? CRYPTO_memcmp(fp, cfg->scep_ca_fp, MEFC_FP_LEN) == 0
                            : held_ca(s->x->cli, fp))
      s->ca = sk_X509_value(got, i);
  }
  if (s->ca == NULL) {
    uint8_t fp[MEFC_FP_LEN] = {0};
    char want[2 * MEFC_FP_LEN + 1];
    x509u_fingerprint(sk_X509_value(got, 0), fp);
    x509u_fp_hex(fp, hex);
    if (cfg->scep_has_ca_fp) {
      x509u_fp_hex(cfg->scep_ca_fp, want);
      mlog(MLOG_INFO, "scep: CA fingerprint mismatch: expected %s, got %s", want, hex);
    } else {
      mlog(MLOG_INFO, "scep: the SCEP CA (sha256 %s) is none of the CA certificates held", hex);
    }
    return SERVER;
  }
  X509_up_ref(s->ca);
  s->signers = sk_X509_new_null();
  if (s->signers == NULL || sk_X509_push(s->signers, s->ca) <= 0)
    return CLIENT;
  X509_up_ref(s->ca);
  s->recipient = s->ca;
  EVP_PKEY *cak = X509_get0_pubkey(s->ca);
  for (int i = 0; i < sk_X509_num(got); i++) {
    X509 *ra = sk_X509_value(got, i);
    if (ra == s->ca || cak == NULL || X509_check_issued(s->ca, ra) != X509_V_OK ||
        X509_verify(ra, cak) != 1)
      continue;
    if (sk_X509_push(s->signers, ra) <= 0)
      return CLIENT;
    X509_up_ref(ra);
    if (s->recipient == s->ca && (X509_get_key_usage(ra) & KU_KEY_ENCIPHERMENT) != 0)
      s->recipient = ra;
  }
  {
    uint8_t fp[MEFC_FP_LEN];
    x509u_fingerprint(s->ca, fp);
    x509u_fp_hex(fp, hex);
  }
  mlog(MLOG_INFO, "scep: CA authenticated (sha256 %s, %s), %d RA certificate(s)", hex,
       cfg->scep_has_ca_fp ? "scep.ca_fingerprint" : "a CA certificate held",
       sk_X509_num(s->signers) - 1);
  return MEFC_OUTCOME_OK;
}

static uint32_t get_ca(scep_ctx *s)
{
  scep_http_result r = {0};
  uint32_t oc = get_op(s, "GetCACert", &r);
  STACK_OF(X509) *got = NULL;
  if (oc == MEFC_OUTCOME_OK) {
    if (strstr(r.content_type, "x-x509-ca-ra-cert") != NULL) {
      got = x509u_pkcs7_certs(r.body, r.len);
    } else {
      X509 *one = x509u_parse_cert(r.body, r.len);
      got = one != NULL ? sk_X509_new_null() : NULL;
      if (got != NULL && sk_X509_push(got, one) <= 0) {
        sk_X509_free(got);
        got = NULL;
      }
      if (got == NULL)
        X509_free(one);
    }
    if (got == NULL || sk_X509_num(got) == 0) {
      mlog(MLOG_INFO, "scep: GetCACert (%s) holds no certificate",
           r.content_type[0] ? r.content_type : "no content type");
      oc = SERVER;
    } else {
      oc = authenticate_ca(s, got);
    }
  }
  sk_X509_pop_free(got, X509_free);
  scep_http_free(&r);
  return oc;
}

/* PKIOperation: POST when the server says it can, else GET with the
 * message base64 and URL-encoded (RFC 8894 4.1). */
static uint32_t pki_operation(scep_ctx *s, const uint8_t *msg, size_t len, scep_http_result *r)
{
  char *url = NULL;
  int rc;
  if (s->caps & CAP_POST) {
    url = op_url(s, "PKIOperation", NULL);
    rc = url != NULL ? scep_http_do(s->x->cfg, "POST", url, "application/x-pki-message", msg, len, r)
                     : -2;
  } else {
    char *b64 = x509u_b64_encode(msg, len);
    char *esc = b64 != NULL ? curl_easy_escape(NULL, b64, 0) : NULL;
    url = esc != NULL ? op_url(s, "PKIOperation", esc) : NULL;
    rc = url != NULL ? scep_http_do(s->x->cfg, "GET", url, NULL, NULL, 0, r) : -2;
    curl_free(esc);
    free(b64);
  }
  free(url);
  if (rc == -2) {
    memset(r, 0, sizeof *r);
    return CLIENT;
  }
  if (rc != 0) {
    mlog(MLOG_INFO, "scep: PKIOperation failed: %s", r->why);
    return r->local_error ? CLIENT : SERVER;
  }
  mlog(MLOG_INFO, "scep: PKIOperation answered HTTP %ld, %s, %zu bytes%s", r->status,
       r->content_type[0] ? r->content_type : "no content type", r->len,
       r->chunked ? " (chunked)" : "");
  return r->status == 200 ? MEFC_OUTCOME_OK : SERVER;
}

/* The issued certificate: our key, the SAN URI, signed by the CA. */
static uint32_t pick_issued(const scep_ctx *s, STACK_OF(X509) *certs, EVP_PKEY *key,
                            const char *uri, X509 **issued)
{
  *issued = NULL;
  for (int i = 0; i < sk_X509_num(certs) && *issued == NULL; i++)
    if (x509u_cert_has_key(sk_X509_value(certs, i), key))
      *issued = sk_X509_value(certs, i);
  if (*issued == NULL) {
    mlog(MLOG_INFO, "scep: no issued certificate carries the requested public key");
  } else if (!csr_cert_has_uri(*issued, uri)) {
    mlog(MLOG_INFO, "scep: the issued certificate lacks SubjectAltName URI %s", uri);
  } else if (X509_verify(*issued, X509_get0_pubkey(s->ca)) != 1) {
    mlog(MLOG_INFO, "scep: the issued certificate is not signed by the SCEP CA");
  } else {
    X509_up_ref(*issued);
    return MEFC_OUTCOME_OK;
  }
  *issued = NULL;
  return SERVER;
}

static uint32_t enrol(scep_ctx *s, EVP_PKEY *key, const char *uri, const mefc_ident *id,
                      X509 **issued)
{
  const mefc_config *cfg = s->x->cfg;
  scep_req req = {0};
  scep_rep rep = {0};
  scep_http_result r = {0};
  uint8_t *csr = NULL, *msg = NULL;
  size_t csr_len = 0, msg_len = 0;
  X509_REQ *xreq = NULL;
  X509_NAME *name = NULL;
  char why[256];
  uint32_t oc = CLIENT;

  if (csr_make(key, uri, id, cfg->scep_challenge, &csr, &csr_len) != 0) {
    mlog(MLOG_INFO, "scep: cannot build the certificate signing request");
    goto out;
  }
  {
    const unsigned char *p = csr;
    xreq = d2i_X509_REQ(NULL, &p, (long)csr_len);
  }
  name = xreq != NULL ? X509_NAME_dup(X509_REQ_get_subject_name(xreq)) : NULL;
  if (name != NULL && X509_NAME_entry_count(name) == 0)
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"mefc SCEP requester",
                               -1, -1, 0);
  req.recipient = s->recipient;
  req.cipher = (s->caps & CAP_AES) ? EVP_aes_128_cbc() : EVP_des_ede3_cbc();
  req.md = (s->caps & CAP_SHA256) || !(s->caps & CAP_SHA1) ? EVP_sha256() : EVP_sha1();
  if (name == NULL || scep_req_init(&req, key, name) != 0 ||
      scep_pkcsreq(&req, csr, csr_len, &msg, &msg_len) != 0) {
    mlog(MLOG_INFO, "scep: cannot build the PKCSReq message");
    goto out;
  }
  mlog(MLOG_INFO, "scep: PKCSReq transaction %.16s..., envelope %s, signature %s, %s", req.trans_id,
       (s->caps & CAP_AES) ? "AES-128-CBC" : "DES-EDE3-CBC",
       req.md == EVP_sha256() ? "SHA-256" : "SHA-1",
       cfg->scep_challenge != NULL ? "with the challenge password" : "without challenge password");
  if ((oc = pki_operation(s, msg, msg_len, &r)) != MEFC_OUTCOME_OK)
    goto out;
  int rc = scep_certrep(&req, s->signers, r.body, r.len, &rep, why, sizeof why);
  if (rc != 0) {
    mlog(MLOG_INFO, "scep: %s", why);
    oc = rc == -2 ? CLIENT : SERVER;
  } else if (rep.status == SCEP_FAILURE) {
    mlog(MLOG_INFO, "scep: the CA refused the request: FAILURE %s", scep_fail_name(rep.fail_info));
    oc = SERVER;
  } else if (rep.status == SCEP_PENDING) {
    mlog(MLOG_INFO, "scep: the CA answered PENDING (manual approval): this client does not poll");
    oc = SERVER;
  } else {
    oc = pick_issued(s, rep.certs, key, uri, issued);
  }
out:
  scep_rep_free(&rep);
  scep_http_free(&r);
  scep_req_free(&req);
  OPENSSL_free(msg);
  OPENSSL_free(csr);
  X509_NAME_free(name);
  X509_REQ_free(xreq);
  return oc;
}

uint32_t scep_enroll(exec_ctx *x, const mefc_exec_args *args)
{
  scep_ctx s = {x, NULL, 0, NULL, NULL, NULL};
  char *uri = csr_san_uri(&args->subject_id);
  EVP_PKEY *key = NULL;
  X509 *issued = NULL;
  char err[384];
  uint32_t oc = CLIENT;

  s.base = malloc(args->uri_len + 1);
  if (s.base == NULL)
    goto out;
  memcpy(s.base, args->uri, args->uri_len);
  s.base[args->uri_len] = '\0';
  if (uri == NULL) {
    mlog(MLOG_INFO, "scep: certSubjectID cannot be written as a SubjectAltName URI");
    goto out;
  }
  mlog(MLOG_INFO, "scep: enrolling at %s for %s", s.base, uri);
  if ((oc = get_caps(&s)) != MEFC_OUTCOME_OK || (oc = get_ca(&s)) != MEFC_OUTCOME_OK)
    goto out;
  key = EVP_RSA_gen(x->cfg->scep_rsa_bits);
  if (key == NULL) {
    mlog(MLOG_INFO, "scep: key generation failed");
    oc = CLIENT;
    goto out;
  }
  if ((oc = enrol(&s, key, uri, &args->subject_id, &issued)) != MEFC_OUTCOME_OK)
    goto out;
  if (ks_store_ca(x->ks, x->cli, s.ca, NULL, "scep-cacert", err, sizeof err) != 0 ||
      ks_store_own(x->ks, x->cli, issued, key, uri, err, sizeof err) != 0) {
    mlog(MLOG_INFO, "scep: cannot store the certificate and key: %s", err);
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
    mlog(MLOG_INFO, "scep: certificate issued and stored (subject %s, sha256 %s)", subj, hex);
  }
out:
  X509_free(issued);
  EVP_PKEY_free(key);
  X509_free(s.ca);
  sk_X509_pop_free(s.signers, X509_free);
  free(uri);
  free(s.base);
  return oc;
}
