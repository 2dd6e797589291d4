/* libFuzzer harness of the core's JSON reader: parses the input and, when it
 * is accepted, checks the token invariants json.h documents and exercises
 * member lookup, str_eq and str_copy on every token; abort() on any breach. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mefc/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok) {
  if (!ok) abort();
}

static bool is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Well-formed UTF-8 per RFC 3629 (the unescaped value of a string). */
static bool utf8_ok(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    size_t k;
    uint32_t cp, min;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      k = 1; cp = c & 0x1Fu; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      k = 2; cp = c & 0x0Fu; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      k = 3; cp = c & 0x07u; min = 0x10000;
    } else {
      return false;
    }
    if (i + k >= n) return false;
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xC0u) != 0x80u) return false;
      cp = cp * 64u + (s[i + j] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu)) return false;
    i += k + 1;
  }
  return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mefc_json_doc doc;
  static uint8_t out[MEFC_PAYLOAD_MAX];
  int rc;
  memset(&doc, 0xA5, sizeof doc);
  rc = mefc_json_parse(data, size, &doc);
  check(rc >= MEFC_JSON_OK && rc <= MEFC_JSON_E_TOO_LARGE);
  if (rc != MEFC_JSON_OK) {
    check(doc.ntok == 0);
    if (size > MEFC_PAYLOAD_MAX) check(rc == MEFC_JSON_E_TOO_LARGE);
    if (rc == MEFC_JSON_E_EMPTY) {
      for (size_t i = 0; i < size; i++) check(is_ws(data[i]));
    }
    return 0;
  }
  check(size <= MEFC_PAYLOAD_MAX);
  check(doc.ntok >= 1 && doc.ntok <= MEFC_JSON_TOKENS_MAX);
  check(doc.tok[0].parent == MEFC_NONE && doc.tok[0].next == doc.ntok);
  /* Only whitespace around the root value. */
  for (size_t i = 0; i < doc.tok[0].start - (doc.tok[0].type == MEFC_JSON_STRING); i++)
    check(is_ws(data[i]));
  for (size_t i = doc.tok[0].end + (doc.tok[0].type == MEFC_JSON_STRING); i < size; i++)
    check(is_ws(data[i]));
  for (uint32_t i = 0; i < doc.ntok; i++) {
    const mefc_json_tok *t = &doc.tok[i];
    uint32_t children = 0;
    check(t->type >= MEFC_JSON_OBJECT && t->type <= MEFC_JSON_NULL);
    check(t->start <= t->end && t->end <= size);
    check(t->next > i && t->next <= doc.ntok);
    if (i > 0) {
      const mefc_json_tok *p = &doc.tok[t->parent];
      check(t->parent < i);
      check(p->type == MEFC_JSON_OBJECT || p->type == MEFC_JSON_ARRAY);
      check(t->next <= p->next);
      check(p->start < t->start && t->end < p->end);
    }
    /* Direct children: walk by next; count matches. */
    if (t->type == MEFC_JSON_OBJECT || t->type == MEFC_JSON_ARRAY) {
      uint32_t c = i + 1;
      check(data[t->start] == (t->type == MEFC_JSON_OBJECT ? '{' : '['));
      check(data[t->end - 1] == (t->type == MEFC_JSON_OBJECT ? '}' : ']'));
      while (c < t->next) {
        check(doc.tok[c].parent == i);
        if (t->type == MEFC_JSON_OBJECT) {
          size_t n = 0;
          uint32_t v = MEFC_NONE;
          check(doc.tok[c].type == MEFC_JSON_STRING);
          check(c + 1 < t->next);
          check(doc.tok[c + 1].parent == i);
          /* member() finds this key's value (keys are unique). */
          check(mefc_json_str_copy(data, size, &doc.tok[c], out, sizeof out, &n));
          check(mefc_json_member(data, size, &doc, i, (const char *)out, n, &v));
          check(v == c + 1);
          c = doc.tok[c + 1].next;
        } else {
          c = doc.tok[c].next;
        }
        children++;
      }
      check(c == t->next);
      check(children == t->count);
    } else {
      check(t->count == 0 && t->next == i + 1);
    }
    if (t->type == MEFC_JSON_STRING) {
      size_t n = 0, raw = t->end - t->start;
      check(t->start >= 1 && data[t->start - 1] == '"' && t->end < size && data[t->end] == '"');
      check(mefc_json_str_copy(data, size, t, out, sizeof out, &n));
      check(n <= raw && utf8_ok(out, n));
      check(mefc_json_str_eq(data, size, t, (const char *)out, n));
      if (memchr(data + t->start, '\\', raw) == NULL) {
        check(n == raw && memcmp(out, data + t->start, raw) == 0);
      }
      if (n > 0) {
        size_t m = 0;
        check(!mefc_json_str_copy(data, size, t, out, n - 1, &m));
        check(mefc_json_str_copy(data, size, t, out, sizeof out, &m) && m == n);
        check(!mefc_json_str_eq(data, size, t, (const char *)out, n - 1));
        out[n - 1] ^= 1u;
        check(!mefc_json_str_eq(data, size, t, (const char *)out, n));
      }
    } else {
      size_t n = 0;
      check(!mefc_json_str_copy(data, size, t, out, sizeof out, &n));
      check(!mefc_json_str_eq(data, size, t, "", 0));
    }
    if (t->type == MEFC_JSON_INTEGER || t->type == MEFC_JSON_NUMBER) {
      size_t k = t->start;
      bool has_frac = false;
      check(t->end > t->start);
      for (; k < t->end; k++) {
        uint8_t c = data[k];
        check((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E');
        if (c == '.' || c == 'e' || c == 'E') has_frac = true;
      }
      check(has_frac == (t->type == MEFC_JSON_NUMBER));
      if (t->type == MEFC_JSON_INTEGER) {
        /* Re-derive the value with wrap-free arithmetic on the digits. */
        bool neg = data[t->start] == '-';
        uint64_t v = 0;
        for (k = t->start + (neg ? 1u : 0u); k < t->end; k++) v = v * 10u + (uint64_t)(data[k] - '0');
        if (neg) {
          check(v <= (uint64_t)INT64_MAX + 1u);
          check(v == 0 ? t->ival == 0 : (uint64_t)(-(t->ival + 1)) + 1u == v);
        } else {
          check(v <= (uint64_t)INT64_MAX && (uint64_t)t->ival == v);
        }
        k = t->start + (neg ? 1u : 0u);
        check(t->end - k <= 19 && (data[k] != '0' || t->end - k == 1));
      } else {
        check(t->ival == 0);
      }
    } else {
      check(t->ival == 0);
    }
    if (t->type == MEFC_JSON_TRUE) check(t->end - t->start == 4 && memcmp(data + t->start, "true", 4) == 0);
    if (t->type == MEFC_JSON_FALSE) check(t->end - t->start == 5 && memcmp(data + t->start, "false", 5) == 0);
    if (t->type == MEFC_JSON_NULL) check(t->end - t->start == 4 && memcmp(data + t->start, "null", 4) == 0);
  }
  /* Lookups on non-objects and out-of-range tokens find nothing. */
  {
    uint32_t v = 0;
    check(!mefc_json_member(data, size, &doc, doc.ntok, "a", 1, &v));
    if (doc.tok[0].type != MEFC_JSON_OBJECT) check(!mefc_json_member(data, size, &doc, 0, "a", 1, &v));
  }
  return 0;
}
