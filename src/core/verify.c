/* Verification of parsed arguments: targetID (8.3.9.4, rulings I-5, I-12),
 * certProvCmdArgs (8.3.9.7 step 4) and devCfgCmdArgs (8.3.9.8 step 4). The
 * verdicts are pure functions of the facts, so each outcome is one behavior. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/json.h"
#include "mefc/checks.h"
#include "mefc/decode.h"
#include "mefc/acsl.h"

/*@
  predicate verify_ident_eq(mefc_ident *a, mefc_ident *b) =
    a->len == b->len && \forall integer k; 0 <= k < a->len ==> a->b[k] == b->b[k];

  // Entries beyond the capacities are never matched.
  predicate verify_acts_for(mefc_client *c, mefc_ident *t) =
    \exists integer i; 0 <= i < c->n_acts_for && i < MEFC_ACTS_FOR_MAX &&
      c->acts_for[i].len <= MEFC_ID_MAX && verify_ident_eq(&c->acts_for[i], t);

  // Ruling I-3: which certSubjectType a client of this role may be given.
  predicate verify_role_allows(integer role, integer cst) =
    (role == MEFC_ROLE_NODE && MEFC_SUBJ_NODE <= cst <= MEFC_SUBJ_AE) ||
    (role == MEFC_ROLE_CSE && cst == MEFC_SUBJ_CSE) ||
    (role == MEFC_ROLE_AE && cst == MEFC_SUBJ_AE);
*/

/* The mask of bit b of a capability set; b is at most 4 (devMgmtID). */
/*@ requires b <= 4;
    assigns \nothing;
    ensures \result == decode_pow2(b);
*/
uint32_t mefc_bit(uint32_t b) {
  uint32_t m = 16u;
  if (b == 0u) {
    m = 1u;
  } else if (b == 1u) {
    m = 2u;
  } else if (b == 2u) {
    m = 4u;
  } else if (b == 3u) {
    m = 8u;
  }
  return m;
}

/*@ requires b <= 4;
    assigns \nothing;
    ensures \result <==> decode_bit(mask, b);
*/
bool mefc_has_bit(uint32_t mask, uint32_t b) {
  return (mask & mefc_bit(b)) != 0u;
}

/*@ requires \valid_read(a) && \valid_read(b);
    requires b->len <= MEFC_ID_MAX;
    assigns \nothing;
    ensures \result <==> (a->len <= MEFC_ID_MAX && verify_ident_eq(a, b));
*/
static bool verify_ident_same(const mefc_ident *a, const mefc_ident *b) {
  bool same = (a->len == b->len); /* b->len <= MEFC_ID_MAX bounds a->len too */
  uint32_t k = 0;
  /*@ loop invariant 0 <= k <= b->len;
      loop invariant same ==> a->len == b->len && a->len <= MEFC_ID_MAX;
      loop invariant same <==> (a->len == b->len && a->len <= MEFC_ID_MAX &&
                                \forall integer j; 0 <= j < k ==> a->b[j] == b->b[j]);
      loop assigns k, same;
      loop variant b->len - k;
  */
  while (same && k < b->len) {
    if (a->b[k] != b->b[k]) {
      same = false;
    }
    k++;
  }
  return same;
}

/* Defensive about the profile's counts, so that no property of the whole
 * profile has to survive the caller's writes to the decision. */
/*@ requires \valid_read(cli) && \valid_read(t);
    requires t->len <= MEFC_ID_MAX;
    assigns \nothing;
    ensures \result <==> verify_acts_for(cli, t);
*/
static bool verify_acts_for(const mefc_client *cli, const mefc_ident *t) {
  bool found = false;
  uint32_t i = 0;
  uint32_t n = (cli->n_acts_for <= MEFC_ACTS_FOR_MAX) ? cli->n_acts_for : MEFC_ACTS_FOR_MAX;
  /*@ loop invariant 0 <= i <= n;
      loop invariant found <==> \exists integer j; 0 <= j < i &&
                                  cli->acts_for[j].len <= MEFC_ID_MAX &&
                                  verify_ident_eq(&cli->acts_for[j], t);
      loop assigns i, found;
      loop variant n - i;
  */
  while (!found && i < n) {
    if (verify_ident_same(&cli->acts_for[i], t)) {
      found = true;
    }
    i++;
  }
  return found;
}

/* targetID: optional; when present a non-empty string of at most
 * MEFC_ID_MAX bytes (else BAD_ARGUMENTS, ruling I-12) naming an entity the
 * client acts for (else UNACCEPTABLE_ARGUMENTS, ruling I-5). */
/*@ requires \valid_read(cli);
    requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(args) && \separated(args, cli, doc, buf + (0 .. len - 1));
    assigns args->has_target, args->target;
    ensures \result == 0 || \result == MEFC_ST_BAD_ARGUMENTS ||
            \result == MEFC_ST_UNACCEPTABLE_ARGUMENTS;
    ensures args->target.len <= MEFC_ID_MAX;
    behavior MCC_4_TGT:
      assumes tgi == MEFC_NONE;
      ensures \result == 0 && !args->has_target && args->target.len == 0;
    behavior I_12:
      assumes tgi != MEFC_NONE && !decode_tok_is(doc, tgi, MEFC_JSON_STRING);
      ensures \result == MEFC_ST_BAD_ARGUMENTS;
    behavior I_5:
      assumes tgi != MEFC_NONE && decode_tok_is(doc, tgi, MEFC_JSON_STRING);
      ensures \result != MEFC_ST_BAD_ARGUMENTS ==>
                args->has_target && 1 <= args->target.len &&
                (\result == 0 <==> verify_acts_for(cli, &args->target));
    complete behaviors;
    disjoint behaviors;
*/
uint32_t mefc_target_status(const mefc_client *cli, const uint8_t *buf, size_t len,
                            const mefc_json_doc *doc, uint32_t tgi, mefc_exec_args *args) {
  uint32_t r = 0;
  uint32_t n = 0;
  args->has_target = false;
  args->target.len = 0;
  if (tgi != MEFC_NONE) {
    r = MEFC_ST_BAD_ARGUMENTS;
    if (mefc_tok_string(buf, len, doc, tgi, args->target.b, MEFC_ID_MAX, &n) && n >= 1u) {
      args->target.len = n;
      args->has_target = true;
      r = verify_acts_for(cli, &args->target) ? 0u : (uint32_t)MEFC_ST_UNACCEPTABLE_ARGUMENTS;
    }
  }
  return r;
}

/* Ruling I-3. */
/*@ requires MEFC_SUBJ_NODE <= cst <= MEFC_SUBJ_AE;
    assigns \nothing;
    ensures \result <==> verify_role_allows(role, cst);
*/
static bool verify_role_ok(uint32_t role, uint32_t cst) {
  bool ok = false;
  if (role == MEFC_ROLE_NODE) {
    ok = true;
  } else if (role == MEFC_ROLE_CSE) {
    ok = (cst == MEFC_SUBJ_CSE);
  } else if (role == MEFC_ROLE_AE) {
    ok = (cst == MEFC_SUBJ_AE);
  }
  return ok;
}

/* 8.3.9.7 step 4, element by element in the order of the text: the facts
 * are computed by the caller, the verdict only orders them. */
/*@ assigns \nothing;
    behavior MCC_7_4_PROTO:
      assumes !proto_ok;
      ensures \result == MEFC_VERIFY_PROTOCOL;
    behavior MCC_7_4_URI:
      assumes proto_ok && uri_check != MEFC_URI_MATCH;
      ensures \result == MEFC_VERIFY_URI;
    behavior MCC_7_4_TYPE:
      assumes proto_ok && uri_check == MEFC_URI_MATCH && !type_ok;
      ensures \result == MEFC_VERIFY_TYPE;
    behavior MCC_7_4_ID:
      assumes proto_ok && uri_check == MEFC_URI_MATCH && type_ok && !id_ok;
      ensures \result == MEFC_VERIFY_ID;
    behavior MCC_7_5:
      assumes proto_ok && uri_check == MEFC_URI_MATCH && type_ok && id_ok;
      ensures \result == MEFC_VERIFY_OK;
    complete behaviors;
    disjoint behaviors;
*/
uint32_t mefc_cert_prov_verdict(bool proto_ok, int uri_check, bool type_ok, bool id_ok) {
  uint32_t r = MEFC_VERIFY_OK;
  if (!proto_ok) {
    r = MEFC_VERIFY_PROTOCOL;
  } else if (uri_check != MEFC_URI_MATCH) {
    r = MEFC_VERIFY_URI;
  } else if (!type_ok) {
    r = MEFC_VERIFY_TYPE;
  } else if (!id_ok) {
    r = MEFC_VERIFY_ID;
  }
  return r;
}

/* EST needs https (ruling I-9); SCEP runs over http or https. The subject ID
 * must have the form of the subject type (ruling I-3). */
/*@ requires \valid_read(cli) && \valid_read(args);
    requires MEFC_CPP_EST <= cppi <= MEFC_CPP_SCEP;
    requires MEFC_SUBJ_NODE <= args->subject_type <= MEFC_SUBJ_AE;
    requires args->uri_len <= MEFC_URI_MAX && args->subject_id.len <= MEFC_ID_MAX;
    assigns \nothing;
    ensures \result <= MEFC_VERIFY_ID;
    ensures MCC_7_4_PROTO: \result == MEFC_VERIFY_PROTOCOL <==>
                             !decode_bit(cli->cert_prov_protocols, cppi);
    ensures MCC_7_4_TYPE: \result == MEFC_VERIFY_TYPE ==>
                            !verify_role_allows(cli->role, args->subject_type);
    ensures MCC_7_5: \result == MEFC_VERIFY_OK ==>
                       decode_bit(cli->cert_prov_protocols, cppi) &&
                       verify_role_allows(cli->role, args->subject_type);
*/
uint32_t mefc_verify_cert_prov(const mefc_client *cli, uint32_t cppi, const mefc_exec_args *args) {
  int schemes = (cppi == MEFC_CPP_EST) ? MEFC_SCHEMES_HTTPS : MEFC_SCHEMES_HTTP_ANY;
  /* A profile FQDN beyond its capacity matches no host. */
  size_t fl = (cli->mef_fqdn_len <= MEFC_FQDN_MAX) ? cli->mef_fqdn_len : 0u;
  int u = mefc_uri_check(args->uri, args->uri_len, cli->mef_fqdn, fl, schemes);
  uint32_t k = mefc_id_kinds(args->subject_id.b, args->subject_id.len);
  return mefc_cert_prov_verdict(mefc_has_bit(cli->cert_prov_protocols, cppi), u,
                                verify_role_ok(cli->role, args->subject_type),
                                mefc_has_bit(k, args->subject_type));
}

/* 8.3.9.8 step 4. */
/*@ assigns \nothing;
    behavior MCC_8_4_DM:
      assumes !dm_ok;
      ensures \result == MEFC_VERIFY_PROTOCOL;
    behavior MCC_8_4_URI:
      assumes dm_ok && uri_check != MEFC_URI_MATCH;
      ensures \result == MEFC_VERIFY_URI;
    behavior MCC_8_5:
      assumes dm_ok && uri_check == MEFC_URI_MATCH;
      ensures \result == MEFC_VERIFY_OK;
    complete behaviors;
    disjoint behaviors;
*/
uint32_t mefc_dev_cfg_verdict(bool dm_ok, int uri_check) {
  uint32_t r = MEFC_VERIFY_OK;
  if (!dm_ok) {
    r = MEFC_VERIFY_PROTOCOL;
  } else if (uri_check != MEFC_URI_MATCH) {
    r = MEFC_VERIFY_URI;
  }
  return r;
}

/* The DM server URI may use any scheme; only its host is checked (I-9). */
/*@ requires \valid_read(cli) && \valid_read(args);
    requires MEFC_DM_OMA_DM13 <= args->dev_mgmt_id <= MEFC_DM_TR069;
    requires args->uri_len <= MEFC_URI_MAX;
    assigns \nothing;
    ensures \result <= MEFC_VERIFY_URI;
    ensures MCC_8_4_DM: \result == MEFC_VERIFY_PROTOCOL <==>
                          !decode_bit(cli->dev_mgmt_ids, args->dev_mgmt_id);
*/
uint32_t mefc_verify_dev_cfg(const mefc_client *cli, const mefc_exec_args *args) {
  size_t fl = (cli->mef_fqdn_len <= MEFC_FQDN_MAX) ? cli->mef_fqdn_len : 0u;
  int u = mefc_uri_check(args->uri, args->uri_len, cli->mef_fqdn, fl, MEFC_SCHEMES_ANY);
  return mefc_dev_cfg_verdict(mefc_has_bit(cli->dev_mgmt_ids, args->dev_mgmt_id), u);
}
