/* Ruling I-8: an xs:duration (retryDuration of NO_MORE_COMMANDS) to
 * milliseconds. The lexical form is read by a small automaton whose
 * transition function is the ACSL logic dur_next, so the contract states
 * exactly which strings are accepted and which value each one denotes.
 *
 * Accepted grammar (XML Schema 1.1 Part 2, 3.3.6 duration, without the
 * leading '-': a negative duration is rejected):
 *   duration = "P" ( date [ time ] / time )
 *   date     = n "Y" [ n "M" ] [ n "D" ] / n "M" [ n "D" ] / n "D"
 *   time     = "T" ( n "H" [ n "M" ] [ sec ] / n "M" [ sec ] / sec )
 *   sec      = n [ "." n ] "S"
 *   n        = 1*DIGIT            ; leading zeros allowed, no sign
 * Value: Y = 365 d, M (before T) = 30 d, D = 86400 s, H = 3600 s,
 * M (after T) = 60 s. Of a fraction of seconds the first three digits are
 * kept (milliseconds); further digits are truncated, not rounded
 * ("PT1.0009S" is 1000 ms; ruling I-24). A total above UINT64_MAX ms is
 * rejected. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "mefc/checks.h"

/* States of the automaton. A "level" remembers the last designator read so
 * that designators come in order and at most once. */
enum dur_state {
  DUR_START = 0,  /* nothing read: expects 'P' */
  DUR_DATE0 = 1,  /* after 'P' */
  DUR_DATE_Y = 2, /* after nY */
  DUR_DATE_M = 3, /* after nM (date) */
  DUR_DATE_D = 4, /* after nD */
  DUR_DNUM0 = 5,  /* digits of a date component; DNUM_x = DATE_x + 4 */
  DUR_DNUM_Y = 6,
  DUR_DNUM_M = 7,
  DUR_DNUM_D = 8,
  DUR_TIME0 = 9,  /* after 'T' */
  DUR_TIME_H = 10, /* after nH */
  DUR_TIME_M = 11, /* after nM (time) */
  DUR_TNUM0 = 12, /* digits of a time component; TNUM_x = TIME_x + 3 */
  DUR_TNUM_H = 13,
  DUR_TNUM_M = 14,
  DUR_DOT = 15,   /* after n "." */
  DUR_FRAC = 16,  /* in the fraction digits */
  DUR_END = 17,   /* after 'S' */
  DUR_ERR = 18    /* malformed: absorbing */
};

/*@
  predicate dur_digit(integer c) = '0' <= c <= '9';

  // The transition function of the automaton (the grammar above).
  logic integer dur_next(integer st, integer c) =
    st == DUR_START ? (c == 'P' ? DUR_DATE0 : DUR_ERR) :
    (DUR_DATE0 <= st && st <= DUR_DATE_D) ?
      (('0' <= c && c <= '9') ? st + 4 : (c == 'T' ? DUR_TIME0 : DUR_ERR)) :
    (DUR_DNUM0 <= st && st <= DUR_DNUM_D) ?
      (('0' <= c && c <= '9') ? st :
       (c == 'Y' && st < DUR_DNUM_Y) ? DUR_DATE_Y :
       (c == 'M' && st < DUR_DNUM_M) ? DUR_DATE_M :
       (c == 'D' && st < DUR_DNUM_D) ? DUR_DATE_D : DUR_ERR) :
    (DUR_TIME0 <= st && st <= DUR_TIME_M) ?
      (('0' <= c && c <= '9') ? st + 3 : DUR_ERR) :
    (DUR_TNUM0 <= st && st <= DUR_TNUM_M) ?
      (('0' <= c && c <= '9') ? st :
       (c == 'H' && st < DUR_TNUM_H) ? DUR_TIME_H :
       (c == 'M' && st < DUR_TNUM_M) ? DUR_TIME_M :
       c == 'S' ? DUR_END :
       c == '.' ? DUR_DOT : DUR_ERR) :
    st == DUR_DOT ? (('0' <= c && c <= '9') ? DUR_FRAC : DUR_ERR) :
    st == DUR_FRAC ? (('0' <= c && c <= '9') ? DUR_FRAC : (c == 'S' ? DUR_END : DUR_ERR)) :
    DUR_ERR;

  // States in which a complete duration has been read.
  predicate dur_final(integer st) =
    st == DUR_DATE_Y || st == DUR_DATE_M || st == DUR_DATE_D ||
    st == DUR_TIME_H || st == DUR_TIME_M || st == DUR_END;

  // States reached by a digit of an integer part.
  predicate dur_numst(integer st) =
    (DUR_DNUM0 <= st <= DUR_DNUM_D) || (DUR_TNUM0 <= st <= DUR_TNUM_M);

  // States in which no integer part is pending.
  predicate dur_idle(integer st) =
    st == DUR_START || (DUR_DATE0 <= st <= DUR_DATE_D) ||
    (DUR_TIME0 <= st <= DUR_TIME_M) || st == DUR_END || st == DUR_ERR;

  // Milliseconds added when entering state nx with pending integer num and
  // pending fraction milliseconds frac (only designators add).
  logic integer dur_add(integer nx, integer num, integer frac) =
    nx == DUR_DATE_Y ? num * 31536000000 :
    nx == DUR_DATE_M ? num * 2592000000 :
    nx == DUR_DATE_D ? num * 86400000 :
    nx == DUR_TIME_H ? num * 3600000 :
    nx == DUR_TIME_M ? num * 60000 :
    nx == DUR_END ? num * 1000 + frac : 0;

  // Milliseconds of fraction digit d after fd fraction digits: 100, 10, 1,
  // then 0 (truncation).
  logic integer dur_fw(integer fd, integer d) =
    fd == 0 ? d * 100 : (fd == 1 ? d * 10 : (fd == 2 ? d : 0));

  // State after the first n bytes.
  logic integer dur_st{L}(uint8_t *s, integer n) =
    n <= 0 ? DUR_START : dur_next(dur_st(s, n - 1), s[n - 1]);

  // Value of the pending integer part after n bytes (unbounded).
  logic integer dur_num{L}(uint8_t *s, integer n) =
    n <= 0 ? 0 :
    ((DUR_DNUM0 <= dur_st(s, n) && dur_st(s, n) <= DUR_DNUM_D) ||
     (DUR_TNUM0 <= dur_st(s, n) && dur_st(s, n) <= DUR_TNUM_M)) ?
      dur_num(s, n - 1) * 10 + (s[n - 1] - '0') :
    (dur_st(s, n) == DUR_DOT || dur_st(s, n) == DUR_FRAC) ? dur_num(s, n - 1) : 0;

  // Fraction digits read so far (saturating at 3) and their milliseconds.
  logic integer dur_fd{L}(uint8_t *s, integer n) =
    n <= 0 ? 0 :
    dur_st(s, n) == DUR_FRAC ? (dur_fd(s, n - 1) < 3 ? dur_fd(s, n - 1) + 1 : 3) : 0;

  logic integer dur_frac{L}(uint8_t *s, integer n) =
    n <= 0 ? 0 :
    dur_st(s, n) == DUR_FRAC ?
      dur_frac(s, n - 1) + dur_fw(dur_fd(s, n - 1), s[n - 1] - '0') : 0;

  // Milliseconds of the components completed after n bytes (unbounded).
  logic integer dur_acc{L}(uint8_t *s, integer n) =
    n <= 0 ? 0 :
    dur_acc(s, n - 1) + dur_add(dur_st(s, n), dur_num(s, n - 1), dur_frac(s, n - 1));

  // The duration grammar: s[0 .. n-1] is a (non-negative) xs:duration.
  predicate dur_lexical{L}(uint8_t *s, integer n) = dur_final(dur_st(s, n));
*/

/* One transition of the automaton: the C image of dur_next. */
/*@ requires DUR_START <= st <= DUR_ERR;
    assigns \nothing;
    ensures \result == dur_next(st, c);
    ensures DUR_START <= \result <= DUR_ERR;
*/
static int dur_step(int st, uint8_t c)
{
  int nx = DUR_ERR;
  bool digit = (c >= (uint8_t)'0' && c <= (uint8_t)'9');

  if (st == DUR_START) {
    if (c == (uint8_t)'P') nx = DUR_DATE0;
  } else if (st >= DUR_DATE0 && st <= DUR_DATE_D) {
    if (digit) nx = st + 4;
    else if (c == (uint8_t)'T') nx = DUR_TIME0;
  } else if (st >= DUR_DNUM0 && st <= DUR_DNUM_D) {
    if (digit) nx = st;
    else if (c == (uint8_t)'Y' && st < DUR_DNUM_Y) nx = DUR_DATE_Y;
    else if (c == (uint8_t)'M' && st < DUR_DNUM_M) nx = DUR_DATE_M;
    else if (c == (uint8_t)'D' && st < DUR_DNUM_D) nx = DUR_DATE_D;
  } else if (st >= DUR_TIME0 && st <= DUR_TIME_M) {
    if (digit) nx = st + 3;
  } else if (st >= DUR_TNUM0 && st <= DUR_TNUM_M) {
    if (digit) nx = st;
    else if (c == (uint8_t)'H' && st < DUR_TNUM_H) nx = DUR_TIME_H;
    else if (c == (uint8_t)'M' && st < DUR_TNUM_M) nx = DUR_TIME_M;
    else if (c == (uint8_t)'S') nx = DUR_END;
    else if (c == (uint8_t)'.') nx = DUR_DOT;
  } else if (st == DUR_DOT) {
    if (digit) nx = DUR_FRAC;
  } else if (st == DUR_FRAC) {
    if (digit) nx = DUR_FRAC;
    else if (c == (uint8_t)'S') nx = DUR_END;
  }
  return nx;
}

/* Adds the milliseconds of a completed component to *acc unless the sum
 * would exceed UINT64_MAX; the bounds are (UINT64_MAX - acc) / k so that
 * nothing wraps. */
/*@ requires \valid(acc);
    requires DUR_START <= nx <= DUR_ERR;
    requires frac <= 999;
    assigns *acc;
    behavior fits:
      assumes *acc + dur_add(nx, num, frac) <= UINT64_MAX;
      ensures \result == 1;
      ensures *acc == \old(*acc) + dur_add(nx, num, frac);
    behavior overflows:
      assumes *acc + dur_add(nx, num, frac) > UINT64_MAX;
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
static bool dur_commit(uint64_t *acc, uint64_t num, uint32_t frac, int nx)
{
  bool ok = true;
  uint64_t a = *acc;

  if (nx == DUR_DATE_Y) {
    if (num > (UINT64_MAX - a) / 31536000000u) ok = false;
    else a = a + num * 31536000000u;
  } else if (nx == DUR_DATE_M) {
    if (num > (UINT64_MAX - a) / 2592000000u) ok = false;
    else a = a + num * 2592000000u;
  } else if (nx == DUR_DATE_D) {
    if (num > (UINT64_MAX - a) / 86400000u) ok = false;
    else a = a + num * 86400000u;
  } else if (nx == DUR_TIME_H) {
    if (num > (UINT64_MAX - a) / 3600000u) ok = false;
    else a = a + num * 3600000u;
  } else if (nx == DUR_TIME_M) {
    if (num > (UINT64_MAX - a) / 60000u) ok = false;
    else a = a + num * 60000u;
  } else if (nx == DUR_END) {
    if (num > (UINT64_MAX - a) / 1000u) {
      ok = false;
    } else {
      a = a + num * 1000u;
      if ((uint64_t)frac > UINT64_MAX - a) ok = false;
      else a = a + frac;
    }
  }
  if (ok) *acc = a;
  return ok;
}

/* Contract of ruling I-8: accepted exactly when the bytes are a duration of
 * the grammar above whose value fits in uint64_t milliseconds. */
/*@ requires \valid_read(s + (0 .. len - 1));
    requires \valid(ms);
    requires \separated(ms, s + (0 .. len - 1));
    assigns *ms;
    behavior I_8_ok:
      assumes dur_lexical(s, len) && dur_acc(s, len) <= UINT64_MAX;
      ensures \result == 1;
      ensures *ms == dur_acc(s, len);
    behavior I_8_rejected:
      assumes !dur_lexical(s, len) || dur_acc(s, len) > UINT64_MAX;
      ensures \result == 0;
      ensures *ms == \old(*ms);
    complete behaviors;
    disjoint behaviors;
*/
bool mefc_duration_ms(const uint8_t *s, size_t len, uint64_t *ms)
{
  int st = DUR_START;
  uint64_t acc = 0u;
  uint64_t num = 0u;
  uint32_t frac = 0u;
  uint32_t fd = 0u;
  bool ovf = false; /* the value already exceeds UINT64_MAX (or st is ERR) */
  size_t i;
  bool ok;

  /*@ loop invariant 0 <= i <= len;
      loop invariant DUR_START <= st <= DUR_ERR;
      loop invariant st == dur_st(s, i);
      loop invariant fd == dur_fd(s, i) && fd <= 3;
      loop invariant frac <= 999;
      loop invariant frac == dur_frac(s, i);
      loop invariant fd == 0 ==> frac == 0;
      loop invariant fd == 1 ==> frac <= 900;
      loop invariant fd == 2 ==> frac <= 990;
      loop invariant dur_num(s, i) >= 0 && dur_acc(s, i) >= 0;
      loop invariant dur_idle(st) ==> dur_num(s, i) == 0;
      loop invariant !ovf ==> num == dur_num(s, i) && acc == dur_acc(s, i);
      loop invariant ovf ==> st == DUR_ERR || dur_acc(s, i) + dur_num(s, i) > UINT64_MAX;
      loop assigns i, st, acc, num, frac, fd, ovf;
      loop variant len - i;
  */
  for (i = 0u; i < len; i++) {
    uint8_t c = s[i];
    int nx = dur_step(st, c);
    uint32_t d = (c >= (uint8_t)'0' && c <= (uint8_t)'9') ? (uint32_t)(c - (uint8_t)'0') : 0u;

    if ((nx >= DUR_DNUM0 && nx <= DUR_DNUM_D) || (nx >= DUR_TNUM0 && nx <= DUR_TNUM_M)) {
      /* A digit of an integer part: num * 10 + d unless that exceeds UINT64_MAX. */
      if (!ovf) {
        if (num > (UINT64_MAX - d) / 10u) ovf = true;
        else num = num * 10u + d;
      }
      frac = 0u;
      fd = 0u;
    } else if (nx == DUR_DOT) {
      frac = 0u;
      fd = 0u;
    } else if (nx == DUR_FRAC) {
      /* Milliseconds: the first three digits weigh 100, 10, 1; later ones are dropped. */
      if (fd == 0u) frac = frac + d * 100u;
      else if (fd == 1u) frac = frac + d * 10u;
      else if (fd == 2u) frac = frac + d;
      if (fd < 3u) fd = fd + 1u;
    } else {
      /* 'P', 'T', a designator, or an error: no integer part stays pending. */
      if (!ovf) ovf = !dur_commit(&acc, num, frac, nx);
      num = 0u;
      frac = 0u;
      fd = 0u;
    }
    st = nx;
  }

  ok = !ovf && (st == DUR_DATE_Y || st == DUR_DATE_M || st == DUR_DATE_D ||
                st == DUR_TIME_H || st == DUR_TIME_M || st == DUR_END);
  if (ok) *ms = acc;
  return ok;
}
