/* The client's view of one MEF Client Command: the client profile and MO tree
 * the core checks against, the decoding of a <mefClientCmd> representation,
 * the decision taken on it, and the encoding of the Update request. */
#ifndef MEFC_COMMAND_H
#define MEFC_COMMAND_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/limits.h"
#include "mefc/status.h"
#include "mefc/json.h"

typedef struct {
  uint8_t b[MEFC_CMD_ID_MAX];
  uint32_t len; /* 1..MEFC_CMD_ID_MAX for a valid ID */
} mefc_cmd_id;

typedef struct {
  uint8_t b[MEFC_ID_MAX];
  uint32_t len;
} mefc_ident;

typedef struct {
  uint8_t b[MEFC_KEY_ID_MAX];
  uint32_t len;
} mefc_key_id;

/* Attributes of an MO node the core looks at (TS-0022 short name in brackets). */
enum mefc_mo_attr {
  MEFC_MO_SUID = 1u << 0,  /* suid */
  MEFC_MO_ASKI = 1u << 1,  /* symmKeyID */
  MEFC_MO_SKV = 1u << 2,   /* symmKeyValue */
  MEFC_MO_TLCS = 1u << 3,  /* TLSCiphersuites */
  MEFC_MO_MKRD = 1u << 4,  /* MAFKeyRegDuration, the text's keyRegDuration (I-7) */
  MEFC_MO_MKRL = 1u << 5,  /* MAFKeyRegLabels */
  MEFC_MO_MCFP = 1u << 6,  /* myCertFingerprint */
  MEFC_MO_CFP = 1u << 7,   /* certFingerprint ([trustAnchorCred]) */
  MEFC_MO_URI = 1u << 8,   /* URI ([trustAnchorCred]) */
  MEFC_MO_FQ = 1u << 9,    /* fqdn */
  MEFC_MO_ADFQ = 1u << 10, /* adminFQDN */
  MEFC_MO_CSI = 1u << 11,  /* CSE-ID ([registration]) */
  MEFC_MO_CNTP = 1u << 12  /* containerPath ([dataCollection]) */
};

typedef struct {
  uint8_t path[MEFC_PATH_MAX];
  uint32_t path_len;
  uint32_t mgd;     /* enum mefc_mgd, or another mgmtDefinition value */
  uint32_t parent;  /* index in mefc_client.mo, or MEFC_NONE */
  uint32_t attrs;   /* bitmask of enum mefc_mo_attr */
  int64_t suid;
  mefc_key_id symm_key_id;
  uint16_t tlcs[MEFC_TLCS_MAX];
  uint32_t n_tlcs;
  uint8_t fp[MEFC_FP_LEN]; /* mcfp for a profile, cfp for a trust anchor */
  uint8_t uri[MEFC_URI_MAX];
  uint32_t uri_len;
} mefc_mo_node;

/* Everything the core checks a command against. Filled by the shell from its
 * configuration and key store; read-only to the core. */
typedef struct {
  uint8_t mef_fqdn[MEFC_FQDN_MAX];
  uint32_t mef_fqdn_len;
  uint32_t role;                 /* enum mefc_role */
  mefc_ident acts_for[MEFC_ACTS_FOR_MAX];
  uint32_t n_acts_for;
  uint32_t classes;              /* bit c set: cmdClassID c supported (c in 0..3) */
  uint32_t cert_prov_protocols;  /* bit p set: certProvProtocolID p supported */
  uint32_t dev_mgmt_ids;         /* bit d set: devMgmtID d supported */
  mefc_key_id symm_keys[MEFC_KEYS_MAX];
  uint32_t n_symm_keys;
  uint8_t certs[MEFC_CERTS_MAX][MEFC_FP_LEN];    /* own certificates with private key */
  uint32_t n_certs;
  uint8_t ca_certs[MEFC_CERTS_MAX][MEFC_FP_LEN]; /* CA certificates */
  uint32_t n_ca_certs;
  mefc_mo_node mo[MEFC_MO_NODES_MAX];
  uint32_t n_mo;
} mefc_client;

/* The durable record (DESIGN "Durable state"): the last command the client
 * took a decision on, how far it got, and the status it decided. */
enum mefc_phase {
  MEFC_PHASE_NONE = 0,     /* no command yet */
  MEFC_PHASE_STARTED = 1,  /* handed to execution, outcome not recorded */
  MEFC_PHASE_DONE = 2,     /* status decided, Update not yet answered */
  MEFC_PHASE_REPORTED = 3  /* the MEF answered the Update carrying the status */
};

typedef struct {
  mefc_cmd_id id;
  uint32_t phase;    /* enum mefc_phase */
  uint32_t status;   /* enum mefc_status, meaningful for DONE and REPORTED */
  uint32_t class_id; /* cmdClassID of the command, for STARTED (ruling I-2) */
} mefc_record;

/* Arguments handed to the shell with an EXECUTE decision. Which fields are
 * meaningful depends on the procedure; the rest are zero. */
typedef struct {
  uint8_t uri[MEFC_URI_MAX];       /* EST/SCEP base URI, DM server URI, trust anchor URI */
  uint32_t uri_len;
  uint32_t subject_type;           /* EST/SCEP: enum mefc_subject_type */
  mefc_ident subject_id;           /* EST/SCEP: certSubjectID */
  uint32_t dev_mgmt_id;            /* DEV_CFG */
  uint32_t node;                   /* MO procedures: index of the MO node in mefc_client.mo */
  int64_t suid;                    /* key registrations: SUID of the profile */
  uint8_t fp[MEFC_FP_LEN];         /* trust anchor fetch: expected fingerprint */
  bool has_target;
  mefc_ident target;               /* targetID when the command named one */
} mefc_exec_args;

enum mefc_decision_kind {
  MEFC_DECIDE_REPORT = 1,  /* send Update with status */
  MEFC_DECIDE_EXECUTE = 2, /* run procedure, then report its outcome */
  MEFC_DECIDE_WAIT = 3,    /* NO_MORE_COMMANDS: arm the retry timer for wait_ms */
  MEFC_DECIDE_RETRY = 4    /* unparseable response: nothing is reported (I-10) */
};

/* How the decision relates to the durable record. */
enum mefc_record_effect {
  MEFC_REC_NEW = 0,     /* a new cmdID: the record becomes this command */
  MEFC_REC_KEEP = 1,    /* re-report or REPEATED_CMD_ID: the record is unchanged */
  MEFC_REC_FAILED = 2   /* I-2: a STARTED record ends with the class failure status */
};

typedef struct {
  uint32_t kind;        /* enum mefc_decision_kind */
  uint32_t status;      /* REPORT: the status to send */
  uint32_t procedure;   /* EXECUTE: enum mefc_procedure */
  uint64_t wait_ms;     /* WAIT */
  uint32_t class_id;    /* cmdClassID when it was an integer in 0..3, else MEFC_NONE */
  uint32_t effect;      /* enum mefc_record_effect */
  mefc_cmd_id id;       /* cmdID of the command (REPORT, EXECUTE, WAIT) */
  uint32_t mef_status;  /* cmdStatusCode the MEF sent: 10 or 11 */
  mefc_exec_args args;
} mefc_decision;

/* Decide what to do with a Retrieve or Update response body (8.3.9.2 step 5).
 * doc is caller-owned scratch. rec is the durable record. Always fills *out. */
void mefc_decide(const mefc_client *cli, const mefc_record *rec, const uint8_t *buf, size_t len,
                 mefc_json_doc *doc, mefc_decision *out);

/* The status an executed procedure reports (8.3.9.7 step 6, 8.3.9.8 step 6,
 * 8.3.9.9.4-.8). */
uint32_t mefc_outcome_status(uint32_t procedure, uint32_t outcome);

/* The client-side failure status of a class (ruling I-2): 101, 202 or 305;
 * 42 for NO_MORE_COMMANDS, which never executes. */
uint32_t mefc_class_failure_status(uint32_t class_id);

/* Encode the Update request {"sec:mcc":{"mcci":"<id>","mccs":<status>}} into
 * out[0..cap). Returns the length written, or 0 when it does not fit. */
size_t mefc_encode_update(const mefc_cmd_id *id, uint32_t status, uint8_t *out, size_t cap);

#endif
