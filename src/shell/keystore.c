/* The key store. Writes go file first, index second, each atomically, so a
 * crash leaves at worst an unindexed file, never an index entry without its
 * file. Fingerprints in cli change only after both writes succeeded. */
#include "keystore.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "client_json.h"
#include "fsutil.h"
#include "log.h"
#include "x509util.h"

#define KS_FILE_MAX 262144u

static char *dup_str(const char *s)
{
  if (s == NULL)
    return NULL;
  char *c = malloc(strlen(s) + 1);
  if (c != NULL)
    strcpy(c, s);
  return c;
}

void ks_free(keystore *ks)
{
  free(ks->dir);
  for (size_t i = 0; i < ks->n_own; i++) {
    free(ks->own[i].cert);
    free(ks->own[i].key);
    free(ks->own[i].subject);
  }
  for (size_t i = 0; i < ks->n_ca; i++) {
    free(ks->ca[i].file);
    free(ks->ca[i].node);
    free(ks->ca[i].source);
  }
  memset(ks, 0, sizeof *ks);
}

static const char *opt_str(json_t *o, const char *k)
{
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static int bad(char *err, size_t cap, const char *dir, const char *what)
{
  snprintf(err, cap, "key store %s/%s: %s", dir, KS_FILE, what);
  return -1;
}

int ks_load(keystore *ks, const char *state_dir, char *err, size_t cap)
{
  char *path;
  uint8_t *buf;
  size_t len;
  json_error_t je;
  char ferr[384];

  memset(ks, 0, sizeof *ks);
  ks->dir = dup_str(state_dir);
  path = fsu_join(state_dir, KS_FILE);
  if (ks->dir == NULL || path == NULL) {
    free(path);
    snprintf(err, cap, "out of memory");
    return -1;
  }
  int r = fsu_read_file(path, KS_FILE_MAX, 1, &buf, &len, ferr, sizeof ferr);
  free(path);
  if (r == 1)
    return 0;
  if (r != 0) {
    snprintf(err, cap, "key store: %s", ferr);
    return -1;
  }
  json_t *root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
  free(buf);
  if (root == NULL)
    return bad(err, cap, state_dir, "damaged (not JSON)");
  int rc = 0;
  json_t *v = json_object_get(root, "version");
  const char *fmt = opt_str(root, "format");
  json_t *own = json_object_get(root, "certs");
  json_t *ca = json_object_get(root, "ca_certs");
  if (fmt == NULL || strcmp(fmt, "mefc-keystore") != 0 || !json_is_integer(v) ||
      json_integer_value(v) != 1) {
    rc = bad(err, cap, state_dir, "not a version 1 mefc-keystore file");
  } else if (!json_is_array(own) || !json_is_array(ca) ||
             json_array_size(own) > MEFC_CERTS_MAX || json_array_size(ca) > MEFC_CERTS_MAX) {
    rc = bad(err, cap, state_dir, "\"certs\" and \"ca_certs\" must be arrays within capacity");
  }
  for (size_t i = 0; rc == 0 && i < json_array_size(own); i++) {
    json_t *e = json_array_get(own, i);
    const char *fp = opt_str(e, "fp");
    ks_own *o = &ks->own[ks->n_own];
    if (fp == NULL || mefc_fp_from_hex(fp, strlen(fp), o->fp) != 0 || opt_str(e, "cert") == NULL ||
        opt_str(e, "key") == NULL) {
      rc = bad(err, cap, state_dir, "a \"certs\" entry lacks fp, cert or key");
      break;
    }
    o->cert = dup_str(opt_str(e, "cert"));
    o->key = dup_str(opt_str(e, "key"));
    o->subject = dup_str(opt_str(e, "subject"));
    ks->n_own++;
  }
  for (size_t i = 0; rc == 0 && i < json_array_size(ca); i++) {
    json_t *e = json_array_get(ca, i);
    const char *fp = opt_str(e, "fp");
    ks_ca *c = &ks->ca[ks->n_ca];
    if (fp == NULL || mefc_fp_from_hex(fp, strlen(fp), c->fp) != 0 || opt_str(e, "file") == NULL) {
      rc = bad(err, cap, state_dir, "a \"ca_certs\" entry lacks fp or file");
      break;
    }
    c->file = dup_str(opt_str(e, "file"));
    c->node = dup_str(opt_str(e, "node"));
    c->source = dup_str(opt_str(e, "source"));
    ks->n_ca++;
  }
  json_decref(root);
  return rc;
}

static int save_index(const keystore *ks, char *err, size_t cap)
{
  char hex[2 * MEFC_FP_LEN + 1];
  json_t *own = json_array();
  json_t *ca = json_array();
  for (size_t i = 0; i < ks->n_own; i++) {
    x509u_fp_hex(ks->own[i].fp, hex);
    json_t *e = json_pack("{s:s, s:s, s:s}", "fp", hex, "cert", ks->own[i].cert, "key",
                          ks->own[i].key);
    if (ks->own[i].subject != NULL)
      json_object_set_new(e, "subject", json_string(ks->own[i].subject));
    json_array_append_new(own, e);
  }
  for (size_t i = 0; i < ks->n_ca; i++) {
    x509u_fp_hex(ks->ca[i].fp, hex);
    json_t *e = json_pack("{s:s, s:s}", "fp", hex, "file", ks->ca[i].file);
    if (ks->ca[i].node != NULL)
      json_object_set_new(e, "node", json_string(ks->ca[i].node));
    if (ks->ca[i].source != NULL)
      json_object_set_new(e, "source", json_string(ks->ca[i].source));
    json_array_append_new(ca, e);
  }
  json_t *root = json_pack("{s:s, s:i, s:o, s:o}", "format", "mefc-keystore", "version", 1,
                           "certs", own, "ca_certs", ca);
  char *s = root != NULL ? json_dumps(root, JSON_INDENT(2)) : NULL;
  json_decref(root);
  if (s == NULL) {
    snprintf(err, cap, "key store: cannot serialise the index");
    return -1;
  }
  int r = fsu_write_atomic(ks->dir, KS_FILE, s, strlen(s), err, cap);
  free(s);
  return r;
}

static bool has_fp(uint8_t fps[][MEFC_FP_LEN], uint32_t n, const uint8_t fp[MEFC_FP_LEN])
{
  for (uint32_t i = 0; i < n; i++) {
    if (memcmp(fps[i], fp, MEFC_FP_LEN) == 0)
      return true;
  }
  return false;
}

/* Add fp to fps[0..*n) unless present. -1 when full. */
static int add_fp(uint8_t fps[][MEFC_FP_LEN], uint32_t *n, const uint8_t fp[MEFC_FP_LEN])
{
  if (has_fp(fps, *n, fp))
    return 0;
  if (*n >= MEFC_CERTS_MAX)
    return -1;
  memcpy(fps[*n], fp, MEFC_FP_LEN);
  (*n)++;
  return 0;
}

static int add_pem_file(uint8_t fps[][MEFC_FP_LEN], uint32_t *n, const char *path, bool first_only,
                        const char *what, char *err, size_t cap)
{
  char lerr[384];
  STACK_OF(X509) *sk = x509u_load_pem_certs(path, lerr, sizeof lerr);
  int rc = 0;
  if (sk == NULL) {
    snprintf(err, cap, "%s: %s", what, lerr);
    return -1;
  }
  for (int i = 0; i < sk_X509_num(sk) && rc == 0; i++) {
    uint8_t fp[MEFC_FP_LEN];
    if (x509u_fingerprint(sk_X509_value(sk, i), fp) != 0 || add_fp(fps, n, fp) != 0) {
      snprintf(err, cap, "%s: more than %u certificates in the key store", what, MEFC_CERTS_MAX);
      rc = -1;
    }
    if (first_only)
      break;
  }
  sk_X509_pop_free(sk, X509_free);
  return rc;
}

int ks_fill_client(const keystore *ks, const mefc_config *cfg, mefc_client *cli, char *err,
                   size_t cap)
{
  if (cfg->cred == CFG_CRED_CERT) {
    if (add_pem_file(cli->certs, &cli->n_certs, cfg->cert_file, true, "credentials.cert.cert_file",
                     err, cap) != 0 ||
        add_pem_file(cli->ca_certs, &cli->n_ca_certs, cfg->trust_anchors, false,
                     "credentials.cert.trust_anchors", err, cap) != 0)
      return -1;
  }
  if (cfg->https_trust_anchors != NULL &&
      (cfg->trust_anchors == NULL || strcmp(cfg->https_trust_anchors, cfg->trust_anchors) != 0) &&
      add_pem_file(cli->ca_certs, &cli->n_ca_certs, cfg->https_trust_anchors, false,
                   "https.trust_anchors", err, cap) != 0)
    return -1;
  for (size_t i = 0; i < ks->n_own; i++) {
    if (add_fp(cli->certs, &cli->n_certs, ks->own[i].fp) != 0) {
      snprintf(err, cap, "key store: more than %u own certificates", MEFC_CERTS_MAX);
      return -1;
    }
  }
  for (size_t i = 0; i < ks->n_ca; i++) {
    if (add_fp(cli->ca_certs, &cli->n_ca_certs, ks->ca[i].fp) != 0) {
      snprintf(err, cap, "key store: more than %u CA certificates", MEFC_CERTS_MAX);
      return -1;
    }
  }
  return 0;
}

/* Write keys/<prefix>-<fp>.<ext> (0600); returns the relative name, malloc'd. */
static char *write_key_file(const keystore *ks, const char *prefix, const uint8_t fp[MEFC_FP_LEN],
                            const char *ext, const char *data, size_t len, char *err, size_t cap)
{
  char hex[2 * MEFC_FP_LEN + 1];
  char name[160];
  char *kdir = fsu_join(ks->dir, KS_KEYS_DIR);
  x509u_fp_hex(fp, hex);
  snprintf(name, sizeof name, "%s-%.16s.%s", prefix, hex, ext);
  if (kdir == NULL || fsu_mkdirs(kdir, err, cap) != 0 ||
      fsu_write_atomic(kdir, name, data, len, err, cap) != 0) {
    free(kdir);
    return NULL;
  }
  free(kdir);
  char rel[200];
  snprintf(rel, sizeof rel, "%s/%s", KS_KEYS_DIR, name);
  return dup_str(rel);
}

int ks_store_own(keystore *ks, mefc_client *cli, X509 *cert, EVP_PKEY *key, const char *subject,
                 char *err, size_t cap)
{
  uint8_t fp[MEFC_FP_LEN];
  size_t cl = 0, kl = 0;
  char *cpem, *kpem, *cfile = NULL, *kfile = NULL;

  if (x509u_fingerprint(cert, fp) != 0) {
    snprintf(err, cap, "cannot fingerprint the certificate");
    return -1;
  }
  if (!has_fp(cli->certs, cli->n_certs, fp) && cli->n_certs >= MEFC_CERTS_MAX) {
    snprintf(err, cap, "key store full (%u own certificates)", MEFC_CERTS_MAX);
    return -1;
  }
  if (ks->n_own >= MEFC_CERTS_MAX) {
    snprintf(err, cap, "key store full (%u own certificates)", MEFC_CERTS_MAX);
    return -1;
  }
  cpem = x509u_cert_pem(cert, &cl);
  kpem = x509u_key_pem(key, &kl);
  if (cpem == NULL || kpem == NULL) {
    snprintf(err, cap, "cannot serialise the certificate or key");
  } else {
    kfile = write_key_file(ks, "own", fp, "key", kpem, kl, err, cap);
    if (kfile != NULL)
      cfile = write_key_file(ks, "own", fp, "pem", cpem, cl, err, cap);
  }
  free(cpem);
  x509u_free_secret(kpem, kl);
  if (cfile == NULL) {
    free(kfile);
    return -1;
  }
  ks_own *o = &ks->own[ks->n_own];
  memcpy(o->fp, fp, MEFC_FP_LEN);
  o->cert = cfile;
  o->key = kfile;
  o->subject = dup_str(subject);
  ks->n_own++;
  if (save_index(ks, err, cap) != 0) {
    ks->n_own--;
    free(o->cert);
    free(o->key);
    free(o->subject);
    return -1;
  }
  add_fp(cli->certs, &cli->n_certs, fp);
  return 0;
}

int ks_store_ca(keystore *ks, mefc_client *cli, X509 *ca, const char *node, const char *source,
                char *err, size_t cap)
{
  uint8_t fp[MEFC_FP_LEN];
  size_t cl = 0;
  if (x509u_fingerprint(ca, fp) != 0) {
    snprintf(err, cap, "cannot fingerprint the certificate");
    return -1;
  }
  /* Already indexed: (re)bind it to the node, keep one entry. */
  for (size_t i = 0; i < ks->n_ca; i++) {
    if (memcmp(ks->ca[i].fp, fp, MEFC_FP_LEN) == 0) {
      if (node != NULL && (ks->ca[i].node == NULL || strcmp(ks->ca[i].node, node) != 0)) {
        char *old = ks->ca[i].node;
        ks->ca[i].node = dup_str(node);
        if (save_index(ks, err, cap) != 0) {
          free(ks->ca[i].node);
          ks->ca[i].node = old;
          return -1;
        }
        free(old);
      }
      return add_fp(cli->ca_certs, &cli->n_ca_certs, fp) == 0 ? 0 : -1;
    }
  }
  if (ks->n_ca >= MEFC_CERTS_MAX ||
      (!has_fp(cli->ca_certs, cli->n_ca_certs, fp) && cli->n_ca_certs >= MEFC_CERTS_MAX)) {
    snprintf(err, cap, "key store full (%u CA certificates)", MEFC_CERTS_MAX);
    return -1;
  }
  char *pem = x509u_cert_pem(ca, &cl);
  if (pem == NULL) {
    snprintf(err, cap, "cannot serialise the certificate");
    return -1;
  }
  char *file = write_key_file(ks, "ca", fp, "pem", pem, cl, err, cap);
  free(pem);
  if (file == NULL)
    return -1;
  ks_ca *c = &ks->ca[ks->n_ca];
  memcpy(c->fp, fp, MEFC_FP_LEN);
  c->file = file;
  c->node = dup_str(node);
  c->source = dup_str(source);
  ks->n_ca++;
  if (save_index(ks, err, cap) != 0) {
    ks->n_ca--;
    free(c->file);
    free(c->node);
    free(c->source);
    return -1;
  }
  add_fp(cli->ca_certs, &cli->n_ca_certs, fp);
  return 0;
}
