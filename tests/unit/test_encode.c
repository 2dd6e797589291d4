/* Unit tests of mefc_encode_update: the Update request body of 8.3.9.3
 * (MCC-3-1) with the cmdID escaped as a JSON string. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "fixtures.h"

static size_t encode(const char *id, size_t id_len, uint32_t status, uint8_t *out, size_t cap) {
  mefc_cmd_id c;
  memset(&c, 0, sizeof c);
  memcpy(c.b, id, id_len);
  c.len = (uint32_t)id_len;
  return mefc_encode_update(&c, status, out, cap);
}

static void expect_body(const char *id, size_t id_len, uint32_t status, const char *body) {
  uint8_t out[MEFC_UPDATE_MAX];
  size_t n = encode(id, id_len, status, out, sizeof out);
  assert_int_equal(n, strlen(body)); /* MCC-3-1 */
  assert_memory_equal(out, body, n); /* MCC-3-1 */
}

static void test_MCC_3_1_plain(void **state) {
  (void)state;
  expect_body("c-1", 3, 20, "{\"sec:mcc\":{\"mcci\":\"c-1\",\"mccs\":20}}");
  expect_body("c-1", 3, 305, "{\"sec:mcc\":{\"mcci\":\"c-1\",\"mccs\":305}}");
  expect_body("x", 1, 0, "{\"sec:mcc\":{\"mcci\":\"x\",\"mccs\":0}}");
  expect_body("x", 1, 4294967295u, "{\"sec:mcc\":{\"mcci\":\"x\",\"mccs\":4294967295}}");
}

static void test_MCC_3_1_escaping(void **state) {
  (void)state;
  expect_body("a\"b", 3, 40, "{\"sec:mcc\":{\"mcci\":\"a\\\"b\",\"mccs\":40}}");
  expect_body("a\\b", 3, 40, "{\"sec:mcc\":{\"mcci\":\"a\\\\b\",\"mccs\":40}}");
  expect_body("\x01\x1f\n", 3, 42, "{\"sec:mcc\":{\"mcci\":\"\\u0001\\u001f\\u000a\",\"mccs\":42}}");
  expect_body("\x00z", 2, 42, "{\"sec:mcc\":{\"mcci\":\"\\u0000z\",\"mccs\":42}}");
  /* Bytes >= 0x80 (UTF-8 sequences) and '/' are copied as they are. */
  expect_body("\xc3\xa9/\x7f", 4, 43, "{\"sec:mcc\":{\"mcci\":\"\xc3\xa9/\x7f\",\"mccs\":43}}");
}

static void test_MCC_3_1_round_trip(void **state) {
  (void)state;
  /* The body decodes with the core's own reader to the same cmdID. */
  uint8_t out[MEFC_UPDATE_MAX];
  char id[64];
  for (int i = 0; i < 64; i++) id[i] = (char)(i < 32 ? i : '"' + (i % 3) * 29);
  size_t n = encode(id, 64, 202, out, sizeof out);
  assert_true(n > 0 && n <= MEFC_UPDATE_MAX);
  static mefc_json_doc doc;
  assert_int_equal(mefc_json_parse(out, n, &doc), MEFC_JSON_OK);
  uint32_t mcc, mcci;
  assert_true(mefc_json_member(out, n, &doc, 0, "sec:mcc", 7, &mcc));
  assert_true(mefc_json_member(out, n, &doc, mcc, "mcci", 4, &mcci));
  uint8_t back[64];
  size_t bl = 0;
  assert_true(mefc_json_str_copy(out, n, &doc.tok[mcci], back, sizeof back, &bl));
  assert_int_equal(bl, 64);
  assert_memory_equal(back, id, 64); /* MCC-3-1 */
}

static void test_MCC_3_1_worst_case_fits(void **state) {
  (void)state;
  /* Every byte escaped as \u00XX and a three-digit status: exactly MEFC_UPDATE_MAX. */
  uint8_t out[MEFC_UPDATE_MAX + 8];
  char id[MEFC_CMD_ID_MAX];
  memset(id, 0x01, sizeof id);
  size_t n = encode(id, sizeof id, 305, out, MEFC_UPDATE_MAX);
  assert_int_equal(n, MEFC_UPDATE_MAX); /* MCC-3-1 */
  n = encode(id, sizeof id, 4294967295u, out, sizeof out);
  assert_int_equal(n, 31 + 6 * MEFC_CMD_ID_MAX + 10); /* MCC-3-1: any uint32 status */
}

static void test_MCC_3_1_exact_fit(void **state) {
  (void)state;
  const char *body = "{\"sec:mcc\":{\"mcci\":\"a\\u0001\",\"mccs\":101}}";
  size_t len = strlen(body);
  uint8_t out[64];
  memset(out, 0xEE, sizeof out);
  assert_int_equal(encode("a\x01", 2, 101, out, len), len); /* MCC-3-1: exact fit */
  assert_memory_equal(out, body, len);
  assert_int_equal(out[len], 0xEE); /* nothing written past cap */
}

static void test_MCC_3_1_one_byte_short(void **state) {
  (void)state;
  const char *body = "{\"sec:mcc\":{\"mcci\":\"a\\u0001\",\"mccs\":101}}";
  size_t len = strlen(body);
  uint8_t out[64];
  memset(out, 0xEE, sizeof out);
  assert_int_equal(encode("a\x01", 2, 101, out, len - 1), 0); /* MCC-3-1: does not fit */
  assert_int_equal(out[len - 1], 0xEE);
  assert_int_equal(encode("a\x01", 2, 101, out, 0), 0);
  assert_int_equal(encode("a\"", 2, 20, out, 35), 0); /* MCC-3-1: the escape pushes it over */
  assert_int_equal(encode("a\"", 2, 20, out, 36), 36);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_MCC_3_1_plain),
      cmocka_unit_test(test_MCC_3_1_escaping),
      cmocka_unit_test(test_MCC_3_1_round_trip),
      cmocka_unit_test(test_MCC_3_1_worst_case_fits),
      cmocka_unit_test(test_MCC_3_1_exact_fit),
      cmocka_unit_test(test_MCC_3_1_one_byte_short),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
