/* mefc_decide: what to do with a Retrieve or Update response (8.3.9.2 step 5,
 * 8.3.9.3 step 5). The order of the checks is the order of the decision table
 * in spec/requirements.md: envelope, same cmdID, class, cmdArgs, targetID,
 * class verification. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/command.h"
#include "mefc/decode.h"
#include "mefc/acsl.h"

/*@
  // What a class procedure may leave in the decision for class c.
  predicate decide_kind_ok(mefc_decision *o, integer c) =
    (o->kind == MEFC_DECIDE_REPORT && mefc_client_status(o->status)) ||
    (o->kind == MEFC_DECIDE_EXECUTE && 1 <= c <= 3 &&
       MEFC_PROC_EST_ENROLL <= o->procedure <= MEFC_PROC_MAF_CLIENT_REG) ||
    (o->kind == MEFC_DECIDE_WAIT && c == 0);
*/

/* Execution arguments start at zero, so what a procedure does not use is zero
 * (and never left over from an earlier call). */
/*@ requires \valid(a);
    assigns *a;
    ensures a->uri_len == 0 && a->subject_type == 0 && a->subject_id.len == 0 &&
            a->dev_mgmt_id == 0 && a->node == 0 && a->suid == 0 && !a->has_target &&
            a->target.len == 0;
*/
static void decide_clear_args(mefc_exec_args *a) {
  uint32_t k = 0;
  /*@ loop invariant 0 <= k <= MEFC_URI_MAX;
      loop assigns k, a->uri[0 .. MEFC_URI_MAX - 1];
      loop variant MEFC_URI_MAX - k;
  */
  while (k < MEFC_URI_MAX) {
    a->uri[k] = 0;
    k++;
  }
  k = 0;
  /*@ loop invariant 0 <= k <= MEFC_ID_MAX;
      loop assigns k, a->subject_id.b[0 .. MEFC_ID_MAX - 1], a->target.b[0 .. MEFC_ID_MAX - 1];
      loop variant MEFC_ID_MAX - k;
  */
  while (k < MEFC_ID_MAX) {
    a->subject_id.b[k] = 0;
    a->target.b[k] = 0;
    k++;
  }
  k = 0;
  /*@ loop invariant 0 <= k <= MEFC_FP_LEN;
      loop assigns k, a->fp[0 .. MEFC_FP_LEN - 1];
      loop variant MEFC_FP_LEN - k;
  */
  while (k < MEFC_FP_LEN) {
    a->fp[k] = 0;
    k++;
  }
  a->uri_len = 0;
  a->subject_type = 0;
  a->subject_id.len = 0;
  a->dev_mgmt_id = 0;
  a->node = 0;
  a->suid = 0;
  a->has_target = false;
  a->target.len = 0;
}

/*@ requires \valid(out);
    assigns *out;
    ensures out->kind == MEFC_DECIDE_RETRY && out->status == 0 && out->procedure == 0 &&
            out->wait_ms == 0 && out->class_id == MEFC_NONE && out->effect == MEFC_REC_NEW &&
            out->id.len == 0 && out->mef_status == 0;
*/
static void decide_clear(mefc_decision *out) {
  uint32_t k = 0;
  /*@ loop invariant 0 <= k <= MEFC_CMD_ID_MAX;
      loop assigns k, out->id.b[0 .. MEFC_CMD_ID_MAX - 1];
      loop variant MEFC_CMD_ID_MAX - k;
  */
  while (k < MEFC_CMD_ID_MAX) {
    out->id.b[k] = 0;
    k++;
  }
  decide_clear_args(&out->args);
  out->kind = MEFC_DECIDE_RETRY;
  out->status = 0;
  out->procedure = 0;
  out->wait_ms = 0;
  out->class_id = MEFC_NONE;
  out->effect = MEFC_REC_NEW;
  out->id.len = 0;
  out->mef_status = 0;
}

/*@ requires \valid(out) && mefc_client_status(status);
    assigns out->kind, out->status;
    ensures out->kind == MEFC_DECIDE_REPORT && out->status == status;
*/
static void decide_report(mefc_decision *out, uint32_t status) {
  out->kind = MEFC_DECIDE_REPORT;
  out->status = status;
}

/* How many leading bytes of the response's cmdID the record's has too. Both
 * come as values taken before any write they must survive (values are not
 * in the memory model, so relating them needs no frame condition), and the
 * first differing index comes back, so that "not the same" has a witness. */
/*@ requires 1 <= id.len <= MEFC_CMD_ID_MAX;
    assigns \nothing;
    ensures \result <= id.len;
    ensures \forall integer j; 0 <= j < \result ==> rid.b[j] == id.b[j];
    ensures \result < id.len ==> rid.b[\result] != id.b[\result];
*/
static uint32_t decide_common_prefix(mefc_cmd_id rid, mefc_cmd_id id) {
  uint32_t k = 0;
  /*@ loop invariant 0 <= k <= id.len;
      loop invariant \forall integer j; 0 <= j < k ==> rid.b[j] == id.b[j];
      loop assigns k;
      loop variant id.len - k;
  */
  while (k < id.len && rid.b[k] == id.b[k]) {
    k++;
  }
  return k;
}

/* The cmdID is the one of the durable record (8.3.9.2 step 5b, 8.3.9.5.3).
 * The record comes as the values of its fields taken before any write to
 * the decision, so that no proof has to carry them across those writes. */
/*@ requires \valid(out);
    requires phase == MEFC_PHASE_STARTED || phase == MEFC_PHASE_DONE ||
             phase == MEFC_PHASE_REPORTED;
    requires phase == MEFC_PHASE_STARTED ==> 1 <= class_id <= 3;
    requires phase != MEFC_PHASE_STARTED ==> mefc_client_status(status);
    requires mccs == MEFC_ST_ISSUED || mccs == MEFC_ST_REISSUED;
    assigns out->kind, out->status, out->effect;
    ensures out->kind == MEFC_DECIDE_REPORT && mefc_client_status(out->status);
    ensures out->effect == MEFC_REC_KEEP || out->effect == MEFC_REC_FAILED;
    ensures out->effect == MEFC_REC_FAILED ==>
              phase == MEFC_PHASE_STARTED && out->status == outcome_class_failure(class_id);
    behavior I_1:
      assumes phase == MEFC_PHASE_REPORTED && mccs == MEFC_ST_REISSUED;
      ensures out->status == status && out->effect == MEFC_REC_KEEP;
    behavior MCC_2_5b:
      assumes phase == MEFC_PHASE_REPORTED && mccs == MEFC_ST_ISSUED;
      ensures out->status == MEFC_ST_REPEATED_CMD_ID && out->effect == MEFC_REC_KEEP;
    behavior I_2:
      assumes phase == MEFC_PHASE_DONE || phase == MEFC_PHASE_STARTED;
      ensures phase == MEFC_PHASE_DONE ==> out->status == status && out->effect == MEFC_REC_KEEP;
      ensures phase == MEFC_PHASE_STARTED ==>
                out->status == outcome_class_failure(class_id) && out->effect == MEFC_REC_FAILED;
    complete behaviors;
    disjoint behaviors;
*/
static void decide_repeat(uint32_t phase, uint32_t status, uint32_t class_id, uint32_t mccs,
                          mefc_decision *out) {
  if (phase == MEFC_PHASE_STARTED) {
    /* Ruling I-2: at most once; the interrupted attempt is a client failure. */
    decide_report(out, mefc_class_failure_status(class_id));
    out->effect = MEFC_REC_FAILED;
  } else if (phase == MEFC_PHASE_REPORTED && mccs == MEFC_ST_ISSUED) {
    decide_report(out, MEFC_ST_REPEATED_CMD_ID);
    out->effect = MEFC_REC_KEEP;
  } else {
    decide_report(out, status);
    out->effect = MEFC_REC_KEEP;
  }
}

/* NO_MORE_COMMANDS (8.3.9.6): targetID is ignored (ruling I-12). */
/*@ requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(out) && \separated(out, doc, buf + (0 .. len - 1));
    assigns out->kind, out->status, out->wait_ms;
    ensures decide_kind_ok(out, MEFC_CLASS_NO_MORE_COMMANDS);
    ensures MCC_6_3: out->kind == MEFC_DECIDE_REPORT ==> out->status == MEFC_ST_BAD_ARGUMENTS;
    ensures MCC_6_5: out->kind == MEFC_DECIDE_WAIT || out->kind == MEFC_DECIDE_REPORT;
*/
static void decide_no_more(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                           uint32_t obj, mefc_decision *out) {
  uint64_t ms = 0;
  if (mefc_args_no_more(buf, len, doc, obj, &ms)) {
    out->kind = MEFC_DECIDE_WAIT;
    out->wait_ms = ms;
  } else {
    decide_report(out, MEFC_ST_BAD_ARGUMENTS);
  }
}

/* CERT_PROV (8.3.9.7 steps 3-5). The arguments are parsed into a local and
 * reach the decision only with EXECUTE. */
/*@ requires \valid_read(cli);
    requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(out) && \separated(out, cli, doc, buf + (0 .. len - 1));
    assigns out->kind, out->status, out->procedure, out->args;
    ensures decide_kind_ok(out, MEFC_CLASS_CERT_PROV);
    ensures MCC_7_5: out->kind == MEFC_DECIDE_EXECUTE ==>
              (out->procedure == MEFC_PROC_EST_ENROLL || out->procedure == MEFC_PROC_SCEP_ENROLL);
    ensures MCC_7_4_FAIL: out->kind == MEFC_DECIDE_REPORT ==>
              (out->status == MEFC_ST_BAD_ARGUMENTS ||
               out->status == MEFC_ST_UNACCEPTABLE_ARGUMENTS);
*/
static void decide_cert_prov(const mefc_client *cli, const uint8_t *buf, size_t len,
                             const mefc_json_doc *doc, uint32_t obj, uint32_t tgi,
                             mefc_decision *out) {
  mefc_exec_args a;
  uint32_t cppi = 0;
  decide_clear_args(&a);
  if (!mefc_args_cert_prov(buf, len, doc, obj, &cppi, &a)) {
    decide_report(out, MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3 */
  } else {
    uint32_t t = mefc_target_status(cli, buf, len, doc, tgi, &a);
    if (t != 0u) {
      decide_report(out, t); /* I-12, I-5 */
    } else if (mefc_verify_cert_prov(cli, cppi, &a) != MEFC_VERIFY_OK) {
      decide_report(out, MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-FAIL */
    } else {
      out->args = a;
      out->kind = MEFC_DECIDE_EXECUTE;
      out->procedure = (cppi == MEFC_CPP_EST) ? MEFC_PROC_EST_ENROLL : MEFC_PROC_SCEP_ENROLL;
    }
  }
}

/* DEV_CFG (8.3.9.8 steps 3-5). */
/*@ requires \valid_read(cli);
    requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(out) && \separated(out, cli, doc, buf + (0 .. len - 1));
    assigns out->kind, out->status, out->procedure, out->args;
    ensures decide_kind_ok(out, MEFC_CLASS_DEV_CFG);
    ensures MCC_8_5: out->kind == MEFC_DECIDE_EXECUTE ==> out->procedure == MEFC_PROC_DEV_CFG;
    ensures MCC_8_4_FAIL: out->kind == MEFC_DECIDE_REPORT ==>
              (out->status == MEFC_ST_BAD_ARGUMENTS ||
               out->status == MEFC_ST_UNACCEPTABLE_ARGUMENTS);
*/
static void decide_dev_cfg(const mefc_client *cli, const uint8_t *buf, size_t len,
                           const mefc_json_doc *doc, uint32_t obj, uint32_t tgi,
                           mefc_decision *out) {
  mefc_exec_args a;
  decide_clear_args(&a);
  if (!mefc_args_dev_cfg(buf, len, doc, obj, &a)) {
    decide_report(out, MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3 */
  } else {
    uint32_t t = mefc_target_status(cli, buf, len, doc, tgi, &a);
    if (t != 0u) {
      decide_report(out, t); /* I-12, I-5 */
    } else if (mefc_verify_dev_cfg(cli, &a) != MEFC_VERIFY_OK) {
      decide_report(out, MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-8-4-FAIL */
    } else {
      out->args = a;
      out->kind = MEFC_DECIDE_EXECUTE;
      out->procedure = MEFC_PROC_DEV_CFG;
    }
  }
}

/* MO_NODE (8.3.9.9.1 steps 3-5). objectTypeSpecificArgs is parsed here but
 * only weighed after the node lookup and type check (8.3.9.9.2 step 2). */
/*@ requires \valid_read(cli);
    requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(out) && \separated(out, cli, doc, buf + (0 .. len - 1));
    assigns out->kind, out->status, out->procedure, out->args;
    ensures decide_kind_ok(out, MEFC_CLASS_MO_NODE);
    ensures out->kind == MEFC_DECIDE_EXECUTE ==>
              MEFC_PROC_TRUST_ANCHOR_FETCH <= out->procedure <= MEFC_PROC_MAF_CLIENT_REG;
*/
static void decide_mo_node(const mefc_client *cli, const uint8_t *buf, size_t len,
                           const mefc_json_doc *doc, uint32_t obj, uint32_t tgi,
                           mefc_decision *out) {
  /* Zeroed whole so that every byte is defined, not only the path_len that
   * mefc_args_mo_node writes: Eva cannot tie the bytes written to that length. */
  uint8_t path[MEFC_PATH_MAX] = {0u};
  uint32_t path_len = 0;
  uint32_t otyp = 0;
  uint32_t otsa = MEFC_NONE;
  mefc_exec_args a;
  decide_clear_args(&a);
  if (!mefc_args_mo_node(buf, len, doc, obj, path, &path_len, &otyp, &otsa)) {
    decide_report(out, MEFC_ST_BAD_ARGUMENTS); /* MCC-9-1-3 */
  } else {
    uint32_t t = mefc_target_status(cli, buf, len, doc, tgi, &a);
    if (t != 0u) {
      decide_report(out, t); /* I-12, I-5 */
    } else {
      int64_t suid = 0;
      uint32_t st = mefc_args_otsa(buf, len, doc, otsa, &suid);
      uint32_t idx = mefc_mo_lookup(cli, path, path_len);
      out->args = a;
      mefc_mo_decide(cli, idx, otyp, st, suid, out);
      if (out->kind != MEFC_DECIDE_EXECUTE) {
        /* kind and status are restored, not carried across the call. */
        uint32_t kind = out->kind;
        uint32_t status = out->status;
        decide_clear_args(&out->args);
        out->kind = kind;
        out->status = status;
      }
    }
  }
}

/* A cmdID not in the record: class, then the class procedure. */
/*@ requires \valid_read(cli);
    requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid_read(env) && decode_opt_tok(doc, env->cma) && decode_opt_tok(doc, env->tgi);
    requires \valid(out) && \separated(out, cli, doc, env, buf + (0 .. len - 1));
    assigns out->kind, out->status, out->procedure, out->wait_ms, out->args;
    behavior MCC_2_5c:
      assumes !(0 <= env->ccid <= 3 && decode_bit(cli->classes, env->ccid));
      ensures out->kind == MEFC_DECIDE_REPORT && out->status == MEFC_ST_CLASS_NOT_SUPPORTED;
    behavior MCC_2_5d:
      assumes 0 <= env->ccid <= 3 && decode_bit(cli->classes, env->ccid);
      ensures decide_kind_ok(out, env->ccid);
    complete behaviors;
    disjoint behaviors;
*/
static void decide_new(const mefc_client *cli, const uint8_t *buf, size_t len,
                       const mefc_json_doc *doc, const mefc_envelope *env, mefc_decision *out) {
  if (env->ccid < 0 || env->ccid > 3 || !mefc_has_bit(cli->classes, (uint32_t)env->ccid)) {
    decide_report(out, MEFC_ST_CLASS_NOT_SUPPORTED);
  } else {
    uint32_t c = (uint32_t)env->ccid;
    uint32_t obj = mefc_args_select(buf, len, doc, env->cma, c);
    if (obj == MEFC_NONE) {
      decide_report(out, MEFC_ST_BAD_ARGUMENTS); /* I-10 */
    } else if (c == MEFC_CLASS_NO_MORE_COMMANDS) {
      decide_no_more(buf, len, doc, obj, out);
    } else if (c == MEFC_CLASS_CERT_PROV) {
      decide_cert_prov(cli, buf, len, doc, obj, env->tgi, out);
    } else if (c == MEFC_CLASS_DEV_CFG) {
      decide_dev_cfg(cli, buf, len, doc, obj, env->tgi, out);
    } else {
      decide_mo_node(cli, buf, len, doc, obj, env->tgi, out);
    }
  }
}

/*@ requires \valid_read(cli) && \valid_read(rec) && \valid(doc) && \valid(out);
    requires len <= MEFC_PAYLOAD_MAX ==> \valid_read(buf + (0 .. len - 1));
    requires mefc_record_ok(rec) && decide_client_ok(cli);
    requires \separated(cli, rec, doc, out);
    requires len <= MEFC_PAYLOAD_MAX ==> \separated(buf + (0 .. len - 1), cli, rec, doc, out);
    assigns *doc, *out;
    ensures out->kind == MEFC_DECIDE_REPORT || out->kind == MEFC_DECIDE_EXECUTE ||
            out->kind == MEFC_DECIDE_WAIT || out->kind == MEFC_DECIDE_RETRY;
    ensures out->kind != MEFC_DECIDE_RETRY ==>
              mefc_id_ok(&out->id) &&
              (out->mef_status == MEFC_ST_ISSUED || out->mef_status == MEFC_ST_REISSUED);
    ensures out->kind == MEFC_DECIDE_REPORT ==> mefc_client_status(out->status);
    ensures out->kind == MEFC_DECIDE_EXECUTE ==>
              out->effect == MEFC_REC_NEW &&
              MEFC_PROC_EST_ENROLL <= out->procedure <= MEFC_PROC_MAF_CLIENT_REG &&
              MEFC_CLASS_CERT_PROV <= out->class_id <= MEFC_CLASS_MO_NODE;
    ensures out->kind == MEFC_DECIDE_WAIT ==>
              out->effect == MEFC_REC_NEW && out->class_id == MEFC_CLASS_NO_MORE_COMMANDS;
    ensures out->kind == MEFC_DECIDE_RETRY ==>
              out->effect == MEFC_REC_NEW && out->class_id == MEFC_NONE;
    ensures out->kind != MEFC_DECIDE_RETRY && out->effect == MEFC_REC_NEW ==>
              !mefc_same_cmd{Pre, Post}(rec, &out->id);
    ensures out->kind != MEFC_DECIDE_RETRY && out->effect != MEFC_REC_NEW ==>
              out->kind == MEFC_DECIDE_REPORT && mefc_same_cmd{Pre, Post}(rec, &out->id);
    ensures out->effect == MEFC_REC_FAILED ==>
              \old(rec->phase) == MEFC_PHASE_STARTED &&
              out->status == outcome_class_failure(\old(rec->class_id));
    ensures I_1: out->kind != MEFC_DECIDE_RETRY && \old(rec->phase) == MEFC_PHASE_REPORTED &&
              mefc_same_cmd{Pre, Post}(rec, &out->id) && out->mef_status == MEFC_ST_REISSUED ==>
              out->kind == MEFC_DECIDE_REPORT && out->status == \old(rec->status) &&
              out->effect == MEFC_REC_KEEP;
    ensures MCC_2_5b: out->kind != MEFC_DECIDE_RETRY && \old(rec->phase) == MEFC_PHASE_REPORTED &&
              mefc_same_cmd{Pre, Post}(rec, &out->id) && out->mef_status == MEFC_ST_ISSUED ==>
              out->kind == MEFC_DECIDE_REPORT && out->status == MEFC_ST_REPEATED_CMD_ID &&
              out->effect == MEFC_REC_KEEP;
    ensures I_2: out->kind != MEFC_DECIDE_RETRY && \old(rec->phase) == MEFC_PHASE_DONE &&
              mefc_same_cmd{Pre, Post}(rec, &out->id) ==>
              out->kind == MEFC_DECIDE_REPORT && out->status == \old(rec->status) &&
              out->effect == MEFC_REC_KEEP;
    ensures I_2: out->kind != MEFC_DECIDE_RETRY && \old(rec->phase) == MEFC_PHASE_STARTED &&
              mefc_same_cmd{Pre, Post}(rec, &out->id) ==>
              out->kind == MEFC_DECIDE_REPORT &&
              out->status == outcome_class_failure(\old(rec->class_id)) &&
              out->effect == MEFC_REC_FAILED;
    ensures MCC_2_5c: out->kind != MEFC_DECIDE_RETRY && !mefc_same_cmd{Pre, Post}(rec, &out->id) &&
              (out->class_id == MEFC_NONE || !decode_bit(\old(cli->classes), out->class_id)) ==>
              out->kind == MEFC_DECIDE_REPORT && out->status == MEFC_ST_CLASS_NOT_SUPPORTED &&
              out->effect == MEFC_REC_NEW;
    behavior MCC_2_5a:
      assumes len > MEFC_PAYLOAD_MAX;
      ensures out->kind == MEFC_DECIDE_RETRY;
    behavior payload:
      assumes len <= MEFC_PAYLOAD_MAX;
    complete behaviors;
    disjoint behaviors;
*/
void mefc_decide(const mefc_client *cli, const mefc_record *rec, const uint8_t *buf, size_t len,
                 mefc_json_doc *doc, mefc_decision *out) {
  mefc_envelope env;
  bool parsed = false;
  uint32_t phase = rec->phase;
  uint32_t rstatus = rec->status;
  uint32_t rclass = rec->class_id;
  mefc_cmd_id rid = rec->id;
  decide_clear(out);
  if (len <= MEFC_PAYLOAD_MAX) {
    parsed = mefc_decode_envelope(buf, len, doc, &env, &out->id);
  }
  if (!parsed) {
    /* MCC-2-5a, I-10: nothing of an unparseable response is kept. */
    decide_clear(out);
  } else {
    /* env is filled whenever mefc_decode_envelope returned true. The fields
     * the class procedures do not touch are written after them, and the
     * facts the contract needs are asserted in the final state of each
     * branch, so that no proof has to carry them across a call. */
    // cppcheck-suppress uninitStructMember
    uint32_t mccs = env.mccs;
    // cppcheck-suppress uninitStructMember
    uint32_t class_id = (env.ccid >= 0 && env.ccid <= 3) ? (uint32_t)env.ccid : MEFC_NONE;
    /*@ assert decoded: mefc_id_ok(&out->id) && (mccs == MEFC_ST_ISSUED || mccs == MEFC_ST_REISSUED); */
    /*@ assert cli_frame: cli->classes == \at(cli->classes, Pre); */
    mefc_cmd_id cid = out->id;
    /*@ assert rid: phase != MEFC_PHASE_NONE ==> rid.len == \at(rec->id.len, Pre) &&
          \forall integer j; 0 <= j < rid.len ==> rid.b[j] == \at(rec->id.b[j], Pre); */
    /*@ assert cid: cid.len == out->id.len &&
          \forall integer j; 0 <= j < cid.len ==> cid.b[j] == out->id.b[j]; */
    /*@ assert cid_ok: 1 <= cid.len <= MEFC_CMD_ID_MAX; */
    uint32_t k = decide_common_prefix(rid, cid);
    if (phase != MEFC_PHASE_NONE && rid.len == cid.len && k == cid.len) {
      /*@ assert mefc_same_cmd{Pre, Here}(rec, &out->id); */
      decide_repeat(phase, rstatus, rclass, mccs, out);
      out->mef_status = mccs;
      out->class_id = class_id;
      /*@ assert kept: mefc_same_cmd{Pre, Here}(rec, &out->id) && mefc_id_ok(&out->id); */
      /*@ assert repeat_report: out->kind == MEFC_DECIDE_REPORT && mefc_client_status(out->status) &&
            (out->effect == MEFC_REC_KEEP || out->effect == MEFC_REC_FAILED); */
      /*@ assert repeat_failed: out->effect == MEFC_REC_FAILED ==>
            \at(rec->phase, Pre) == MEFC_PHASE_STARTED &&
            out->status == outcome_class_failure(\at(rec->class_id, Pre)); */
      /*@ assert repeat_I_1: \at(rec->phase, Pre) == MEFC_PHASE_REPORTED &&
            out->mef_status == MEFC_ST_REISSUED ==>
            out->status == \at(rec->status, Pre) && out->effect == MEFC_REC_KEEP; */
      /*@ assert repeat_MCC_2_5b: \at(rec->phase, Pre) == MEFC_PHASE_REPORTED &&
            out->mef_status == MEFC_ST_ISSUED ==>
            out->status == MEFC_ST_REPEATED_CMD_ID && out->effect == MEFC_REC_KEEP; */
      /*@ assert repeat_I_2: \at(rec->phase, Pre) == MEFC_PHASE_DONE ==>
            out->status == \at(rec->status, Pre) && out->effect == MEFC_REC_KEEP; */
      /*@ assert repeat_I_2_started: \at(rec->phase, Pre) == MEFC_PHASE_STARTED ==>
            out->status == outcome_class_failure(\at(rec->class_id, Pre)) &&
            out->effect == MEFC_REC_FAILED; */
    } else {
      /*@ assert !mefc_same_cmd{Pre, Here}(rec, &out->id); */
      decide_new(cli, buf, len, doc, &env, out);
      /*@ assert cid_kept: cid.len == out->id.len &&
            \forall integer j; 0 <= j < cid.len ==> cid.b[j] == out->id.b[j]; */
      out->effect = MEFC_REC_NEW;
      out->mef_status = mccs;
      out->class_id = class_id;
      /*@ assert ids_now: cid.len == out->id.len &&
            \forall integer j; 0 <= j < cid.len ==> cid.b[j] == out->id.b[j]; */
      /*@ assert differ: phase == MEFC_PHASE_NONE || rid.len != cid.len ||
            (k < cid.len && rid.b[k] != cid.b[k]); */
      /*@ assert fresh_none: phase == MEFC_PHASE_NONE ==> \at(rec->phase, Pre) == MEFC_PHASE_NONE; */
      /*@ assert fresh_len: phase != MEFC_PHASE_NONE && rid.len != cid.len ==>
            \at(rec->id.len, Pre) != out->id.len; */
      /*@ assert fresh_byte: phase != MEFC_PHASE_NONE && rid.len == cid.len && k < cid.len ==>
            \let kk = (integer)k; \at(rec->id.b[kk], Pre) != out->id.b[kk] && kk < \at(rec->id.len, Pre); */
      /*@ assert fresh: !mefc_same_cmd{Pre, Here}(rec, &out->id) && mefc_id_ok(&out->id); */
      /*@ assert new_MCC_2_5c: (class_id == MEFC_NONE || !decode_bit(\at(cli->classes, Pre), class_id)) ==>
            out->kind == MEFC_DECIDE_REPORT && out->status == MEFC_ST_CLASS_NOT_SUPPORTED; */
    }
  }
}
