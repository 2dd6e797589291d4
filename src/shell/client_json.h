/* Build the core's client profile, MO tree and durable record from JSON
 * (jansson values), as written in test vectors and configuration files.
 * Strict: unknown keys, wrong types, values past a capacity are errors. */
#ifndef MEFC_SHELL_CLIENT_JSON_H
#define MEFC_SHELL_CLIENT_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "mefc/command.h"

/* A buffer of this size holds every message the functions below write. */
#define MEFC_CJ_ERR_MAX 256u

/* Fill *out from `client` (an object: mef_fqdn, role, acts_for, classes,
 * cert_prov_protocols, dev_mgmt_ids, symm_keys, certs, ca_certs) and `mo`
 * (an array of {path, parent, mgd, attrs}, or NULL for no MO nodes).
 * Returns 0, or -1 with a message naming the offending field in err. *out is
 * zeroed first and is unspecified after an error. */
int mefc_client_from_json(const json_t *client, const json_t *mo, mefc_client *out, char *err,
                          size_t err_cap);

/* Replace out->mo and out->n_mo with the MO tree `mo` (the same checks as
 * mefc_client_from_json; NULL for none). The rest of *out is kept. Returns 0,
 * or -1 with a message; out->mo is then unspecified. */
int mefc_mo_from_json(const json_t *mo, mefc_client *out, char *err, size_t err_cap);

/* Fill *out from `record` ({cmd_id, phase, status, class}, or NULL for a
 * record in phase "none"). Returns 0, or -1 with a message in err. */
int mefc_record_from_json(const json_t *record, mefc_record *out, char *err, size_t err_cap);

/* Decode exactly 64 hexadecimal digits (either case) into a SHA-256
 * fingerprint. Returns 0, or -1 when s[0..len) is anything else. */
int mefc_fp_from_hex(const char *s, size_t len, uint8_t fp[MEFC_FP_LEN]);

/* Names of enumerations used in the JSON forms: "none", "started", "done",
 * "reported" for a phase; "node", "cse", "ae" for a role. Return the value,
 * or -1 for an unknown name. */
int mefc_phase_from_name(const char *name);
int mefc_role_from_name(const char *name);

#endif
