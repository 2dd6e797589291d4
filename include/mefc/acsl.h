/* ACSL logic shared by the contracts of the core: equality of identifiers,
 * validity of the durable record, the status codes a client may report.
 * Everything here lives in annotation comments; compilers ignore it. */
#ifndef MEFC_ACSL_H
#define MEFC_ACSL_H

#include "mefc/command.h"

/*@
  predicate mefc_id_ok(mefc_cmd_id *a) =
    1 <= a->len <= MEFC_CMD_ID_MAX;

  predicate mefc_id_eq{L1, L2}(mefc_cmd_id *a, mefc_cmd_id *b) =
    \at(a->len, L1) == \at(b->len, L2) &&
    \at(a->len, L1) <= MEFC_CMD_ID_MAX &&
    \forall integer i; 0 <= i < \at(a->len, L1) ==> \at(a->b[i], L1) == \at(b->b[i], L2);

  predicate mefc_class_ok(integer c) = 0 <= c <= 3;

  // Status codes the client itself may send in an Update (Table 12.3.2.4-1 minus 10/11).
  predicate mefc_client_status(integer s) =
    s == 20 || s == 40 || s == 41 || s == 42 || s == 43 ||
    s == 100 || s == 101 || s == 201 || s == 202 ||
    s == 300 || s == 301 || s == 302 || s == 303 || s == 304 || s == 305;

  predicate mefc_record_ok(mefc_record *r) =
    (r->phase == MEFC_PHASE_NONE) ||
    (r->phase == MEFC_PHASE_STARTED && mefc_id_ok(&r->id) && 1 <= r->class_id <= 3) ||
    ((r->phase == MEFC_PHASE_DONE || r->phase == MEFC_PHASE_REPORTED) &&
       mefc_id_ok(&r->id) && mefc_client_status(r->status));

  // The record names a command (any phase but NONE) with this ID.
  predicate mefc_same_cmd{L1, L2}(mefc_record *r, mefc_cmd_id *id) =
    \at(r->phase, L1) != MEFC_PHASE_NONE && mefc_id_eq{L1, L2}(\at(&r->id, L1), id);
*/

/*@
  // decide.c: the capacities of the client profile the decision relies on
  // (every length within its array, every count within its capacity).
  predicate decide_node_ok(mefc_mo_node *n, integer n_mo) =
    n->path_len <= MEFC_PATH_MAX && n->n_tlcs <= MEFC_TLCS_MAX &&
    n->uri_len <= MEFC_URI_MAX && n->symm_key_id.len <= MEFC_KEY_ID_MAX &&
    (n->parent < n_mo || n->parent == MEFC_NONE);

  predicate decide_client_ok(mefc_client *c) =
    c->mef_fqdn_len <= MEFC_FQDN_MAX &&
    c->n_acts_for <= MEFC_ACTS_FOR_MAX &&
    (\forall integer i; 0 <= i < c->n_acts_for ==> c->acts_for[i].len <= MEFC_ID_MAX) &&
    c->n_symm_keys <= MEFC_KEYS_MAX &&
    (\forall integer i; 0 <= i < c->n_symm_keys ==> c->symm_keys[i].len <= MEFC_KEY_ID_MAX) &&
    c->n_certs <= MEFC_CERTS_MAX && c->n_ca_certs <= MEFC_CERTS_MAX &&
    c->n_mo <= MEFC_MO_NODES_MAX &&
    (\forall integer i; 0 <= i < c->n_mo ==> decide_node_ok(&c->mo[i], c->n_mo));

  // outcome.c: the client-side failure status of a class (ruling I-2).
  logic integer outcome_class_failure(integer c) =
    c == 1 ? 101 : (c == 2 ? 202 : (c == 3 ? 305 : 42));

  // outcome.c: the status an executed procedure reports for an outcome.
  logic integer outcome_status(integer p, integer o) =
    (p == 1 || p == 2) ? (o == 0 ? 20 : (o == 1 ? 100 : 101)) :
    (p == 3 ? (o == 0 ? 20 : (o == 1 ? 201 : 202)) :
    ((4 <= p && p <= 7) ? (o == 0 ? 20 : 305) : 42));
*/

/*@
  // ---- json.c: the lexical grammar of RFC 8259 over a byte buffer b ----
  // Offsets are integers; a grammar element at b[k] never reads at or past len.

  predicate json_ws(integer c) = c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D;

  logic boolean json_is_digit(integer c) = 0x30 <= c <= 0x39;
  logic boolean json_is_hex(integer c) =
    (0x30 <= c <= 0x39) || (0x41 <= c <= 0x46) || (0x61 <= c <= 0x66);
  logic integer json_hexval(integer c) =
    (0x30 <= c <= 0x39) ? c - 0x30 :
    ((0x41 <= c <= 0x46) ? c - 0x37 : ((0x61 <= c <= 0x66) ? c - 0x57 : 16));
  logic boolean json_is_cont(integer c) = 0x80 <= c <= 0xBF;

  // The escapes of RFC 8259 section 7 other than \u: \" \\ \/ \b \f \n \r \t.
  logic boolean json_is_short_esc(integer c) =
    c == 0x22 || c == 0x5C || c == 0x2F || c == 0x62 || c == 0x66 || c == 0x6E ||
    c == 0x72 || c == 0x74;
  logic boolean json_is_hex4(uint8_t *b, integer k) =
    json_is_hex(b[k]) && json_is_hex(b[k+1]) && json_is_hex(b[k+2]) && json_is_hex(b[k+3]);
  // Four hex digits at k naming a high (D800-DBFF) or a low (DC00-DFFF) surrogate.
  logic boolean json_is_hi_surr(uint8_t *b, integer k) =
    json_hexval(b[k]) == 13 && 8 <= json_hexval(b[k+1]) <= 11;
  logic boolean json_is_lo_surr(uint8_t *b, integer k) =
    json_hexval(b[k]) == 13 && 12 <= json_hexval(b[k+1]) <= 15;

  // Length of the escape whose backslash is at b[k], 0 if there is none:
  // \X (2 bytes), \uXXXX not a surrogate (6), \uHIGH\uLOW (12). A lone or
  // reversed surrogate escape is no escape.
  logic integer json_esc_len(uint8_t *b, integer k, integer len) =
    (k + 1 < len && json_is_short_esc(b[k+1])) ? 2 :
    ((k + 5 < len && b[k+1] == 0x75 && json_is_hex4(b, k+2)) ?
       (json_is_hi_surr(b, k+2) ?
          ((k + 11 < len && b[k+6] == 0x5C && b[k+7] == 0x75 && json_is_hex4(b, k+8) &&
            json_is_lo_surr(b, k+8)) ? 12 : 0) :
          (json_is_lo_surr(b, k+2) ? 0 : 6)) :
       0);

  // Length of the well-formed UTF-8 sequence of 2 to 4 bytes at b[k] (RFC 3629
  // section 4 table: no overlong form, no surrogate, nothing above U+10FFFF,
  // not truncated by len), 0 if there is none.
  logic integer json_utf8_len(uint8_t *b, integer k, integer len) =
    (0xC2 <= b[k] <= 0xDF) ?
      ((k + 1 < len && json_is_cont(b[k+1])) ? 2 : 0) :
    ((b[k] == 0xE0) ?
      ((k + 2 < len && 0xA0 <= b[k+1] <= 0xBF && json_is_cont(b[k+2])) ? 3 : 0) :
    (((0xE1 <= b[k] <= 0xEC) || (0xEE <= b[k] <= 0xEF)) ?
      ((k + 2 < len && json_is_cont(b[k+1]) && json_is_cont(b[k+2])) ? 3 : 0) :
    ((b[k] == 0xED) ?
      ((k + 2 < len && 0x80 <= b[k+1] <= 0x9F && json_is_cont(b[k+2])) ? 3 : 0) :
    ((b[k] == 0xF0) ?
      ((k + 3 < len && 0x90 <= b[k+1] <= 0xBF && json_is_cont(b[k+2]) &&
        json_is_cont(b[k+3])) ? 4 : 0) :
    ((0xF1 <= b[k] <= 0xF3) ?
      ((k + 3 < len && json_is_cont(b[k+1]) && json_is_cont(b[k+2]) &&
        json_is_cont(b[k+3])) ? 4 : 0) :
    ((b[k] == 0xF4) ?
      ((k + 3 < len && 0x80 <= b[k+1] <= 0x8F && json_is_cont(b[k+2]) &&
        json_is_cont(b[k+3])) ? 4 : 0) :
    0))))));

  // Length of the string element at b[k] (not the closing quote): one byte
  // 0x20-0x7F other than '"' and '\', a well-formed UTF-8 sequence, or an
  // escape; 0 if none starts there (control byte, bad escape, bad UTF-8).
  logic integer json_str_step(uint8_t *b, integer k, integer len) =
    (b[k] < 0x20) ? 0 :
    ((b[k] == 0x5C) ? json_esc_len(b, k, len) :
    ((b[k] < 0x80) ? 1 : json_utf8_len(b, k, len)));

  // A string body starting at k is a sequence of elements ended by '"'
  // (RFC 8259 section 7): the offset of that quote, or -1 when the elements
  // reach a byte that is none, or len, first.
  logic integer json_str_close(uint8_t *b, integer k, integer len) =
    (k >= len) ? -1 :
    ((b[k] == 0x22) ? k :
    ((json_str_step(b, k, len) <= 0) ? -1 :
      json_str_close(b, k + json_str_step(b, k, len), len)));

  // b[s..e) is a well-formed string body closed by the quote at b[e].
  predicate json_string(uint8_t *b, integer s, integer e, integer len) =
    0 <= s <= e < len && json_str_close(b, s, len) == e;

  // No escape in b[s..e): the body is its own value.
  predicate json_plain(uint8_t *b, integer s, integer e) =
    \forall integer i; s <= i < e ==> b[i] != 0x5C;

  // RFC 8259 section 6: int = [ minus ] ( zero / ( digit1-9 *DIGIT ) ),
  // frac = "." 1*DIGIT, exp = ( "e" / "E" ) [ "-" / "+" ] 1*DIGIT.
  predicate json_digits(uint8_t *b, integer i, integer j) =
    i < j && \forall integer m; i <= m < j ==> json_is_digit(b[m]);
  predicate json_uint(uint8_t *b, integer i, integer j) =
    json_digits(b, i, j) && (b[i] != 0x30 || j == i + 1);
  logic integer json_int_start(uint8_t *b, integer s) = (b[s] == 0x2D) ? s + 1 : s;
  predicate json_int(uint8_t *b, integer s, integer e) =
    json_uint(b, json_int_start(b, s), e);
  predicate json_frac(uint8_t *b, integer i, integer j) =
    b[i] == 0x2E && json_digits(b, i + 1, j);
  logic integer json_exp_start(uint8_t *b, integer i) =
    (b[i+1] == 0x2B || b[i+1] == 0x2D) ? i + 2 : i + 1;
  predicate json_exp(uint8_t *b, integer i, integer j) =
    (b[i] == 0x65 || b[i] == 0x45) && json_digits(b, json_exp_start(b, i), j);
  // What may follow the int part m of a number ending at e.
  predicate json_num_tail(uint8_t *b, integer m, integer e) =
    m == e || json_frac(b, m, e) || json_exp(b, m, e) ||
    (\exists integer n; json_frac(b, m, n) && json_exp(b, n, e));
  predicate json_number(uint8_t *b, integer s, integer e) =
    \exists integer m; json_int(b, s, m) && json_num_tail(b, m, e);
  // A number is taken whole: it ends where no digit, '.', 'e' or 'E' follows.
  predicate json_num_end(uint8_t *b, integer e, integer len) =
    e >= len || !(json_is_digit(b[e]) || b[e] == 0x2E || b[e] == 0x65 || b[e] == 0x45);

  // A number, or an integer, taken whole from s: it ends at e.
  predicate json_num_at(uint8_t *b, integer s, integer e, integer len) =
    s < e <= len && json_number(b, s, e) && json_num_end(b, e, len);
  predicate json_int_at(uint8_t *b, integer s, integer e, integer len) =
    s < e <= len && json_int(b, s, e) && json_num_end(b, e, len);

  // The longest run of digits from i ends at r (how the scanner reads digits).
  predicate json_run(uint8_t *b, integer i, integer r, integer len) =
    i <= r <= len && (\forall integer t; i <= t < r ==> json_is_digit(b[t])) &&
    (r < len ==> !json_is_digit(b[r]));

  // Facts of the number grammar the scanner's proof rests on: a number taken
  // whole reads each digit run to its end, so it is unique.
  lemma json_digits_in_run: \forall uint8_t *b, integer i, j, r, len;
    json_run(b, i, r, len) && json_digits(b, i, j) && j <= len ==> j <= r;
  lemma json_tail_first: \forall uint8_t *b, integer m, e;
    json_num_tail(b, m, e) ==>
      m == e || (m < e && (b[m] == 0x2E || b[m] == 0x65 || b[m] == 0x45));
  lemma json_int_part: \forall uint8_t *b, integer s, e, r, len;
    s < e <= len && json_number(b, s, e) && json_num_end(b, e, len) &&
    json_run(b, json_int_start(b, s), r, len) ==>
      json_int(b, s, r) && json_num_tail(b, r, e);
  lemma json_frac_part: \forall uint8_t *b, integer m, e, f, len;
    m < len && b[m] == 0x2E && json_num_tail(b, m, e) && e <= len &&
    json_num_end(b, e, len) && json_run(b, m + 1, f, len) ==>
      m + 1 < f && (e == f || json_exp(b, f, e));
  lemma json_exp_only: \forall uint8_t *b, integer m, e, len;
    m < len && (b[m] == 0x65 || b[m] == 0x45) && json_num_tail(b, m, e) &&
    json_num_end(b, e, len) ==> json_exp(b, m, e);
  lemma json_exp_part: \forall uint8_t *b, integer n, e, x, len;
    json_exp(b, n, e) && e <= len && json_num_end(b, e, len) &&
    json_run(b, json_exp_start(b, n), x, len) ==> e == x && json_exp_start(b, n) < x;
  lemma json_int_unique: \forall uint8_t *b, integer s, e1, e2, len;
    s < e1 <= len && s < e2 <= len && json_int(b, s, e1) && json_num_end(b, e1, len) &&
    json_int(b, s, e2) && json_num_end(b, e2, len) ==> e1 == e2;
  lemma json_int_number: \forall uint8_t *b, integer s, e;
    json_int(b, s, e) ==> json_number(b, s, e);
  lemma json_int_run: \forall uint8_t *b, integer s, t, r, len;
    json_run(b, json_int_start(b, s), r, len) && json_int_at(b, s, t, len) ==> t == r;

  // Decimal value of the digits b[i..j), and of an integer b[s..e).
  logic integer json_dec(uint8_t *b, integer i, integer j) =
    (j <= i) ? 0 : 10 * json_dec(b, i, j - 1) + (b[j-1] - 0x30);
  logic integer json_int_value(uint8_t *b, integer s, integer e) =
    (b[s] == 0x2D) ? -json_dec(b, s + 1, e) : json_dec(b, s, e);
  predicate json_int64(integer v) = -9223372036854775808 <= v <= 9223372036854775807;

  // RFC 8259 section 3: the literal names.
  predicate json_true(uint8_t *b, integer k, integer len) =
    k + 4 <= len && b[k] == 0x74 && b[k+1] == 0x72 && b[k+2] == 0x75 && b[k+3] == 0x65;
  predicate json_false(uint8_t *b, integer k, integer len) =
    k + 5 <= len && b[k] == 0x66 && b[k+1] == 0x61 && b[k+2] == 0x6C && b[k+3] == 0x73 &&
    b[k+4] == 0x65;
  predicate json_null(uint8_t *b, integer k, integer len) =
    k + 4 <= len && b[k] == 0x6E && b[k+1] == 0x75 && b[k+2] == 0x6C && b[k+3] == 0x6C;

  // The byte a C char stands for (char may be signed).
  logic integer json_byte(integer c) = (c < 0) ? c + 256 : c;

  // ---- json.c: the structural grammar of RFC 8259 (sections 2 to 5) ----
  // Each rule is a function of the offset k where it starts: the offset just
  // past what it matched, or -1 when nothing it allows starts there. The
  // subset mefc accepts: strings as json_str_close reads them, integers that
  // fit int64_t.

  logic boolean json_is_ws(integer c) = c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D;

  // A number is read by maximal munch, as the scanner reads it: the digit run
  // of the int part, then a fraction, then an exponent, each only when its
  // first byte is there. No JSON text goes on with a digit, '.', 'e' or 'E'
  // after a number, so the longest such extent is the only candidate.
  logic integer json_run_end(uint8_t *b, integer i, integer len) =
    (i < len && json_is_digit(b[i])) ? json_run_end(b, i + 1, len) : i;
  logic integer json_int_end(uint8_t *b, integer s, integer len) =
    json_run_end(b, json_int_start(b, s), len);
  logic integer json_frac_end(uint8_t *b, integer r, integer len) =
    (r < len && b[r] == 0x2E) ? json_run_end(b, r + 1, len) : r;
  logic integer json_exp_digits(uint8_t *b, integer f, integer len) =
    (f + 1 < len && (b[f+1] == 0x2B || b[f+1] == 0x2D)) ? f + 2 : f + 1;
  logic integer json_exp_end(uint8_t *b, integer f, integer len) =
    (f < len && (b[f] == 0x65 || b[f] == 0x45)) ?
      json_run_end(b, json_exp_digits(b, f, len), len) : f;
  logic integer json_num_stop(uint8_t *b, integer s, integer len) =
    json_exp_end(b, json_frac_end(b, json_int_end(b, s, len), len), len);
  // That extent from s is a number: an int part without a leading zero, a
  // fraction and an exponent each with digits, and nothing that goes on.
  logic boolean json_num_form(uint8_t *b, integer s, integer len) =
    \let d = json_int_start(b, s); \let r = json_int_end(b, s, len);
    \let f = json_frac_end(b, r, len); \let x = json_exp_end(b, f, len);
    d < r && (b[d] != 0x30 || r == d + 1) && (f == r || r + 1 < f) &&
    (x == f || json_exp_digits(b, f, len) < x) &&
    (x >= len || !(json_is_digit(b[x]) || b[x] == 0x2E || b[x] == 0x65 || b[x] == 0x45));
  // ... and, when it is an integer (no fraction, no exponent), it fits int64_t.
  logic boolean json_num_ok(uint8_t *b, integer s, integer len) =
    json_num_form(b, s, len) &&
    (json_num_stop(b, s, len) != json_int_end(b, s, len) ||
     (-9223372036854775808 <= json_int_value(b, s, json_int_end(b, s, len)) &&
      json_int_value(b, s, json_int_end(b, s, len)) <= 9223372036854775807));

  // A string, number or literal at b[j] (j < len): where it ends, or -1.
  logic integer json_scalar_end(uint8_t *b, integer j, integer len) =
    (b[j] == 0x22) ?
      (json_str_close(b, j + 1, len) < 0 ? -1 : json_str_close(b, j + 1, len) + 1) :
    ((b[j] == 0x2D || json_is_digit(b[j])) ?
      (json_num_ok(b, j, len) ? json_num_stop(b, j, len) : -1) :
    ((j + 4 <= len && b[j] == 0x74 && b[j+1] == 0x72 && b[j+2] == 0x75 && b[j+3] == 0x65) ? j + 4 :
    ((j + 5 <= len && b[j] == 0x66 && b[j+1] == 0x61 && b[j+2] == 0x6C && b[j+3] == 0x73 &&
      b[j+4] == 0x65) ? j + 5 :
    ((j + 4 <= len && b[j] == 0x6E && b[j+1] == 0x75 && b[j+2] == 0x6C && b[j+3] == 0x6C) ? j + 4 :
    -1))));

  // The rules, by mode m; every rule first skips whitespace:
  //   0 value    = object / array / scalar     5 members = string, then 9
  //   1 array    = ']' / elements              6 = value, then 7
  //   2 elements = value, then 3               7 = ',' members / '}'
  //   3 = ',' elements / ']'                   8 end of input (result len + 1)
  //   4 object   = '}' / members               9 = ':', then 6
  // The last line makes every result -1 or past k, so a rule calls another
  // at a later offset, or at the same offset in a mode of lower rank
  // (1 > 2 > 0, 4 > 5, 6 > 0): the definition is well founded.
  logic integer json_g(uint8_t *b, integer m, integer k, integer len) =
    (k < 0 || k > len) ? -1 :
    \let r =
      ((k < len && json_is_ws(b[k])) ? json_g(b, m, k + 1, len) :
      (k >= len ? (m == 8 ? len + 1 : -1) :
      (m == 0 ?
         (b[k] == 0x7B ? json_g(b, 4, k + 1, len) :
         (b[k] == 0x5B ? json_g(b, 1, k + 1, len) : json_scalar_end(b, k, len))) :
      (m == 1 ? (b[k] == 0x5D ? k + 1 : json_g(b, 2, k, len)) :
      (m == 2 ? json_g(b, 3, json_g(b, 0, k, len), len) :
      (m == 3 ? (b[k] == 0x2C ? json_g(b, 2, k + 1, len) : (b[k] == 0x5D ? k + 1 : -1)) :
      (m == 4 ? (b[k] == 0x7D ? k + 1 : json_g(b, 5, k, len)) :
      (m == 5 ?
         ((b[k] == 0x22 && json_str_close(b, k + 1, len) >= 0) ?
            json_g(b, 9, json_str_close(b, k + 1, len) + 1, len) : -1) :
      (m == 6 ? json_g(b, 7, json_g(b, 0, k, len), len) :
      (m == 7 ? (b[k] == 0x2C ? json_g(b, 5, k + 1, len) : (b[k] == 0x7D ? k + 1 : -1)) :
      (m == 9 ? (b[k] == 0x3A ? json_g(b, 6, k + 1, len) : -1) :
      -1)))))))))));
    (k < r) ? r : -1;

  // RFC 8259 section 2: JSON-text = ws value ws.
  predicate json_text(uint8_t *b, integer len) =
    json_g(b, 8, json_g(b, 0, 0, len), len) >= 0;

  // ---- json.c: what mefc_json_parse guarantees of an accepted document ----
  predicate json_container(integer ty) = ty == MEFC_JSON_OBJECT || ty == MEFC_JSON_ARRAY;

  // Token i of a document of n tokens over b[0..len).
  predicate json_tok_ok(mefc_json_doc *d, integer i, integer n, uint8_t *b, integer len) =
    MEFC_JSON_OBJECT <= d->tok[i].type <= MEFC_JSON_NULL &&
    d->tok[i].start <= d->tok[i].end <= len &&
    (i == 0 ? d->tok[i].parent == MEFC_NONE : d->tok[i].parent < i) &&
    i < d->tok[i].next <= n &&
    d->tok[i].count <= n &&
    (d->tok[i].type == MEFC_JSON_STRING ==>
       json_string(b, d->tok[i].start, d->tok[i].end, len)) &&
    (d->tok[i].type == MEFC_JSON_INTEGER ==>
       json_int(b, d->tok[i].start, d->tok[i].end) &&
       d->tok[i].ival == json_int_value(b, d->tok[i].start, d->tok[i].end));

  predicate json_doc_ok(mefc_json_doc *d, uint8_t *b, integer len) =
    1 <= d->ntok <= MEFC_JSON_TOKENS_MAX && d->tok[0].next == d->ntok &&
    \forall integer i; 0 <= i < d->ntok ==> json_tok_ok(d, i, d->ntok, b, len);
*/

#endif
