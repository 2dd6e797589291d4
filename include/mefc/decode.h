/* Internal interface between the files of the command decoder (envelope,
 * class arguments, verification, MO tree) and mefc_decide. Not part of the
 * product API: a shell includes command.h, never this header. */
#ifndef MEFC_DECODE_H
#define MEFC_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/command.h"
#include "mefc/acsl.h"

/* The envelope of a <mefClientCmd> representation once decoded: where the
 * parts of cmdDescription are in the token array. The cmdID itself is
 * unescaped straight into the decision. */
typedef struct {
  uint32_t mccs;  /* cmdStatusCode the MEF sent: 10 or 11 */
  int64_t ccid;   /* cmdClassID, any integer */
  uint32_t mccd;  /* token of cmdDescription (an OBJECT) */
  uint32_t cma;   /* token of cmdArgs, or MEFC_NONE when absent */
  uint32_t tgi;   /* token of targetID, or MEFC_NONE when absent */
} mefc_envelope;

/* Capacity for an unescaped retryDuration: "-P" and six 20-digit fields with
 * designators and a fraction fit; longer values are BAD_ARGUMENTS. */
#define MEFC_DURATION_MAX 64u

/* What objectTypeSpecificArgs held for an [authenticationProfile] command. */
enum mefc_otsa_state {
  MEFC_OTSA_ABSENT = 0,
  MEFC_OTSA_BAD = 1, /* present but not an object with an enumerated integer suid */
  MEFC_OTSA_OK = 2
};

/* Which element of CERT_PROV or DEV_CFG verification failed first (8.3.9.7
 * step 4, 8.3.9.8 step 4); MEFC_VERIFY_OK when all are acceptable. */
enum mefc_verify {
  MEFC_VERIFY_OK = 0,
  MEFC_VERIFY_PROTOCOL = 1, /* certProvProtocol / devMgmtID not supported */
  MEFC_VERIFY_URI = 2,      /* URI host is not the MEF FQDN, or bad form */
  MEFC_VERIFY_TYPE = 3,     /* certSubjectType not allowed for the role */
  MEFC_VERIFY_ID = 4        /* certSubjectID not of the subject type's form */
};

/*@
  // A token array the JSON reader accepted for a buffer of len bytes: what
  // the decoder's lookups need from mefc_json_parse.
  predicate decode_doc_ok(mefc_json_doc *d, integer len) =
    1 <= d->ntok <= MEFC_JSON_TOKENS_MAX;

  // The token t names a value of JSON type ty in the document.
  predicate decode_tok_is(mefc_json_doc *d, integer t, integer ty) =
    0 <= t < d->ntok && d->tok[t].type == ty;

  // An optional member: absent, or a token of the document.
  predicate decode_opt_tok(mefc_json_doc *d, integer t) =
    t == MEFC_NONE || 0 <= t < d->ntok;

  // Bit b (0..4) of a capability mask (classes, protocols, devMgmtIDs),
  // spelled with constants so that no shift reaches the provers.
  logic integer decode_pow2(integer b) =
    b == 0 ? 1 : (b == 1 ? 2 : (b == 2 ? 4 : (b == 3 ? 8 : (b == 4 ? 16 : 0))));
  predicate decode_bit(integer mask, integer b) = (mask & decode_pow2(b)) != 0;

  // The m2m:suid enumeration (TS-0004 6.3.4.2.39) plus 31 (ruling I-11).
  predicate decode_suid_enum(integer s) =
    (10 <= s <= 15) || (21 <= s <= 25) || (31 <= s <= 35) || (40 <= s <= 43);
*/

/* envelope.c: token lookups shared by the decoder, and the envelope. */
uint32_t mefc_tok_member(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                         uint32_t obj, const char *name, size_t name_len);
bool mefc_tok_string(const uint8_t *buf, size_t len, const mefc_json_doc *doc, uint32_t t,
                     uint8_t *out, size_t cap, uint32_t *n);
bool mefc_tok_int(const mefc_json_doc *doc, uint32_t t, int64_t *v);
bool mefc_decode_envelope(const uint8_t *buf, size_t len, mefc_json_doc *doc,
                          mefc_envelope *env, mefc_cmd_id *id);

/* args.c */
uint32_t mefc_args_select(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                          uint32_t cma, uint32_t class_id);
bool mefc_args_no_more(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                       uint32_t obj, uint64_t *ms);
bool mefc_args_cert_prov(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                         uint32_t obj, uint32_t *cppi, mefc_exec_args *args);
bool mefc_args_dev_cfg(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                       uint32_t obj, mefc_exec_args *args);
bool mefc_args_mo_node(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                       uint32_t obj, uint8_t *path, uint32_t *path_len,
                       uint32_t *otyp, uint32_t *otsa);
uint32_t mefc_args_otsa(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                        uint32_t otsa, int64_t *suid);

/* verify.c */
uint32_t mefc_bit(uint32_t b);
bool mefc_has_bit(uint32_t mask, uint32_t b);
uint32_t mefc_target_status(const mefc_client *cli, const uint8_t *buf, size_t len,
                            const mefc_json_doc *doc, uint32_t tgi, mefc_exec_args *args);
uint32_t mefc_cert_prov_verdict(bool proto_ok, int uri_check, bool type_ok, bool id_ok);
uint32_t mefc_verify_cert_prov(const mefc_client *cli, uint32_t cppi, const mefc_exec_args *args);
uint32_t mefc_dev_cfg_verdict(bool dm_ok, int uri_check);
uint32_t mefc_verify_dev_cfg(const mefc_client *cli, const mefc_exec_args *args);

/* mo.c */
bool mefc_client_check(const mefc_client *cli);
uint32_t mefc_mo_lookup(const mefc_client *cli, const uint8_t *path, uint32_t path_len);
void mefc_mo_decide(const mefc_client *cli, uint32_t idx, uint32_t otyp, uint32_t otsa_state,
                    int64_t suid, mefc_decision *out);

#endif
