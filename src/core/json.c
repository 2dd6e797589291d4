/* The core's strict RFC 8259 JSON reader: one pass over the bytes builds a
 * flat token array (no recursion, fixed stack and token capacities), then
 * each object is checked for duplicate member names; strings stay in the
 * buffer and are unescaped on demand by member/str_eq/str_copy. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/json.h"
#include "mefc/acsl.h"

/* What the structural pass expects next. A key's ':' and a scalar's ','
 * are taken together with the key or the value: fewer passes of the loop. */
enum {
  ST_VALUE = 0,     /* a value: top level, after ':' or after ',' in an array */
  ST_ARR_FIRST = 1, /* after '[': a value or ']' */
  ST_OBJ_FIRST = 2, /* after '{': a key or '}' */
  ST_KEY = 3,       /* after ',' in an object: a key */
  ST_AFTER = 4,     /* after a value inside a container: ',' or the closing bracket */
  ST_DONE = 5       /* the top-level value is complete: only whitespace may follow */
};

/*@ requires len <= MEFC_PAYLOAD_MAX && pos <= len;
    requires \valid_read(buf + (0 .. len - 1));
    assigns \nothing;
    ensures pos <= \result <= len;
    ensures \forall integer i; pos <= i < \result ==> json_ws(buf[i]);
    ensures \result < len ==> !json_ws(buf[\result]);
    ensures grammar_ws: \forall integer m; 0 <= m <= 9 ==>
              json_g(buf, m, \result, len) == json_g(buf, m, pos, len);
*/
static inline size_t json_skip_ws(const uint8_t *buf, size_t len, size_t pos) {
  size_t k = pos;
  /*@ loop invariant pos <= k <= len;
      loop invariant \forall integer i; pos <= i < k ==> json_ws(buf[i]);
      loop invariant \forall integer m; 0 <= m <= 9 ==>
        json_g(buf, m, k, len) == json_g(buf, m, pos, len);
      loop assigns k;
      loop variant len - k;
  */
  while (k < len && buf[k] <= 0x20u &&
         (buf[k] == 0x20u || buf[k] == 0x0Au || buf[k] == 0x0Du || buf[k] == 0x09u)) {
    k++;
  }
  return k;
}

/*@ assigns \nothing;
    ensures \result == json_hexval(c);
    ensures \result <= 16;
    ensures \result < 16 <==> json_is_hex(c);
*/
static uint32_t json_hexv(uint8_t c) {
  uint32_t v = 16u;
  if (c >= (uint8_t)'0' && c <= (uint8_t)'9') {
    v = (uint32_t)c - 0x30u;
  } else if (c >= (uint8_t)'A' && c <= (uint8_t)'F') {
    v = (uint32_t)c - 0x37u;
  } else if (c >= (uint8_t)'a' && c <= (uint8_t)'f') {
    v = (uint32_t)c - 0x57u;
  }
  return v;
}

/* Length of the escape whose backslash is at buf[k]; 0 when it is not one
 * of RFC 8259's, or is a surrogate escape not part of a high-low pair. */
/*@ requires len <= MEFC_PAYLOAD_MAX && k < len;
    requires \valid_read(buf + (0 .. len - 1));
    assigns \nothing;
    ensures \result == json_esc_len(buf, k, len);
*/
static size_t json_escape_size(const uint8_t *buf, size_t len, size_t k) {
  size_t n = 0;
  if (k + 1u < len) {
    uint8_t e = buf[k + 1u];
    if (e == 0x22u || e == 0x5Cu || e == 0x2Fu || e == 0x62u || e == 0x66u || e == 0x6Eu ||
        e == 0x72u || e == 0x74u) {
      n = 2;
    } else if (e == 0x75u && k + 5u < len) {
      uint32_t h0 = json_hexv(buf[k + 2u]);
      uint32_t h1 = json_hexv(buf[k + 3u]);
      uint32_t h2 = json_hexv(buf[k + 4u]);
      uint32_t h3 = json_hexv(buf[k + 5u]);
      if (h0 < 16u && h1 < 16u && h2 < 16u && h3 < 16u) {
        if (h0 == 13u && h1 >= 8u) {
          /* A surrogate: only a high one directly followed by an escaped
           * low one stands for a character (RFC 8259 section 7). */
          if (h1 <= 11u && k + 11u < len && buf[k + 6u] == 0x5Cu && buf[k + 7u] == 0x75u) {
            uint32_t l0 = json_hexv(buf[k + 8u]);
            uint32_t l1 = json_hexv(buf[k + 9u]);
            uint32_t l2 = json_hexv(buf[k + 10u]);
            uint32_t l3 = json_hexv(buf[k + 11u]);
            if (l0 == 13u && l1 >= 12u && l1 < 16u && l2 < 16u && l3 < 16u) {
              n = 12;
            }
          }
        } else {
          n = 6;
        }
      }
    }
  }
  return n;
}

/* Length of the well-formed UTF-8 sequence (RFC 3629 section 4) starting
 * with the non-ASCII byte buf[k]; 0 when it is overlong, a surrogate, above
 * U+10FFFF, a stray continuation byte or truncated. */
/*@ requires len <= MEFC_PAYLOAD_MAX && k < len;
    requires \valid_read(buf + (0 .. len - 1));
    assigns \nothing;
    ensures \result == json_utf8_len(buf, k, len);
*/
static size_t json_utf8_size(const uint8_t *buf, size_t len, size_t k) {
  uint8_t c = buf[k];
  size_t n = 0;
  if (c >= 0xC2u && c <= 0xDFu) {
    if (k + 1u < len && buf[k + 1u] >= 0x80u && buf[k + 1u] <= 0xBFu) {
      n = 2;
    }
  } else if (c >= 0xE0u && c <= 0xEFu) {
    /* E0 needs A0..BF second (no overlong), ED 80..9F (no surrogate). */
    uint8_t lo = (c == 0xE0u) ? 0xA0u : 0x80u;
    uint8_t hi = (c == 0xEDu) ? 0x9Fu : 0xBFu;
    if (k + 2u < len && buf[k + 1u] >= lo && buf[k + 1u] <= hi && buf[k + 2u] >= 0x80u &&
        buf[k + 2u] <= 0xBFu) {
      n = 3;
    }
  } else if (c >= 0xF0u && c <= 0xF4u) {
    /* F0 needs 90..BF second (no overlong), F4 80..8F (<= U+10FFFF). */
    uint8_t lo = (c == 0xF0u) ? 0x90u : 0x80u;
    uint8_t hi = (c == 0xF4u) ? 0x8Fu : 0xBFu;
    if (k + 3u < len && buf[k + 1u] >= lo && buf[k + 1u] <= hi && buf[k + 2u] >= 0x80u &&
        buf[k + 2u] <= 0xBFu && buf[k + 3u] >= 0x80u && buf[k + 3u] <= 0xBFu) {
      n = 4;
    }
  }
  return n;
}

/* Scans a string body from s (the byte after the opening quote) to its
 * closing quote; *esc tells whether it holds an escape. The hot loop: a
 * plain ASCII byte costs one range test and two compares. */
/*@ requires len <= MEFC_PAYLOAD_MAX && s <= len;
    requires \valid_read(buf + (0 .. len - 1));
    requires \valid(endp) && \valid(esc) && \separated(endp, esc, buf + (0 .. len - 1));
    assigns *endp, *esc;
    ensures !*esc ==> json_plain(buf, s, *endp);
    behavior well_formed:
      assumes json_str_close(buf, s, len) >= 0;
      ensures \result == MEFC_JSON_OK;
      ensures *endp == json_str_close(buf, s, len);
      ensures json_string(buf, s, *endp, len);
    behavior ill_formed:
      assumes json_str_close(buf, s, len) < 0;
      ensures \result == MEFC_JSON_E_SYNTAX || \result == MEFC_JSON_E_UTF8 ||
              \result == MEFC_JSON_E_ESCAPE;
    complete behaviors;
    disjoint behaviors;
*/
static inline int json_scan_string(const uint8_t *buf, size_t len, size_t s, size_t *endp, bool *esc) {
  size_t k = s;
  bool seen = false;
  int err = MEFC_JSON_E_SYNTAX; /* unterminated unless a closing quote is found */
  /*@ loop invariant s <= k <= len;
      loop invariant json_str_close(buf, s, len) == json_str_close(buf, k, len);
      loop invariant !seen ==> json_plain(buf, s, k);
      loop invariant err == MEFC_JSON_E_SYNTAX;
      loop assigns k, err, seen;
      loop variant len - k;
  */
  while (k < len) {
    uint8_t c = buf[k];
    if ((c >= 0x23u && c <= 0x7Fu && c != 0x5Cu) || c == 0x20u || c == 0x21u) {
      k++;
    } else if (c == 0x22u) {
      err = MEFC_JSON_OK;
      break;
    } else if (c == 0x5Cu) {
      size_t n = json_escape_size(buf, len, k);
      if (n == 0u) {
        err = MEFC_JSON_E_ESCAPE;
        break;
      }
      seen = true;
      k += n;
    } else if (c < 0x20u) {
      break; /* raw control character */
    } else {
      size_t n = json_utf8_size(buf, len, k);
      if (n == 0u) {
        err = MEFC_JSON_E_UTF8;
        break;
      }
      //@ assert \forall integer i; k <= i < k + n ==> buf[i] >= 0x80;
      k += n;
    }
  }
  *endp = k;
  *esc = seen;
  return err;
}

/* Byte tests as functions: a condition with || would make the proof tool
 * copy everything after it once per alternative. */
/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    assigns \nothing;
    ensures \result <==> (k < len && json_is_digit(buf[k]));
*/
static inline bool json_at_digit(const uint8_t *buf, size_t len, size_t k) {
  return k < len && buf[k] >= 0x30u && buf[k] <= 0x39u;
}

/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    assigns \nothing;
    ensures \result <==> (k < len && (buf[k] == 0x65 || buf[k] == 0x45));
*/
static inline bool json_at_exp(const uint8_t *buf, size_t len, size_t k) {
  return k < len && (buf[k] == 0x65u || buf[k] == 0x45u);
}

/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    assigns \nothing;
    ensures \result <==> (k < len && (buf[k] == 0x2B || buf[k] == 0x2D));
*/
static inline bool json_at_sign(const uint8_t *buf, size_t len, size_t k) {
  return k < len && (buf[k] == 0x2Bu || buf[k] == 0x2Du);
}

/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    assigns \nothing;
    ensures \result <==> !json_num_end(buf, k, len);
*/
static inline bool json_num_goes_on(const uint8_t *buf, size_t len, size_t k) {
  return k < len && ((buf[k] >= 0x30u && buf[k] <= 0x39u) || buf[k] == 0x2Eu || buf[k] == 0x65u ||
                     buf[k] == 0x45u);
}

/* End of the run of digits starting at i. */
/*@ requires len <= MEFC_PAYLOAD_MAX && i <= len;
    requires \valid_read(buf + (0 .. len - 1));
    assigns \nothing;
    ensures json_run(buf, i, \result, len);
    ensures \result == json_run_end(buf, i, len);
*/
static inline size_t json_digit_run(const uint8_t *buf, size_t len, size_t i) {
  size_t k = i;
  /*@ loop invariant i <= k <= len;
      loop invariant \forall integer t; i <= t < k ==> json_is_digit(buf[t]);
      loop invariant json_run_end(buf, k, len) == json_run_end(buf, i, len);
      loop assigns k;
      loop variant len - k;
  */
  while (k < len && buf[k] >= 0x30u && buf[k] <= 0x39u) {
    k++;
  }
  return k;
}

/* Value of the digits buf[i..j) when it is at most limit: accumulated in
 * uint64_t with linear arithmetic, stopping once past the limit. */
/*@ requires len <= MEFC_PAYLOAD_MAX && i < j <= len;
    requires \valid_read(buf + (0 .. len - 1));
    requires \forall integer t; i <= t < j ==> json_is_digit(buf[t]);
    requires limit <= 9223372036854775808;
    requires \valid(v) && \separated(v, buf + (0 .. len - 1));
    assigns *v;
    ensures \result <==> json_dec(buf, i, j) <= limit;
    ensures \result ==> *v == json_dec(buf, i, j);
*/
static bool json_dec_within(const uint8_t *buf, size_t len, size_t i, size_t j, uint64_t limit,
                            uint64_t *v) {
  uint64_t acc = 0u;
  bool ovf = false;
  size_t k = i;
  (void)len;
  /*@ loop invariant i <= k <= j;
      loop invariant !ovf ==> acc == json_dec(buf, i, k) && acc <= limit;
      loop invariant ovf ==> json_dec(buf, i, k) > limit;
      loop assigns k, acc, ovf;
      loop variant j - k;
  */
  while (k < j) {
    uint64_t d = (uint64_t)buf[k] - 0x30u;
    if (!ovf) {
      if (acc > 922337203685477580u) {
        ovf = true; /* acc * 10 alone passes any limit */
      } else {
        acc = acc * 10u + d;
        if (acc > limit) {
          ovf = true;
        }
      }
    }
    k++;
  }
  *v = acc;
  return !ovf;
}

/* The value of the integer buf[s..e) when it fits int64_t. */
/*@ requires len <= MEFC_PAYLOAD_MAX && s < e <= len;
    requires \valid_read(buf + (0 .. len - 1));
    requires json_int(buf, s, e);
    requires \valid(v) && \separated(v, buf + (0 .. len - 1));
    assigns *v;
    ensures \result <==> json_int64(json_int_value(buf, s, e));
    ensures \result ==> *v == json_int_value(buf, s, e);
*/
static bool json_int_of(const uint8_t *buf, size_t len, size_t s, size_t e, int64_t *v) {
  uint64_t acc = 0u;
  bool ok;
  *v = 0;
  if (buf[s] == 0x2Du) {
    ok = json_dec_within(buf, len, s + 1u, e, 9223372036854775808u, &acc);
    if (ok) {
      //@ assert json_int_value(buf, s, e) == -acc;
      if (acc <= 9223372036854775807u) {
        *v = -(int64_t)acc;
      } else {
        *v = -9223372036854775807 - 1; /* "-9223372036854775808" */
      }
    }
  } else {
    ok = json_dec_within(buf, len, s, e, 9223372036854775807u, &acc);
    if (ok) {
      //@ assert json_int_value(buf, s, e) == acc;
      *v = (int64_t)acc;
    }
  }
  return ok;
}

/* The extent of a number starting at s (a '-' or a digit), by maximal
 * munch: int part ending at *rp, optional fraction and exponent ending at
 * *ep, each digit run read whole. Kept apart from the value so that neither
 * proof carries the other's facts. */
/*@ requires len <= MEFC_PAYLOAD_MAX && s < len;
    requires \valid_read(buf + (0 .. len - 1));
    requires buf[s] == 0x2D || json_is_digit(buf[s]);
    requires \valid(rp) && \valid(ep);
    requires \separated(rp, ep, buf + (0 .. len - 1));
    assigns *rp, *ep;
    ensures \result ==> s < *rp <= *ep <= len;
    ensures \result ==> json_int(buf, s, *rp) && json_num_at(buf, s, *ep, len);
    ensures \result ==> (\forall integer t; json_int_at(buf, s, t, len) ==> t == *rp);
    ensures \result && *rp == *ep ==> json_int_at(buf, s, *ep, len);
    ensures \result && *rp != *ep ==> !\exists integer t; json_int_at(buf, s, t, len);
    ensures !\result ==> !\exists integer t; json_num_at(buf, s, t, len);
    ensures !\result ==> !\exists integer t; json_int_at(buf, s, t, len);
    ensures grammar_form: \result <==> json_num_form(buf, s, len);
    ensures grammar_stop: \result ==>
              *rp == json_int_end(buf, s, len) && *ep == json_num_stop(buf, s, len);
*/
static bool json_num_extent(const uint8_t *buf, size_t len, size_t s, size_t *rp, size_t *ep) {
  size_t d0 = (buf[s] == 0x2Du) ? s + 1u : s;
  size_t r;
  size_t e;

  *rp = s;
  *ep = s;
  //@ assert d0 == json_int_start(buf, s);
  /* d0 >= len is also tested by json_at_digit; here it bounds d0 for Eva's
   * read of buf[d0] below. */
  if (d0 >= len || !json_at_digit(buf, len, d0)) {
    //@ assert !\exists integer t; json_num_at(buf, s, t, len);
    //@ assert json_int_end(buf, s, len) == d0;
    return false; /* "-" alone, "-a" */
  }
  r = json_digit_run(buf, len, d0);
  //@ assert r == json_int_end(buf, s, len);
  if (buf[d0] == 0x30u && r > d0 + 1u) {
    //@ assert !\exists integer t; json_num_at(buf, s, t, len);
    return false; /* leading zero */
  }
  //@ assert json_int(buf, s, r);
  //@ assert \forall integer t; json_num_at(buf, s, t, len) ==> json_num_tail(buf, r, t);
  //@ assert \forall integer t; json_int_at(buf, s, t, len) ==> t == r;
  e = r;
  if (e < len && buf[e] == 0x2Eu) {
    size_t f = json_digit_run(buf, len, e + 1u);
    if (f == e + 1u) {
      //@ assert !\exists integer t; json_num_at(buf, s, t, len);
      //@ assert json_frac_end(buf, r, len) == f;
      return false; /* "1.", "1.e5" */
    }
    //@ assert json_frac(buf, r, f);
    //@ assert \forall integer t; json_num_at(buf, s, t, len) ==> t == f || json_exp(buf, f, t);
    e = f;
  }
  //@ assert e == json_frac_end(buf, r, len);
  //@ ghost size_t g = e;
  //@ assert g == r || json_frac(buf, r, g);
  //@ assert g != r ==> buf[r] == 0x2E;
  //@ assert \forall integer t; json_num_at(buf, s, t, len) ==> t == g || json_exp(buf, g, t);
  if (json_at_exp(buf, len, e)) {
    size_t x0 = e + 1u;
    size_t x;
    if (json_at_sign(buf, len, x0)) {
      x0++;
    }
    x = json_digit_run(buf, len, x0);
    //@ assert x0 == json_exp_digits(buf, g, len);
    //@ assert x == json_exp_end(buf, g, len);
    if (x == x0) {
      //@ assert !\exists integer t; json_num_at(buf, s, t, len);
      return false; /* "1e", "1e+" */
    }
    //@ assert x0 == json_exp_start(buf, g);
    //@ assert json_exp(buf, g, x);
    //@ assert \forall integer t; json_num_at(buf, s, t, len) ==> t == x;
    e = x;
  }
  //@ assert e == json_num_stop(buf, s, len);
  //@ assert json_num_tail(buf, r, e);
  //@ assert e != r ==> buf[r] == 0x2E || buf[r] == 0x65 || buf[r] == 0x45;
  //@ assert \forall integer t; json_num_at(buf, s, t, len) ==> t == e;
  if (json_num_goes_on(buf, len, e)) {
    //@ assert !\exists integer t; json_num_at(buf, s, t, len);
    return false; /* "1.5.3", "1e5e3", "1e5.3" */
  }
  //@ assert json_num_at(buf, s, e, len);
  *rp = r;
  *ep = e;
  return true;
}

/* Scans a number starting at s: its extent, then, for an integer, its
 * value, which must fit int64_t. */
/*@ requires len <= MEFC_PAYLOAD_MAX && s < len;
    requires \valid_read(buf + (0 .. len - 1));
    requires buf[s] == 0x2D || json_is_digit(buf[s]);
    requires \valid(endp) && \valid(type) && \valid(ival);
    requires \separated(endp, type, ival, buf + (0 .. len - 1));
    assigns *endp, *type, *ival;
    ensures \result == MEFC_JSON_OK || \result == MEFC_JSON_E_NUMBER;
    ensures \result == MEFC_JSON_OK ==> s < *endp <= len &&
              (*type == MEFC_JSON_INTEGER || *type == MEFC_JSON_NUMBER);
    ensures \result == MEFC_JSON_OK && *type == MEFC_JSON_INTEGER ==>
              json_int(buf, s, *endp) && *ival == json_int_value(buf, s, *endp);
    ensures grammar: \result == MEFC_JSON_OK <==> json_num_ok(buf, s, len);
    ensures grammar_end: \result == MEFC_JSON_OK ==> *endp == json_num_stop(buf, s, len);
    behavior integer:
      assumes \exists integer e; json_int_at(buf, s, e, len) && json_int64(json_int_value(buf, s, e));
      ensures \result == MEFC_JSON_OK && *type == MEFC_JSON_INTEGER;
      ensures json_int_at(buf, s, *endp, len);
      ensures *ival == json_int_value(buf, s, *endp);
    behavior overflow:
      assumes \exists integer e; json_int_at(buf, s, e, len) && !json_int64(json_int_value(buf, s, e));
      ensures \result == MEFC_JSON_E_NUMBER;
    behavior fraction:
      assumes \exists integer e; json_num_at(buf, s, e, len);
      assumes !\exists integer e; json_int_at(buf, s, e, len);
      ensures \result == MEFC_JSON_OK && *type == MEFC_JSON_NUMBER && *ival == 0;
      ensures json_num_at(buf, s, *endp, len);
    behavior malformed:
      assumes !\exists integer e; json_num_at(buf, s, e, len);
      assumes !\exists integer e; json_int_at(buf, s, e, len);
      ensures \result == MEFC_JSON_E_NUMBER;
    complete behaviors;
    disjoint behaviors;
*/
static int json_scan_number(const uint8_t *buf, size_t len, size_t s, size_t *endp,
                            uint32_t *type, int64_t *ival) {
  size_t r = s;
  size_t e = s;
  int err = MEFC_JSON_E_NUMBER;

  *endp = s;
  *type = MEFC_JSON_NUMBER;
  *ival = 0;
  if (json_num_extent(buf, len, s, &r, &e)) {
    if (r != e) {
      *endp = e;
      err = MEFC_JSON_OK;
    } else if (json_int_of(buf, len, s, r, ival)) {
      *type = MEFC_JSON_INTEGER;
      *endp = e;
      err = MEFC_JSON_OK; /* else outside int64_t */
    }
  }
  return err;
}

/*@ requires len <= MEFC_PAYLOAD_MAX && k < len;
    requires \valid_read(buf + (0 .. len - 1));
    requires \valid(endp) && \valid(type);
    requires \separated(endp, type, buf + (0 .. len - 1));
    assigns *endp, *type;
    behavior lit_true:
      assumes json_true(buf, k, len);
      ensures \result == MEFC_JSON_OK && *type == MEFC_JSON_TRUE && *endp == k + 4;
    behavior lit_false:
      assumes json_false(buf, k, len);
      ensures \result == MEFC_JSON_OK && *type == MEFC_JSON_FALSE && *endp == k + 5;
    behavior lit_null:
      assumes json_null(buf, k, len);
      ensures \result == MEFC_JSON_OK && *type == MEFC_JSON_NULL && *endp == k + 4;
    behavior not_literal:
      assumes !json_true(buf, k, len) && !json_false(buf, k, len) && !json_null(buf, k, len);
      ensures \result == MEFC_JSON_E_SYNTAX;
    complete behaviors;
    disjoint behaviors;
*/
static int json_scan_literal(const uint8_t *buf, size_t len, size_t k, size_t *endp,
                             uint32_t *type) {
  int err = MEFC_JSON_E_SYNTAX;
  *endp = k;
  *type = MEFC_JSON_NULL;
  if (k + 4u <= len && buf[k] == 0x74u && buf[k + 1u] == 0x72u && buf[k + 2u] == 0x75u &&
      buf[k + 3u] == 0x65u) {
    *type = MEFC_JSON_TRUE;
    *endp = k + 4u;
    err = MEFC_JSON_OK;
  } else if (k + 5u <= len && buf[k] == 0x66u && buf[k + 1u] == 0x61u && buf[k + 2u] == 0x6Cu &&
             buf[k + 3u] == 0x73u && buf[k + 4u] == 0x65u) {
    *type = MEFC_JSON_FALSE;
    *endp = k + 5u;
    err = MEFC_JSON_OK;
  } else if (k + 4u <= len && buf[k] == 0x6Eu && buf[k + 1u] == 0x75u && buf[k + 2u] == 0x6Cu &&
             buf[k + 3u] == 0x6Cu) {
    *type = MEFC_JSON_NULL;
    *endp = k + 4u;
    err = MEFC_JSON_OK;
  }
  return err;
}

/* A string, number or literal value starting at buf[pos]: its type, its
 * span as its token records it, and an integer's value. */
/*@ requires len <= MEFC_PAYLOAD_MAX && pos < len;
    requires \valid_read(buf + (0 .. len - 1));
    requires \valid(start) && \valid(end) && \valid(type) && \valid(ival);
    requires \separated(start, end, type, ival, buf + (0 .. len - 1));
    assigns *start, *end, *type, *ival;
    ensures \result == MEFC_JSON_OK || \result == MEFC_JSON_E_SYNTAX ||
            \result == MEFC_JSON_E_UTF8 || \result == MEFC_JSON_E_ESCAPE ||
            \result == MEFC_JSON_E_NUMBER;
    ensures \result == MEFC_JSON_OK ==> MEFC_JSON_STRING <= *type <= MEFC_JSON_NULL;
    ensures \result == MEFC_JSON_OK && *type == MEFC_JSON_STRING ==>
              *start == pos + 1 && json_string(buf, *start, *end, len);
    ensures \result == MEFC_JSON_OK && *type != MEFC_JSON_STRING ==>
              *start == pos && pos < *end <= len;
    ensures \result == MEFC_JSON_OK && *type == MEFC_JSON_INTEGER ==>
              json_int(buf, *start, *end) && *ival == json_int_value(buf, *start, *end);
    ensures grammar: \result == MEFC_JSON_OK <==> json_scalar_end(buf, pos, len) >= 0;
    ensures grammar_end: \result == MEFC_JSON_OK ==>
              json_scalar_end(buf, pos, len) == (*type == MEFC_JSON_STRING ? *end + 1 : *end);
*/
static int json_scalar(const uint8_t *buf, size_t len, size_t pos, size_t *start, size_t *end,
                       uint32_t *type, int64_t *ival) {
  uint8_t c = buf[pos];
  int err;
  *start = pos;
  *ival = 0;
  bool num = c == 0x2Du;
  if (c >= 0x30u && c <= 0x39u) {
    num = true;
  }
  if (c == 0x22u) {
    bool has_esc = false;
    *start = pos + 1u;
    *type = MEFC_JSON_STRING;
    err = json_scan_string(buf, len, pos + 1u, end, &has_esc);
  } else if (num) {
    err = json_scan_number(buf, len, pos, end, type, ival);
  } else {
    err = json_scan_literal(buf, len, pos, end, type);
  }
  return err;
}

/* The writes of json_push, with a frame field by field: json_push's proof
 * then compares each token before and after instead of reasoning through
 * eight memory updates (39 s of CVC4 against 0.4 s). */
/*@ requires \valid(doc) && n < MEFC_JSON_TOKENS_MAX;
    requires start <= end <= MEFC_PAYLOAD_MAX;
    requires bump ==> parent < n && doc->tok[parent].count <= n;
    assigns doc->tok[0 .. MEFC_JSON_TOKENS_MAX - 1];
    ensures new: doc->tok[n].type == type && doc->tok[n].start == start && doc->tok[n].end == end &&
                 doc->tok[n].parent == parent && doc->tok[n].next == n + 1 &&
                 doc->tok[n].count == 0 && doc->tok[n].ival == ival;
    ensures cnt: bump ==> doc->tok[parent].count == \old(doc->tok[parent].count) + 1;
    ensures kept: \forall integer i; 0 <= i < n ==>
              doc->tok[i].type == \old(doc->tok[i].type) &&
              doc->tok[i].start == \old(doc->tok[i].start) &&
              doc->tok[i].end == \old(doc->tok[i].end) &&
              doc->tok[i].parent == \old(doc->tok[i].parent) &&
              doc->tok[i].next == \old(doc->tok[i].next) &&
              doc->tok[i].ival == \old(doc->tok[i].ival) &&
              (!bump || i != parent ==> doc->tok[i].count == \old(doc->tok[i].count));
*/
static void json_put(mefc_json_doc *doc, size_t n, uint32_t type, size_t start, size_t end,
                     uint32_t parent, bool bump, int64_t ival) {
  mefc_json_tok *t = &doc->tok[n];
  t->type = type;
  t->start = (uint32_t)start;
  t->end = (uint32_t)end;
  t->parent = parent;
  t->next = (uint32_t)(n + 1u);
  t->count = 0;
  t->ival = ival;
  if (bump) {
    doc->tok[parent].count++;
  }
}

/* Writes token n and, when bump is set, counts it in its parent. The
 * contract is the whole of what a step needs to know of the token array: the
 * tokens before n stay well formed in a document one token longer, so the
 * step functions that call it never reason about the array's memory. */
/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(doc) && \separated(doc, buf + (0 .. len - 1));
    requires n < MEFC_JSON_TOKENS_MAX && lim <= len;
    requires \forall integer i; 0 <= i < n ==>
               json_tok_ok(doc, i, n, buf, len) && doc->tok[i].end <= lim;
    requires MEFC_JSON_OBJECT <= type <= MEFC_JSON_NULL && start <= end <= lim;
    requires n == 0 ? parent == MEFC_NONE && !bump : parent < n;
    requires type == MEFC_JSON_STRING ==> json_string(buf, start, end, len);
    requires type == MEFC_JSON_INTEGER ==>
               json_int(buf, start, end) && ival == json_int_value(buf, start, end);
    assigns doc->tok[0 .. MEFC_JSON_TOKENS_MAX - 1];
    ensures toks: \forall integer i; 0 <= i <= n ==>
              json_tok_ok(doc, i, n + 1, buf, len) && doc->tok[i].end <= lim;
    ensures kept: \forall integer i; 0 <= i < n ==> doc->tok[i].type == \old(doc->tok[i].type);
    ensures new: doc->tok[n].type == type && doc->tok[n].next == n + 1;
*/
static void json_push(const uint8_t *buf, size_t len, mefc_json_doc *doc, size_t n, uint32_t type,
                      size_t start, size_t end, uint32_t parent, bool bump, int64_t ival, size_t lim) {
  json_put(doc, n, type, start, end, parent, bump, ival);
  /* Each token before n, one at a time: "held before, so holds after". */
  /*@ assert step: \forall integer i; 0 <= i < n ==>
        \at(json_tok_ok(doc, i, n, buf, len) && doc->tok[i].end <= lim, Pre) ==>
        json_tok_ok(doc, i, n + 1, buf, len) && doc->tok[i].end <= lim;
  */
  (void)buf;
  (void)len;
  (void)lim;
}

/* Value of the four hex digits at buf[k..k+4) (digits known valid for
 * strings the parser accepted; any byte gives a bounded value). */
/*@ requires k + 4 <= end && \valid_read(buf + (k .. k + 3));
    assigns \nothing;
    ensures \result <= 69904;
*/
static uint32_t json_hex4(const uint8_t *buf, size_t end, size_t k) {
  (void)end;
  return json_hexv(buf[k]) * 4096u + json_hexv(buf[k + 1u]) * 256u + json_hexv(buf[k + 2u]) * 16u +
         json_hexv(buf[k + 3u]);
}

/* Decodes one character of a string body at *k (before end): an escape or
 * a raw UTF-8 sequence, as a code point. Total on any bytes, so it is safe
 * on spans the parser did not produce; exact on those it did. */
/*@ requires end <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. end - 1));
    requires \valid(k) && \separated(k, buf + (0 .. end - 1));
    requires *k < end;
    assigns *k;
    ensures \old(*k) < *k <= end;
    ensures \result <= 0x1FFFFF;
*/
static uint32_t json_next_cp(const uint8_t *buf, size_t end, size_t *k) {
  size_t i = *k;
  uint32_t c = buf[i];
  uint32_t cp = c;
  size_t n = 1;
  if (c == 0x5Cu && i + 1u < end) {
    uint8_t e = buf[i + 1u];
    n = 2;
    cp = e; /* \" \\ \/ stand for themselves */
    if (e == 0x62u) {
      cp = 0x08u;
    } else if (e == 0x66u) {
      cp = 0x0Cu;
    } else if (e == 0x6Eu) {
      cp = 0x0Au;
    } else if (e == 0x72u) {
      cp = 0x0Du;
    } else if (e == 0x74u) {
      cp = 0x09u;
    } else if (e == 0x75u && i + 5u < end) {
      cp = json_hex4(buf, end, i + 2u);
      n = 6;
      if (cp >= 0xD800u && cp <= 0xDBFFu && i + 11u < end && buf[i + 6u] == 0x5Cu &&
          buf[i + 7u] == 0x75u) {
        uint32_t lo = json_hex4(buf, end, i + 8u);
        if (lo >= 0xDC00u && lo <= 0xDFFFu) {
          cp = 0x10000u + (cp - 0xD800u) * 1024u + (lo - 0xDC00u);
          n = 12;
        }
      }
    }
  } else if (c >= 0xC0u && c <= 0xDFu && i + 1u < end) {
    /* The low six bits as a remainder, not a mask: the same value, in the
     * arithmetic the provers reason about. */
    cp = (c - 0xC0u) * 64u + (buf[i + 1u] % 64u);
    n = 2;
  } else if (c >= 0xE0u && c <= 0xEFu && i + 2u < end) {
    cp = (c - 0xE0u) * 4096u + (buf[i + 1u] % 64u) * 64u + (buf[i + 2u] % 64u);
    n = 3;
  } else if (c >= 0xF0u && c <= 0xF7u && i + 3u < end) {
    cp = (c - 0xF0u) * 262144u + (buf[i + 1u] % 64u) * 4096u + (buf[i + 2u] % 64u) * 64u +
         (buf[i + 3u] % 64u);
    n = 4;
  }
  *k = i + n;
  return cp;
}

/* UTF-8 encoding of a code point decoded from an escape. */
/*@ requires cp <= 0x1FFFFF && \valid(u + (0 .. 3));
    assigns u[0 .. 3];
    ensures 1 <= \result <= 4;
    ensures cp < 0x80 ==> \result == 1 && u[0] == cp;
*/
static size_t json_utf8_put(uint32_t cp, uint8_t *u) {
  size_t n;
  if (cp < 0x80u) {
    u[0] = (uint8_t)cp;
    n = 1;
  } else if (cp < 0x800u) {
    u[0] = (uint8_t)(0xC0u + cp / 64u);
    u[1] = (uint8_t)(0x80u + cp % 64u);
    n = 2;
  } else if (cp < 0x10000u) {
    u[0] = (uint8_t)(0xE0u + cp / 4096u);
    u[1] = (uint8_t)(0x80u + (cp / 64u) % 64u);
    u[2] = (uint8_t)(0x80u + cp % 64u);
    n = 3;
  } else {
    u[0] = (uint8_t)(0xF0u + cp / 262144u);
    u[1] = (uint8_t)(0x80u + (cp / 4096u) % 64u);
    u[2] = (uint8_t)(0x80u + (cp / 64u) % 64u);
    u[3] = (uint8_t)(0x80u + cp % 64u);
    n = 4;
  }
  return n;
}

/* Whether two string bodies are equal once unescaped: raw bytes compare as
 * bytes, and where either side has an escape both sides are compared as
 * code points (valid UTF-8 makes the two comparisons agree). */
/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires as <= ae <= len && bs <= be <= len;
    assigns \nothing;
*/
static bool json_key_eq(const uint8_t *buf, size_t len, size_t as, size_t ae, size_t bs,
                        size_t be) {
  size_t i = as;
  size_t j = bs;
  bool eq = true;
  (void)len;
  /*@ loop invariant as <= i <= ae && bs <= j <= be;
      loop assigns i, j, eq;
      loop variant (ae - i) + (be - j);
  */
  while (eq && i < ae && j < be) {
    if (buf[i] != 0x5Cu && buf[j] != 0x5Cu) {
      eq = buf[i] == buf[j];
      i++;
      j++;
    } else {
      uint32_t x = json_next_cp(buf, ae, &i);
      uint32_t y = json_next_cp(buf, be, &j);
      eq = x == y;
    }
  }
  return eq && i == ae && j == be;
}

/* RFC 8259 section 4 leaves duplicate names' meaning open; a command with
 * one is ambiguous, so it is rejected. Pairwise over each object's keys:
 * objects are small and the token cap bounds the work. esc[] marks the keys
 * holding an escape; two keys without one are equal only if their raw
 * lengths are, which settles most pairs without reading them. */
/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid_read(doc) && json_doc_ok(doc, buf, len);
    requires \valid_read(esc + (0 .. MEFC_JSON_TOKENS_MAX - 1));
    assigns \nothing;
    ensures \result == MEFC_JSON_OK || \result == MEFC_JSON_E_DUPLICATE;
*/
static int json_check_dups(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                           const bool *esc) {
  uint32_t n = doc->ntok;
  uint32_t o;
  int err = MEFC_JSON_OK;
  /* The only facts of the token array the walk needs, taken once: the loops
   * then never unfold json_tok_ok's string and integer predicates. */
  /*@ assert links: \forall integer i; 0 <= i < n ==>
        i < doc->tok[i].next <= n && doc->tok[i].start <= doc->tok[i].end <= len;
  */
  /*@ loop invariant 0 <= o <= n;
      loop invariant err == MEFC_JSON_OK || err == MEFC_JSON_E_DUPLICATE;
      loop assigns o, err;
      loop variant n - o;
  */
  for (o = 0; o < n && err == MEFC_JSON_OK; o++) {
    if (doc->tok[o].type == MEFC_JSON_OBJECT && doc->tok[o].count >= 2u) {
      uint32_t oend = doc->tok[o].next;
      uint32_t a = o + 1u;
      /*@ loop invariant o < a <= n && oend <= n;
          loop invariant err == MEFC_JSON_OK || err == MEFC_JSON_E_DUPLICATE;
          loop assigns a, err;
          loop variant n - a;
      */
      while (a + 1u < oend && err == MEFC_JSON_OK) {
        uint32_t as = doc->tok[a].start;
        uint32_t ae = doc->tok[a].end;
        bool a_esc = esc[a];
        uint32_t b = doc->tok[a + 1u].next;
        /*@ loop invariant a + 1 < b <= n && oend <= n;
            loop invariant err == MEFC_JSON_OK || err == MEFC_JSON_E_DUPLICATE;
            loop assigns b, err;
            loop variant n - b;
        */
        while (b + 1u < oend && err == MEFC_JSON_OK) {
          uint32_t bs = doc->tok[b].start;
          uint32_t be = doc->tok[b].end;
          bool b_esc = esc[b];
          bool maybe = a_esc || b_esc;
          if (!maybe && ae - as == be - bs) {
            /* Unescaped keys of one length: equal first and last bytes first. */
            /* The spans test fails only for two empty keys (a token's span
             * is within the buffer); it also bounds the reads for Eva. */
            maybe = true;
            if (as < ae && ae <= len && bs < be && be <= len) {
              maybe = buf[as] == buf[bs] && buf[ae - 1u] == buf[be - 1u];
            }
          }
          if (maybe && json_key_eq(buf, len, as, ae, bs, be)) {
            err = MEFC_JSON_E_DUPLICATE;
          }
          b = doc->tok[b + 1u].next;
        }
        a = doc->tok[a + 1u].next;
      }
    }
  }
  return err;
}

/* json_parser.kinds holds a bit per open container; the proof's table of
 * powers of two (json_pow2) stops at 2^8. */
#define JSON_KINDS_SPAN 256u
#if MEFC_JSON_DEPTH_MAX > 8
#error "json_parser.kinds: json_pow2 covers depths up to 8"
#endif

/* The structural pass's state. Kept in one struct so that each kind of step
 * (close, key, value) is a function of its own with the same invariant:
 * small proof obligations instead of one that covers every path at once.
 * No field has the tokens' type (uint32_t): WP's typed memory model then
 * keeps the parser and the tokens apart, and a write to one never makes the
 * proof reason about whether it changed the other. */
typedef struct {
  size_t pos;                           /* next byte to read */
  size_t ntok;                          /* tokens written so far */
  size_t depth;                         /* open containers */
  uint16_t kinds; /* a bit per open container, innermost lowest: 1 object; its own
                     type, so that WP's typed memory keeps it apart from the rest */
  int state;                            /* ST_*: what may come next */
  size_t stack[MEFC_JSON_DEPTH_MAX];    /* token index of each open container */
  bool esc[MEFC_JSON_TOKENS_MAX];       /* per token: a string with an escape */
} json_parser;

/*@
  // The structural pass's invariant, in four parts so that each step proves
  // each part as a goal of its own: the scalar shape of the state, the blank
  // prefix before the first value, the open containers, the tokens written.
  predicate jp_shape(json_parser *p, mefc_json_doc *doc, integer len) =
    p->pos <= len &&
    p->ntok <= MEFC_JSON_TOKENS_MAX && p->depth <= MEFC_JSON_DEPTH_MAX &&
    ST_VALUE <= p->state <= ST_DONE &&
    (p->state == ST_DONE ==> p->depth == 0 && 1 <= p->ntok && doc->tok[0].next == p->ntok) &&
    (p->state != ST_DONE && p->state != ST_VALUE ==> p->depth >= 1) &&
    (p->depth >= 1 ==> p->stack[0] == 0);

  predicate jp_blank(json_parser *p, uint8_t *buf) =
    p->state == ST_VALUE && p->depth == 0 ==> p->ntok == 0;

  predicate jp_stack(json_parser *p, mefc_json_doc *doc) =
    \forall integer d; 0 <= d < p->depth ==>
      p->stack[d] < p->ntok && json_container(doc->tok[p->stack[d]].type);

  predicate jp_tokens(json_parser *p, mefc_json_doc *doc, uint8_t *buf, integer len) =
    \forall integer i; 0 <= i < p->ntok ==>
      json_tok_ok(doc, i, p->ntok, buf, len) && doc->tok[i].end <= p->pos;

  // 2 to the power d, for the depths a parser reaches.
  logic integer json_pow2(integer d) =
    d <= 0 ? 1 : (d == 1 ? 2 : (d == 2 ? 4 : (d == 3 ? 8 : (d == 4 ? 16 :
    (d == 5 ? 32 : (d == 6 ? 64 : (d == 7 ? 128 : 256)))))));

  predicate jp_kinds(json_parser *p) =
    p->kinds < json_pow2(p->depth) &&
    ((p->state == ST_OBJ_FIRST || p->state == ST_KEY) ==> p->kinds % 2 == 1) &&
    (p->state == ST_ARR_FIRST ==> p->kinds % 2 == 0);

  predicate json_parser_ok(json_parser *p, mefc_json_doc *doc, uint8_t *buf, integer len) =
    jp_shape(p, doc, len) && jp_blank(p, buf) && jp_stack(p, doc) && jp_tokens(p, doc, buf, len) &&
    jp_kinds(p);

  // The link to the grammar (acsl.h). The parser is json_g's recursion made
  // iterative: the state names the rule it is in, and the enclosing
  // containers, a bit each in kinds, the rules that resume once it ends.
  logic integer json_resume(uint8_t *b, integer kinds, integer n, integer e, integer len) =
    (n <= 0 || e < 0) ? e :
      json_resume(b, kinds / 2, n - 1, json_g(b, (kinds % 2 == 1) ? 7 : 3, e, len), len);

  logic integer jp_mode(integer state, integer depth, integer kinds) =
    state == ST_VALUE ? (depth == 0 ? 0 : (kinds % 2 == 1 ? 6 : 2)) :
    (state == ST_ARR_FIRST ? 1 : (state == ST_OBJ_FIRST ? 4 : (state == ST_KEY ? 5 :
    (state == ST_AFTER ? (kinds % 2 == 1 ? 7 : 3) : 8))));

  // Where the input from p->pos ends the text begun before it: len + 1 when
  // the bytes before and after p->pos together are a JSON text, else -1.
  logic integer jp_end(uint8_t *b, integer len, integer state, integer depth, integer kinds,
                       integer pos) =
    state == ST_DONE ? json_g(b, 8, pos, len) :
      json_g(b, 8, json_resume(b, kinds / 2, depth - 1,
                               json_g(b, jp_mode(state, depth, kinds), pos, len), len), len);
  logic integer jp_rest(json_parser *p, uint8_t *b, integer len) =
    jp_end(b, len, p->state, p->depth, p->kinds, p->pos);
*/

/* The innermost open container. The reductions modulo the capacities change
 * nothing under the contract; they state the bounds to an analyser (Eva)
 * that ties neither the state to the depth nor the stack's slots to the
 * token count, without a branch that would be dead code to WP. */
/*@ requires \valid_read(p) && 1 <= p->depth <= MEFC_JSON_DEPTH_MAX;
    requires p->stack[p->depth - 1] < MEFC_JSON_TOKENS_MAX;
    assigns \nothing;
    ensures \result == p->stack[p->depth - 1];
*/
static inline size_t json_top(const json_parser *p) {
  return p->stack[(p->depth - 1u) % MEFC_JSON_DEPTH_MAX] % MEFC_JSON_TOKENS_MAX;
}

/* '}' or ']' at pos closes the innermost container. */
/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(p) && \valid(doc) && \separated(p, doc, buf + (0 .. len - 1));
    requires json_parser_ok(p, doc, buf, len);
    requires p->depth >= 1 && p->pos < len;
    requires closes: buf[p->pos] == (p->kinds % 2 == 1 ? 0x7D : 0x5D);
    requires p->state == ST_AFTER || p->state == ST_ARR_FIRST || p->state == ST_OBJ_FIRST;
    assigns p->pos, p->depth, p->kinds, p->state, doc->tok[0 .. MEFC_JSON_TOKENS_MAX - 1];
    ensures jp_shape(p, doc, len);
    ensures jp_blank(p, buf);
    ensures jp_stack(p, doc);
    ensures jp_tokens(p, doc, buf, len);
    ensures jp_kinds(p);
    ensures p->pos == \old(p->pos) + 1 && p->depth == \old(p->depth) - 1;
    ensures p->kinds == \old(p->kinds) / 2;
    ensures p->state == (p->depth == 0 ? ST_DONE : ST_AFTER);
*/
static void json_close(const uint8_t *buf, size_t len, json_parser *p, mefc_json_doc *doc) {
  size_t top = json_top(p);
  size_t d = p->depth - 1u;
  size_t n = p->ntok;
  size_t pos = p->pos;
  uint16_t kinds = p->kinds;
  doc->tok[top].end = (uint32_t)(pos + 1u);
  doc->tok[top].next = (uint32_t)n;
  p->kinds = (uint16_t)(kinds / 2u);
  p->depth = d;
  p->state = (d == 0u) ? ST_DONE : ST_AFTER;
  p->pos = pos + 1u;
  (void)buf;
  (void)len;
}

/* A member name at pos (a '"' is expected) and the ':' after it. */
/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(p) && \valid(doc) && \separated(p, doc, buf + (0 .. len - 1));
    requires json_parser_ok(p, doc, buf, len);
    requires (p->state == ST_OBJ_FIRST || p->state == ST_KEY) && p->pos < len;
    requires !json_ws(buf[p->pos]);
    requires p->state == ST_OBJ_FIRST ==> buf[p->pos] != 0x7D;
    assigns p->pos, p->ntok, p->state, p->esc[0 .. MEFC_JSON_TOKENS_MAX - 1], doc->tok[0 .. MEFC_JSON_TOKENS_MAX - 1];
    ensures \result == MEFC_JSON_OK ||
            (MEFC_JSON_E_SYNTAX <= \result <= MEFC_JSON_E_NUMBER && \result != MEFC_JSON_E_TRAILING);
    ensures \result == MEFC_JSON_OK ==> p->pos > \old(p->pos);
    ensures \result == MEFC_JSON_OK ==> jp_shape(p, doc, len);
    ensures \result == MEFC_JSON_OK ==> jp_blank(p, buf);
    ensures \result == MEFC_JSON_OK ==> jp_stack(p, doc);
    ensures \result == MEFC_JSON_OK ==> jp_tokens(p, doc, buf, len);
    ensures \result == MEFC_JSON_OK ==> jp_kinds(p);
    ensures \result == MEFC_JSON_OK ==> p->state == ST_VALUE;
    ensures key_name: \result == MEFC_JSON_OK ==>
              buf[\old(p->pos)] == 0x22 && json_str_close(buf, \old(p->pos) + 1, len) > \old(p->pos) &&
              p->pos <= len && buf[p->pos - 1] == 0x3A &&
              \forall integer m; 0 <= m <= 9 ==>
                json_g(buf, m, json_str_close(buf, \old(p->pos) + 1, len) + 1, len) ==
                json_g(buf, m, p->pos - 1, len);
    ensures key_refused: \result != MEFC_JSON_OK && \result != MEFC_JSON_E_TOKENS ==>
              buf[\old(p->pos)] != 0x22 || json_str_close(buf, \old(p->pos) + 1, len) < 0 ||
              \exists integer a; \old(p->pos) < json_str_close(buf, \old(p->pos) + 1, len) < a <= len &&
                (a < len ==> !json_ws(buf[a]) && buf[a] != 0x3A) &&
                \forall integer m; 0 <= m <= 9 ==>
                  json_g(buf, m, json_str_close(buf, \old(p->pos) + 1, len) + 1, len) ==
                  json_g(buf, m, a, len);
*/
static int json_key(const uint8_t *buf, size_t len, json_parser *p, mefc_json_doc *doc) {
  size_t pos = p->pos;
  size_t top = json_top(p);
  size_t n = p->ntok;
  size_t q = 0;
  size_t after = 0;
  bool has_esc = false;
  int err = MEFC_JSON_E_SYNTAX;
  if (buf[pos] != 0x22u) {
    err = MEFC_JSON_E_SYNTAX;
  } else if (n >= MEFC_JSON_TOKENS_MAX) {
    err = MEFC_JSON_E_TOKENS;
  } else {
    err = json_scan_string(buf, len, pos + 1u, &q, &has_esc);
  }
  if (err == MEFC_JSON_OK) {
    after = json_skip_ws(buf, len, q + 1u);
    if (after >= len || buf[after] != 0x3Au) {
      err = MEFC_JSON_E_SYNTAX;
    }
  }
  if (err == MEFC_JSON_OK) {
    /* The state is read first and written last: the proof then sees each
     * field written once, after the tokens. */
    json_push(buf, len, doc, n, MEFC_JSON_STRING, pos + 1u, q, (uint32_t)top, true, 0, after + 1u);
    /*@ assert open_kept: \forall integer d; 0 <= d < p->depth ==>
          \at(p->stack[d] < p->ntok && json_container(doc->tok[p->stack[d]].type), Pre) ==>
          json_container(doc->tok[p->stack[d]].type);
    */
    p->esc[n] = has_esc;
    p->ntok = n + 1u;
    p->pos = after + 1u;
    p->state = ST_VALUE;
  }
  return err;
}

/* A value at pos: a scalar, or the opening of a container. */
/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(p) && \valid(doc) && \separated(p, doc, buf + (0 .. len - 1));
    requires json_parser_ok(p, doc, buf, len);
    requires (p->state == ST_VALUE || p->state == ST_ARR_FIRST) && p->pos < len;
    requires !json_ws(buf[p->pos]);
    requires p->state == ST_ARR_FIRST ==> buf[p->pos] != 0x5D;
    assigns p->pos, p->ntok, p->depth, p->kinds, p->state, p->stack[0 .. MEFC_JSON_DEPTH_MAX - 1],
            doc->tok[0 .. MEFC_JSON_TOKENS_MAX - 1];
    ensures \result == MEFC_JSON_OK ||
            (MEFC_JSON_E_SYNTAX <= \result <= MEFC_JSON_E_NUMBER && \result != MEFC_JSON_E_TRAILING);
    ensures \result == MEFC_JSON_OK ==> p->pos > \old(p->pos);
    ensures \result == MEFC_JSON_OK ==> jp_shape(p, doc, len);
    ensures \result == MEFC_JSON_OK ==> jp_blank(p, buf);
    ensures \result == MEFC_JSON_OK ==> jp_stack(p, doc);
    ensures \result == MEFC_JSON_OK ==> jp_tokens(p, doc, buf, len);
    ensures \result == MEFC_JSON_OK ==> jp_kinds(p);
    ensures value_open: \result == MEFC_JSON_OK && p->depth != \old(p->depth) ==>
              p->depth == \old(p->depth) + 1 && p->pos == \old(p->pos) + 1 &&
              (p->state == ST_OBJ_FIRST || p->state == ST_ARR_FIRST) &&
              p->kinds == 2 * \old(p->kinds) + (p->state == ST_OBJ_FIRST ? 1 : 0) &&
              buf[\old(p->pos)] == (p->state == ST_OBJ_FIRST ? 0x7B : 0x5B);
    ensures value_scalar: \result == MEFC_JSON_OK && p->depth == \old(p->depth) ==>
              buf[\old(p->pos)] != 0x7B && buf[\old(p->pos)] != 0x5B &&
              \old(p->pos) < json_scalar_end(buf, \old(p->pos), len) && p->kinds == \old(p->kinds);
    ensures value_top: \result == MEFC_JSON_OK && \old(p->depth) == 0 && p->depth == 0 ==>
              p->state == ST_DONE && json_scalar_end(buf, \old(p->pos), len) == p->pos;
    ensures value_inner: \result == MEFC_JSON_OK && \old(p->depth) >= 1 && p->depth == \old(p->depth) ==>
              p->state == ST_AFTER ||
              (p->state == (p->kinds % 2 == 1 ? ST_KEY : ST_VALUE) && buf[p->pos - 1] == 0x2C);
    ensures value_next: \result == MEFC_JSON_OK && \old(p->depth) >= 1 && p->depth == \old(p->depth) ==>
              \let w = (p->state == ST_AFTER ? p->pos : p->pos - 1);
              w <= len && (w < len ==> !json_ws(buf[w])) &&
              \forall integer m; 0 <= m <= 9 ==>
                json_g(buf, m, json_scalar_end(buf, \old(p->pos), len), len) == json_g(buf, m, w, len);
    ensures value_refused: \result != MEFC_JSON_OK && \result != MEFC_JSON_E_DEPTH &&
              \result != MEFC_JSON_E_TOKENS ==>
              buf[\old(p->pos)] != 0x7B && buf[\old(p->pos)] != 0x5B &&
              json_scalar_end(buf, \old(p->pos), len) < 0;
*/
static int json_value(const uint8_t *buf, size_t len, json_parser *p, mefc_json_doc *doc) {
  size_t pos = p->pos;
  uint8_t c = buf[pos];
  size_t depth = p->depth;
  size_t n = p->ntok;
  uint16_t kinds = p->kinds;
  uint32_t parent = (depth > 0u) ? (uint32_t)json_top(p) : MEFC_NONE;
  bool in_obj = (depth > 0u) && kinds % 2u == 1u;
  uint32_t type = 0u;
  size_t start = pos;
  size_t end = pos + 1u;
  size_t next = end;
  int state = ST_AFTER;
  int64_t iv = 0;
  int err = MEFC_JSON_OK;
  if (c == 0x7Bu) {
    type = MEFC_JSON_OBJECT;
  } else if (c == 0x5Bu) {
    type = MEFC_JSON_ARRAY;
  }
  if (type != 0u) {
    if (depth >= MEFC_JSON_DEPTH_MAX) {
      err = MEFC_JSON_E_DEPTH;
    }
    state = (type == MEFC_JSON_OBJECT) ? ST_OBJ_FIRST : ST_ARR_FIRST;
  } else {
    err = json_scalar(buf, len, pos, &start, &end, &type, &iv);
    if (err == MEFC_JSON_OK) {
      next = (type == MEFC_JSON_STRING) ? end + 1u : end;
      if (depth == 0u) {
        state = ST_DONE;
      } else {
        /* A scalar in a container, and the ',' after it if there is one. */
        next = json_skip_ws(buf, len, next);
        if (next < len && buf[next] == 0x2Cu) {
          state = in_obj ? ST_KEY : ST_VALUE;
          next++;
        }
      }
    }
  }
  if (err != MEFC_JSON_OK) {
    /* the scalar's error, or E_DEPTH */
  } else if (n >= MEFC_JSON_TOKENS_MAX) {
    err = MEFC_JSON_E_TOKENS;
  } else {
    /* The state is read first and written last (see json_key). */
    json_push(buf, len, doc, n, type, start, end, parent, depth > 0u && !in_obj, iv, next);
    if (type <= MEFC_JSON_ARRAY && depth < MEFC_JSON_DEPTH_MAX) { /* the bound: as json_top */
      p->stack[depth] = n;
      p->kinds = (uint16_t)((kinds * 2u + (type == MEFC_JSON_OBJECT ? 1u : 0u)) % JSON_KINDS_SPAN);
      p->depth = depth + 1u;
    }
    p->ntok = n + 1u;
    p->state = state;
    p->pos = next;
  }
  return err;
}

/* Whitespace before the next structural byte. */
/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(p) && \valid_read(doc) && \separated(p, doc, buf + (0 .. len - 1));
    requires json_parser_ok(p, doc, buf, len);
    assigns p->pos;
    ensures jp_shape(p, doc, len);
    ensures jp_blank(p, buf);
    ensures jp_stack(p, doc);
    ensures jp_tokens(p, doc, buf, len);
    ensures \old(p->pos) <= p->pos <= len;
    ensures p->pos < len ==> !json_ws(buf[p->pos]);
    ensures done: p->state == ST_DONE ==> 1 <= p->ntok && doc->tok[0].next == p->ntok;
    ensures jp_kinds(p);
    ensures grammar_kept: jp_rest(p, buf, len) == \old(jp_rest(p, buf, len));
*/
static void json_advance_ws(const uint8_t *buf, size_t len, json_parser *p, const mefc_json_doc *doc) {
  size_t pos = p->pos;
  size_t q = json_skip_ws(buf, len, pos);
  /*@ assert ws_mode: json_g(buf, jp_mode(p->state, p->depth, p->kinds), q, len) ==
                      json_g(buf, jp_mode(p->state, p->depth, p->kinds), pos, len); */
  /*@ assert ws_end: json_g(buf, 8, q, len) == json_g(buf, 8, pos, len); */
  p->pos = q;
  (void)doc;
}

/* ',' after a value in a container: a key (object) or a value (array) follows. */
/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(p) && \valid_read(doc) && \separated(p, doc, buf + (0 .. len - 1));
    requires json_parser_ok(p, doc, buf, len);
    requires p->state == ST_AFTER && p->pos < len && buf[p->pos] == 0x2C;
    assigns p->pos, p->state;
    ensures jp_shape(p, doc, len);
    ensures jp_blank(p, buf);
    ensures jp_stack(p, doc);
    ensures jp_tokens(p, doc, buf, len);
    ensures jp_kinds(p);
    ensures p->pos == \old(p->pos) + 1;
    ensures p->state == (p->kinds % 2 == 1 ? ST_KEY : ST_VALUE);
*/
static void json_comma(const uint8_t *buf, size_t len, json_parser *p, const mefc_json_doc *doc) {
  bool is_obj = p->kinds % 2u == 1u;
  p->state = is_obj ? ST_KEY : ST_VALUE;
  p->pos++;
  (void)buf;
  (void)len;
  (void)doc;
}

/* Lemmas of the grammar, as ghost functions: each unfolds json_g (or
 * json_resume) once, proved on its own, and json_step calls the ones its
 * branch needs. Stated as ACSL lemmas instead, every goal of the core would
 * carry them. */
/*@ ghost
/@ requires k <= len;
   assigns \nothing;
   ensures json_g(buf, m, k, len) == -1 || json_g(buf, m, k, len) > k; @/
static void json_g_range(const uint8_t *buf, size_t len, int m, size_t k) {}
*/

/*@ ghost
/@ requires k < len && !json_ws(buf[k]) && buf[k] != 0x7B && buf[k] != 0x5B;
   assigns \nothing;
   ensures json_g(buf, 0, k, len) ==
           (k < json_scalar_end(buf, k, len) ? json_scalar_end(buf, k, len) : -1); @/
static void json_g_scalar(const uint8_t *buf, size_t len, size_t k) {}
*/

/*@ ghost
/@ requires k < len && (buf[k] == 0x7B || buf[k] == 0x5B);
   assigns \nothing;
   ensures json_g(buf, 0, k, len) == json_g(buf, buf[k] == 0x7B ? 4 : 1, k + 1, len); @/
static void json_g_open(const uint8_t *buf, size_t len, size_t k) {}
*/

/*@ ghost
/@ requires k < len && !json_ws(buf[k]) && (m == 1 || m == 4);
   assigns \nothing;
   ensures buf[k] == (m == 4 ? 0x7D : 0x5D) ==> json_g(buf, m, k, len) == k + 1;
   ensures buf[k] != (m == 4 ? 0x7D : 0x5D) ==>
           json_g(buf, m, k, len) == json_g(buf, m == 4 ? 5 : 2, k, len); @/
static void json_g_first(const uint8_t *buf, size_t len, int m, size_t k) {}
*/

/*@ ghost
/@ requires k < len && !json_ws(buf[k]) && (m == 2 || m == 6);
   assigns \nothing;
   ensures json_g(buf, m, k, len) == json_g(buf, m == 6 ? 7 : 3, json_g(buf, 0, k, len), len); @/
static void json_g_then(const uint8_t *buf, size_t len, int m, size_t k) {}
*/

/*@ ghost
/@ requires k < len && !json_ws(buf[k]) && (m == 3 || m == 7);
   assigns \nothing;
   ensures buf[k] == 0x2C ==> json_g(buf, m, k, len) == json_g(buf, m == 7 ? 5 : 2, k + 1, len);
   ensures buf[k] == (m == 7 ? 0x7D : 0x5D) ==> json_g(buf, m, k, len) == k + 1;
   ensures buf[k] != 0x2C && buf[k] != (m == 7 ? 0x7D : 0x5D) ==> json_g(buf, m, k, len) == -1; @/
static void json_g_sep(const uint8_t *buf, size_t len, int m, size_t k) {}
*/

/*@ ghost
/@ requires k < len && !json_ws(buf[k]);
   requires buf[k] == 0x22 && json_str_close(buf, k + 1, len) >= 0 ==>
            k < json_str_close(buf, k + 1, len);
   assigns \nothing;
   ensures json_g(buf, 5, k, len) ==
           ((buf[k] == 0x22 && json_str_close(buf, k + 1, len) >= 0) ?
              json_g(buf, 9, json_str_close(buf, k + 1, len) + 1, len) : -1);
   ensures \forall integer a; 0 <= a <= len && (a < len ==> !json_ws(buf[a])) ==>
           json_g(buf, 9, a, len) == ((a < len && buf[a] == 0x3A) ? json_g(buf, 6, a + 1, len) : -1); @/
static void json_g_member(const uint8_t *buf, size_t len, size_t k) {}
*/

/*@ ghost
/@ requires n >= 1;
   assigns \nothing;
   ensures \forall integer e; e >= -1 ==>
           json_resume(buf, kinds, n, e, len) ==
           json_resume(buf, kinds / 2, n - 1, json_g(buf, kinds % 2 == 1 ? 7 : 3, e, len), len); @/
static void json_resume_step(const uint8_t *buf, size_t len, size_t kinds, size_t n) {}
*/

/*@ ghost
/@ assigns \nothing;
   ensures \forall integer kinds, n; json_g(buf, 8, json_resume(buf, kinds, n, -1, len), len) == -1; @/
static void json_refused(const uint8_t *buf, size_t len) {}
*/

/*@ ghost
/@ requires pos <= len && (pos < len ==> !json_ws(buf[pos]));
   assigns \nothing;
   ensures pos == len ==> json_g(buf, 8, pos, len) == len + 1;
   ensures pos < len ==> json_g(buf, 8, pos, len) == -1;
   ensures pos == len ==> \forall integer m; 0 <= m <= 7 ==> json_g(buf, m, pos, len) == -1; @/
static void json_g_end(const uint8_t *buf, size_t len, size_t pos) {}
*/

/* One structural step at a byte that is not whitespace. */
/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid(p) && \valid(doc) && \separated(p, doc, buf + (0 .. len - 1));
    requires json_parser_ok(p, doc, buf, len);
    requires p->state != ST_DONE && p->pos < len;
    requires !json_ws(buf[p->pos]);
    assigns p->pos, p->ntok, p->depth, p->kinds, p->state, p->stack[0 .. MEFC_JSON_DEPTH_MAX - 1],
            p->esc[0 .. MEFC_JSON_TOKENS_MAX - 1], doc->tok[0 .. MEFC_JSON_TOKENS_MAX - 1];
    ensures \result == MEFC_JSON_OK ||
            (MEFC_JSON_E_SYNTAX <= \result <= MEFC_JSON_E_NUMBER && \result != MEFC_JSON_E_TRAILING);
    ensures \result == MEFC_JSON_OK ==> p->pos > \old(p->pos);
    ensures \result == MEFC_JSON_OK ==> jp_shape(p, doc, len);
    ensures \result == MEFC_JSON_OK ==> jp_blank(p, buf);
    ensures \result == MEFC_JSON_OK ==> jp_stack(p, doc);
    ensures \result == MEFC_JSON_OK ==> jp_tokens(p, doc, buf, len);
    ensures \result == MEFC_JSON_OK ==> jp_kinds(p);
    ensures grammar_kept: \result == MEFC_JSON_OK ==>
              jp_rest(p, buf, len) == \old(jp_rest(p, buf, len));
    ensures grammar_refused: \result != MEFC_JSON_OK && \result != MEFC_JSON_E_DEPTH &&
              \result != MEFC_JSON_E_TOKENS ==> \old(jp_rest(p, buf, len)) < 0;
*/
static int json_step(const uint8_t *buf, size_t len, json_parser *p, mefc_json_doc *doc) {
  size_t k = p->pos;
  uint8_t c = buf[k];
  bool is_obj = p->kinds % 2u == 1u;
  int err = MEFC_JSON_OK;
  /*@ ghost size_t d0 = p->depth; */
  /*@ ghost size_t kinds0 = p->kinds; */
  /*@ ghost json_refused(buf, len); */
  if (p->state == ST_AFTER && c == 0x2Cu) {
    /*@ ghost json_g_sep(buf, len, is_obj ? 7 : 3, k); */
    /*@ ghost json_g_range(buf, len, is_obj ? 5 : 2, k + 1); */
    json_comma(buf, len, p, doc);
    /*@ assert comma_mode: jp_mode(p->state, p->depth, p->kinds) == (is_obj ? 5 : 2); */
    /*@ assert comma_inner: json_g(buf, jp_mode(p->state, p->depth, p->kinds), p->pos, len) ==
          \at(json_g(buf, jp_mode(p->state, p->depth, p->kinds), p->pos, len), Pre); */
    /*@ assert comma_kept: err == MEFC_JSON_OK ==> jp_rest(p, buf, len) == \at(jp_rest(p, buf, len), Pre); */
  } else if ((p->state == ST_AFTER || p->state == ST_OBJ_FIRST || p->state == ST_ARR_FIRST) &&
             c == (is_obj ? 0x7Du : 0x5Du)) {
    /*@ ghost
      if (p->state == ST_AFTER) {
        json_g_sep(buf, len, is_obj ? 7 : 3, k);
      } else {
        json_g_first(buf, len, is_obj ? 4 : 1, k);
      }
      if (d0 >= 2) {
        json_resume_step(buf, len, kinds0 / 2, d0 - 1);
      }
    */
    json_close(buf, len, p, doc);
    /*@ assert close_inner:
          \at(json_g(buf, jp_mode(p->state, p->depth, p->kinds), p->pos, len), Pre) == p->pos; */
    /*@ assert close_resume:
          \at(json_resume(buf, p->kinds / 2, p->depth - 1, p->pos + 1, len), Pre) ==
          (p->depth == 0 ? p->pos :
             json_resume(buf, p->kinds / 2, p->depth - 1,
                         json_g(buf, jp_mode(p->state, p->depth, p->kinds), p->pos, len), len)); */
    /*@ assert close_kept: err == MEFC_JSON_OK ==> jp_rest(p, buf, len) == \at(jp_rest(p, buf, len), Pre); */
  } else if (p->state == ST_AFTER) {
    /*@ ghost json_g_sep(buf, len, is_obj ? 7 : 3, k); */
    err = MEFC_JSON_E_SYNTAX;
    /*@ assert separator_refused: jp_rest(p, buf, len) < 0; */
  } else if (p->state >= ST_OBJ_FIRST) {
    /*@ ghost
      if (p->state == ST_OBJ_FIRST) {
        json_g_first(buf, len, 4, k);
      }
    */
    err = json_key(buf, len, p, doc);
    /*@ ghost
      if (err != MEFC_JSON_E_TOKENS) {
        json_g_member(buf, len, k);
      }
    */
    /*@ assert member_refused: err != MEFC_JSON_OK && err != MEFC_JSON_E_TOKENS ==>
          \at(jp_rest(p, buf, len), Pre) < 0; */
    /*@ assert member_colon: err == MEFC_JSON_OK ==>
          json_g(buf, 9, p->pos - 1, len) == json_g(buf, 6, p->pos, len); */
    /*@ assert member_mode: err == MEFC_JSON_OK ==> jp_mode(p->state, p->depth, p->kinds) == 6; */
    /*@ assert member_inner: err == MEFC_JSON_OK ==>
          \at(json_g(buf, jp_mode(p->state, p->depth, p->kinds), p->pos, len), Pre) ==
          json_g(buf, 6, p->pos, len); */
    /*@ assert member_kept: err == MEFC_JSON_OK ==> jp_rest(p, buf, len) == \at(jp_rest(p, buf, len), Pre); */

  } else {
    /*@ ghost
      if (p->state == ST_ARR_FIRST) {
        json_g_first(buf, len, 1, k);
      }
      if (d0 >= 1) {
        json_g_then(buf, len, is_obj ? 6 : 2, k);
        json_resume_step(buf, len, kinds0, d0);
      }
    */
    err = json_value(buf, len, p, doc);
    /*@ ghost
      if (c == 0x7Bu || c == 0x5Bu) {
        json_g_open(buf, len, k);
        json_g_range(buf, len, c == 0x7Bu ? 4 : 1, k + 1);
      } else {
        json_g_scalar(buf, len, k);
        if (err == MEFC_JSON_OK && d0 >= 1 && p->state != ST_AFTER) {
          json_g_sep(buf, len, is_obj ? 7 : 3, p->pos - 1);
          json_g_range(buf, len, is_obj ? 5 : 2, p->pos);
        }
      }
    */
    /*@ assert open_mode: err == MEFC_JSON_OK && p->depth != d0 ==>
          jp_mode(p->state, p->depth, p->kinds) == (c == 0x7B ? 4 : 1) &&
          p->kinds / 2 == kinds0 && p->depth - 1 == d0; */
    /*@ assert open_resume: err == MEFC_JSON_OK && p->depth != d0 ==>
          \at(json_resume(buf, p->kinds / 2, p->depth - 1,
                           json_g(buf, jp_mode(p->state, p->depth, p->kinds), p->pos, len), len), Pre) ==
          json_resume(buf, kinds0, d0, json_g(buf, c == 0x7B ? 4 : 1, p->pos, len), len); */
    /*@ assert scalar_top: err == MEFC_JSON_OK && d0 == 0 && p->depth == 0 ==>
          \at(jp_rest(p, buf, len), Pre) == json_g(buf, 8, p->pos, len); */
    /*@ assert scalar_then: err == MEFC_JSON_OK && d0 >= 1 && p->depth == d0 ==>
          \at(json_g(buf, jp_mode(p->state, p->depth, p->kinds), p->pos, len), Pre) ==
          json_g(buf, is_obj ? 7 : 3, json_scalar_end(buf, k, len), len); */
    /*@ assert scalar_after: err == MEFC_JSON_OK && d0 >= 1 && p->depth == d0 && p->state == ST_AFTER ==>
          json_g(buf, is_obj ? 7 : 3, json_scalar_end(buf, k, len), len) ==
          json_g(buf, jp_mode(p->state, p->depth, p->kinds), p->pos, len); */
    /*@ assert scalar_comma: err == MEFC_JSON_OK && d0 >= 1 && p->depth == d0 && p->state != ST_AFTER ==>
          json_g(buf, is_obj ? 7 : 3, json_scalar_end(buf, k, len), len) ==
          json_g(buf, is_obj ? 7 : 3, p->pos - 1, len); */
    /*@ assert scalar_next: err == MEFC_JSON_OK && d0 >= 1 && p->depth == d0 && p->state != ST_AFTER ==>
          json_g(buf, is_obj ? 7 : 3, p->pos - 1, len) ==
          json_g(buf, jp_mode(p->state, p->depth, p->kinds), p->pos, len); */
    /*@ assert value_refused: err != MEFC_JSON_OK && err != MEFC_JSON_E_DEPTH &&
          err != MEFC_JSON_E_TOKENS ==> \at(jp_rest(p, buf, len), Pre) < 0; */
    /*@ assert open_kept: err == MEFC_JSON_OK && p->depth != d0 ==>
          jp_rest(p, buf, len) == \at(jp_rest(p, buf, len), Pre); */
    /*@ assert top_kept: err == MEFC_JSON_OK && d0 == 0 && p->depth == 0 ==>
          jp_rest(p, buf, len) == \at(jp_rest(p, buf, len), Pre); */
    /*@ assert inner_kept: err == MEFC_JSON_OK && d0 >= 1 && p->depth == d0 ==>
          jp_rest(p, buf, len) == \at(jp_rest(p, buf, len), Pre); */
  }
  return err;
}

/* The token count, once every token is known to be well formed. The
 * parser's invariant is required as the loop left it, so that the caller's
 * proof matches it as a whole. */
/*@ requires len <= MEFC_PAYLOAD_MAX && \valid(doc) && \valid_read(p) && \separated(p, doc);
    requires 1 <= p->ntok <= MEFC_JSON_TOKENS_MAX && doc->tok[0].next == p->ntok;
    requires jp_tokens(p, doc, buf, len);
    assigns doc->ntok;
    ensures json_doc_ok(doc, buf, len);
*/
static void json_finish(mefc_json_doc *doc, const json_parser *p, const uint8_t *buf, size_t len) {
  size_t n = p->ntok;
  /*@ assert \forall integer i; 0 <= i < n ==> json_tok_ok(doc, i, n, buf, len); */
  doc->ntok = (uint32_t)n;
  /* ntok shares the tokens' memory (uint32_t): each token, held before the
   * write, holds after it (see json_push). */
  /*@ assert \forall integer i; 0 <= i < n ==>
        \at(json_tok_ok(doc, i, p->ntok, buf, len), Pre) ==> json_tok_ok(doc, i, n, buf, len);
  */
  (void)buf;
  (void)len;
}

/*@ requires \valid_read(buf + (0 .. len - 1));
    requires \valid(doc);
    requires \separated(doc, buf + (0 .. len - 1));
    assigns *doc;
    ensures accepted: \result == MEFC_JSON_OK ==> json_doc_ok(doc, buf, len);
    ensures rejected: \result != MEFC_JSON_OK ==> doc->ntok == 0;
    ensures codes: MEFC_JSON_OK <= \result <= MEFC_JSON_E_TOO_LARGE;
    ensures grammar_sound: \result == MEFC_JSON_OK ==> json_text(buf, len);
    ensures grammar_complete: json_text(buf, len) ==>
              \result == MEFC_JSON_OK || \result == MEFC_JSON_E_DEPTH ||
              \result == MEFC_JSON_E_TOKENS || \result == MEFC_JSON_E_DUPLICATE ||
              \result == MEFC_JSON_E_TOO_LARGE;
    behavior too_large:
      assumes len > MEFC_PAYLOAD_MAX;
      ensures \result == MEFC_JSON_E_TOO_LARGE;
    behavior empty:
      assumes len <= MEFC_PAYLOAD_MAX;
      assumes \forall integer i; 0 <= i < len ==> json_ws(buf[i]);
      ensures \result == MEFC_JSON_E_EMPTY;
    behavior nonempty:
      assumes len <= MEFC_PAYLOAD_MAX;
      assumes \exists integer i; 0 <= i < len && !json_ws(buf[i]);
      ensures \result != MEFC_JSON_E_EMPTY && \result != MEFC_JSON_E_TOO_LARGE;
    complete behaviors;
    disjoint behaviors;
*/
int mefc_json_parse(const uint8_t *buf, size_t len, mefc_json_doc *doc) {
  json_parser p = {0}; /* every stack slot and escape flag defined */
  int err = MEFC_JSON_OK;

  if (len > MEFC_PAYLOAD_MAX) {
    doc->ntok = 0;
    return MEFC_JSON_E_TOO_LARGE;
  }
  /* Only whitespace: no value at all. Decided here, once, so that the
   * structural pass below never has to tell "empty" from "cut short". */
  p.pos = json_skip_ws(buf, len, 0);
  /*@ ghost json_g_end(buf, len, p.pos); */
  if (p.pos >= len) {
    /*@ assert grammar_empty: !json_text(buf, len); */
    doc->ntok = 0;
    return MEFC_JSON_E_EMPTY;
  }
  p.ntok = 0;
  p.depth = 0;
  p.kinds = 0;
  p.state = ST_VALUE;
  /*@ loop invariant jp_shape(&p, doc, len);
      loop invariant jp_blank(&p, buf);
      loop invariant jp_stack(&p, doc);
      loop invariant jp_tokens(&p, doc, buf, len);
      loop invariant jp_kinds(&p);
      loop invariant grammar: json_text(buf, len) <==> jp_rest(&p, buf, len) >= 0;
      loop invariant err == MEFC_JSON_OK;
      loop assigns p, err, doc->tok[0 .. MEFC_JSON_TOKENS_MAX - 1];
      loop variant len - p.pos;
  */
  for (;;) {
    json_advance_ws(buf, len, &p, doc);
    /*@ assert grammar_here: json_text(buf, len) <==> jp_rest(&p, buf, len) >= 0; */
    /*@ ghost json_g_end(buf, len, p.pos); */
    /*@ ghost json_refused(buf, len); */
    /*@ assert grammar_done: p.state == ST_DONE ==> jp_rest(&p, buf, len) == json_g(buf, 8, p.pos, len); */
    /*@ assert grammar_eoi: p.pos >= len && p.state != ST_DONE ==> jp_rest(&p, buf, len) == -1; */
    if (p.pos >= len) {
      /* The end of the input: complete, or cut short inside a value. */
      err = (p.state == ST_DONE) ? MEFC_JSON_OK : MEFC_JSON_E_SYNTAX;
      /*@ assert grammar_end: err == MEFC_JSON_OK <==> json_text(buf, len); */
      break;
    }
    if (p.state == ST_DONE) {
      err = MEFC_JSON_E_TRAILING;
      /*@ assert grammar_trailing: !json_text(buf, len); */
      break;
    }
    err = json_step(buf, len, &p, doc);
    if (err != MEFC_JSON_OK) {
      /*@ assert grammar_step: json_text(buf, len) ==>
            err == MEFC_JSON_E_DEPTH || err == MEFC_JSON_E_TOKENS; */
      break;
    }
  }
  /*@ assert grammar_pass: err == MEFC_JSON_OK ==> json_text(buf, len); */
  /*@ assert grammar_fail: json_text(buf, len) ==>
        err == MEFC_JSON_OK || err == MEFC_JSON_E_DEPTH || err == MEFC_JSON_E_TOKENS; */
  if (err == MEFC_JSON_OK) {
    /*@ assert done: p.state == ST_DONE; */
    /*@ assert shape: 1 <= p.ntok && doc->tok[0].next == p.ntok; */
    json_finish(doc, &p, buf, len);
    err = json_check_dups(buf, len, doc, p.esc);
  }
  if (err != MEFC_JSON_OK) {
    doc->ntok = 0;
  }
  return err;
}

/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid_read(t);
    requires \valid_read(lit + (0 .. lit_len - 1));
    assigns \nothing;
    ensures \result ==> t->type == MEFC_JSON_STRING && t->start <= t->end <= len;
    behavior plain:
      assumes t->type == MEFC_JSON_STRING && t->start <= t->end <= len;
      assumes json_plain(buf, t->start, t->end);
      ensures \result <==> (t->end - t->start == lit_len &&
                 \forall integer i; 0 <= i < lit_len ==> buf[t->start + i] == json_byte(lit[i]));
    behavior escaped:
      assumes !(t->type == MEFC_JSON_STRING && t->start <= t->end <= len &&
                json_plain(buf, t->start, t->end));
    complete behaviors;
    disjoint behaviors;
*/
bool mefc_json_str_eq(const uint8_t *buf, size_t len, const mefc_json_tok *t, const char *lit,
                      size_t lit_len) {
  size_t k = t->start;
  size_t e = t->end;
  size_t o = 0;
  bool eq = false;
  if (t->type == MEFC_JSON_STRING && k <= e && e <= len) {
    eq = true;
    /*@ loop invariant t->start <= k <= e && o <= lit_len;
        loop invariant json_plain(buf, t->start, t->end) && eq ==> o == k - t->start;
        loop invariant json_plain(buf, t->start, t->end) && eq ==>
          \forall integer i; 0 <= i < o ==> buf[t->start + i] == json_byte(lit[i]);
        loop invariant json_plain(buf, t->start, t->end) && !eq ==>
          (k - t->start > lit_len ||
           \exists integer i; 0 <= i < lit_len && i < t->end - t->start &&
             buf[t->start + i] != json_byte(lit[i]));
        loop assigns k, o, eq;
        loop variant e - k;
    */
    while (eq && k < e) {
      uint8_t c = buf[k];
      if (c != 0x5Cu) {
        int l;
        if (o >= lit_len) {
          eq = false;
          k++;
        } else {
          l = lit[o]; // NOLINT(bugprone-signed-char-misuse,cert-str34-c): mapped to 128..255 below
          if (l < 0) {
            l += 256;
          }
          eq = (int)c == l;
          o++;
          k++;
        }
      } else {
        /* Zeroed so that each byte is defined whatever the length json_utf8_put
         * returns: Eva cannot tie the bytes it wrote to that length. */
        uint8_t u[4] = {0u, 0u, 0u, 0u};
        size_t n;
        size_t i;
        uint32_t cp;
        /*@ assert escaped: !json_plain(buf, t->start, t->end); */
        cp = json_next_cp(buf, e, &k);
        n = json_utf8_put(cp, u);
        /* o is checked against lit_len at each byte, as in the plain case,
         * rather than once against o + n: a bound Eva can follow. */
        /*@ loop invariant 0 <= i <= n && o <= lit_len;
            loop invariant !json_plain(buf, t->start, t->end);
            loop assigns i, o, eq;
            loop variant n - i;
        */
        for (i = 0; i < n && eq; i++) {
          if (o >= lit_len) {
            eq = false;
          } else {
            int l = lit[o]; // NOLINT(bugprone-signed-char-misuse,cert-str34-c): mapped below
            if (l < 0) {
              l += 256;
            }
            eq = (int)u[i] == l;
            o++;
          }
        }
      }
    }
    eq = eq && o == lit_len;
  }
  return eq;
}

/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid_read(t);
    requires \valid(out + (0 .. cap - 1)) && \valid(out_len);
    requires \separated(out + (0 .. cap - 1), out_len, buf + (0 .. len - 1), t);
    assigns out[0 .. cap - 1], *out_len;
    ensures \result ==> *out_len <= cap;
    ensures \result ==> t->type == MEFC_JSON_STRING && t->start <= t->end <= len;
    behavior plain_fits:
      assumes t->type == MEFC_JSON_STRING && t->start <= t->end <= len;
      assumes json_plain(buf, t->start, t->end) && t->end - t->start <= cap;
      ensures \result && *out_len == t->end - t->start;
      ensures \forall integer i; 0 <= i < *out_len ==> out[i] == buf[t->start + i];
    behavior plain_too_long:
      assumes t->type == MEFC_JSON_STRING && t->start <= t->end <= len;
      assumes json_plain(buf, t->start, t->end) && t->end - t->start > cap;
      ensures !\result;
    behavior escaped:
      assumes !(t->type == MEFC_JSON_STRING && t->start <= t->end <= len &&
                json_plain(buf, t->start, t->end));
    complete behaviors;
    disjoint behaviors;
*/
bool mefc_json_str_copy(const uint8_t *buf, size_t len, const mefc_json_tok *t, uint8_t *out,
                        size_t cap, size_t *out_len) {
  size_t k = t->start;
  size_t e = t->end;
  size_t o = 0;
  bool ok = false;
  if (t->type == MEFC_JSON_STRING && k <= e && e <= len) {
    ok = true;
    /*@ loop invariant t->start <= k <= e && o <= cap;
        loop invariant json_plain(buf, t->start, t->end) && ok ==> o == k - t->start;
        loop invariant json_plain(buf, t->start, t->end) ==>
          \forall integer i; 0 <= i < o ==> out[i] == buf[t->start + i];
        loop invariant json_plain(buf, t->start, t->end) && !ok ==> k - t->start > cap;
        loop assigns k, o, ok, out[0 .. cap - 1];
        loop variant e - k;
    */
    while (ok && k < e) {
      uint8_t c = buf[k];
      if (c != 0x5Cu) {
        if (o >= cap) {
          ok = false;
        } else {
          out[o] = c;
          o++;
        }
        k++;
      } else {
        uint8_t u[4] = {0u, 0u, 0u, 0u}; /* defined whatever n is (see mefc_json_str_eq) */
        size_t n;
        size_t i;
        uint32_t cp;
        /*@ assert escaped: !json_plain(buf, t->start, t->end); */
        cp = json_next_cp(buf, e, &k);
        n = json_utf8_put(cp, u);
        /* Checked at each byte against cap (see mefc_json_str_eq). */
        /*@ loop invariant 0 <= i <= n && o <= cap;
            loop invariant !json_plain(buf, t->start, t->end);
            loop assigns i, o, ok, out[0 .. cap - 1];
            loop variant n - i;
        */
        for (i = 0; i < n && ok; i++) {
          if (o >= cap) {
            ok = false;
          } else {
            out[o] = u[i];
            o++;
          }
        }
      }
    }
  }
  *out_len = ok ? o : 0u;
  return ok;
}

/*@ requires len <= MEFC_PAYLOAD_MAX && \valid_read(buf + (0 .. len - 1));
    requires \valid_read(doc);
    requires \valid_read(name + (0 .. name_len - 1));
    requires \valid(val) && \separated(val, doc);
    assigns *val;
    ensures \result ==> obj < doc->ntok <= MEFC_JSON_TOKENS_MAX;
    ensures \result ==> doc->tok[obj].type == MEFC_JSON_OBJECT;
    ensures \result ==> obj + 1 < *val < doc->ntok;
    ensures \result ==> doc->tok[*val - 1].type == MEFC_JSON_STRING;
    ensures \result ==> doc->tok[*val - 1].parent == obj;
*/
bool mefc_json_member(const uint8_t *buf, size_t len, const mefc_json_doc *doc, uint32_t obj,
                      const char *name, size_t name_len, uint32_t *val) {
  bool found = false;
  uint32_t n = doc->ntok;
  *val = MEFC_NONE;
  if (n <= MEFC_JSON_TOKENS_MAX && obj < n && doc->tok[obj].type == MEFC_JSON_OBJECT) {
    uint32_t oend = doc->tok[obj].next;
    uint32_t a = obj + 1u;
    if (oend > n) {
      oend = n;
    }
    /*@ loop invariant obj < a <= MEFC_JSON_TOKENS_MAX;
        loop invariant !found;
        loop assigns a, found, *val;
        loop variant n - a;
    */
    while (a + 1u < oend) {
      const mefc_json_tok *key = &doc->tok[a];
      uint32_t nx = doc->tok[a + 1u].next;
      if (key->parent != obj || key->type != MEFC_JSON_STRING) {
        break; /* not a key of obj: the token array is not one parse made */
      }
      if (mefc_json_str_eq(buf, len, key, name, name_len)) {
        *val = a + 1u;
        found = true;
        break;
      }
      if (nx <= a + 1u || nx >= oend) {
        break; /* no further key (or not one parse made: nothing goes backwards) */
      }
      a = nx;
    }
  }
  return found;
}
