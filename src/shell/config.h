/* The mefc configuration file (JSON, documented in docs/config.md): where
 * the MEF is, who the client is, its credentials, its state directory, its
 * profile and MO tree (through client_json), and transport limits. */
#ifndef MEFC_SHELL_CONFIG_H
#define MEFC_SHELL_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "mefc/command.h"

enum cfg_cred { CFG_CRED_NONE = 0, CFG_CRED_PSK = 1, CFG_CRED_CERT = 2 };
enum cfg_key_type { CFG_KEY_EC_P256 = 1, CFG_KEY_RSA = 2 };
enum cfg_binding { CFG_BIND_COAP = 0, CFG_BIND_HTTP = 1 };

#define CFG_HOSTS_MAX 8u
#define CFG_PSK_MAX 64u

typedef struct {
  char *name;
  char *addr;
} cfg_host;

typedef struct {
  char *path;            /* the configuration file, as given */
  char *dir;             /* its directory: relative paths are relative to it */

  /* mef */
  int binding;           /* enum cfg_binding, from the scheme of mef.address */
  int secure;            /* 1: coaps:// (DTLS) or https:// (TLS), 0: coap:// (tests only) */
  char *mef_host;        /* host of the MEF address (a name or a literal) */
  uint16_t mef_port;
  char *mef_fqdn;        /* SNI, certificate host check, URI checks */
  cfg_host hosts[CFG_HOSTS_MAX]; /* name -> address overrides (CoAP and HTTPS) */
  size_t n_hosts;

  /* identity and credentials */
  char *identity;        /* Node-ID / CSE-ID / AE-ID; From (FR) unless PSK */
  int cred;              /* enum cfg_cred */
  char *psk_identity;    /* KpmID */
  uint8_t psk_key[CFG_PSK_MAX]; /* Kpm: never logged */
  size_t psk_key_len;
  char *cert_file, *key_file, *trust_anchors; /* PEM files (cert credentials) */
  char *https_trust_anchors; /* HTTPS server verification; defaults to trust_anchors */
  int https_client_cert;     /* present cert_file/key_file to HTTPS servers */

  char *state_dir;

  /* maf: the MAF Handshake (TS-0003 8.8.2.2) of the MAF procedures (I-41) */
  char *maf_psk_identity;        /* KmID (10.6: MAF_RELATIVE_KmID@MAF-FQDN), or NULL */
  uint8_t maf_psk_key[CFG_PSK_MAX]; /* Km: never logged */
  size_t maf_psk_key_len;
  char *maf_trust_anchors;       /* MAF certificate trust anchors; NULL: credentials.cert's */

  /* coap */
  uint32_t ack_timeout_ms;
  uint32_t max_retransmit;
  uint32_t response_timeout_ms;
  int send_rvi;          /* send oneM2M-RVI (271) "3"; default off (see docs/config.md) */
  int send_ty;           /* send oneM2M-TY (267) with the registration CREATE; default off */

  /* http */
  uint32_t http_response_timeout_ms; /* whole request, connection included */

  /* registration */
  json_t *labels;        /* array of strings, or NULL */
  char *expiration;      /* "et" proposed, or NULL */

  /* est */
  int est_key_type;      /* enum cfg_key_type */
  uint32_t est_rsa_bits;
  uint32_t est_max_attempts;     /* 202 + Retry-After rounds */
  uint32_t est_max_retry_after_s;

  /* scep: what certProvCmdArgs does not carry (ruling I-39) */
  char *scep_challenge;          /* challengePassword, or NULL; never logged */
  int scep_has_ca_fp;            /* 1: the SCEP CA must have scep_ca_fp */
  uint8_t scep_ca_fp[MEFC_FP_LEN];
  uint32_t scep_rsa_bits;

  /* run */
  uint32_t once_max_backoffs;    /* --once gives up after this many backoffs in a row */

  /* lwm2m (DEV_CFG with devMgmtID 3) */
  uint32_t lwm2m_timeout_ms;     /* the whole bootstrap, POST /bs to Bootstrap-Finish */

  mefc_client client;    /* profile and MO tree (key store not merged) */
  json_t *mo_json;       /* the MO tree as JSON (same order as client.mo), or NULL: the "mo"
                          * array with the bootstrapped nodes of lwm2m.json merged in */
  json_t *mo_configured; /* the "mo" array as written, or NULL */
} mefc_config;

/* Load and check the file. Returns a config or NULL with a message in err. */
mefc_config *cfg_load(const char *path, char *err, size_t cap);

/* Wipes the PSK and frees everything. */
void cfg_free(mefc_config *cfg);

/* The address to connect to for host name: the hosts override, or name. */
const char *cfg_resolve_host(const mefc_config *cfg, const char *name);

/* The From (FR) of the client's requests: the KpmID with PSK credentials,
 * else the configured identity. */
const char *cfg_originator(const mefc_config *cfg);

/* "coaps", "coap" or "https": the scheme of mef.address. */
const char *cfg_scheme(const mefc_config *cfg);

/* How the MEF Handshake authenticates: "DTLS PSK", "TLS certificates", ...,
 * or "no DTLS" over plain CoAP. */
const char *cfg_security(const mefc_config *cfg);

#endif
