/* A strict RFC 8259 JSON reader for the core: one pass, no allocation, no
 * recursion. It turns a byte buffer into a flat token array owned by the
 * caller; strings stay in the buffer and are unescaped on demand. */
#ifndef MEFC_JSON_H
#define MEFC_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/limits.h"

enum mefc_json_type {
  MEFC_JSON_OBJECT = 1,
  MEFC_JSON_ARRAY = 2,
  MEFC_JSON_STRING = 3,
  MEFC_JSON_INTEGER = 4, /* -?(0|[1-9][0-9]*) that fits int64_t */
  MEFC_JSON_NUMBER = 5,  /* a valid number with a fraction or an exponent */
  MEFC_JSON_TRUE = 6,
  MEFC_JSON_FALSE = 7,
  MEFC_JSON_NULL = 8
};

enum mefc_json_err {
  MEFC_JSON_OK = 0,
  MEFC_JSON_E_EMPTY = 1,     /* no value at all */
  MEFC_JSON_E_SYNTAX = 2,    /* a byte the grammar does not allow here */
  MEFC_JSON_E_TRAILING = 3,  /* bytes after the top-level value */
  MEFC_JSON_E_DEPTH = 4,     /* nesting deeper than MEFC_JSON_DEPTH_MAX */
  MEFC_JSON_E_TOKENS = 5,    /* more than MEFC_JSON_TOKENS_MAX tokens */
  MEFC_JSON_E_UTF8 = 6,      /* ill-formed UTF-8 (overlong, surrogate, > U+10FFFF) */
  MEFC_JSON_E_ESCAPE = 7,    /* bad escape, or a lone/unpaired surrogate escape */
  MEFC_JSON_E_NUMBER = 8,    /* leading zero, missing digits, integer overflow */
  MEFC_JSON_E_DUPLICATE = 9, /* an object names the same member twice */
  MEFC_JSON_E_TOO_LARGE = 10 /* input longer than MEFC_PAYLOAD_MAX */
};

/* One token. Containers are followed by their children in document order;
 * an object's children alternate key (STRING) and value. */
typedef struct {
  uint32_t type;   /* enum mefc_json_type */
  uint32_t start;  /* offset of the first byte; for a STRING the byte after the opening quote */
  uint32_t end;    /* offset one past the last byte; for a STRING the offset of the closing quote */
  uint32_t parent; /* index of the enclosing container, MEFC_NONE for the root */
  uint32_t next;   /* index of the first token after this token's subtree */
  uint32_t count;  /* OBJECT: members; ARRAY: elements; otherwise 0 */
  int64_t ival;    /* INTEGER: its value; otherwise 0 */
} mefc_json_tok;

typedef struct {
  mefc_json_tok tok[MEFC_JSON_TOKENS_MAX];
  uint32_t ntok;
} mefc_json_doc;

/* Parse buf[0..len) as exactly one JSON value with optional surrounding
 * whitespace. Returns MEFC_JSON_OK and fills doc, or an error code; on error
 * doc->ntok is 0. The code is the first defect met reading left to right;
 * where one byte could be named by two codes:
 *  - input ending inside a construct gives the innermost rule's code: inside
 *    an escape E_ESCAPE, inside a UTF-8 sequence E_UTF8, a number without
 *    its digits E_NUMBER, an unterminated string or container E_SYNTAX;
 *  - a high surrogate escape not followed by an escaped low one is
 *    E_ESCAPE, whatever byte follows it;
 *  - '.', 'e' or 'E' right after a complete number is E_NUMBER, and so is
 *    an integer too large for int64_t even where the input ends after it;
 *  - past the token cap, a value's own defect comes first (a malformed
 *    scalar its code, a container one level too deep E_DEPTH), then
 *    E_TOKENS; a member name past the cap is E_TOKENS whatever its bytes.
 * Duplicate member names are looked for only in a document otherwise
 * accepted. What is accepted is proved to be exactly the grammar predicate
 * json_text of acsl.h, but for E_DEPTH, E_TOKENS, E_DUPLICATE, E_TOO_LARGE. */
int mefc_json_parse(const uint8_t *buf, size_t len, mefc_json_doc *doc);

/* Find the member called name[0..name_len) (compared after unescaping the key)
 * in the OBJECT token obj. Returns true and the index of its value in *val. */
bool mefc_json_member(const uint8_t *buf, size_t len, const mefc_json_doc *doc,
                      uint32_t obj, const char *name, size_t name_len, uint32_t *val);

/* True when the STRING token t, unescaped, equals lit[0..lit_len). */
bool mefc_json_str_eq(const uint8_t *buf, size_t len, const mefc_json_tok *t,
                      const char *lit, size_t lit_len);

/* Unescape the STRING token t into out[0..cap). Returns true and the length in
 * *out_len, or false when the value does not fit (out is then unspecified). */
bool mefc_json_str_copy(const uint8_t *buf, size_t len, const mefc_json_tok *t,
                        uint8_t *out, size_t cap, size_t *out_len);

#endif
