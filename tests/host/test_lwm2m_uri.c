/* The DM server URI of a DEV_CFG over LwM2M (lw_uri_split in
 * src/shell/lwm2m_bootstrap.c): coap and coaps with their default ports,
 * IPv6 literals; every other scheme and a path are client-side failures
 * (MCC-8-6-CLI, rulings I-45, I-47). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "shell/lwm2m_bootstrap.h"

static int split(const char *uri, int *secure, char *host, uint16_t *port)
{
  char why[128];
  return lw_uri_split(uri, secure, host, 64, port, why, sizeof why);
}

static void test_accepted(void **st)
{
  int secure = -1;
  char host[64];
  uint16_t port = 0;
  (void)st;
  assert_int_equal(split("coaps://mef.example.com", &secure, host, &port), 0);
  assert_int_equal(secure, 1);
  assert_string_equal(host, "mef.example.com");
  assert_int_equal(port, 5684);
  assert_int_equal(split("coap://mef.example.com:7000/", &secure, host, &port), 0);
  assert_int_equal(secure, 0);
  assert_int_equal(port, 7000);
  assert_int_equal(split("coaps://[::1]:5685", &secure, host, &port), 0);
  assert_string_equal(host, "::1");
  assert_int_equal(port, 5685);
  assert_int_equal(split("COAPS://mef.example.com", &secure, host, &port), 0);
  assert_int_equal(secure, 1);
}

static void test_refused(void **st)
{
  int secure;
  char host[64];
  uint16_t port;
  (void)st;
  static const char *const bad[] = {
      "http://mef.example.com", "https://mef.example.com", "coap+tcp://mef.example.com",
      "coaps://mef.example.com/dm", "coaps://mef.example.com/bs", "coaps://mef.example.com?x=1",
      "coaps://", "coaps://:5684", "coaps://mef.example.com:0", "coaps://mef.example.com:65536",
      "coaps://mef.example.com:x", "coaps://[::1",
      "coaps://a-host-name-longer-than-the-buffer-the-caller-gave-for-it.example.com"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (split(bad[i], &secure, host, &port) != -1)
      fail_msg("accepted: %s", bad[i]);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accepted),
      cmocka_unit_test(test_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
