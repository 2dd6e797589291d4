/* Parsing of cmdArgs (8.3.9.6-8.3.9.9 step 3): picks the class's member and
 * turns it into typed values. Every failure here is BAD_ARGUMENTS (42), except
 * objectTypeSpecificArgs, whose state is kept for the MO_NODE decision (302). */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/json.h"
#include "mefc/checks.h"
#include "mefc/decode.h"

/* Ruling I-10: cmdArgs holds exactly one member, the class's own, itself an
 * object; anything else is BAD_ARGUMENTS. */
/*@ requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires class_id <= 3;
    assigns \nothing;
    ensures \result == MEFC_NONE || decode_tok_is(doc, \result, MEFC_JSON_OBJECT);
    behavior I_10:
      assumes !(decode_tok_is(doc, cma, MEFC_JSON_OBJECT) && doc->tok[cma].count == 1);
      ensures \result == MEFC_NONE;
    behavior one_member:
      assumes decode_tok_is(doc, cma, MEFC_JSON_OBJECT) && doc->tok[cma].count == 1;
    complete behaviors;
    disjoint behaviors;
*/
uint32_t mefc_args_select(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                          uint32_t cma, uint32_t class_id) {
  uint32_t r = MEFC_NONE;
  if (cma < doc->ntok && doc->tok[cma].type == MEFC_JSON_OBJECT && doc->tok[cma].count == 1u) {
    uint32_t v;
    if (class_id == MEFC_CLASS_NO_MORE_COMMANDS) {
      v = mefc_tok_member(buf, len, doc, cma, "nmca", 4u);
    } else if (class_id == MEFC_CLASS_CERT_PROV) {
      v = mefc_tok_member(buf, len, doc, cma, "cpca", 4u);
    } else if (class_id == MEFC_CLASS_DEV_CFG) {
      v = mefc_tok_member(buf, len, doc, cma, "dcca", 4u);
    } else {
      v = mefc_tok_member(buf, len, doc, cma, "nnca", 4u);
    }
    /* v < ntok rather than v != MEFC_NONE (the same test, as v is one or the
     * other): Eva then bounds the index by itself. */
    if (v < doc->ntok && doc->tok[v].type == MEFC_JSON_OBJECT) {
      r = v;
    }
  }
  return r;
}

/* noMoreCmdArgs (8.3.9.6 step 3): retryDuration as xs:duration (ruling I-8). */
/*@ requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(ms) && \separated(ms, doc, buf + (0 .. len - 1));
    assigns *ms;
    ensures !\result ==> *ms == 0;
*/
bool mefc_args_no_more(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                       uint32_t obj, uint64_t *ms) {
  /* Zeroed whole so that every byte is defined, not only the n that
   * mefc_tok_string writes: Eva cannot tie the bytes written to n. */
  uint8_t rdu[MEFC_DURATION_MAX] = {0u};
  uint32_t n = 0;
  uint64_t v = 0;
  bool ok = false;
  uint32_t t = mefc_tok_member(buf, len, doc, obj, "rdu", 3u);
  if (mefc_tok_string(buf, len, doc, t, rdu, MEFC_DURATION_MAX, &n) &&
      mefc_duration_ms(rdu, n, &v)) {
    ok = true;
  }
  *ms = ok ? v : 0u;
  return ok;
}

/* certProvCmdArgs (8.3.9.7 step 3). Enumerated integers outside their
 * enumeration are parse failures (ruling I-11); the URI and certSubjectID go
 * straight to the execution arguments. */
/*@ requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(cppi) && \valid(args);
    requires \separated(cppi, args, doc, buf + (0 .. len - 1));
    requires \separated(args, doc, buf + (0 .. len - 1));
    assigns *cppi, args->uri[0 .. MEFC_URI_MAX - 1], args->uri_len, args->subject_type,
            args->subject_id;
    ensures args->uri_len <= MEFC_URI_MAX && args->subject_id.len <= MEFC_ID_MAX;
    ensures \result ==> (*cppi == MEFC_CPP_EST || *cppi == MEFC_CPP_SCEP);
    ensures \result ==> MEFC_SUBJ_NODE <= args->subject_type <= MEFC_SUBJ_AE;
*/
bool mefc_args_cert_prov(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                         uint32_t obj, uint32_t *cppi, mefc_exec_args *args) {
  int64_t p = 0;
  int64_t s = 0;
  uint32_t nu = 0;
  uint32_t ns = 0;
  bool ok = false;
  uint32_t tp = mefc_tok_member(buf, len, doc, obj, "cppi", 4u);
  uint32_t tu = mefc_tok_member(buf, len, doc, obj, "uri", 3u);
  uint32_t tt = mefc_tok_member(buf, len, doc, obj, "cst", 3u);
  uint32_t ti = mefc_tok_member(buf, len, doc, obj, "csi", 3u);
  bool ou = mefc_tok_string(buf, len, doc, tu, args->uri, MEFC_URI_MAX, &nu);
  bool oi = mefc_tok_string(buf, len, doc, ti, args->subject_id.b, MEFC_ID_MAX, &ns);
  if (mefc_tok_int(doc, tp, &p) && (p == MEFC_CPP_EST || p == MEFC_CPP_SCEP) &&
      mefc_tok_int(doc, tt, &s) && MEFC_SUBJ_NODE <= s && s <= MEFC_SUBJ_AE && ou && oi) {
    ok = true;
  }
  *cppi = ok ? (uint32_t)p : 0u;
  args->subject_type = ok ? (uint32_t)s : 0u;
  args->uri_len = nu;
  args->subject_id.len = ns;
  return ok;
}

/* devCfgCmdArgs (ruling I-4): deviceConfigURI = "<devMgmtID>:<URI>", the
 * devMgmtID one or more ASCII digits whose value is in the enumeration 1..4
 * (ruling I-11), the URI part non-empty. */
/*@ requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(args) && \separated(args, doc, buf + (0 .. len - 1));
    assigns args->uri[0 .. MEFC_URI_MAX - 1], args->uri_len, args->dev_mgmt_id;
    ensures args->uri_len <= MEFC_URI_MAX;
    ensures \result ==> MEFC_DM_OMA_DM13 <= args->dev_mgmt_id <= MEFC_DM_TR069;
    ensures \result ==> args->uri_len >= 1;
*/
bool mefc_args_dev_cfg(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                       uint32_t obj, mefc_exec_args *args) {
  uint8_t dcu[MEFC_URI_MAX + 16u] = {0u}; /* every byte defined (see mefc_args_no_more) */
  uint32_t n = 0;
  uint32_t i = 0;
  uint32_t dm = 0;
  bool ok = false;
  uint32_t t = mefc_tok_member(buf, len, doc, obj, "dcu", 3u);
  args->uri_len = 0;
  args->dev_mgmt_id = 0;
  if (mefc_tok_string(buf, len, doc, t, dcu, MEFC_URI_MAX + 16u, &n)) {
    /* The first digit is the value; a second digit (a leading zero or a
     * number of two digits) saturates at 10, outside the enumeration (I-26). */
    /*@ loop invariant 0 <= i <= n;
        loop invariant dm <= 10;
        loop assigns i, dm;
        loop variant n - i;
    */
    while (i < n && dcu[i] >= (uint8_t)'0' && dcu[i] <= (uint8_t)'9') {
      uint32_t d = (uint32_t)dcu[i] - (uint32_t)'0';
      dm = (i == 0u) ? d : 10u;
      i++;
    }
    /* m, the URI's length, is tested once computed: the copy's bound is
     * then a variable of its own, which Eva can follow. */
    uint32_t m = (i < n) ? n - i - 1u : 0u;
    if (i >= 1u && i < n && dcu[i] == (uint8_t)':' && dm >= MEFC_DM_OMA_DM13 &&
        dm <= MEFC_DM_TR069 && m >= 1u && m <= MEFC_URI_MAX) {
      uint32_t k = 0;
      uint32_t j = i + 1u;
      /* Two indexes, each tested against its own buffer's bound (j < n is
       * k < m again): Eva keeps no relation between i, k and n. */
      /*@ loop invariant 0 <= k <= m && j == i + 1 + k;
          loop assigns k, j, args->uri[0 .. MEFC_URI_MAX - 1];
          loop variant m - k;
      */
      while (k < m && j < n) {
        args->uri[k] = dcu[j];
        k++;
        j++;
      }
      args->uri_len = m;
      args->dev_mgmt_id = dm;
      ok = true;
    }
  }
  return ok;
}

/* MONodeCmdArgs (8.3.9.9.1 step 3): objectPath and objectTypeID; the token
 * of objectTypeSpecificArgs is kept, its parse belongs after the node lookup. */
/*@ requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(path + (0 .. MEFC_PATH_MAX - 1)) && \valid(path_len) && \valid(otyp) &&
             \valid(otsa);
    requires \separated(path + (0 .. MEFC_PATH_MAX - 1), path_len, otyp, otsa, doc,
                        buf + (0 .. len - 1));
    requires \separated(path_len, otyp, otsa, doc, buf + (0 .. len - 1));
    assigns path[0 .. MEFC_PATH_MAX - 1], *path_len, *otyp, *otsa;
    ensures *path_len <= MEFC_PATH_MAX;
    ensures decode_opt_tok(doc, *otsa);
    ensures \result ==> MEFC_OTYP_AUTH_PROFILE <= *otyp <= MEFC_OTYP_MAF_CLIENT_REG_CFG;
*/
bool mefc_args_mo_node(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                       uint32_t obj, uint8_t *path, uint32_t *path_len,
                       uint32_t *otyp, uint32_t *otsa) {
  int64_t o = 0;
  bool ok = false;
  uint32_t tp = mefc_tok_member(buf, len, doc, obj, "ajop", 4u);
  uint32_t to = mefc_tok_member(buf, len, doc, obj, "otyp", 4u);
  if (mefc_tok_string(buf, len, doc, tp, path, MEFC_PATH_MAX, path_len) &&
      mefc_tok_int(doc, to, &o) && MEFC_OTYP_AUTH_PROFILE <= o &&
      o <= MEFC_OTYP_MAF_CLIENT_REG_CFG) {
    ok = true;
  }
  *otyp = ok ? (uint32_t)o : 0u;
  *otsa = mefc_tok_member(buf, len, doc, obj, "otsa", 4u);
  return ok;
}

/* authProfileMONodeArgs (8.3.9.9.2 step 2): an object whose suid is an
 * integer of the m2m:suid enumeration plus 31 (ruling I-11). */
/*@ requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(suid) && \separated(suid, doc, buf + (0 .. len - 1));
    assigns *suid;
    ensures \result == MEFC_OTSA_OK ==> decode_suid_enum(*suid);
    behavior absent:
      assumes otsa == MEFC_NONE;
      ensures \result == MEFC_OTSA_ABSENT;
    behavior MCC_9_2_2:
      assumes otsa != MEFC_NONE;
      ensures \result == MEFC_OTSA_BAD || \result == MEFC_OTSA_OK;
      ensures !decode_tok_is(doc, otsa, MEFC_JSON_OBJECT) ==> \result == MEFC_OTSA_BAD;
    complete behaviors;
    disjoint behaviors;
*/
uint32_t mefc_args_otsa(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                        uint32_t otsa, int64_t *suid) {
  uint32_t r = MEFC_OTSA_ABSENT;
  int64_t s = 0;
  *suid = 0;
  if (otsa != MEFC_NONE) {
    uint32_t t = mefc_tok_member(buf, len, doc, otsa, "suid", 4u);
    r = MEFC_OTSA_BAD;
    if (mefc_tok_int(doc, t, &s) &&
        ((10 <= s && s <= 15) || (21 <= s && s <= 25) || (31 <= s && s <= 35) ||
         (40 <= s && s <= 43))) {
      *suid = s;
      r = MEFC_OTSA_OK;
    }
  }
  return r;
}
