/* The envelope of a <mefClientCmd> representation (8.3.9.2 step 5a): the
 * sec:mcc (or m2m:mcc) object, cmdID, cmdStatusCode, cmdDescription and its
 * cmdClassID, plus the typed token lookups the rest of the decoder shares. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/json.h"
#include "mefc/decode.h"

/*@ requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid_read(name + (0 .. name_len - 1));
    assigns \nothing;
    ensures decode_opt_tok(doc, \result);
    behavior not_object:
      assumes !decode_tok_is(doc, obj, MEFC_JSON_OBJECT);
      ensures \result == MEFC_NONE;
    behavior object:
      assumes decode_tok_is(doc, obj, MEFC_JSON_OBJECT);
    complete behaviors;
    disjoint behaviors;
*/
uint32_t mefc_tok_member(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                         uint32_t obj, const char *name, size_t name_len) {
  uint32_t r = MEFC_NONE;
  uint32_t v = MEFC_NONE;
  if (obj < doc->ntok && doc->tok[obj].type == MEFC_JSON_OBJECT &&
      mefc_json_member(buf, len, doc, obj, name, name_len, &v) && v < doc->ntok) {
    r = v;
  }
  return r;
}

/*@ requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires cap <= MEFC_PAYLOAD_MAX && \valid(out + (0 .. cap - 1)) && \valid(n);
    requires \separated(out + (0 .. cap - 1), n, doc, buf + (0 .. len - 1));
    requires \separated(n, doc, buf + (0 .. len - 1));
    assigns out[0 .. cap - 1], *n;
    ensures *n <= cap;
    ensures \result ==> decode_tok_is(doc, t, MEFC_JSON_STRING);
    ensures !\result ==> *n == 0;
*/
bool mefc_tok_string(const uint8_t *buf, size_t len, const mefc_json_doc *doc, uint32_t t,
                     uint8_t *out, size_t cap, uint32_t *n) {
  bool ok = false;
  size_t got = 0;
  *n = 0;
  if (t < doc->ntok) {
    const mefc_json_tok *k = &doc->tok[t];
    if (k->type == MEFC_JSON_STRING && k->start <= k->end && k->end <= len &&
        mefc_json_str_copy(buf, len, k, out, cap, &got) && got <= cap) {
      *n = (uint32_t)got;
      ok = true;
    }
  }
  return ok;
}

/*@ requires \valid_read(doc) && doc->ntok <= MEFC_JSON_TOKENS_MAX && \valid(v);
    requires \separated(v, doc);
    assigns *v;
    ensures \result <==> decode_tok_is(doc, t, MEFC_JSON_INTEGER);
    ensures \result ==> *v == doc->tok[t].ival;
    ensures !\result ==> *v == 0;
*/
bool mefc_tok_int(const mefc_json_doc *doc, uint32_t t, int64_t *v) {
  bool ok = false;
  *v = 0;
  if (t < doc->ntok && doc->tok[t].type == MEFC_JSON_INTEGER) {
    *v = doc->tok[t].ival;
    ok = true;
  }
  return ok;
}

/* Exactly one of "sec:mcc" and "m2m:mcc" must name the command: with both,
 * which one the MEF meant is unknown, so the response is unparseable. */
/*@ requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    assigns \nothing;
    ensures \result == MEFC_NONE || decode_tok_is(doc, \result, MEFC_JSON_OBJECT);
*/
static uint32_t envelope_root(const uint8_t *buf, size_t len, const mefc_json_doc *doc) {
  uint32_t r = MEFC_NONE;
  uint32_t sec = mefc_tok_member(buf, len, doc, 0u, "sec:mcc", 7u);
  uint32_t m2m = mefc_tok_member(buf, len, doc, 0u, "m2m:mcc", 7u);
  uint32_t mcc = (sec == MEFC_NONE) ? m2m : ((m2m == MEFC_NONE) ? sec : MEFC_NONE);
  /* mcc < ntok: the same test as mcc != MEFC_NONE (mefc_tok_member gives one
   * or the other), in a form that bounds the index for Eva. */
  if (mcc < doc->ntok && doc->tok[mcc].type == MEFC_JSON_OBJECT) {
    r = mcc;
  }
  return r;
}

/* The members of the command object: cmdID, cmdStatusCode, cmdDescription
 * and inside it cmdClassID, cmdArgs and targetID. */
/*@ requires \valid_read(doc) && decode_doc_ok(doc, len);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(env) && \valid(id);
    requires \separated(doc, env, id, buf + (0 .. len - 1));
    assigns *env, *id;
    ensures \result ==> mefc_id_ok(id);
    ensures \result ==> env->mccs == MEFC_ST_ISSUED || env->mccs == MEFC_ST_REISSUED;
    ensures \result ==> decode_tok_is(doc, env->mccd, MEFC_JSON_OBJECT);
    ensures \result ==> decode_opt_tok(doc, env->cma) && decode_opt_tok(doc, env->tgi);
*/
static bool envelope_fields(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                            mefc_envelope *env, mefc_cmd_id *id) {
  bool ok = false;
  uint32_t mcc = envelope_root(buf, len, doc);
  uint32_t mcci = mefc_tok_member(buf, len, doc, mcc, "mcci", 4u);
  uint32_t mccs = mefc_tok_member(buf, len, doc, mcc, "mccs", 4u);
  uint32_t mccd = mefc_tok_member(buf, len, doc, mcc, "mccd", 4u);
  uint32_t ccid = mefc_tok_member(buf, len, doc, mccd, "ccid", 4u);
  uint32_t n = 0;
  int64_t st = 0;
  int64_t cls = 0;
  env->mccs = 0;
  env->ccid = 0;
  env->mccd = MEFC_NONE;
  env->cma = MEFC_NONE;
  env->tgi = MEFC_NONE;
  id->len = 0;
  if (mefc_tok_string(buf, len, doc, mcci, id->b, MEFC_CMD_ID_MAX, &n) && n >= 1u &&
      mefc_tok_int(doc, mccs, &st) && (st == MEFC_ST_ISSUED || st == MEFC_ST_REISSUED) &&
      mefc_tok_int(doc, ccid, &cls)) {
    /* ccid was found inside mccd, so mccd is an object of the document. */
    //@ assert decode_tok_is(doc, mccd, MEFC_JSON_OBJECT);
    env->mccs = (uint32_t)st;
    env->ccid = cls;
    env->mccd = mccd;
    env->cma = mefc_tok_member(buf, len, doc, mccd, "cma", 3u);
    env->tgi = mefc_tok_member(buf, len, doc, mccd, "tgi", 3u);
    id->len = n;
    ok = true;
  }
  return ok;
}

/* Any failure leaves the response unparseable (8.3.9.2 step 5a, ruling I-10):
 * nothing of it may be reported, not even its cmdID. */
/*@ requires \valid(doc) && \valid(env) && \valid(id);
    requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \separated(doc, env, id, buf + (0 .. len - 1));
    assigns *doc, *env, *id;
    behavior MCC_2_5a:
      ensures \result ==> decode_doc_ok(doc, len);
      ensures \result ==> mefc_id_ok(id);
      ensures \result ==> env->mccs == MEFC_ST_ISSUED || env->mccs == MEFC_ST_REISSUED;
      ensures \result ==> decode_tok_is(doc, env->mccd, MEFC_JSON_OBJECT);
      ensures \result ==> decode_opt_tok(doc, env->cma) && decode_opt_tok(doc, env->tgi);
*/
bool mefc_decode_envelope(const uint8_t *buf, size_t len, mefc_json_doc *doc,
                          mefc_envelope *env, mefc_cmd_id *id) {
  bool ok = false;
  env->mccs = 0;
  env->ccid = 0;
  env->mccd = MEFC_NONE;
  env->cma = MEFC_NONE;
  env->tgi = MEFC_NONE;
  id->len = 0;
  if (mefc_json_parse(buf, len, doc) == MEFC_JSON_OK && doc->ntok >= 1u &&
      doc->ntok <= MEFC_JSON_TOKENS_MAX && doc->tok[0].type == MEFC_JSON_OBJECT) {
    ok = envelope_fields(buf, len, doc, env, id);
  }
  return ok;
}
