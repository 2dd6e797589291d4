/* [trustAnchorCred] certificate fetch (8.3.9.9.7 step 2): HTTPS GET of the
 * node's URI, the certificate in PEM or DER, its SHA-256 fingerprint
 * compared in constant time with the node's certFingerprint, then stored
 * (0600), bound to the node and added to the CA fingerprints.
 *
 * Outcome classification (all failures give 305 through the core):
 *   server_error - connection/TLS failure, HTTP status other than 200, a
 *     body that is no certificate, a fingerprint that does not match;
 *   client_error - no HTTPS trust anchors configured, storing failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "executor.h"
#include "https_client.h"
#include "log.h"
#include "mefc/status.h"
#include "x509util.h"

uint32_t ta_fetch(exec_ctx *x, const mefc_exec_args *args)
{
  char url[MEFC_URI_MAX + 1];
  char node[MEFC_PATH_MAX + 1];
  char want[2 * MEFC_FP_LEN + 1], got[2 * MEFC_FP_LEN + 1];
  uint8_t fp[MEFC_FP_LEN];
  char err[384];
  https_result r;
  uint32_t oc = MEFC_OUTCOME_SERVER_ERROR;

  if (args->uri_len == 0 || args->uri_len > MEFC_URI_MAX || args->node >= x->cli->n_mo) {
    mlog(MLOG_INFO, "trust anchor: no URI or node to fetch for");
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  memcpy(url, args->uri, args->uri_len);
  url[args->uri_len] = '\0';
  const mefc_mo_node *n = &x->cli->mo[args->node];
  memcpy(node, n->path, n->path_len);
  node[n->path_len] = '\0';
  x509u_fp_hex(args->fp, want);
  mlog(MLOG_INFO, "trust anchor: fetching %s for %s", url, node);

  https_req q = {"GET", url, NULL, NULL, 0};
  if (https_do(x->cfg, &q, &r) != 0) {
    mlog(MLOG_INFO, "trust anchor: fetch failed: %s", r.why);
    return r.local_error ? MEFC_OUTCOME_CLIENT_ERROR : MEFC_OUTCOME_SERVER_ERROR;
  }
  X509 *cert = NULL;
  if (r.status != 200) {
    mlog(MLOG_INFO, "trust anchor: HTTP %ld", r.status);
  } else if ((cert = x509u_parse_cert(r.body, r.len)) == NULL) {
    mlog(MLOG_INFO, "trust anchor: the body is not a PEM or DER certificate");
  } else if (x509u_fingerprint(cert, fp) != 0) {
    mlog(MLOG_INFO, "trust anchor: cannot compute the fingerprint");
  } else if (CRYPTO_memcmp(fp, args->fp, MEFC_FP_LEN) != 0) {
    x509u_fp_hex(fp, got);
    mlog(MLOG_INFO, "trust anchor: fingerprint mismatch: expected %s, got %s", want, got);
  } else if (ks_store_ca(x->ks, x->cli, cert, node, "trust-anchor-fetch", err, sizeof err) != 0) {
    mlog(MLOG_INFO, "trust anchor: cannot store the certificate: %s", err);
    oc = MEFC_OUTCOME_CLIENT_ERROR;
  } else {
    mlog(MLOG_INFO, "trust anchor: stored, sha256 %s, bound to %s", want, node);
    oc = MEFC_OUTCOME_OK;
  }
  X509_free(cert);
  https_result_free(&r);
  return oc;
}
