/* Unit tests of the pure value checks: xs:duration to milliseconds (I-8),
 * URI host against the MEF FQDN (I-9) and the form of M2M identifiers (I-3,
 * TS-0001 Table 7.2-1). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mefc/checks.h"

#define FQDN "mef.example.com"
#define NODE (1u << MEFC_ID_NODE)
#define CSE (1u << MEFC_ID_CSE)
#define AE (1u << MEFC_ID_AE)

static bool dur(const char *s, uint64_t *ms)
{
  return mefc_duration_ms((const uint8_t *)s, strlen(s), ms);
}

/* Asserts that s is accepted with value want. */
static void dur_ok(const char *s, uint64_t want)
{
  uint64_t ms = 0xdeadbeefu;
  if (!dur(s, &ms)) fail_msg("duration \"%s\" rejected", s);
  if (ms != want)
    fail_msg("duration \"%s\": %llu ms, want %llu", s, (unsigned long long)ms,
             (unsigned long long)want);
}

/* Asserts that s is rejected and the output left alone. */
static void dur_bad(const char *s)
{
  uint64_t ms = 7u;
  if (dur(s, &ms)) fail_msg("duration \"%s\" accepted (%llu ms)", s, (unsigned long long)ms);
  assert_int_equal(ms, 7u);
}

static int uri(const char *u, const char *fqdn, int schemes)
{
  return mefc_uri_check((const uint8_t *)u, strlen(u), (const uint8_t *)fqdn, strlen(fqdn),
                        schemes);
}

static void uri_is(const char *u, int schemes, int want)
{
  int got = uri(u, FQDN, schemes);
  if (got != want) fail_msg("uri \"%s\" (schemes %d): %d, want %d", u, schemes, got, want);
}

static uint32_t kinds(const char *s)
{
  return mefc_id_kinds((const uint8_t *)s, strlen(s));
}

static void id_is(const char *s, uint32_t want)
{
  uint32_t got = kinds(s);
  if (got != want) fail_msg("id \"%s\": kinds %u, want %u", s, got, want);
}

/* ---- I-8: durations ---- */

static void test_I_8_seconds_minutes_hours(void **state)
{
  (void)state;
  dur_ok("PT30S", 30000u);  /* I-8 */
  dur_ok("PT1M", 60000u);   /* I-8 */
  dur_ok("PT1H", 3600000u); /* I-8 */
  dur_ok("PT0030S", 30000u); /* I-8: leading zeros */
  dur_ok("PT0S", 0u);       /* I-8 */
}

static void test_I_8_year_month_day(void **state)
{
  (void)state;
  dur_ok("P1Y", UINT64_C(31536000000)); /* I-8: year = 365 d */
  dur_ok("P1M", UINT64_C(2592000000));  /* I-8: month = 30 d */
  dur_ok("P1D", 86400000u);    /* I-8 */
  dur_ok("P0D", 0u);           /* I-8 */
  dur_ok("P1MT1M", UINT64_C(2592000000) + 60000u); /* I-8: M before T is months, after T minutes */
  dur_ok("P1Y2M3DT4H5M6.789S",
         UINT64_C(31536000000) + UINT64_C(2) * 2592000000u + UINT64_C(3) * 86400000u +
             UINT64_C(4) * 3600000u + UINT64_C(5) * 60000u + 6789u); /* I-8 */
}

static void test_I_8_fraction_of_seconds(void **state)
{
  (void)state;
  dur_ok("P1DT1H1M1.5S", 86400000u + 3600000u + 60000u + 1500u); /* I-8 */
  dur_ok("PT0.001S", 1u);   /* I-8 */
  dur_ok("PT1.0009S", 1000u); /* I-24: digits beyond milliseconds truncated */
  dur_ok("PT0.9999999S", 999u); /* I-24: truncated, not rounded */
  dur_ok("PT1.5S", 1500u);  /* I-8 */
  dur_ok("PT0.12S", 120u);  /* I-8 */
  dur_ok("PT2.000000000000000000000000001S", 2000u); /* I-24 */
}

static void test_I_8_largest_values(void **state)
{
  (void)state;
  dur_ok("PT18446744073709551.615S", UINT64_MAX); /* I-8: exactly UINT64_MAX ms */
  dur_ok("P584942417Y", UINT64_C(584942417) * 31536000000u); /* I-8 */
  dur_ok("P584942417Y129D",
         UINT64_C(584942417) * 31536000000u + UINT64_C(129) * 86400000u); /* I-8 */
  dur_ok("P0000000000000000000000000000001D", 86400000u); /* I-8: zeros do not overflow */
}

static void test_I_8_overflow_rejected(void **state)
{
  (void)state;
  dur_bad("PT18446744073709551.616S"); /* I-8: UINT64_MAX + 1 ms */
  dur_bad("PT18446744073709552S");     /* I-8 */
  dur_bad("P584942418Y");              /* I-8 */
  dur_bad("P584942417Y130D");          /* I-8: the sum overflows */
  dur_bad("P7116799412M");             /* I-8 */
  dur_bad("P213503982335D");           /* I-8 */
  dur_bad("PT5124095576031H");         /* I-8 */
  dur_bad("PT307445734561826M");       /* I-8 */
  dur_bad("PT99999999999999999999999S"); /* I-8: the number itself overflows */
  dur_bad("P99999999999999999999999Y");  /* I-8 */
  dur_bad("P1Y999999999999999999999D");  /* I-8 */
}

static void test_I_24_negative_rejected(void **state)
{
  (void)state;
  dur_bad("-P1D");  /* I-24 */
  dur_bad("-PT0S"); /* I-24: negative even when zero */
  dur_bad("P-1D");  /* I-24 */
}

static void test_I_8_malformed_rejected(void **state)
{
  static const char *const bad[] = {
      "",        "P",       "PT",       "P1S",     "PT1D",     "P-1D",     "P1.5D",
      "-P1D",    "+P1D",    "P+1D",     "PT+1S",   "PT1H1H",   "P1D1Y",    "P1M1M",
      "PT1S1M",  "P1DT",    "PT.5S",    "PT1.S",   "PT1,5S",   "p1d",      "pt1s",
      " PT1S",   "PT1S ",   "P1Y2M3D4H", "PTS",    "PY",       "P1",       "PT1",
      "P1DT1",   "PT1.5",   "P1.5Y",    "PT1.5M",  "PT1.5H",   "P1W",      "PT1S1S",
      "P1YT",    "PT1H1.5M", "P1Y1Y",   "PP1D",    "P1DP",     "P1D T1H",  "PT1.5.5S",
      "P T1S",   "PT1HT1M", "P1D1D",    "PT-1S",   "T1S",      "1D",       "P1DD",
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) dur_bad(bad[i]); /* I-8 */
}

static void test_I_8_embedded_nul_rejected(void **state)
{
  static const uint8_t s[] = {'P', 'T', '1', 'S', 0};
  uint64_t ms = 7u;
  (void)state;
  assert_false(mefc_duration_ms(s, sizeof s, &ms)); /* I-8 */
  assert_true(mefc_duration_ms(s, sizeof s - 1u, &ms)); /* I-8 */
  assert_int_equal(ms, 1000u);
}

/* ---- I-9: URIs ---- */

static void test_I_9_confusables(void **state)
{
  (void)state;
  uri_is("https://mef.example.com@evil.example/", MEFC_SCHEMES_HTTPS, MEFC_URI_USERINFO); /* I-9 */
  uri_is("https://mef.example.com.evil.example/", MEFC_SCHEMES_HTTPS,
         MEFC_URI_HOST_DIFFERS); /* I-9 */
  uri_is("https://mef.example.com%2eevil/", MEFC_SCHEMES_HTTPS, MEFC_URI_PCT_HOST); /* I-9 */
  uri_is("https://evil.example/mef.example.com", MEFC_SCHEMES_HTTPS,
         MEFC_URI_HOST_DIFFERS); /* I-9 */
  uri_is("https://evil.example?mef.example.com", MEFC_SCHEMES_HTTPS,
         MEFC_URI_HOST_DIFFERS); /* I-9 */
  uri_is("https://evil.example#@mef.example.com", MEFC_SCHEMES_HTTPS,
         MEFC_URI_HOST_DIFFERS); /* I-9: '@' after the authority is not userinfo */
  uri_is("https://mef.example.com\\@evil.example/", MEFC_SCHEMES_HTTPS,
         MEFC_URI_USERINFO); /* I-9 */
  uri_is("https://mef.example.com\\evil.example/", MEFC_SCHEMES_HTTPS,
         MEFC_URI_MALFORMED); /* I-9 */
  uri_is("https://mef.example.com:443@evil.example/", MEFC_SCHEMES_HTTPS,
         MEFC_URI_USERINFO); /* I-9 */
  uri_is("https://user:pw@mef.example.com/", MEFC_SCHEMES_HTTPS, MEFC_URI_USERINFO); /* I-9 */
  uri_is("https://@mef.example.com/", MEFC_SCHEMES_HTTPS, MEFC_URI_USERINFO); /* I-9 */
  uri_is("https://mef.example.co/", MEFC_SCHEMES_HTTPS, MEFC_URI_HOST_DIFFERS); /* I-9 */
  uri_is("https://xmef.example.com/", MEFC_SCHEMES_HTTPS, MEFC_URI_HOST_DIFFERS); /* I-9 */
  uri_is("https://ef.example.com/", MEFC_SCHEMES_HTTPS, MEFC_URI_HOST_DIFFERS); /* I-9 */
  uri_is("https://mef.example.com../", MEFC_SCHEMES_HTTPS,
         MEFC_URI_HOST_DIFFERS); /* I-9: only one trailing dot is ignored */
  uri_is("https://mef_example.com/", MEFC_SCHEMES_HTTPS, MEFC_URI_HOST_DIFFERS); /* I-9 */
  uri_is("https://mef.example.com%2F/", MEFC_SCHEMES_HTTPS, MEFC_URI_PCT_HOST); /* I-9 */
  uri_is("https://%6Def.example.com/", MEFC_SCHEMES_HTTPS, MEFC_URI_PCT_HOST); /* I-9 */
  uri_is("https://m\xd0\xb5" "f.example.com/", MEFC_SCHEMES_HTTPS,
         MEFC_URI_MALFORMED); /* I-9: a Cyrillic e is not ASCII */
}

static void test_I_9_match(void **state)
{
  (void)state;
  uri_is("https://mef.example.com:443/est", MEFC_SCHEMES_HTTPS, MEFC_URI_MATCH); /* I-9 */
  uri_is("https://MEF.Example.COM./", MEFC_SCHEMES_HTTPS, MEFC_URI_MATCH);      /* I-9 */
  uri_is("https://mef.example.com", MEFC_SCHEMES_HTTPS, MEFC_URI_MATCH);        /* I-9 */
  uri_is("https://mef.example.com?x=1", MEFC_SCHEMES_HTTPS, MEFC_URI_MATCH);    /* I-9 */
  uri_is("https://mef.example.com#f", MEFC_SCHEMES_HTTPS, MEFC_URI_MATCH);      /* I-9 */
  uri_is("https://mef.example.com/.well-known/est/simpleenroll", MEFC_SCHEMES_HTTPS,
         MEFC_URI_MATCH); /* I-9 */
  uri_is("https://mef.example.com/a@b", MEFC_SCHEMES_HTTPS,
         MEFC_URI_MATCH); /* I-9: '@' in the path is not userinfo */
  uri_is("https://mef.example.com/%41", MEFC_SCHEMES_HTTPS,
         MEFC_URI_MATCH); /* I-9: '%' outside the host is allowed */
  uri_is("https://mef.example.com:0/", MEFC_SCHEMES_HTTPS, MEFC_URI_MATCH);     /* I-9 */
  uri_is("https://mef.example.com:65535/", MEFC_SCHEMES_HTTPS, MEFC_URI_MATCH); /* I-9 */
  uri_is("https://mef.example.com:000443/", MEFC_SCHEMES_HTTPS, MEFC_URI_MATCH); /* I-9 */
  /* One trailing dot on the FQDN side is ignored too. */
  assert_int_equal(uri("https://mef.example.com/", "mef.example.com.", MEFC_SCHEMES_HTTPS),
                   MEFC_URI_MATCH); /* I-9 */
  assert_int_equal(uri("https://mef.example.com./", "mef.example.com.", MEFC_SCHEMES_HTTPS),
                   MEFC_URI_MATCH); /* I-9 */
  assert_int_equal(uri("https://mef.example.com/", "MEF.EXAMPLE.COM", MEFC_SCHEMES_HTTPS),
                   MEFC_URI_MATCH); /* I-9 */
  assert_int_equal(uri("https://mef.example.com/", "mef.example.com..", MEFC_SCHEMES_HTTPS),
                   MEFC_URI_HOST_DIFFERS); /* I-9 */
}

static void test_I_9_ip_hosts(void **state)
{
  (void)state;
  uri_is("https://[::1]/", MEFC_SCHEMES_HTTPS, MEFC_URI_HOST_DIFFERS);         /* I-9 */
  uri_is("https://[2001:db8::1]:8443/est", MEFC_SCHEMES_HTTPS, MEFC_URI_HOST_DIFFERS); /* I-9 */
  uri_is("https://[::ffff:192.0.2.1]/", MEFC_SCHEMES_HTTPS, MEFC_URI_HOST_DIFFERS); /* I-9 */
  uri_is("https://192.0.2.1/", MEFC_SCHEMES_HTTPS, MEFC_URI_HOST_DIFFERS);     /* I-9 */
  uri_is("https://192.0.2.1:8443/est", MEFC_SCHEMES_HTTPS, MEFC_URI_HOST_DIFFERS); /* I-9 */
  assert_int_equal(uri("https://192.0.2.1:8443/est", "192.0.2.1", MEFC_SCHEMES_HTTPS),
                   MEFC_URI_MATCH); /* I-9: compared as text */
  assert_int_equal(uri("https://[::1]/", "[::1]", MEFC_SCHEMES_HTTPS), MEFC_URI_MATCH); /* I-9 */
  uri_is("https://[fe80::1%25eth0]/", MEFC_SCHEMES_HTTPS, MEFC_URI_PCT_HOST); /* I-9 */
  uri_is("https://[::1/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED);   /* I-9 */
  uri_is("https://[::1]x/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED); /* I-9 */
  uri_is("https://[]/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED);     /* I-9 */
  uri_is("https://[g::1]/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED); /* I-9 */
  uri_is("https://[::1]:/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED); /* I-9 */
  uri_is("https://a[::1]/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED); /* I-9 */
}

static void test_I_9_port(void **state)
{
  (void)state;
  uri_is("https://mef.example.com:65536/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED); /* I-9 */
  uri_is("https://mef.example.com:99999999999999999999999/", MEFC_SCHEMES_HTTPS,
         MEFC_URI_MALFORMED); /* I-9 */
  uri_is("https://mef.example.com:/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED);     /* I-9 */
  uri_is("https://mef.example.com:443x/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED); /* I-9 */
  uri_is("https://mef.example.com:-1/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED);   /* I-9 */
  uri_is("https://mef.example.com:443:443/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED); /* I-9 */
  uri_is("https://mef.example.com:+443/", MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED); /* I-9 */
}

static void test_I_9_malformed(void **state)
{
  static const char *const bad[] = {
      "",
      "https:///x",
      "https://",
      "https://:443/",
      "https:/mef.example.com/",
      "https:mef.example.com/",
      "https//mef.example.com/",
      "mailto:x",
      "mailto:admin@mef.example.com",
      "1https://mef.example.com/",
      "+https://mef.example.com/",
      "://mef.example.com/",
      "//mef.example.com/",
      "mef.example.com",
      "ht tps://mef.example.com/",
      "https://mef.example.com/a b",
      "https://mef.example.com/\x7f",
      "https://mef!example.com/",
      "https://mef.example.com,evil/",
      "https://mef.example.com;x/",
      "https://?mef.example.com",
      "https://#mef.example.com",
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    uri_is(bad[i], MEFC_SCHEMES_HTTPS, MEFC_URI_MALFORMED); /* I-9 */
    uri_is(bad[i], MEFC_SCHEMES_ANY, MEFC_URI_MALFORMED);   /* I-9 */
  }
}

static void test_I_9_bytes_outside_ascii(void **state)
{
  static const uint8_t nul[] = "https://mef.example.com\0.evil/";
  static const uint8_t tab[] = "https://mef.example.com\t/";
  static const uint8_t fq[] = "mef.example.com";
  (void)state;
  assert_int_equal(mefc_uri_check(nul, sizeof nul - 1u, fq, sizeof fq - 1u, MEFC_SCHEMES_HTTPS),
                   MEFC_URI_MALFORMED); /* I-9 */
  assert_int_equal(mefc_uri_check(tab, sizeof tab - 1u, fq, sizeof fq - 1u, MEFC_SCHEMES_HTTPS),
                   MEFC_URI_MALFORMED); /* I-9 */
}

static void test_MCC_7_4_URI_est_needs_https(void **state)
{
  (void)state;
  uri_is("http://mef.example.com/est", MEFC_SCHEMES_HTTPS, MEFC_URI_SCHEME);    /* MCC-7-4-URI, I-9 */
  uri_is("HTTPS://mef.example.com/est", MEFC_SCHEMES_HTTPS, MEFC_URI_MATCH);    /* MCC-7-4-URI */
  uri_is("HtTpS://mef.example.com/est", MEFC_SCHEMES_HTTPS, MEFC_URI_MATCH);    /* MCC-7-4-URI */
  uri_is("httpss://mef.example.com/est", MEFC_SCHEMES_HTTPS, MEFC_URI_SCHEME);  /* MCC-7-4-URI */
  uri_is("coap://mef.example.com/est", MEFC_SCHEMES_HTTPS, MEFC_URI_SCHEME);    /* MCC-7-4-URI */
  uri_is("http://evil.example/est", MEFC_SCHEMES_HTTPS, MEFC_URI_SCHEME);       /* MCC-7-4-URI */
}

static void test_MCC_7_4_URI_scep_http_or_https(void **state)
{
  (void)state;
  uri_is("http://mef.example.com/scep", MEFC_SCHEMES_HTTP_ANY, MEFC_URI_MATCH);  /* MCC-7-4-URI */
  uri_is("https://mef.example.com/scep", MEFC_SCHEMES_HTTP_ANY, MEFC_URI_MATCH); /* MCC-7-4-URI */
  uri_is("HTTP://mef.example.com/scep", MEFC_SCHEMES_HTTP_ANY, MEFC_URI_MATCH);  /* MCC-7-4-URI */
  uri_is("coap://mef.example.com/scep", MEFC_SCHEMES_HTTP_ANY, MEFC_URI_SCHEME); /* MCC-7-4-URI */
  uri_is("http://other.example/scep", MEFC_SCHEMES_HTTP_ANY,
         MEFC_URI_HOST_DIFFERS); /* MCC-7-4-URI */
}

static void test_MCC_8_4_URI_any_scheme(void **state)
{
  (void)state;
  uri_is("coap://mef.example.com:5683/dm", MEFC_SCHEMES_ANY, MEFC_URI_MATCH);  /* MCC-8-4-URI */
  uri_is("coaps+tcp://mef.example.com/", MEFC_SCHEMES_ANY, MEFC_URI_MATCH);    /* MCC-8-4-URI */
  uri_is("x-lwm2m.v1://mef.example.com/", MEFC_SCHEMES_ANY, MEFC_URI_MATCH);   /* MCC-8-4-URI */
  uri_is("mqtt://other.example:1883/", MEFC_SCHEMES_ANY, MEFC_URI_HOST_DIFFERS); /* MCC-8-4-URI */
  uri_is("coap_x://mef.example.com/", MEFC_SCHEMES_ANY, MEFC_URI_MALFORMED);   /* MCC-8-4-URI */
}

static void test_I_9_unknown_scheme_set(void **state)
{
  (void)state;
  uri_is("https://mef.example.com/", 0, MEFC_URI_SCHEME); /* I-9: no scheme is allowed */
  uri_is("https://mef.example.com/", 4, MEFC_URI_SCHEME); /* I-9 */
}

static void test_I_9_host_span(void **state)
{
  static const char *const u1 = "https://MEF.Example.COM.:443/est";
  static const char *const u2 = "https://[::1]:8443/";
  static const char *const u3 = "https://u@mef.example.com/";
  static const char *const u4 = "http://mef.example.com/";
  size_t off = 99u, len = 99u;
  (void)state;
  assert_true(mefc_uri_host((const uint8_t *)u1, strlen(u1), &off, &len)); /* I-9 */
  assert_int_equal(off, 8u);
  assert_int_equal(len, 16u);
  assert_memory_equal(u1 + off, "MEF.Example.COM.", len);
  assert_true(mefc_uri_host((const uint8_t *)u2, strlen(u2), &off, &len)); /* I-9 */
  assert_int_equal(off, 8u);
  assert_int_equal(len, 5u);
  assert_memory_equal(u2 + off, "[::1]", len);
  off = 99u;
  len = 99u;
  assert_false(mefc_uri_host((const uint8_t *)u3, strlen(u3), &off, &len)); /* I-9 */
  assert_int_equal(off, 99u);
  assert_int_equal(len, 99u);
  /* The span does not depend on the scheme. */
  assert_true(mefc_uri_host((const uint8_t *)u4, strlen(u4), &off, &len)); /* I-9 */
  assert_int_equal(off, 7u);
  assert_int_equal(len, 15u);
}

/* ---- I-25 (for I-3): identifier forms (TS-0001 Table 7.2-1) ---- */

static void test_I_25_node_ids(void **state)
{
  char nid32[64];
  char nid33[64];
  (void)state;
  id_is("urn:gsma:imei:90420156-025763-0;svn=42", NODE);        /* I-25, TS-0004 m2m:nodeID */
  id_is("urn:dev:ops:1", NODE);                                 /* I-25 */
  id_is("urn:dev:ops:012345-Set%2DTop%2DBox-0123456789", NODE); /* I-25, m2m:deviceID */
  id_is("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", NODE); /* I-25 */
  id_is("URN:dev:os:1", NODE);                                  /* I-25: "urn" case-insensitive */
  id_is("urn:x:y", NODE);                                       /* I-25 */
  id_is("urn:dev:a/b:c@d", NODE);                               /* I-25 */
  id_is("1.2.3", NODE);                                         /* I-25: OID */
  id_is("0.1", NODE);                                           /* I-25 */
  id_is("2.999.0.1", NODE);                                     /* I-25 */
  id_is("1.3.6.1.4.1.45605.1", NODE);                           /* I-25 */
  strcpy(nid32, "urn:");
  strcat(nid32, "abcdefghijklmnopqrstuvwxyz012345");
  strcat(nid32, ":1");
  id_is(nid32, NODE); /* I-25: NID of 32 */
  strcpy(nid33, "urn:");
  strcat(nid33, "abcdefghijklmnopqrstuvwxyz0123456");
  strcat(nid33, ":1");
  id_is(nid33, 0u); /* I-25: NID of 33 */
}

static void test_I_25_node_ids_invalid(void **state)
{
  static const char *const bad[] = {
      "urn:-x:y",  "urn::y",    "urn:x:",    "urn:x:/y",   "urn:x:%2",  "urn:x:%zz",
      "urn:x:a b", "urn:x:a?b", "urn:x:a#b", "urn:x",      "urn:",      "urn",
      "urx:x:y",   "urn:x_y:z", "urn:x:a\"b", "urn:x:a<b", "1.2.03",    "3.1",
      "1",         "1.",        "1..2",      ".1.2",       "01.2",      "1.2.",
      "1.a",       "10.1",      "1.00",      "-1.2",
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) id_is(bad[i], 0u); /* I-25 */
  id_is("1.2.0", NODE); /* I-25: an arc "0" is fine */
  id_is("1.0.2", NODE); /* I-25 */
}

static void test_I_25_cse_ids(void **state)
{
  (void)state;
  id_is("/123A38ZZY", CSE);                          /* I-25, TS-0001 Table 7.2-1 */
  id_is("/CSE090112", CSE);                          /* I-25 */
  id_is("/3ace4fd3", CSE);                           /* I-25 */
  id_is("//www.m2mprovider.com/C3219", CSE);         /* I-25 */
  id_is("//m2m.thingscompany.com/ab3f124a", CSE);    /* I-25 */
  id_is("/C", CSE);                                  /* I-25: "C" alone is no AE stem */
  id_is("/S", CSE);                                  /* I-25 */
  id_is("/a-._~", CSE);                              /* I-25: all unreserved */
}

static void test_I_25_ae_ids(void **state)
{
  (void)state;
  id_is("C190XX7T", AE);                            /* I-25, TS-0001 Table 7.2-1 */
  id_is("Ca3e3f3ab", AE);                           /* I-25 */
  id_is("S190XX7T", AE);                            /* I-25 */
  id_is("Sa3e3f3ab", AE);                           /* I-25 */
  id_is("/CSE090112/C190XX7T", AE);                 /* I-25 */
  id_is("/3ace4fd3/Ca3e3f3ab", AE);                 /* I-25 */
  id_is("//m2m.prov.com/CSE3219/C9886", AE);        /* I-25 */
  id_is("//m2m.things.com/ab3f124a/Ca2efb3f4", AE); /* I-25 */
  id_is("CSE1", AE);                                /* I-25: a 'C' stem */
}

static void test_I_25_several_kinds(void **state)
{
  (void)state;
  id_is("/S190XX7T", CSE | AE);              /* I-25: SP-relative CSE-ID and AE-ID */
  id_is("/Sa3e3f3ab", CSE | AE);             /* I-25 */
  id_is("//m2m.things.com/S98821", CSE | AE); /* I-25 */
}

static void test_I_25_invalid_ids(void **state)
{
  static const char *const bad[] = {
      "",
      "C",
      "S",
      "X123",
      "c190XX7T",
      "/",
      "//",
      "///C1",
      "/CSE1/S123",
      "/CSE1/",
      "/CSE1/C",
      "/a/b/c",
      "/CSE 1",
      "C19 0",
      "Cabc/def",
      "/cse/",
      "//globalm2m.org/CSE1/123A38ZZY",
      "//globalm2m.org",
      "//globalm2m.org/",
      "//a..b/C1",
      "//.a/C1",
      "//a./C1",
      "//a_b/C1",
      "//a b/C1",
      "C1%41",
      "/C1:2",
      "S1@x",
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) id_is(bad[i], 0u); /* I-25 */
}

static void test_I_25_fqdn_limits(void **state)
{
  char buf[400];
  char lab63[64];
  size_t i, n;
  (void)state;
  memset(lab63, 'a', 63);
  lab63[63] = '\0';
  /* A label of 63 is fine, 64 is not. */
  snprintf(buf, sizeof buf, "//%s.example/CSE1", lab63);
  id_is(buf, CSE); /* I-25 */
  snprintf(buf, sizeof buf, "//%sa.example/CSE1", lab63);
  id_is(buf, 0u); /* I-25 */
  /* 63+1+63+1+63+1+61 = 253 bytes is fine, 254 is not. */
  n = (size_t)snprintf(buf, sizeof buf, "//%s.%s.%s.", lab63, lab63, lab63);
  for (i = 0; i < 61u; i++) buf[n++] = 'b';
  memcpy(buf + n, "/S1", 4);
  id_is(buf, CSE | AE); /* I-25 */
  memmove(buf + n + 1, buf + n, 4);
  buf[n] = 'b';
  id_is(buf, 0u); /* I-25 */
}

static void test_I_25_bytes_outside_ascii(void **state)
{
  static const uint8_t nul[] = {'C', '1', 0, '2'};
  static const uint8_t hi[] = {'/', 'C', 0xc3, 0xa9};
  (void)state;
  assert_int_equal(mefc_id_kinds(nul, sizeof nul), 0u); /* I-25 */
  assert_int_equal(mefc_id_kinds(hi, sizeof hi), 0u);   /* I-25 */
  assert_int_equal(mefc_id_kinds(nul, 2u), AE);         /* I-25 */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_I_8_seconds_minutes_hours),
      cmocka_unit_test(test_I_8_year_month_day),
      cmocka_unit_test(test_I_8_fraction_of_seconds),
      cmocka_unit_test(test_I_8_largest_values),
      cmocka_unit_test(test_I_8_overflow_rejected),
      cmocka_unit_test(test_I_24_negative_rejected),
      cmocka_unit_test(test_I_8_malformed_rejected),
      cmocka_unit_test(test_I_8_embedded_nul_rejected),
      cmocka_unit_test(test_I_9_confusables),
      cmocka_unit_test(test_I_9_match),
      cmocka_unit_test(test_I_9_ip_hosts),
      cmocka_unit_test(test_I_9_port),
      cmocka_unit_test(test_I_9_malformed),
      cmocka_unit_test(test_I_9_bytes_outside_ascii),
      cmocka_unit_test(test_MCC_7_4_URI_est_needs_https),
      cmocka_unit_test(test_MCC_7_4_URI_scep_http_or_https),
      cmocka_unit_test(test_MCC_8_4_URI_any_scheme),
      cmocka_unit_test(test_I_9_unknown_scheme_set),
      cmocka_unit_test(test_I_9_host_span),
      cmocka_unit_test(test_I_25_node_ids),
      cmocka_unit_test(test_I_25_node_ids_invalid),
      cmocka_unit_test(test_I_25_cse_ids),
      cmocka_unit_test(test_I_25_ae_ids),
      cmocka_unit_test(test_I_25_several_kinds),
      cmocka_unit_test(test_I_25_invalid_ids),
      cmocka_unit_test(test_I_25_fqdn_limits),
      cmocka_unit_test(test_I_25_bytes_outside_ascii),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
