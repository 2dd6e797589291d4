/* Shared test fixtures: a typical client profile with its MO tree, durable
 * records, and helpers that build and decide command payloads. Used by the
 * decision, encoder and engine tests. */
#ifndef MEFC_TEST_FIXTURES_H
#define MEFC_TEST_FIXTURES_H

#include <stddef.h>
#include <stdint.h>
#include "mefc/mefc.h"

/* Indices of the nodes of fx_client()'s MO tree. */
enum fx_node {
  FX_REG1 = 0,        /* /dm/reg1            registration (csi /CSE01) */
  FX_AP_PSK = 1,      /* /dm/reg1/ap-psk     authenticationProfile SUID 12, aski key-1, tlcs 174 49320 */
  FX_AP_MEF = 2,      /* /dm/reg1/ap-mef     authenticationProfile SUID 22, mkrd, tlcs 174 */
  FX_MEF_CFG = 3,     /* /dm/reg1/ap-mef/mefcfg   MEFClientRegCfg */
  FX_AP_MAF = 4,      /* /dm/reg1/ap-maf     authenticationProfile SUID 32, mkrd, tlcs 49320 */
  FX_MAF_CFG = 5,     /* /dm/reg1/ap-maf/mafcfg   MAFClientRegCfg (fqdn, adminFQDN) */
  FX_AP_CERT = 6,     /* /dm/reg1/ap-cert    authenticationProfile SUID 42, mcfp = FX_FP_CERT, tlcs 49187 */
  FX_AP_CERT_TA = 7,  /* /dm/reg1/ap-cert/ta trustAnchorCred cfp = FX_FP_CA, URI */
  FX_MAFCFG1 = 8,     /* /dm/mafcfg1         MAFClientRegCfg (fqdn, adminFQDN) */
  FX_AP11 = 9,        /* /dm/mafcfg1/ap11    authenticationProfile SUID 11, aski key-1, tlcs 174 */
  FX_DC1 = 10,        /* /dm/dc1             dataCollection */
  FX_AP13 = 11,       /* /dm/dc1/ap13        authenticationProfile SUID 13, aski key-1 */
  FX_TA2 = 12,        /* /dm/ta2             trustAnchorCred cfp = FX_FP_OTHER (not held), URI */
  FX_TA3 = 13,        /* /dm/ta3             trustAnchorCred without cfp */
  FX_NODES = 14
};

/* Fingerprint seeds: fx_fp(seed) fills 32 bytes derived from the seed. */
enum { FX_FP_CERT = 1, FX_FP_CA = 2, FX_FP_OTHER = 3 };

void fx_fp(uint8_t fp[MEFC_FP_LEN], uint8_t seed);
void fx_ident(mefc_ident *id, const char *s);
void fx_key(mefc_key_id *k, const char *s);
void fx_cmd_id(mefc_cmd_id *id, const char *s);

/* mef_fqdn mef.example.com, role node, acts_for {"urn:dev:ops:1", "/CSE01",
 * "Cae01"}, classes 0-3, EST and SCEP, devMgmtID LwM2M (3), symmetric key
 * "key-1", own certificate FX_FP_CERT, CA certificate FX_FP_CA, and the MO
 * tree of enum fx_node. */
void fx_client(mefc_client *cli);

/* Append an MO node; returns its index. */
uint32_t fx_add_node(mefc_client *cli, const char *path, uint32_t mgd, uint32_t parent,
                     uint32_t attrs);
void fx_set_tlcs(mefc_mo_node *n, const uint16_t *suites, uint32_t count);

/* Durable records. */
void fx_record_none(mefc_record *rec);
void fx_record(mefc_record *rec, const char *id, uint32_t phase, uint32_t status,
               uint32_t class_id);

/* Copy a JSON text written with single quotes into out, turning every ' into
 * ". Returns the length. */
size_t fx_json(const char *squoted, char *out, size_t cap);

/* Decide on a payload given with single quotes (see fx_json). */
void fx_decide(const mefc_client *cli, const mefc_record *rec, const char *squoted,
               mefc_decision *out);
/* Decide on raw bytes. */
void fx_decide_raw(const mefc_client *cli, const mefc_record *rec, const uint8_t *buf,
                   size_t len, mefc_decision *out);

/* True when every field of the execution arguments is zero (padding aside). */
int fx_args_zero(const mefc_exec_args *a);

/* True when the ID of the decision is the string s. */
int fx_id_is(const mefc_cmd_id *id, const char *s);

#endif
