/* The client's reading of its MEF Client Registration's lifetime
 * (src/shell/reg_expiry.c, ruling I-49): the granted expirationTime against
 * the clock with the margin kept for a request's travel (MCC-2-PB, MCC-3-PB),
 * the unreadable and absent cases, and the "not found" answers that say the
 * MEF no longer holds the registration (MCC-1-5). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "shell/reg_expiry.h"

/* 2026-11-30 12:00:00 UTC */
#define NOW ((time_t)1796040000)

static void test_MCC_2_PB_in_force_and_expired(void **state)
{
  (void)state;
  /* In force: later than now + margin. */
  assert_int_equal(REGX_VALID, regx_check("20261130T120003", NOW, REGX_MARGIN_S));
  assert_int_equal(REGX_VALID, regx_check("20261130T120002", NOW, REGX_MARGIN_S));
  assert_int_equal(REGX_VALID, regx_check("20991231T235959", NOW, REGX_MARGIN_S));
  /* Within the margin: a request sent now may arrive after it. */
  assert_int_equal(REGX_EXPIRED, regx_check("20261130T120001", NOW, REGX_MARGIN_S));
  assert_int_equal(REGX_EXPIRED, regx_check("20261130T120000", NOW, REGX_MARGIN_S));
  /* Past. */
  assert_int_equal(REGX_EXPIRED, regx_check("20261130T115959", NOW, REGX_MARGIN_S));
  assert_int_equal(REGX_EXPIRED, regx_check("19700101T000000", NOW, REGX_MARGIN_S));
  /* Without a margin (a registration just granted): past only. */
  assert_int_equal(REGX_VALID, regx_check("20261130T120000", NOW, 0));
  assert_int_equal(REGX_EXPIRED, regx_check("20261130T115959", NOW, 0));
}

static void test_MCC_3_PB_unreadable_and_absent(void **state)
{
  (void)state;
  static const char *const bad[] = {
      "2026-11-30T12:00:00", "20261130T12000", "20261130T1200000", "20261130 120000",
      "20261130t120000", "20261130T12000Z", "2026113OT120000", "x", "20261130T120000,5"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(REGX_UNPARSEABLE, regx_check(bad[i], NOW, REGX_MARGIN_S));
  assert_int_equal(REGX_NO_EXPIRY, regx_check("", NOW, REGX_MARGIN_S));
  assert_int_equal(REGX_NO_EXPIRY, regx_check(NULL, NOW, REGX_MARGIN_S));
}

static void test_MCC_1_5_not_found(void **state)
{
  (void)state;
  ct_result r;
  memset(&r, 0, sizeof r);
  r.code = 404; /* CoAP 4.04 or HTTP 404, without an RSC */
  assert_true(regx_not_found(&r));
  r.has_rsc = 1;
  r.rsc = 4004;
  assert_true(regx_not_found(&r));
  r.code = 400; /* an RSC 4004 under another code still says "not found" */
  assert_true(regx_not_found(&r));
  r.rsc = 4000;
  assert_false(regx_not_found(&r));
  r.code = 205;
  r.rsc = 2000;
  assert_false(regx_not_found(&r));
  r.code = 403;
  r.rsc = 4103;
  assert_false(regx_not_found(&r));
  r.has_rsc = 0;
  r.code = 405;
  assert_false(regx_not_found(&r));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_MCC_2_PB_in_force_and_expired),
      cmocka_unit_test(test_MCC_3_PB_unreadable_and_absent),
      cmocka_unit_test(test_MCC_1_5_not_found),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
