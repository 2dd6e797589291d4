/* What MEF Key Registration (8.3.9.9.4), MAF Key Registration (8.3.9.9.5)
 * and MAF Client Registration (8.3.9.9.8) share: MO attributes by TS-0022
 * short name, request timestamps, targetIDs by the profile's parent, the
 * element-by-element verification of a key registration response, one
 * CREATE in a handshake of its own with its exporter output, and durable
 * JSON indexes in the state directory bound to the node path. */
#ifndef MEFC_SHELL_KEYREG_COMMON_H
#define MEFC_SHELL_KEYREG_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "config.h"
#include "executor.h"

#define KR_EXPORT_LEN 48u /* 10.3.1: every oneM2M export is 48 bytes */
#define KR_KEY_LEN 32u    /* ... whose 32 least significant bytes are the key */
#define KR_RKID_MAX 64u   /* hexBinary RelativeKeyID accepted: 1..32 bytes */
#define KR_TS_LEN 15u     /* "YYYYMMDDTHHMMSS" */

/* Attribute name of MO node idx as configured, or NULL. */
const json_t *kr_attr(const mefc_config *cfg, uint32_t idx, const char *name);
const char *kr_attr_str(const mefc_config *cfg, uint32_t idx, const char *name);

/* The path of MO node idx as text. */
void kr_node_path(const mefc_client *cli, uint32_t idx, char *out, size_t cap);

/* The first child of node idx with mgmtDefinition mgd, or MEFC_NONE. */
uint32_t kr_child(const mefc_client *cli, uint32_t idx, uint32_t mgd);

/* t as the oneM2M timestamp "YYYYMMDDTHHMMSS" (UTC). */
void kr_timestamp(time_t t, char out[20]);

/* 1 when s has the form of kr_timestamp's output. */
int kr_is_timestamp(const char *s);

/* 1 when s is hexBinary of 1..KR_RKID_MAX/2 bytes. */
int kr_hex_id(const char *s);

/* The CSE-ID a containerPath begins with ("/CSE/..." gives "/CSE",
 * "//SP/CSE/..." gives "//SP/CSE"); -1 for a CSE-relative path. */
int kr_cse_of_container(const char *p, char *out, size_t cap);

/* targetIDs by the profile's parent (8.3.9.9.4/5): [registration] its csi,
 * [dataCollection] the CSE-ID of its cntp, and with maf_parent_ok a
 * [MAFClientRegCfg] its fq. NULL when the parent gives none. */
json_t *kr_target_ids(const mefc_config *cfg, const mefc_client *cli, uint32_t parent,
                      int maf_parent_ok);

/* The binding and port chosen from node's port attributes (MCC-9-4-PROTO,
 * MCC-9-5-PROTO, MCC-9-8-PROTO; rulings I-40, I-43): httpPort (`hpt`) gives
 * HTTPS and is preferred when both are present; coapPort alone gives CoAP
 * over DTLS when coap_ok (*coap set to 1). -1 after logging why there is
 * none; desc names the node, proc the procedure and ruling the ruling that
 * keeps it off CoAP when !coap_ok. */
int kr_pick_port(const mefc_config *cfg, uint32_t node, const char *what, const char *path,
                 const char *desc, const char *proc, const char *ruling, int coap_ok,
                 uint16_t *port, int *coap);

/* The expirationTime of an MO attribute or configuration value: now plus
 * an xs:duration of at most 100 years. -1 when dur is not one. */
int kr_expiry(const char *dur, time_t now, char out[20]);

/* Step 10 of a key registration (8.3.9.9.4 / 8.3.9.9.5): NULL when resp
 * verifies against the request sent, else what failed. client_id is the
 * Source MEF (maf 0) or MAF (maf 1) Client ID the client expects (`mci`). */
const char *kr_verify_key_reg(const json_t *resp, const json_t *sent, const char *client_id,
                              const char *now, int maf);

/* The peer of a registration exchange: the MEF (mef.*, credentials.*) or a
 * MAF (its FQDN, resolved through mef.hosts, and maf.* credentials). */
typedef struct {
  const char *what;        /* log prefix: "mef key reg", "maf client reg", ... */
  const char *fqdn;        /* TLS SNI and certificate name; NULL: mef.fqdn */
  const char *base;        /* CREATE target: "mef" or "maf" */
  uint16_t port;
  int maf;                 /* MAF Handshake (8.8.2.2): maf.psk or the client certificate */
  int coap;                /* 1: CoAP over DTLS (coapPort), 0: HTTPS (httpPort) */
  int coap_ok;             /* kr_key_reg: this procedure may run over CoAP */
} kr_peer;

/* One handshake (TLS or, with peer->coap, DTLS), one CREATE of type ty with
 * body, and the exporter output of that session (label, KR_EXPORT_LEN bytes into exp; label NULL: none).
 * On 201 (2.01)/2001 with {"<root>":{...}}, *out holds the inner object and the
 * result is MEFC_OUTCOME_OK; else the outcome of the failure (I-36). */
uint32_t kr_exchange(const mefc_config *cfg, const kr_peer *peer, unsigned ty, const char *root,
                     const char *body, const char *label, uint8_t exp[KR_EXPORT_LEN],
                     json_t **out);

/* The key registration of 8.3.9.9.4 / 8.3.9.9.5 once its preconditions hold:
 * expirationTime = now + the profile's MAFKeyRegDuration, the binding and
 * port from child's ports (kr_pick_port; desc names the child, ruling the
 * one for CoAP), targetIDs
 * from the profile's parent, the request (fq, et, adfq, suid, tgis, lbl; no
 * kv) sent to peer (its port and binding are filled here) in a handshake of its own, the
 * response verified (with a MAF also RelativeKeyID = hexBinary(KcID), 10.3.5)
 * and the key from that session's export under label stored for the profile
 * as RelativeKeyID@fq. Returns the outcome. */
uint32_t kr_key_reg(const mefc_config *cfg, const mefc_client *cli, kr_peer *peer,
                    uint32_t profile, uint32_t child, int64_t suid, const char *desc,
                    const char *ruling, const char *label);

/* Read index file name of the state directory ({"format":F,"version":1,
 * array:[...]}); a missing file gives an empty one. NULL with err. */
json_t *kr_index_load(const mefc_config *cfg, const char *name, const char *format,
                      const char *array, char *err, size_t cap);

/* Replace node's entry in the index (entry gets "node") and write it
 * atomically. entry is consumed. */
int kr_index_put(const mefc_config *cfg, const char *name, const char *format, const char *array,
                 const char *node, json_t *entry, char *err, size_t cap);

/* Store a key registration: the key as keys/<key_id>.key (0600) and resp
 * with the node, key_id and file in keyreg.json. */
int kr_store_key(const mefc_config *cfg, const char *node, const char *key_id,
                 const uint8_t *key, const json_t *resp, char *err, size_t cap);

#endif
