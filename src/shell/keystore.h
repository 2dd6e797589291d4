/* The client's key store: its own certificates with their private keys and
 * the CA certificates it holds, as files under STATE_DIR/keys (mode 0600)
 * indexed by STATE_DIR/keystore.json. The core never sees keys: the shell
 * fills mefc_client.certs / ca_certs with their SHA-256 fingerprints. */
#ifndef MEFC_SHELL_KEYSTORE_H
#define MEFC_SHELL_KEYSTORE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "config.h"
#include "mefc/command.h"

#define KS_FILE "keystore.json"
#define KS_KEYS_DIR "keys"

typedef struct {
  uint8_t fp[MEFC_FP_LEN];
  char *cert;     /* file, relative to the state directory */
  char *key;
  char *subject;  /* certSubjectID it was enrolled for */
} ks_own;

typedef struct {
  uint8_t fp[MEFC_FP_LEN];
  char *file;
  char *node;     /* objectPath of the [trustAnchorCred] it is bound to, or NULL */
  char *source;   /* "est-cacerts" or "trust-anchor-fetch" */
} ks_ca;

typedef struct {
  char *dir;      /* the state directory */
  ks_own own[MEFC_CERTS_MAX];
  size_t n_own;
  ks_ca ca[MEFC_CERTS_MAX];
  size_t n_ca;
} keystore;

/* Load STATE_DIR/keystore.json (missing: empty store). -1 with a message on
 * a damaged or unknown-version file. */
int ks_load(keystore *ks, const char *state_dir, char *err, size_t cap);
void ks_free(keystore *ks);

/* Fill cli's certificate fingerprints: the configured ones, the credential
 * certificate (held with its key), every configured trust anchor, and every
 * entry of the key store; duplicates are merged. -1 when a capacity is
 * exceeded or a credential file cannot be read. */
int ks_fill_client(const keystore *ks, const mefc_config *cfg, mefc_client *cli, char *err,
                   size_t cap);

/* Store an enrolled certificate with its private key (files 0600, index
 * rewritten atomically) and add its fingerprint to cli. */
int ks_store_own(keystore *ks, mefc_client *cli, X509 *cert, EVP_PKEY *key, const char *subject,
                 char *err, size_t cap);

/* Store a CA certificate (file 0600), bound to an MO node when node is not
 * NULL, and add its fingerprint to cli. */
int ks_store_ca(keystore *ks, mefc_client *cli, X509 *ca, const char *node, const char *source,
                char *err, size_t cap);

#endif
