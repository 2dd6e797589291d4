/* Unit tests of the core's strict JSON reader (src/core/json.c): every error
 * code, every escape, surrogates, UTF-8 edge cases, int64 bounds, the depth,
 * token and payload capacities, duplicates, member lookup and unescaping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "mefc/json.h"

static mefc_json_doc doc;

/* Parses len bytes; on error the token count must be 0 (json.h). */
static int parse_n(const char *s, size_t len) {
  int rc;
  doc.ntok = 12345u;
  rc = mefc_json_parse((const uint8_t *)s, len, &doc);
  if (rc != MEFC_JSON_OK) {
    assert_int_equal(doc.ntok, 0);
  } else {
    assert_true(doc.ntok >= 1u && doc.ntok <= MEFC_JSON_TOKENS_MAX);
  }
  return rc;
}

static int parse(const char *s) { return parse_n(s, strlen(s)); }

/* Checks the structural invariants json.h documents on an accepted doc. */
static void check_invariants(size_t len) {
  for (uint32_t i = 0; i < doc.ntok; i++) {
    const mefc_json_tok *t = &doc.tok[i];
    assert_true(t->start <= t->end && t->end <= len);
    assert_true(t->next > i && t->next <= doc.ntok);
    if (i == 0) {
      assert_int_equal(t->parent, MEFC_NONE);
    } else {
      assert_true(t->parent < i);
      assert_true(doc.tok[t->parent].type == MEFC_JSON_OBJECT ||
                  doc.tok[t->parent].type == MEFC_JSON_ARRAY);
      assert_true(t->next <= doc.tok[t->parent].next);
    }
    if (t->type != MEFC_JSON_OBJECT && t->type != MEFC_JSON_ARRAY) {
      assert_int_equal(t->count, 0);
      assert_int_equal(t->next, i + 1u);
    }
  }
  assert_int_equal(doc.tok[0].next, doc.ntok);
}

/* The unescaped value of string token t. */
static size_t copy_tok(const char *s, uint32_t t, uint8_t *out, size_t cap) {
  size_t n = 999;
  assert_true(mefc_json_str_copy((const uint8_t *)s, strlen(s), &doc.tok[t], out, cap, &n));
  assert_true(n <= cap);
  return n;
}

/* Parses ["<body>"] and expects the string value to unescape to want. */
static void want_string(const char *json, const char *want, size_t want_len) {
  uint8_t out[64];
  size_t n;
  assert_int_equal(parse(json), MEFC_JSON_OK);
  assert_int_equal(doc.ntok, 2);
  assert_int_equal(doc.tok[1].type, MEFC_JSON_STRING);
  n = copy_tok(json, 1, out, sizeof out);
  assert_int_equal(n, want_len);
  assert_memory_equal(out, want, want_len);
  assert_true(mefc_json_str_eq((const uint8_t *)json, strlen(json), &doc.tok[1], want, want_len));
}

/* ---- a command, token by token ---- */

static void test_json_command_tokens(void **state) {
  const char *s = "{\"sec:mcc\":{\"mcci\":\"c-1\",\"mccs\":10,\"mccd\":{\"ccid\":0,"
                  "\"cma\":{\"nmca\":{\"rdu\":\"PT30S\"}}}}}";
  (void)state;
  assert_int_equal(parse(s), MEFC_JSON_OK);
  check_invariants(strlen(s));
  assert_int_equal(doc.ntok, 17);
  /* 0 root { */
  assert_int_equal(doc.tok[0].type, MEFC_JSON_OBJECT);
  assert_int_equal(doc.tok[0].count, 1);
  assert_int_equal(doc.tok[0].start, 0);
  assert_int_equal(doc.tok[0].end, strlen(s));
  assert_int_equal(doc.tok[0].next, 17);
  /* 1 "sec:mcc", 2 {...} */
  assert_int_equal(doc.tok[1].type, MEFC_JSON_STRING);
  assert_int_equal(doc.tok[1].start, 2);
  assert_int_equal(doc.tok[1].end, 9);
  assert_int_equal(doc.tok[1].parent, 0);
  assert_int_equal(doc.tok[1].next, 2);
  assert_int_equal(doc.tok[2].type, MEFC_JSON_OBJECT);
  assert_int_equal(doc.tok[2].parent, 0);
  assert_int_equal(doc.tok[2].count, 3);
  assert_int_equal(doc.tok[2].next, 17);
  /* 3 "mcci" 4 "c-1" 5 "mccs" 6 10 7 "mccd" 8 {...} */
  assert_int_equal(doc.tok[4].type, MEFC_JSON_STRING);
  assert_int_equal(doc.tok[4].parent, 2);
  assert_int_equal(doc.tok[6].type, MEFC_JSON_INTEGER);
  assert_int_equal(doc.tok[6].ival, 10);
  assert_int_equal(doc.tok[6].end - doc.tok[6].start, 2);
  assert_int_equal(doc.tok[8].type, MEFC_JSON_OBJECT);
  assert_int_equal(doc.tok[8].count, 2);
  assert_int_equal(doc.tok[8].next, 17);
  /* 9 "ccid" 10 0 11 "cma" 12 { 13 "nmca" 14 { 15 "rdu" 16 "PT30S" */
  assert_int_equal(doc.tok[10].type, MEFC_JSON_INTEGER);
  assert_int_equal(doc.tok[10].ival, 0);
  assert_int_equal(doc.tok[12].type, MEFC_JSON_OBJECT);
  assert_int_equal(doc.tok[12].count, 1);
  assert_int_equal(doc.tok[14].type, MEFC_JSON_OBJECT);
  assert_int_equal(doc.tok[14].parent, 12);
  assert_int_equal(doc.tok[14].next, 17);
  assert_int_equal(doc.tok[16].type, MEFC_JSON_STRING);
  assert_int_equal(doc.tok[16].parent, 14);
  assert_memory_equal(s + doc.tok[16].start, "PT30S", 5);
  assert_int_equal(doc.tok[16].end, doc.tok[16].start + 5u);
}

static void test_json_array_tokens(void **state) {
  const char *s = " [ 1 , [ ] , { } , \"x\" , true , false , null , -2.5e3 ] ";
  (void)state;
  assert_int_equal(parse(s), MEFC_JSON_OK);
  check_invariants(strlen(s));
  assert_int_equal(doc.ntok, 9);
  assert_int_equal(doc.tok[0].type, MEFC_JSON_ARRAY);
  assert_int_equal(doc.tok[0].count, 8);
  assert_int_equal(doc.tok[0].start, 1);
  assert_int_equal(doc.tok[0].end, strlen(s) - 1);
  assert_int_equal(doc.tok[2].type, MEFC_JSON_ARRAY);
  assert_int_equal(doc.tok[2].count, 0);
  assert_int_equal(doc.tok[2].next, 3);
  assert_int_equal(doc.tok[3].type, MEFC_JSON_OBJECT);
  assert_int_equal(doc.tok[3].count, 0);
  assert_int_equal(doc.tok[3].next, 4);
  assert_int_equal(doc.tok[4].type, MEFC_JSON_STRING);
  assert_int_equal(doc.tok[5].type, MEFC_JSON_TRUE);
  assert_int_equal(doc.tok[5].end - doc.tok[5].start, 4);
  assert_int_equal(doc.tok[6].type, MEFC_JSON_FALSE);
  assert_int_equal(doc.tok[6].end - doc.tok[6].start, 5);
  assert_int_equal(doc.tok[7].type, MEFC_JSON_NULL);
  assert_int_equal(doc.tok[8].type, MEFC_JSON_NUMBER);
  assert_int_equal(doc.tok[8].ival, 0);
  assert_int_equal(doc.tok[8].end - doc.tok[8].start, 6);
  for (uint32_t i = 1; i < 9; i++) {
    assert_int_equal(doc.tok[i].parent, 0);
  }
}

static void test_json_scalar_roots(void **state) {
  (void)state;
  assert_int_equal(parse("\"a\""), MEFC_JSON_OK);
  assert_int_equal(doc.tok[0].type, MEFC_JSON_STRING);
  assert_int_equal(doc.tok[0].parent, MEFC_NONE);
  assert_int_equal(doc.tok[0].next, 1);
  assert_int_equal(parse("42"), MEFC_JSON_OK);
  assert_int_equal(doc.tok[0].ival, 42);
  assert_int_equal(parse(" true "), MEFC_JSON_OK);
  assert_int_equal(doc.tok[0].type, MEFC_JSON_TRUE);
  assert_int_equal(parse("null"), MEFC_JSON_OK);
  assert_int_equal(parse("false"), MEFC_JSON_OK);
  assert_int_equal(parse("\t\r\n {}\t\r\n "), MEFC_JSON_OK);
}

/* ---- errors: every code ---- */

static void test_json_empty(void **state) {
  (void)state;
  assert_int_equal(parse(""), MEFC_JSON_E_EMPTY);
  assert_int_equal(parse_n(NULL, 0), MEFC_JSON_E_EMPTY);
  assert_int_equal(parse("   "), MEFC_JSON_E_EMPTY);
  assert_int_equal(parse(" \t\r\n"), MEFC_JSON_E_EMPTY);
}

static void test_MCC_2_5a_json_syntax(void **state) {
  static const char *const bad[] = {
      "{", "[", "]", "}", ":", ",", "[1,]", "{\"a\":1,}", "{\"a\"}", "{\"a\" 1}", "{\"a\":}",
      "{1:2}", "{a:1}", "[1 2]", "{\"a\":1 \"b\":2}", "[}", "{]", "[1}", "{\"a\":1]", "\"abc",
      "[\"abc]", "tru", "nul", "fals", "True", "NULL", "[truex]", "+1", ".5", "[.5]", "\x01",
      "\"a\x01\"", "\"a\nb\"", "\"\x1f\"", "\"\t\"", "[1,,2]", "[,1]", "{,}", "{\"a\"::1}",
      "\f1", "\v1", "[1\f]", "\xc2\xa0" "1", "'a'", "[1]\x00", "\xef\xbb\xbf{}", "/**/1",
      "{\"a\":1,\"b\"}", "[[]", "[[[]]", "{\"a\":{}", "-", "\"\\"};
  (void)state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int rc = parse(bad[i]);
    if (strcmp(bad[i], "-") == 0) {
      assert_int_equal(rc, MEFC_JSON_E_NUMBER);
    } else if (strcmp(bad[i], "\"\\") == 0) {
      assert_int_equal(rc, MEFC_JSON_E_ESCAPE);
    } else if (strcmp(bad[i], "[1]\x00") == 0) {
      assert_int_equal(rc, MEFC_JSON_OK); /* strlen stops at the NUL */
    } else {
      if (rc != MEFC_JSON_E_SYNTAX) {
        fprintf(stderr, "input %zu: rc %d\n", i, rc);
      }
      assert_int_equal(rc, MEFC_JSON_E_SYNTAX); /* MCC-2-5a */
    }
  }
  /* A NUL byte after the value is trailing, inside a string a control byte. */
  assert_int_equal(parse_n("[1]\x00", 4), MEFC_JSON_E_TRAILING);
  assert_int_equal(parse_n("\"a\x00\"", 4), MEFC_JSON_E_SYNTAX);
}

static void test_json_trailing(void **state) {
  (void)state;
  assert_int_equal(parse("{} {}"), MEFC_JSON_E_TRAILING);
  assert_int_equal(parse("1 2"), MEFC_JSON_E_TRAILING);
  assert_int_equal(parse("{}x"), MEFC_JSON_E_TRAILING);
  assert_int_equal(parse("[]]"), MEFC_JSON_E_TRAILING);
  assert_int_equal(parse("truex"), MEFC_JSON_E_TRAILING);
  assert_int_equal(parse("0x1"), MEFC_JSON_E_TRAILING);
  assert_int_equal(parse("\"a\"\"b\""), MEFC_JSON_E_TRAILING);
  assert_int_equal(parse("null,"), MEFC_JSON_E_TRAILING);
  assert_int_equal(parse("{}   \t\n"), MEFC_JSON_OK);
}

/* ---- strings: escapes ---- */

static void test_json_escapes(void **state) {
  (void)state;
  want_string("[\"\\\"\"]", "\"", 1);
  want_string("[\"\\\\\"]", "\\", 1);
  want_string("[\"\\/\"]", "/", 1);
  want_string("[\"\\b\"]", "\b", 1);
  want_string("[\"\\f\"]", "\f", 1);
  want_string("[\"\\n\"]", "\n", 1);
  want_string("[\"\\r\"]", "\r", 1);
  want_string("[\"\\t\"]", "\t", 1);
  want_string("[\"\\u0041\"]", "A", 1);
  want_string("[\"\\u00e9\"]", "\xc3\xa9", 2);
  want_string("[\"\\u00E9\"]", "\xc3\xa9", 2);
  want_string("[\"\\u07FF\"]", "\xdf\xbf", 2);
  want_string("[\"\\u0800\"]", "\xe0\xa0\x80", 3);
  want_string("[\"\\u20ac\"]", "\xe2\x82\xac", 3);
  want_string("[\"\\uFFFF\"]", "\xef\xbf\xbf", 3);
  want_string("[\"\\u0000\"]", "\0", 1);
  want_string("[\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"]", "a\"b\\c/d\be\ff\ng\rh\ti", 17);
  want_string("[\"\"]", "", 0);
  want_string("[\"\x7f\"]", "\x7f", 1); /* DEL is not a control byte in RFC 8259 */
}

static void test_json_bad_escapes(void **state) {
  static const char *const bad[] = {"[\"\\x\"]",     "[\"\\a\"]",     "[\"\\U0041\"]",
                                    "[\"\\u12G4\"]", "[\"\\u123\"]",  "[\"\\u\"]",
                                    "[\"\\'\"]",     "[\"\\0\"]",     "[\"\\ \"]",
                                    "[\"\\u004\"]",  "\"\\u00"};
  (void)state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(parse(bad[i]), MEFC_JSON_E_ESCAPE);
  }
}

static void test_json_surrogates(void **state) {
  (void)state;
  /* U+1F600 and the extremes U+10000, U+10FFFF. */
  want_string("[\"\\ud83d\\ude00\"]", "\xf0\x9f\x98\x80", 4);
  want_string("[\"\\uD800\\uDC00\"]", "\xf0\x90\x80\x80", 4);
  want_string("[\"\\uDBFF\\uDFFF\"]", "\xf4\x8f\xbf\xbf", 4);
  want_string("[\"x\\ud83d\\ude00y\"]", "x\xf0\x9f\x98\x80y", 6);
  /* Lone high, lone low, reversed, two highs, high then a non-surrogate. */
  assert_int_equal(parse("[\"\\ud800\"]"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("[\"\\ud800x\"]"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("[\"\\ud800\\n\"]"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("[\"\\ud800\\u0041\"]"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("[\"\\udc00\"]"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("[\"\\uDFFF\"]"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("[\"\\udc00\\ud800\"]"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("[\"\\ud800\\ud800\"]"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("[\"\\udbff\\udbff\"]"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("[\"\\ud800\\udc0\"]"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("\"\\ud800\\udc00"), MEFC_JSON_E_SYNTAX); /* pair fine, unterminated */
  assert_int_equal(parse("\"\\ud800\\u"), MEFC_JSON_E_ESCAPE);
  /* Just outside the surrogate range is an ordinary character. */
  want_string("[\"\\ud7ff\"]", "\xed\x9f\xbf", 3);
  want_string("[\"\\ue000\"]", "\xee\x80\x80", 3);
}

/* ---- strings: UTF-8 ---- */

static void test_json_utf8_valid(void **state) {
  static const char *const ok[] = {
      "\xc2\x80",         "\xc3\xa9",         "\xdf\xbf",         "\xe0\xa0\x80",
      "\xe2\x82\xac",     "\xed\x9f\xbf",     "\xee\x80\x80",     "\xef\xbf\xbf",
      "\xf0\x90\x80\x80", "\xf0\x9f\x98\x80", "\xf3\xbf\xbf\xbf", "\xf4\x8f\xbf\xbf"};
  char json[32];
  (void)state;
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    snprintf(json, sizeof json, "[\"%s\"]", ok[i]);
    want_string(json, ok[i], strlen(ok[i]));
  }
}

static void test_json_utf8_invalid(void **state) {
  static const char *const bad[] = {
      "\xc0\x80",         "\xc1\xbf",         "\xe0\x80\x80",     "\xe0\x9f\xbf",
      "\xed\xa0\x80",     "\xed\xbf\xbf",     "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",
      "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf7\xbf\xbf\xbf", "\xf8\x88\x80\x80\x80",
      "\xfe",             "\xff",             "\x80",             "\xbf",
      "\xc3",             "\xe2\x82",         "\xf0\x9f\x98",     "\xc3\x41",
      "\xe2\x28\xa1",     "\xe2\x82\x28",     "\xf0\x9f\x28\x80", "\xf0\x9f\x98\x28",
      "a\xc3\xa9\xa9"};
  char json[32];
  (void)state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    snprintf(json, sizeof json, "[\"%s\"]", bad[i]);
    assert_int_equal(parse(json), MEFC_JSON_E_UTF8);
  }
  /* Truncated by the end of the input. */
  assert_int_equal(parse("\"\xc3"), MEFC_JSON_E_UTF8);
  assert_int_equal(parse("\"\xe2\x82"), MEFC_JSON_E_UTF8);
  assert_int_equal(parse("\"\xf0\x9f\x98"), MEFC_JSON_E_UTF8);
  /* In a key too. */
  assert_int_equal(parse("{\"\xed\xa0\x80\":1}"), MEFC_JSON_E_UTF8);
  /* Outside a string, a non-ASCII byte is just not JSON. */
  assert_int_equal(parse("\xc3\xa9"), MEFC_JSON_E_SYNTAX);
}

/* ---- numbers ---- */

static void test_json_int64_bounds(void **state) {
  (void)state;
  assert_int_equal(parse("9223372036854775807"), MEFC_JSON_OK);
  assert_int_equal(doc.tok[0].type, MEFC_JSON_INTEGER);
  assert_true(doc.tok[0].ival == INT64_MAX);
  assert_int_equal(parse("-9223372036854775808"), MEFC_JSON_OK);
  assert_int_equal(doc.tok[0].type, MEFC_JSON_INTEGER);
  assert_true(doc.tok[0].ival == INT64_MIN);
  assert_int_equal(parse("9223372036854775808"), MEFC_JSON_E_NUMBER);
  assert_int_equal(parse("-9223372036854775809"), MEFC_JSON_E_NUMBER);
  assert_int_equal(parse("18446744073709551615"), MEFC_JSON_E_NUMBER);
  assert_int_equal(parse("18446744073709551616"), MEFC_JSON_E_NUMBER);
  assert_int_equal(parse("[99999999999999999999999999999999]"), MEFC_JSON_E_NUMBER);
  assert_int_equal(parse("9223372036854775806"), MEFC_JSON_OK);
  assert_true(doc.tok[0].ival == INT64_MAX - 1);
  assert_int_equal(parse("-9223372036854775807"), MEFC_JSON_OK);
  assert_true(doc.tok[0].ival == INT64_MIN + 1);
  assert_int_equal(parse("922337203685477580"), MEFC_JSON_OK);
  assert_true(doc.tok[0].ival == 922337203685477580);
  assert_int_equal(parse("9223372036854775810"), MEFC_JSON_E_NUMBER);
  /* With a fraction or exponent the magnitude does not matter. */
  assert_int_equal(parse("99999999999999999999999.5"), MEFC_JSON_OK);
  assert_int_equal(doc.tok[0].type, MEFC_JSON_NUMBER);
  assert_int_equal(parse("9223372036854775808e0"), MEFC_JSON_OK);
  assert_int_equal(doc.tok[0].type, MEFC_JSON_NUMBER);
}

static void test_json_integers(void **state) {
  static const struct {
    const char *s;
    int64_t v;
  } ok[] = {{"0", 0}, {"-0", 0}, {"7", 7}, {"-7", -7}, {"10", 10}, {"305", 305}, {"[-12]", -12}};
  (void)state;
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    uint32_t t;
    assert_int_equal(parse(ok[i].s), MEFC_JSON_OK);
    t = doc.tok[0].type == MEFC_JSON_ARRAY ? 1u : 0u;
    assert_int_equal(doc.tok[t].type, MEFC_JSON_INTEGER);
    assert_true(doc.tok[t].ival == ok[i].v);
  }
}

static void test_json_numbers(void **state) {
  static const char *const ok[] = {"0.5",  "-0.0",  "1e5",     "1E5",     "1e+5",   "1e-5",
                                   "1.5e3", "-1.5E-3", "0e0", "123.456", "1e0400", "0.000"};
  static const char *const bad[] = {"01",   "-01",  "00",    "-00", "1.",   "-1.",  "1.e5",
                                    "1e",   "1E",   "1e+",   "1e-", "-",    "--1",  "-a",
                                    "1.5.3", "1e5e3", "1e5.3", "1.5e", "[01]", "[1.]", "0.e1",
                                    "1ee5", "-.5",  "007",   "1e+-5"};
  (void)state;
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    assert_int_equal(parse(ok[i]), MEFC_JSON_OK);
    assert_int_equal(doc.tok[0].type, MEFC_JSON_NUMBER);
    assert_int_equal(doc.tok[0].ival, 0);
    assert_int_equal(doc.tok[0].end, strlen(ok[i]));
  }
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (parse(bad[i]) != MEFC_JSON_E_NUMBER) {
      fprintf(stderr, "number %s\n", bad[i]);
    }
    assert_int_equal(parse(bad[i]), MEFC_JSON_E_NUMBER);
  }
  /* Not a number start at all. */
  assert_int_equal(parse(".5"), MEFC_JSON_E_SYNTAX);
  assert_int_equal(parse("+5"), MEFC_JSON_E_SYNTAX);
  /* A number followed by something else is not a longer number. */
  assert_int_equal(parse("1-"), MEFC_JSON_E_TRAILING);
  assert_int_equal(parse("[1-]"), MEFC_JSON_E_SYNTAX);
  assert_int_equal(parse("[1,-2]"), MEFC_JSON_OK);
}

/* ---- capacities ---- */

static void nest(char *s, unsigned depth) {
  size_t n = 0;
  for (unsigned i = 0; i < depth; i++) s[n++] = '[';
  for (unsigned i = 0; i < depth; i++) s[n++] = ']';
  s[n] = 0;
}

static void test_json_depth(void **state) {
  char s[64];
  char o[256];
  size_t n = 0;
  (void)state;
  nest(s, MEFC_JSON_DEPTH_MAX);
  assert_int_equal(parse(s), MEFC_JSON_OK);
  check_invariants(strlen(s));
  assert_int_equal(doc.ntok, MEFC_JSON_DEPTH_MAX);
  assert_int_equal(doc.tok[MEFC_JSON_DEPTH_MAX - 1u].parent, MEFC_JSON_DEPTH_MAX - 2u);
  nest(s, MEFC_JSON_DEPTH_MAX + 1u);
  assert_int_equal(parse(s), MEFC_JSON_E_DEPTH);
  /* Objects count the same: depth 8 with a scalar inside is fine. */
  for (unsigned i = 0; i < MEFC_JSON_DEPTH_MAX; i++) n += (size_t)sprintf(o + n, "{\"a\":");
  n += (size_t)sprintf(o + n, "1");
  for (unsigned i = 0; i < MEFC_JSON_DEPTH_MAX; i++) o[n++] = '}';
  o[n] = 0;
  assert_int_equal(parse(o), MEFC_JSON_OK);
  check_invariants(strlen(o));
  n = 0;
  for (unsigned i = 0; i <= MEFC_JSON_DEPTH_MAX; i++) n += (size_t)sprintf(o + n, "{\"a\":");
  n += (size_t)sprintf(o + n, "1");
  for (unsigned i = 0; i <= MEFC_JSON_DEPTH_MAX; i++) o[n++] = '}';
  o[n] = 0;
  assert_int_equal(parse(o), MEFC_JSON_E_DEPTH);
  /* Deep but closed again: depth is nesting, not a running count. */
  assert_int_equal(parse("[[[[[[[[]]]],[[[[]]]]]]]]"), MEFC_JSON_OK);
}

/* An array of k elements is k + 1 tokens. */
/* "[" and k zeros each followed by ',', then tail: the array's (k+2)th token
 * is the first of tail. */
static void zeros_then(char *s, unsigned k, const char *tail) {
  size_t n = 0;
  s[n++] = '[';
  for (unsigned i = 0; i < k; i++) n += (size_t)sprintf(s + n, "0,");
  sprintf(s + n, "%s", tail);
}

static size_t array_of(char *s, unsigned k) {
  size_t n = 0;
  s[n++] = '[';
  for (unsigned i = 0; i < k; i++) {
    if (i) s[n++] = ',';
    s[n++] = '0';
  }
  s[n++] = ']';
  s[n] = 0;
  return n;
}

static void test_json_tokens(void **state) {
  char s[512];
  char o[1024];
  size_t n;
  (void)state;
  n = array_of(s, MEFC_JSON_TOKENS_MAX - 1u);
  assert_int_equal(parse(s), MEFC_JSON_OK);
  assert_int_equal(doc.ntok, MEFC_JSON_TOKENS_MAX);
  assert_int_equal(doc.tok[0].count, MEFC_JSON_TOKENS_MAX - 1u);
  check_invariants(n);
  array_of(s, MEFC_JSON_TOKENS_MAX);
  assert_int_equal(parse(s), MEFC_JSON_E_TOKENS);
  /* Keys are tokens: {"k0":[0],"k1":1,...} with 47 members is 96 tokens. */
  n = 0;
  n += (size_t)sprintf(o + n, "{\"k0\":[0]");
  for (unsigned i = 1; i < (MEFC_JSON_TOKENS_MAX - 1u) / 2u; i++)
    n += (size_t)sprintf(o + n, ",\"k%u\":%u", i, i);
  o[n++] = '}';
  o[n] = 0;
  assert_int_equal(parse(o), MEFC_JSON_OK);
  assert_int_equal(doc.ntok, MEFC_JSON_TOKENS_MAX);
  assert_int_equal(doc.tok[0].count, (MEFC_JSON_TOKENS_MAX - 1u) / 2u);
  check_invariants(n);
  n--;
  n += (size_t)sprintf(o + n, ",\"kk\":1}");
  assert_int_equal(parse(o), MEFC_JSON_E_TOKENS);
  /* The 97th token is a key. */
  zeros_then(o, MEFC_JSON_TOKENS_MAX - 2u, "{\"a\":1}]");
  assert_int_equal(parse(o), MEFC_JSON_E_TOKENS);
}

/* Which code when one byte carries two defects. The grammar fuzz target
 * accepts either code in these cases; the reader's order is pinned here:
 * one pass in byte order, each rule's own check first, and for a token
 * over the cap: a container's depth before the cap, a scalar's own defect
 * before the cap, the cap before a member name is read. */
static void test_json_error_precedence(void **state) {
  char o[1024];
  size_t n;
  (void)state;
  /* The end of input inside a construct: the innermost rule's code. */
  assert_int_equal(parse("[\"ab"), MEFC_JSON_E_SYNTAX);      /* string unterminated */
  assert_int_equal(parse("[\"\\"), MEFC_JSON_E_ESCAPE);    /* inside an escape */
  assert_int_equal(parse("[\"\\u12"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("[\"\\uD800"), MEFC_JSON_E_ESCAPE); /* a high surrogate, no low one */
  assert_int_equal(parse("[\"\xC3"), MEFC_JSON_E_UTF8);      /* inside a UTF-8 sequence */
  assert_int_equal(parse("[-"), MEFC_JSON_E_NUMBER);         /* digits missing */
  assert_int_equal(parse("-"), MEFC_JSON_E_NUMBER);
  assert_int_equal(parse("[1"), MEFC_JSON_E_SYNTAX);         /* the number is whole; the array is not */
  /* A high surrogate escape followed by a defective byte: the pairing. */
  assert_int_equal(parse("[\"\\uD800\x01\"]"), MEFC_JSON_E_ESCAPE);
  assert_int_equal(parse("[\"\\uD800\xFF\"]"), MEFC_JSON_E_ESCAPE);
  /* '.', 'e' or 'E' right after a whole number: a number defect. */
  assert_int_equal(parse("[1.5.3]"), MEFC_JSON_E_NUMBER);
  assert_int_equal(parse("[1e5e5]"), MEFC_JSON_E_NUMBER);
  assert_int_equal(parse("1.5.3"), MEFC_JSON_E_NUMBER);
  assert_int_equal(parse("1E5E5"), MEFC_JSON_E_NUMBER);
  /* The 97th token: a malformed scalar reports its own defect... */
  zeros_then(o, MEFC_JSON_TOKENS_MAX - 1u, "01]");
  assert_int_equal(parse(o), MEFC_JSON_E_NUMBER);
  zeros_then(o, MEFC_JSON_TOKENS_MAX - 1u, "\"\\x\"]");
  assert_int_equal(parse(o), MEFC_JSON_E_ESCAPE);
  zeros_then(o, MEFC_JSON_TOKENS_MAX - 1u, "0]");
  assert_int_equal(parse(o), MEFC_JSON_E_TOKENS);
  /* ...a container one level too deep reports the depth... */
  n = 0;
  for (unsigned i = 0; i < MEFC_JSON_DEPTH_MAX; i++) o[n++] = '[';
  for (unsigned i = 0; i < MEFC_JSON_TOKENS_MAX - MEFC_JSON_DEPTH_MAX; i++) n += (size_t)sprintf(o + n, "0,");
  n += (size_t)sprintf(o + n, "[]");
  for (unsigned i = 0; i < MEFC_JSON_DEPTH_MAX; i++) o[n++] = ']';
  o[n] = 0;
  assert_int_equal(parse(o), MEFC_JSON_E_DEPTH);
  /* ...and a 97th member name the cap, whatever its bytes. */
  zeros_then(o, MEFC_JSON_TOKENS_MAX - 2u, "{\"\\q\":1}]");
  assert_int_equal(parse(o), MEFC_JSON_E_TOKENS);
}

static void test_json_payload_size(void **state) {
  static char s[MEFC_PAYLOAD_MAX + 2u];
  (void)state;
  /* A string value filling exactly MEFC_PAYLOAD_MAX bytes. */
  memset(s, 'a', sizeof s);
  s[0] = '"';
  s[MEFC_PAYLOAD_MAX - 1u] = '"';
  assert_int_equal(parse_n(s, MEFC_PAYLOAD_MAX), MEFC_JSON_OK);
  assert_int_equal(doc.tok[0].end, MEFC_PAYLOAD_MAX - 1u);
  /* One byte more, even whitespace, is too large. */
  s[MEFC_PAYLOAD_MAX] = ' ';
  assert_int_equal(parse_n(s, MEFC_PAYLOAD_MAX + 1u), MEFC_JSON_E_TOO_LARGE);
  memset(s, ' ', sizeof s);
  s[0] = '1';
  assert_int_equal(parse_n(s, MEFC_PAYLOAD_MAX), MEFC_JSON_OK);
  assert_int_equal(parse_n(s, MEFC_PAYLOAD_MAX + 1u), MEFC_JSON_E_TOO_LARGE);
  assert_int_equal(parse_n(s, SIZE_MAX), MEFC_JSON_E_TOO_LARGE);
}

/* ---- duplicates ---- */

static void test_json_duplicates(void **state) {
  static const char *const dup[] = {
      "{\"a\":1,\"a\":2}",
      "{\"a\":1,\"b\":2,\"a\":3}",
      "{\"a\":1,\"\\u0061\":2}",
      "{\"\\u0061\":1,\"a\":2}",
      "{\"ab\":1,\"a\\u0062\":2}",
      "{\"/\":1,\"\\/\":2}",
      "{\"\\\"\":1,\"\\u0022\":2}",
      "{\"\xc3\xa9\":1,\"\\u00e9\":2}",
      "{\"\\u00E9\":1,\"\\u00e9\":2}",
      "{\"\xf0\x9f\x98\x80\":1,\"\\ud83d\\ude00\":2}",
      "{\"\":1,\"\":2}",
      "[{\"x\":1,\"x\":1}]",
      "{\"o\":{\"a\":[1,{\"q\":1}],\"b\":2,\"a\":3}}",
      "{\"a\":{\"x\":1},\"b\":[1,2],\"a\":null}",
      "{\"sec:mcc\":{\"mcci\":\"c-1\",\"mcci\":\"c-2\"}}"};
  static const char *const ok[] = {
      "{\"a\":1,\"b\":2}",
      "{\"a\":1,\"A\":2}",
      "{\"a\":1,\"b\":{\"a\":2}}",
      "{\"a\":{\"a\":{\"a\":1}}}",
      "[{\"a\":1},{\"a\":1}]",
      "{\"a\":1,\"ab\":2}",
      "{\"ab\":1,\"a\":2}",
      "{\"a\":\"a\",\"b\":\"a\"}",
      "{\"\\u00e9\":1,\"\\u00e8\":2}",
      "{\"\":1,\"a\":2}",
      "{\"a\\u0000\":1,\"a\":2}"};
  (void)state;
  for (size_t i = 0; i < sizeof dup / sizeof dup[0]; i++) {
    assert_int_equal(parse(dup[i]), MEFC_JSON_E_DUPLICATE);
  }
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    assert_int_equal(parse(ok[i]), MEFC_JSON_OK);
    check_invariants(strlen(ok[i]));
  }
}

/* ---- member lookup ---- */

static void test_json_member(void **state) {
  const char *s = "{\"a\":{\"b\":1},\"b\":2,\"c\\u0064\":[3],\"\xc3\xa9\":4,\"e\":{}}";
  size_t len = strlen(s);
  const uint8_t *b = (const uint8_t *)s;
  uint32_t v = 0;
  (void)state;
  assert_int_equal(parse(s), MEFC_JSON_OK);
  check_invariants(len);
  assert_true(mefc_json_member(b, len, &doc, 0, "a", 1, &v));
  assert_int_equal(doc.tok[v].type, MEFC_JSON_OBJECT);
  assert_int_equal(v, 2);
  /* Only direct members: "b" of the root is 2, not the nested 1. */
  assert_true(mefc_json_member(b, len, &doc, 0, "b", 1, &v));
  assert_int_equal(doc.tok[v].type, MEFC_JSON_INTEGER);
  assert_int_equal(doc.tok[v].ival, 2);
  assert_true(mefc_json_member(b, len, &doc, 2, "b", 1, &v));
  assert_int_equal(doc.tok[v].ival, 1);
  /* Keys compare after unescaping. */
  assert_true(mefc_json_member(b, len, &doc, 0, "cd", 2, &v));
  assert_int_equal(doc.tok[v].type, MEFC_JSON_ARRAY);
  assert_true(mefc_json_member(b, len, &doc, 0, "\xc3\xa9", 2, &v));
  assert_int_equal(doc.tok[v].ival, 4);
  assert_true(mefc_json_member(b, len, &doc, 0, "e", 1, &v));
  assert_int_equal(doc.tok[v].type, MEFC_JSON_OBJECT);
  /* Missing, prefix, longer, wrong case, empty. */
  assert_false(mefc_json_member(b, len, &doc, 0, "x", 1, &v));
  assert_false(mefc_json_member(b, len, &doc, 0, "c", 1, &v));
  assert_false(mefc_json_member(b, len, &doc, 0, "bb", 2, &v));
  assert_false(mefc_json_member(b, len, &doc, 0, "A", 1, &v));
  assert_false(mefc_json_member(b, len, &doc, 0, "", 0, &v));
  /* Not an object, out of range, an empty object. */
  assert_false(mefc_json_member(b, len, &doc, 1, "a", 1, &v));
  assert_false(mefc_json_member(b, len, &doc, 8, "a", 1, &v));
  assert_false(mefc_json_member(b, len, &doc, doc.ntok, "a", 1, &v));
  assert_false(mefc_json_member(b, len, &doc, MEFC_NONE, "a", 1, &v));
  assert_true(mefc_json_member(b, len, &doc, 0, "e", 1, &v));
  assert_false(mefc_json_member(b, len, &doc, v, "a", 1, &v));
  /* The value of the last member, and an object whose values are containers. */
  assert_int_equal(parse("{\"x\":[1,[2]],\"y\":{\"z\":[]},\"w\":true}"), MEFC_JSON_OK);
  s = "{\"x\":[1,[2]],\"y\":{\"z\":[]},\"w\":true}";
  assert_true(mefc_json_member((const uint8_t *)s, strlen(s), &doc, 0, "w", 1, &v));
  assert_int_equal(doc.tok[v].type, MEFC_JSON_TRUE);
  assert_true(mefc_json_member((const uint8_t *)s, strlen(s), &doc, 0, "y", 1, &v));
  assert_int_equal(doc.tok[v].type, MEFC_JSON_OBJECT);
}

/* ---- str_eq / str_copy ---- */

static void test_json_str_eq(void **state) {
  const char *s = "[\"abc\",\"a\\u0062c\",1,\"\",\"\xc3\xa9\",\"\\u00e9\",\"\\ud83d\\ude00\"]";
  size_t len = strlen(s);
  const uint8_t *b = (const uint8_t *)s;
  (void)state;
  assert_int_equal(parse(s), MEFC_JSON_OK);
  assert_true(mefc_json_str_eq(b, len, &doc.tok[1], "abc", 3));
  assert_false(mefc_json_str_eq(b, len, &doc.tok[1], "ab", 2));
  assert_false(mefc_json_str_eq(b, len, &doc.tok[1], "abcd", 4));
  assert_false(mefc_json_str_eq(b, len, &doc.tok[1], "abd", 3));
  assert_true(mefc_json_str_eq(b, len, &doc.tok[2], "abc", 3));
  assert_false(mefc_json_str_eq(b, len, &doc.tok[2], "ab", 2));
  assert_false(mefc_json_str_eq(b, len, &doc.tok[2], "abcd", 4));
  assert_false(mefc_json_str_eq(b, len, &doc.tok[2], "a\\u0062c", 8));
  /* An INTEGER is never equal to a string, even to its own text. */
  assert_false(mefc_json_str_eq(b, len, &doc.tok[3], "1", 1));
  assert_true(mefc_json_str_eq(b, len, &doc.tok[4], "", 0));
  assert_false(mefc_json_str_eq(b, len, &doc.tok[4], "a", 1));
  assert_true(mefc_json_str_eq(b, len, &doc.tok[5], "\xc3\xa9", 2));
  assert_true(mefc_json_str_eq(b, len, &doc.tok[6], "\xc3\xa9", 2));
  assert_false(mefc_json_str_eq(b, len, &doc.tok[6], "\xc3", 1));
  assert_false(mefc_json_str_eq(b, len, &doc.tok[6], "\xc3\xa9x", 3));
  assert_true(mefc_json_str_eq(b, len, &doc.tok[7], "\xf0\x9f\x98\x80", 4));
  assert_false(mefc_json_str_eq(b, len, &doc.tok[7], "\xf0\x9f\x98", 3));
  /* A token whose span does not fit the buffer is never equal. */
  assert_false(mefc_json_str_eq(b, 3, &doc.tok[1], "abc", 3));
}

static void test_json_str_copy(void **state) {
  const char *s = "[\"abcd\",\"\\u00e9x\",\"\\ud83d\\ude00\",\"\",null,\"\\n\\t\"]";
  size_t len = strlen(s);
  const uint8_t *b = (const uint8_t *)s;
  uint8_t out[8];
  size_t n = 0;
  (void)state;
  assert_int_equal(parse(s), MEFC_JSON_OK);
  /* Exact fit, one short, empty buffer. */
  assert_true(mefc_json_str_copy(b, len, &doc.tok[1], out, 4, &n));
  assert_int_equal(n, 4);
  assert_memory_equal(out, "abcd", 4);
  assert_false(mefc_json_str_copy(b, len, &doc.tok[1], out, 3, &n));
  assert_false(mefc_json_str_copy(b, len, &doc.tok[1], out, 0, &n));
  /* An escape needing two bytes does not fit in one or two with the x. */
  assert_true(mefc_json_str_copy(b, len, &doc.tok[2], out, 3, &n));
  assert_int_equal(n, 3);
  assert_memory_equal(out, "\xc3\xa9x", 3);
  assert_false(mefc_json_str_copy(b, len, &doc.tok[2], out, 2, &n));
  assert_false(mefc_json_str_copy(b, len, &doc.tok[2], out, 1, &n));
  /* A surrogate pair needs four. */
  assert_true(mefc_json_str_copy(b, len, &doc.tok[3], out, 4, &n));
  assert_int_equal(n, 4);
  assert_memory_equal(out, "\xf0\x9f\x98\x80", 4);
  assert_false(mefc_json_str_copy(b, len, &doc.tok[3], out, 3, &n));
  /* Empty string into an empty buffer. */
  assert_true(mefc_json_str_copy(b, len, &doc.tok[4], out, 0, &n));
  assert_int_equal(n, 0);
  /* Not a string. */
  assert_false(mefc_json_str_copy(b, len, &doc.tok[5], out, sizeof out, &n));
  assert_true(mefc_json_str_copy(b, len, &doc.tok[6], out, 2, &n));
  assert_int_equal(n, 2);
  assert_memory_equal(out, "\n\t", 2);
  assert_false(mefc_json_str_copy(b, len, &doc.tok[6], out, 1, &n));
}

/* The parser never reads outside buf[0..len): a value cut short by len is
 * an error even when the bytes after len would complete it. */
static void test_json_len_bound(void **state) {
  const char *s = "{\"a\":[1,2]}";
  (void)state;
  for (size_t n = 0; n < strlen(s); n++) {
    int rc = parse_n(s, n);
    assert_true(rc == (n == 0 ? MEFC_JSON_E_EMPTY : MEFC_JSON_E_SYNTAX));
  }
  assert_int_equal(parse_n("123", 2), MEFC_JSON_OK);
  assert_int_equal(doc.tok[0].ival, 12);
  assert_int_equal(parse_n("truex", 3), MEFC_JSON_E_SYNTAX);
  assert_int_equal(parse_n("1.5", 2), MEFC_JSON_E_NUMBER);
}

/* After a container closes, the reader is back in its parent, and an object
 * and an array take different things next: the kind of each open level is
 * remembered through the deepest nesting and restored level by level. */
static void test_json_mixed_nesting(void **state) {
  const char *s = "{\"a\":[{\"b\":[1,{\"c\":2}],\"d\":3},4],\"e\":{\"f\":[5]}}";
  const char *deep = "{\"a\":[{\"a\":[{\"a\":[{\"a\":[]}]}]}],\"z\":[{\"y\":0},1]}";
  (void)state;
  assert_int_equal(parse(s), MEFC_JSON_OK);
  check_invariants(strlen(s));
  assert_int_equal(doc.ntok, 18);
  assert_int_equal(doc.tok[0].count, 2);  /* "a" and "e" */
  assert_int_equal(doc.tok[2].type, MEFC_JSON_ARRAY);
  assert_int_equal(doc.tok[2].count, 2);  /* the object and 4 */
  assert_int_equal(doc.tok[3].count, 2);  /* "b" and "d" */
  assert_int_equal(doc.tok[5].count, 2);  /* 1 and {"c":2} */
  assert_int_equal(doc.tok[12].type, MEFC_JSON_INTEGER);
  assert_int_equal(doc.tok[12].ival, 4);
  assert_int_equal(doc.tok[12].parent, 2);
  assert_int_equal(doc.tok[13].parent, 0); /* "e", back at the root object */
  assert_int_equal(doc.tok[14].count, 1);
  /* Eight levels, alternating, all open at once, then members again. */
  assert_int_equal(parse(deep), MEFC_JSON_OK);
  check_invariants(strlen(deep));
  /* A closing bracket of the other kind, or the other kind's separator. */
  assert_int_equal(parse("{\"a\":[1}"), MEFC_JSON_E_SYNTAX);
  assert_int_equal(parse("[{\"a\":1]}"), MEFC_JSON_E_SYNTAX);
  assert_int_equal(parse("{\"a\":[1],2}"), MEFC_JSON_E_SYNTAX);
  assert_int_equal(parse("[{\"a\":1},\"b\":2]"), MEFC_JSON_E_SYNTAX);
  assert_int_equal(parse("[[{\"a\":[]}],\"k\":1]"), MEFC_JSON_E_SYNTAX);
  assert_int_equal(parse("{\"a\":{\"b\":[{}]},}"), MEFC_JSON_E_SYNTAX);
  assert_int_equal(parse("{\"a\":{\"b\":[{}]}}"), MEFC_JSON_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_json_command_tokens),
      cmocka_unit_test(test_json_array_tokens),
      cmocka_unit_test(test_json_scalar_roots),
      cmocka_unit_test(test_json_empty),
      cmocka_unit_test(test_MCC_2_5a_json_syntax),
      cmocka_unit_test(test_json_trailing),
      cmocka_unit_test(test_json_escapes),
      cmocka_unit_test(test_json_bad_escapes),
      cmocka_unit_test(test_json_surrogates),
      cmocka_unit_test(test_json_utf8_valid),
      cmocka_unit_test(test_json_utf8_invalid),
      cmocka_unit_test(test_json_int64_bounds),
      cmocka_unit_test(test_json_integers),
      cmocka_unit_test(test_json_numbers),
      cmocka_unit_test(test_json_depth),
      cmocka_unit_test(test_json_mixed_nesting),
      cmocka_unit_test(test_json_tokens),
      cmocka_unit_test(test_json_error_precedence),
      cmocka_unit_test(test_json_payload_size),
      cmocka_unit_test(test_json_duplicates),
      cmocka_unit_test(test_json_member),
      cmocka_unit_test(test_json_str_eq),
      cmocka_unit_test(test_json_str_copy),
      cmocka_unit_test(test_json_len_bound),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
