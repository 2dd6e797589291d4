/* A grammar oracle for the core's JSON reader: a recursive-descent recognizer
 * written from the ABNF of RFC 8259 (sections 2-7; one function per rule) and
 * RFC 3629 (UTF8-char), then narrowed by the restrictions json.h documents.
 *
 * Restrictions (json.h, limits.h, spec/binding.md 2.1 and 2.3, ruling I-10):
 * - input over MEFC_PAYLOAD_MAX bytes -> E_TOO_LARGE, before anything else;
 * - a container nested deeper than MEFC_JSON_DEPTH_MAX -> E_DEPTH;
 * - one token per value and per member name; the (MEFC_JSON_TOKENS_MAX+1)th
 *   -> E_TOKENS;
 * - an int with neither frac nor exp must fit int64_t (INTEGER); one with a
 *   frac or an exp is a NUMBER with no range limit (json.h, binding.md 2.1);
 * - a leading zero ("01", "-00") is E_NUMBER, as are missing digits after
 *   '-', '.', 'e' (json.h: "leading zero, missing digits, integer overflow");
 * - unpaired surrogate escapes -> E_ESCAPE, raw UTF-8 that is not UTF8-char
 *   (RFC 3629 section 4) -> E_UTF8;
 * - a member name repeated in one object, compared after unescaping ->
 *   E_DUPLICATE.
 *
 * Which code when an input has several defects: the precedence json.h
 * documents for mefc_json_parse, applied to the rules above:
 *   "The code is the first defect met reading left to right; where one byte
 *   could be named by two codes:
 *    - input ending inside a construct gives the innermost rule's code:
 *      inside an escape E_ESCAPE, inside a UTF-8 sequence E_UTF8, a number
 *      without its digits E_NUMBER, an unterminated string or container
 *      E_SYNTAX;
 *    - a high surrogate escape not followed by an escaped low one is
 *      E_ESCAPE, whatever byte follows it;
 *    - '.', 'e' or 'E' right after a complete number is E_NUMBER, and
 *      so is an integer too large for int64_t even where the input ends
 *      after it;
 *    - past the token cap, a value's own defect comes first (a malformed
 *      scalar its code, a container one level too deep E_DEPTH), then
 *      E_TOKENS; a member name past the cap is E_TOKENS whatever its bytes.
 *   Duplicate member names are looked for only in a document otherwise
 *   accepted."
 * So every rejected input has exactly one expected code. Read here as: an
 * unterminated string is that string's own defect (E_SYNTAX), and a
 * literal's is E_SYNTAX; a container's only own defect at its opening byte
 * is its depth, so one past the cap at an allowed depth is E_TOKENS whatever
 * it holds. Everything else follows from the grammar: a byte it refuses is
 * E_SYNTAX, or E_TRAILING after the top-level value. On acceptance the
 * oracle gives every token as json.h defines mefc_json_tok (type, start,
 * end, parent, next, count, ival) and jg_unescape gives each string's value.
 *
 * Recursion (value -> object/array -> value) is bounded: jg_open refuses a
 * container one level over MEFC_JSON_DEPTH_MAX before descending into it.
 * Not derived from src/core/json.c. */
#ifndef MEFC_FUZZ_JSON_GRAMMAR_ORACLE_H
#define MEFC_FUZZ_JSON_GRAMMAR_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mefc/json.h"
#include "mefc/limits.h"

/* One token with the fields json.h documents for mefc_json_tok (a struct of
 * its own: nothing here is taken from the reader). */
typedef struct {
  uint32_t type, start, end, parent, next, count;
  int64_t ival;
} jg_tok;

typedef struct {
  const uint8_t *b;
  size_t n;
  size_t p;             /* the next byte to read */
  uint32_t depth;       /* containers open around p */
  bool failed;
  int code;             /* the first defect's enum mefc_json_err */
  bool dup;             /* a duplicate member name was seen (reported last) */
  uint32_t parent;      /* the innermost open container's token, MEFC_NONE at the top */
  uint32_t ntok;
  jg_tok tok[MEFC_JSON_TOKENS_MAX];
} jg_state;

typedef struct {
  int ok;               /* 1 accepted, 0 rejected */
  int code;             /* on rejection: the code the reader must return */
  uint32_t ntok;
  jg_tok tok[MEFC_JSON_TOKENS_MAX];
} jg_result;

static bool jg_value(jg_state *s);

/* The first defect decides. Each rule fails with its own code, so input
 * ending inside a construct gets the innermost rule's (json.h's precedence),
 * not the unterminated string's or container's E_SYNTAX. */
static bool jg_fail(jg_state *s, int code) {
  if (s->failed) return false;
  s->failed = true;
  s->code = code;
  return false;
}

static bool jg_at(const jg_state *s, uint8_t c) { return s->p < s->n && s->b[s->p] == c; }

static bool jg_is_digit(const jg_state *s) { return s->p < s->n && s->b[s->p] >= '0' && s->b[s->p] <= '9'; }

/* ws = *( %x20 / %x09 / %x0A / %x0D ) */
static void jg_ws(jg_state *s) {
  while (s->p < s->n) {
    uint8_t c = s->b[s->p];
    if (c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) return;
    s->p++;
  }
}

/* A new token of `type` at s->p: the cap is checked when its first byte is
 * reached. Returns its index, or MEFC_NONE when over the cap. */
static uint32_t jg_token(jg_state *s, uint32_t type) {
  jg_tok *t;
  if (s->ntok >= MEFC_JSON_TOKENS_MAX) return MEFC_NONE;
  t = &s->tok[s->ntok];
  memset(t, 0, sizeof *t);
  t->type = type;
  t->start = (uint32_t)s->p;
  t->parent = s->parent;
  return s->ntok++;
}

/* The token's value ends at s->p; its subtree ends with the last token taken. */
static void jg_done(jg_state *s, uint32_t tok) {
  s->tok[tok].end = (uint32_t)s->p;
  s->tok[tok].next = s->ntok;
}

/* UTF8-tail = %x80-BF, or the narrower second byte after E0, ED, F0, F4. */
static bool jg_utf8_tail(jg_state *s, uint8_t lo, uint8_t hi) {
  if (s->p >= s->n || s->b[s->p] < lo || s->b[s->p] > hi) return jg_fail(s, MEFC_JSON_E_UTF8);
  s->p++;
  return true;
}

/* UTF8-2 / UTF8-3 / UTF8-4 of RFC 3629 section 4, the lead byte at s->p. */
static bool jg_utf8_char(jg_state *s) {
  uint8_t c = s->b[s->p];
  s->p++;
  if (c >= 0xC2 && c <= 0xDF) return jg_utf8_tail(s, 0x80, 0xBF);
  if (c == 0xE0) return jg_utf8_tail(s, 0xA0, 0xBF) && jg_utf8_tail(s, 0x80, 0xBF);
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
    return jg_utf8_tail(s, 0x80, 0xBF) && jg_utf8_tail(s, 0x80, 0xBF);
  if (c == 0xED) return jg_utf8_tail(s, 0x80, 0x9F) && jg_utf8_tail(s, 0x80, 0xBF);
  if (c == 0xF0)
    return jg_utf8_tail(s, 0x90, 0xBF) && jg_utf8_tail(s, 0x80, 0xBF) && jg_utf8_tail(s, 0x80, 0xBF);
  if (c >= 0xF1 && c <= 0xF3)
    return jg_utf8_tail(s, 0x80, 0xBF) && jg_utf8_tail(s, 0x80, 0xBF) && jg_utf8_tail(s, 0x80, 0xBF);
  if (c == 0xF4)
    return jg_utf8_tail(s, 0x80, 0x8F) && jg_utf8_tail(s, 0x80, 0xBF) && jg_utf8_tail(s, 0x80, 0xBF);
  s->p--; /* a byte that starts no UTF8-char: the defect is at it */
  return jg_fail(s, MEFC_JSON_E_UTF8);
}

static int jg_hexval(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* %x75 4HEXDIG, the 'u' at s->p; the code unit in *cu. */
static bool jg_u4hexdig(jg_state *s, uint32_t *cu) {
  uint32_t v = 0;
  s->p++;
  for (int i = 0; i < 4; i++) {
    int h = s->p < s->n ? jg_hexval(s->b[s->p]) : -1;
    if (h < 0) return jg_fail(s, MEFC_JSON_E_ESCAPE);
    v = v * 16u + (uint32_t)h;
    s->p++;
  }
  *cu = v;
  return true;
}

/* escape = %x5C ( %x22 / %x5C / %x2F / %x62 / %x66 / %x6E / %x72 / %x74 /
 * %x75 4HEXDIG ), with section 7's rule that a high surrogate escape is
 * followed by a low one (RFC 8259 section 8.2: no unpaired surrogates). */
static bool jg_escape(jg_state *s) {
  uint32_t cu = 0, lo = 0;
  s->p++; /* the backslash */
  if (s->p >= s->n) return jg_fail(s, MEFC_JSON_E_ESCAPE);
  switch (s->b[s->p]) {
  case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
    s->p++;
    return true;
  case 'u':
    break;
  default:
    return jg_fail(s, MEFC_JSON_E_ESCAPE);
  }
  if (!jg_u4hexdig(s, &cu)) return false;
  if (cu >= 0xDC00 && cu <= 0xDFFF) return jg_fail(s, MEFC_JSON_E_ESCAPE); /* lone low */
  if (cu < 0xD800 || cu > 0xDBFF) return true;
  /* A high surrogate: the next char must be the escape of a low one. */
  if (jg_at(s, '\\')) {
    size_t at = s->p;
    s->p++;
    if (!jg_at(s, 'u')) return jg_fail(s, MEFC_JSON_E_ESCAPE);
    if (!jg_u4hexdig(s, &lo)) return false;
    if (lo < 0xDC00 || lo > 0xDFFF) {
      s->p = at;
      return jg_fail(s, MEFC_JSON_E_ESCAPE);
    }
    return true;
  }
  /* Unpaired at s->p: E_ESCAPE whatever byte follows (a control byte,
   * ill-formed UTF-8) or none (json.h's precedence). */
  return jg_fail(s, MEFC_JSON_E_ESCAPE);
}

/* char = unescaped / escape; unescaped = %x20-21 / %x23-5B / %x5D-10FFFF,
 * the non-ASCII part being a UTF8-char (RFC 8259 section 8.1). */
static bool jg_char(jg_state *s) {
  uint8_t c = s->b[s->p];
  if (c == '\\') return jg_escape(s);
  if (c < 0x20) return jg_fail(s, MEFC_JSON_E_SYNTAX);
  if (c < 0x80) {
    s->p++;
    return true;
  }
  return jg_utf8_char(s);
}

/* string = quotation-mark *char quotation-mark. The content offsets in
 * *start / *end (for the duplicate check). */
static bool jg_string(jg_state *s, size_t *start, size_t *end) {
  bool ok = true;
  s->p++;
  *start = s->p;
  for (;;) {
    if (s->p >= s->n) {
      ok = jg_fail(s, MEFC_JSON_E_SYNTAX);
      break;
    }
    if (s->b[s->p] == '"') break;
    if (!jg_char(s)) {
      ok = false;
      break;
    }
  }
  if (!ok) return false;
  *end = s->p;
  s->p++;
  return true;
}

/* 1*DIGIT; missing digits are the reader's E_NUMBER. */
static bool jg_digits1(jg_state *s) {
  if (!jg_is_digit(s)) return jg_fail(s, MEFC_JSON_E_NUMBER);
  while (jg_is_digit(s)) s->p++;
  return true;
}

/* int = zero / ( digit1-9 *DIGIT ); a digit after a leading zero is E_NUMBER. */
static bool jg_int(jg_state *s) {
  if (jg_at(s, '0')) {
    s->p++;
    if (jg_is_digit(s)) return jg_fail(s, MEFC_JSON_E_NUMBER);
    return true;
  }
  return jg_digits1(s);
}

/* frac = decimal-point 1*DIGIT */
static bool jg_frac(jg_state *s) {
  s->p++;
  return jg_digits1(s);
}

/* exp = e [ minus / plus ] 1*DIGIT */
static bool jg_exp(jg_state *s) {
  s->p++;
  if (jg_at(s, '-') || jg_at(s, '+')) s->p++;
  return jg_digits1(s);
}

/* The value of -?digits, or false when it does not fit int64_t. */
static bool jg_int64(const uint8_t *d, size_t len, int64_t *out) {
  bool neg = len > 0 && d[0] == '-';
  /* Accumulate the magnitude negatively: -2^63 fits, 2^63 does not. */
  int64_t v = 0;
  for (size_t i = neg ? 1u : 0u; i < len; i++) {
    int digit = d[i] - '0';
    if (v < (INT64_MIN + digit) / 10) return false;
    v = v * 10 - digit;
  }
  if (!neg) {
    if (v == INT64_MIN) return false;
    v = -v;
  }
  *out = v;
  return true;
}

/* number = [ minus ] int [ frac ] [ exp ] */
static bool jg_number(jg_state *s, uint32_t tok) {
  size_t start = s->p;
  bool integral = true;
  int64_t v = 0;
  if (jg_at(s, '-')) s->p++;
  if (!jg_int(s)) return false;
  if (jg_at(s, '.')) {
    integral = false;
    if (!jg_frac(s)) return false;
  }
  if (jg_at(s, 'e') || jg_at(s, 'E')) {
    integral = false;
    if (!jg_exp(s)) return false;
  }
  if (integral && !jg_int64(s->b + start, s->p - start, &v)) return jg_fail(s, MEFC_JSON_E_NUMBER);
  if (jg_at(s, '.') || jg_at(s, 'e') || jg_at(s, 'E')) {
    /* A second frac or exp ("1.5.3", "1e5e5"): the grammar alone would end
     * the number and refuse the byte after it (E_SYNTAX, E_TRAILING at the
     * top); json.h's precedence names it a number defect. */
    return jg_fail(s, MEFC_JSON_E_NUMBER);
  }
  if (tok != MEFC_NONE) {
    s->tok[tok].type = integral ? MEFC_JSON_INTEGER : MEFC_JSON_NUMBER;
    s->tok[tok].ival = v;
    jg_done(s, tok);
  }
  return true;
}

/* false = %x66.61.6c.73.65, null = %x6e.75.6c.6c, true = %x74.72.75.65 */
static bool jg_literal(jg_state *s, const char *lit) {
  size_t k = strlen(lit);
  if (s->n - s->p < k || memcmp(s->b + s->p, lit, k) != 0) return jg_fail(s, MEFC_JSON_E_SYNTAX);
  s->p += k;
  return true;
}

/* Unescape string content b[start..end) (already checked) into out; its length. */
static size_t jg_unescape(const uint8_t *b, size_t start, size_t end, uint8_t *out) {
  size_t o = 0, i = start;
  while (i < end) {
    uint32_t cp;
    if (b[i] != '\\') {
      out[o++] = b[i++];
      continue;
    }
    switch (b[i + 1]) {
    case 'b': out[o++] = 0x08; i += 2; continue;
    case 'f': out[o++] = 0x0C; i += 2; continue;
    case 'n': out[o++] = 0x0A; i += 2; continue;
    case 'r': out[o++] = 0x0D; i += 2; continue;
    case 't': out[o++] = 0x09; i += 2; continue;
    case 'u': break;
    default: out[o++] = b[i + 1]; i += 2; continue;
    }
    cp = 0;
    for (int k = 0; k < 4; k++) cp = cp * 16u + (uint32_t)jg_hexval(b[i + 2 + k]);
    i += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t lo = 0;
      for (int k = 0; k < 4; k++) lo = lo * 16u + (uint32_t)jg_hexval(b[i + 2 + k]);
      i += 6;
      cp = 0x10000u + ((cp - 0xD800u) << 10) + (lo - 0xDC00u);
    }
    if (cp < 0x80) {
      out[o++] = (uint8_t)cp;
    } else if (cp < 0x800) {
      out[o++] = (uint8_t)(0xC0 | (cp >> 6));
      out[o++] = (uint8_t)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out[o++] = (uint8_t)(0xE0 | (cp >> 12));
      out[o++] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
      out[o++] = (uint8_t)(0x80 | (cp & 0x3F));
    } else {
      out[o++] = (uint8_t)(0xF0 | (cp >> 18));
      out[o++] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
      out[o++] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
      out[o++] = (uint8_t)(0x80 | (cp & 0x3F));
    }
  }
  return o;
}

/* Member names of one object, compared after unescaping. */
static bool jg_names_repeat(const uint8_t *b, const size_t *ks, const size_t *ke, uint32_t nk) {
  static uint8_t x[MEFC_PAYLOAD_MAX], y[MEFC_PAYLOAD_MAX];
  for (uint32_t i = 0; i < nk; i++) {
    size_t lx = jg_unescape(b, ks[i], ke[i], x);
    for (uint32_t j = i + 1; j < nk; j++) {
      size_t ly = jg_unescape(b, ks[j], ke[j], y);
      if (lx == ly && memcmp(x, y, lx) == 0) return true;
    }
  }
  return false;
}

/* A container's opening byte: its token and one more level, or the cap it
 * crosses. When it crosses both, its own defect (one level too deep) comes
 * before the token cap (json.h's precedence). */
static uint32_t jg_open(jg_state *s, uint32_t type, bool *ok) {
  uint32_t tok;
  *ok = false;
  if (s->depth + 1u > MEFC_JSON_DEPTH_MAX) {
    jg_fail(s, MEFC_JSON_E_DEPTH);
    return MEFC_NONE;
  }
  tok = jg_token(s, type);
  if (tok == MEFC_NONE) {
    jg_fail(s, MEFC_JSON_E_TOKENS);
    return MEFC_NONE;
  }
  *ok = true;
  s->depth++;
  s->p++;
  s->parent = tok;
  return tok;
}

/* A container's closing byte at s->p. */
static bool jg_close(jg_state *s, uint32_t tok) {
  s->p++;
  s->depth--;
  s->parent = s->tok[tok].parent;
  jg_done(s, tok);
  return true;
}

/* member = string name-separator value; the name's offsets in *ks / *ke. */
static bool jg_member(jg_state *s, size_t *ks, size_t *ke) {
  uint32_t tok;
  if (!jg_at(s, '"')) return jg_fail(s, MEFC_JSON_E_SYNTAX);
  /* A name one over the cap is E_TOKENS whatever its bytes (json.h). */
  if (s->ntok >= MEFC_JSON_TOKENS_MAX) return jg_fail(s, MEFC_JSON_E_TOKENS);
  tok = jg_token(s, MEFC_JSON_STRING);
  if (!jg_string(s, ks, ke)) return false;
  s->tok[tok].start = (uint32_t)*ks;
  s->tok[tok].end = (uint32_t)*ke;
  s->tok[tok].next = tok + 1u;
  jg_ws(s);
  if (!jg_at(s, ':')) return jg_fail(s, MEFC_JSON_E_SYNTAX);
  s->p++;
  jg_ws(s);
  return jg_value(s);
}

/* object = begin-object [ member *( value-separator member ) ] end-object */
static bool jg_object(jg_state *s) {
  size_t ks[MEFC_JSON_TOKENS_MAX / 2] = {0}, ke[MEFC_JSON_TOKENS_MAX / 2] = {0};
  uint32_t nk = 0;
  bool ok;
  uint32_t tok = jg_open(s, MEFC_JSON_OBJECT, &ok);
  if (!ok) return false;
  jg_ws(s);
  if (!jg_at(s, '}')) {
    for (;;) {
      /* Each member takes two tokens, so nk stays below the array's size
       * whenever jg_member succeeds. */
      if (!jg_member(s, &ks[nk], &ke[nk])) return false;
      nk++;
      s->tok[tok].count++;
      jg_ws(s);
      if (!jg_at(s, ',')) break;
      s->p++;
      jg_ws(s);
    }
    if (!jg_at(s, '}')) return jg_fail(s, MEFC_JSON_E_SYNTAX);
  }
  if (jg_names_repeat(s->b, ks, ke, nk)) s->dup = true;
  return jg_close(s, tok);
}

/* array = begin-array [ value *( value-separator value ) ] end-array */
static bool jg_array(jg_state *s) {
  bool ok;
  uint32_t tok = jg_open(s, MEFC_JSON_ARRAY, &ok);
  if (!ok) return false;
  jg_ws(s);
  if (!jg_at(s, ']')) {
    for (;;) {
      if (!jg_value(s)) return false;
      s->tok[tok].count++;
      jg_ws(s);
      if (!jg_at(s, ',')) break;
      s->p++;
      jg_ws(s);
    }
    if (!jg_at(s, ']')) return jg_fail(s, MEFC_JSON_E_SYNTAX);
  }
  return jg_close(s, tok);
}

/* A scalar at s->p when the token cap is already reached: its own defect if
 * it is malformed (an unterminated string included; a number's second frac
 * or exp included), else E_TOKENS (json.h's precedence). */
static bool jg_scalar_over_cap(jg_state *s) {
  size_t a, e;
  bool ok;
  switch (s->b[s->p]) {
  case '"': ok = jg_string(s, &a, &e); break;
  case 't': ok = jg_literal(s, "true"); break;
  case 'f': ok = jg_literal(s, "false"); break;
  case 'n': ok = jg_literal(s, "null"); break;
  default: ok = jg_number(s, MEFC_NONE); break;
  }
  if (ok) jg_fail(s, MEFC_JSON_E_TOKENS);
  return false;
}

/* value = false / null / true / object / array / number / string */
static bool jg_value(jg_state *s) {
  uint8_t c;
  uint32_t tok;
  size_t a, e;
  bool ok;
  if (s->p >= s->n) return jg_fail(s, MEFC_JSON_E_SYNTAX);
  c = s->b[s->p];
  if (c == '{') return jg_object(s);
  if (c == '[') return jg_array(s);
  if (c != '"' && c != 't' && c != 'f' && c != 'n' && c != '-' && !(c >= '0' && c <= '9'))
    return jg_fail(s, MEFC_JSON_E_SYNTAX);
  if (s->ntok >= MEFC_JSON_TOKENS_MAX) return jg_scalar_over_cap(s);
  tok = jg_token(s, MEFC_JSON_NULL);
  switch (c) {
  case '"':
    s->tok[tok].type = MEFC_JSON_STRING;
    if (!jg_string(s, &a, &e)) return false;
    s->tok[tok].start = (uint32_t)a;
    s->tok[tok].end = (uint32_t)e;
    s->tok[tok].next = tok + 1u;
    return true;
  case 't':
    s->tok[tok].type = MEFC_JSON_TRUE;
    ok = jg_literal(s, "true");
    break;
  case 'f':
    s->tok[tok].type = MEFC_JSON_FALSE;
    ok = jg_literal(s, "false");
    break;
  case 'n':
    ok = jg_literal(s, "null");
    break;
  default:
    return jg_number(s, tok);
  }
  if (ok) jg_done(s, tok);
  return ok;
}

/* JSON-text = ws value ws, with the reader's length cap first, "no value"
 * for an input of whitespace only, and duplicates last. */
static void jg_json_text(const uint8_t *b, size_t n, jg_result *r) {
  static jg_state s;
  memset(&s, 0, sizeof s);
  memset(r, 0, sizeof *r);
  s.b = b;
  s.n = n;
  s.parent = MEFC_NONE;
  if (n > MEFC_PAYLOAD_MAX) {
    r->code = MEFC_JSON_E_TOO_LARGE;
    return;
  }
  jg_ws(&s);
  if (s.p >= n) {
    r->code = MEFC_JSON_E_EMPTY;
    return;
  }
  if (jg_value(&s)) {
    jg_ws(&s);
    if (s.p < n) jg_fail(&s, MEFC_JSON_E_TRAILING);
  }
  if (!s.failed && s.dup) jg_fail(&s, MEFC_JSON_E_DUPLICATE);
  if (s.failed) {
    r->code = s.code;
    return;
  }
  r->ok = 1;
  r->ntok = s.ntok;
  memcpy(r->tok, s.tok, sizeof r->tok);
}

#endif
