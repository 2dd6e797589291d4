/* The LwM2M SenML JSON decoder (src/shell/lwm2m_senml.c): base names and
 * names, each value field, and what the bootstrap client refuses - names
 * outside the written path, a record with no value or two, unknown fields,
 * bad base64, JSON that is not SenML, and payloads past the core reader's
 * bounds (MCC-8-5, ruling I-47). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell/lwm2m_data.h"

static lw_recs recs;
static mefc_json_doc doc;

static int dec(const char *target, const char *json)
{
  lw_path p;
  assert_int_equal(lw_path_parse((const uint8_t *)target, strlen(target), &p), LW_OK);
  return lw_senml_decode((const uint8_t *)json, strlen(json), &p, &recs, &doc);
}

static void test_values(void **st)
{
  (void)st;
  assert_int_equal(dec("/0/1", "[{\"bn\":\"/0/1/\",\"n\":\"0\",\"vs\":\"coap://a\\u00e9\"},"
                               "{\"n\":\"1\",\"vb\":false},{\"n\":\"10\",\"v\":-7},"
                               "{\"n\":\"5\",\"vd\":\"AAEC_w\"},{\"n\":\"16/1\",\"v\":174},"
                               "{\"n\":\"12\",\"v\":1.5}]"),
                   LW_OK);
  assert_int_equal(recs.n, 6);
  assert_int_equal(recs.v[0].kind, LW_K_STR);
  assert_int_equal(recs.v[0].n, 10);
  assert_memory_equal(recs.v[0].p, "coap://a\xc3\xa9", 10);
  assert_int_equal(recs.v[1].kind, LW_K_BOOL);
  assert_int_equal(recs.v[1].i, 0);
  assert_int_equal(recs.v[2].kind, LW_K_INT);
  assert_int_equal(recs.v[2].i, -7);
  assert_int_equal(recs.v[3].kind, LW_K_DATA);
  assert_int_equal(recs.v[3].n, 4);
  assert_memory_equal(recs.v[3].p, "\x00\x01\x02\xff", 4);
  assert_int_equal(recs.v[4].res, 16);
  assert_int_equal(recs.v[4].riid, 1);
  assert_int_equal(recs.v[5].kind, LW_K_FLOAT);
  /* Full names without a base name; the base name alone as the name. */
  assert_int_equal(dec("/1", "[{\"n\":\"/1/0/0\",\"v\":1},{\"bn\":\"/1/3/7\",\"vs\":\"U\"}]"), LW_OK);
  assert_int_equal(recs.n, 2);
  assert_int_equal(recs.v[1].inst, 3);
  assert_int_equal(recs.v[1].res, 7);
  /* bt, t, bver are accepted and ignored. */
  assert_int_equal(dec("/1/0", "[{\"bver\":10,\"bt\":0,\"t\":1.5,\"n\":\"/1/0/1\",\"v\":60}]"), LW_OK);
}

static void test_refused(void **st)
{
  (void)st;
  static const char *const malformed[] = {
      "{}", "[]", "[1]", "[{}]", "[{\"n\":\"/0/1/0\"}]",
      "[{\"n\":\"/0/1/0\",\"v\":1,\"vs\":\"x\"}]",
      "[{\"n\":\"/0/1/0\",\"vlo\":\"1:0\"}]",
      "[{\"n\":\"/0/1/0\",\"v\":1,\"u\":\"m\"}]",
      "[{\"n\":\"/0/1/0\",\"v\":\"1\"}]",
      "[{\"n\":\"/0/1/0\",\"vb\":1}]",
      "[{\"n\":\"/0/1/0\",\"vs\":1}]",
      "[{\"n\":\"/0/1/0\",\"vd\":\"!!!!\"}]",
      "[{\"n\":\"/0/1/0\",\"vd\":\"A\"}]",
      "[{\"n\":\"/0/1\",\"v\":1}]",
      "[{\"n\":\"0/1/0\",\"v\":1}]",
      "[{\"n\":\"/0/1/x\",\"v\":1}]",
      "[{\"n\":7,\"v\":1}]",
      "[{\"bn\":7,\"n\":\"/0/1/0\",\"v\":1}]",
      "[{\"n\":\"/0/1/0\",\"v\":1},{\"n\":\"/0/1/0\",\"v\":2}]",
      "[{\"n\":\"/0/1/0\",\"v\":1}",
      "[{\"n\":\"/0/1/0\",\"v\":1}] x",
      "[{\"n\":\"/0/1/0\",\"n\":\"/0/1/1\",\"v\":1}]",
      "[{\"n\":\"/0/1/0\",\"bt\":\"x\",\"v\":1}]",
      "[{\"n\":\"/0/1/0\",\"v\":99999999999999999999}]",
      "[[[[[[[[[[1]]]]]]]]]]",
  };
  for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
    if (dec("/0/1", malformed[i]) != LW_E_MALFORMED)
      fail_msg("not refused as malformed: %s", malformed[i]);
    assert_int_equal(recs.n, 0);
  }
  assert_int_equal(dec("/0/1", "[{\"n\":\"/0/2/0\",\"v\":1}]"), LW_E_PATH);
  assert_int_equal(dec("/0/1/3", "[{\"n\":\"/0/1/0\",\"v\":1}]"), LW_E_PATH);
  assert_int_equal(dec("/0/1/3/0", "[{\"n\":\"/0/1/3\",\"v\":1}]"), LW_E_PATH);
  assert_int_equal(dec("/1", "[{\"n\":\"/0/1/0\",\"v\":1}]"), LW_E_PATH);
}

static void test_limits(void **st)
{
  char buf[LW_BODY_MAX + 64];
  size_t n = 1;
  (void)st;
  buf[0] = '[';
  for (int i = 0; i < 30; i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "{\"n\":\"/0/1/%d\",\"v\":1},", i);
  buf[n - 1] = ']';
  buf[n] = '\0';
  assert_int_equal(dec("/0/1", buf), LW_E_LIMIT); /* more tokens than the reader holds */
  memset(buf, ' ', sizeof buf);
  memcpy(buf, "[{\"n\":\"/0/1/0\",\"v\":1}]", 22);
  buf[LW_BODY_MAX + 1] = '\0';
  assert_int_equal(dec("/0/1", buf), LW_E_LIMIT);
  /* A name longer than the decoder keeps. */
  char longname[200];
  snprintf(longname, sizeof longname, "[{\"bn\":\"/0/1/%0100d\",\"v\":1}]", 0);
  assert_int_equal(dec("/0/1", longname), LW_E_MALFORMED);
  lw_path root = {0, {0, 0, 0, 0}};
  assert_int_equal(lw_senml_decode((const uint8_t *)"[]", 2, &root, &recs, &doc), LW_E_MALFORMED);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_refused),
      cmocka_unit_test(test_limits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
