/* The LwM2M TLV decoder and the path/base64 helpers (src/shell/lwm2m_tlv.c,
 * lwm2m_data.c): every nesting level and length form, and the hostile
 * forms the bootstrap client must refuse without reading out of bounds -
 * truncated headers, lengths past the enclosing item, wrong item types,
 * duplicates, counts past its limits (MCC-8-5, ruling I-47). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "shell/lwm2m_data.h"

static lw_recs recs;

static lw_path path(const char *s)
{
  lw_path p;
  assert_int_equal(lw_path_parse((const uint8_t *)s, strlen(s), &p), LW_OK);
  return p;
}

static int dec(const char *target, const uint8_t *b, size_t n)
{
  lw_path p = path(target);
  return lw_tlv_decode(b, n, &p, &recs);
}

static void test_paths(void **st)
{
  lw_path p;
  (void)st;
  assert_int_equal(lw_path_parse((const uint8_t *)"", 0, &p), LW_OK);
  assert_int_equal(p.depth, 0);
  assert_int_equal(lw_path_parse((const uint8_t *)"/", 1, &p), LW_OK);
  assert_int_equal(p.depth, 0);
  p = path("/26241/3/16/0");
  assert_int_equal(p.depth, 4);
  assert_int_equal(p.id[0], 26241);
  assert_int_equal(p.id[3], 0);
  p = path("0/1/");
  assert_int_equal(p.depth, 2);
  static const char *const bad[] = {"/65535", "/1/2/3/4/5", "/01", "//1", "/a", "/1//", "/1-",
                                    "/123456", "/1/ 2"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(lw_path_parse((const uint8_t *)bad[i], strlen(bad[i]), &p), LW_E_MALFORMED);
}

static void test_base64(void **st)
{
  uint8_t out[16];
  (void)st;
  assert_int_equal(lw_base64_decode((const uint8_t *)"AAEC", 4, out, sizeof out), 3);
  assert_int_equal(lw_base64_decode((const uint8_t *)"__8", 3, out, sizeof out), 2);
  assert_int_equal(out[0], 0xff);
  assert_int_equal(lw_base64_decode((const uint8_t *)"//8=", 4, out, sizeof out), 2);
  assert_int_equal(lw_base64_decode((const uint8_t *)"", 0, out, sizeof out), 0);
  assert_int_equal(lw_base64_decode((const uint8_t *)"A", 1, out, sizeof out), -1);
  assert_int_equal(lw_base64_decode((const uint8_t *)"!!!!", 4, out, sizeof out), -1);
  assert_int_equal(lw_base64_decode((const uint8_t *)"AB==", 4, out, sizeof out), -1); /* bits left */
  assert_int_equal(lw_base64_decode((const uint8_t *)"AA=", 3, out, sizeof out), -1);
  assert_int_equal(lw_base64_decode((const uint8_t *)"AAAAAAAA", 8, out, 5), -1);   /* no room */
}

/* /0/1: a string resource, an integer, and a multiple resource of two. */
static void test_instance_resources(void **st)
{
  static const uint8_t b[] = {0xC3, 0x00, 'a', 'b', 'c',      /* res 0 "abc" */
                              0xC2, 0x0A, 0x00, 0x65,          /* res 10 = 101 */
                              0x88, 0x10, 0x08,                /* multi res 16, 8 bytes */
                              0x42, 0x00, 0xC0, 0xA8,          /* ri 0 = 49320 */
                              0x41, 0x01, 0xAE, 0x00};         /* ri 1 (1 byte) */
  (void)st;
  /* The last resource instance says 1 byte where 2 remain: the multiple
   * resource announces 8 bytes, so one byte is left over after ri 1. */
  assert_int_equal(dec("/0/1", b, sizeof b), LW_E_MALFORMED);
  static const uint8_t ok[] = {0xC3, 0x00, 'a', 'b', 'c', 0xC2, 0x0A, 0x00, 0x65,
                               0x88, 0x10, 0x07, 0x42, 0x00, 0xC0, 0xA8, 0x41, 0x01, 0xAE};
  assert_int_equal(dec("/0/1", ok, sizeof ok), LW_OK);
  assert_int_equal(recs.n, 4);
  assert_int_equal(recs.v[0].res, 0);
  assert_int_equal(recs.v[0].n, 3);
  assert_memory_equal(recs.v[0].p, "abc", 3);
  assert_int_equal(recs.v[0].riid, LW_NONE);
  assert_int_equal(recs.v[0].inst, 1);
  assert_int_equal(recs.v[2].res, 16);
  assert_int_equal(recs.v[2].riid, 0);
  assert_int_equal(recs.v[3].riid, 1);
  assert_int_equal(recs.v[3].kind, LW_K_RAW);
  /* The same resources wrapped in the instance item they belong to. */
  uint8_t wrapped[64] = {0x08, 0x01, (uint8_t)sizeof ok};
  memcpy(wrapped + 3, ok, sizeof ok);
  assert_int_equal(dec("/0/1", wrapped, sizeof ok + 3), LW_OK);
  assert_int_equal(recs.n, 4);
  assert_int_equal(dec("/0/2", wrapped, sizeof ok + 3), LW_E_PATH);
  /* Under /0 the instance items are required. */
  assert_int_equal(dec("/0", wrapped, sizeof ok + 3), LW_OK);
  assert_int_equal(recs.v[0].inst, 1);
  assert_int_equal(dec("/0", ok, sizeof ok), LW_E_MALFORMED);
}

static void test_lengths_and_ids(void **st)
{
  uint8_t b[300];
  (void)st;
  /* 16-bit identifier, 16-bit length. */
  b[0] = 0xF0;
  b[1] = 0x01;
  b[2] = 0x02; /* id 258 */
  b[3] = 0x01;
  b[4] = 0x00; /* 256 bytes */
  memset(b + 5, 'x', 256);
  assert_int_equal(dec("/0/0", b, 261), LW_OK);
  assert_int_equal(recs.v[0].res, 258);
  assert_int_equal(recs.v[0].n, 256);
  assert_int_equal(dec("/0/0", b, 260), LW_E_MALFORMED); /* one byte short */
  /* 24-bit length claiming more than there is. */
  static const uint8_t l24[] = {0xD8, 0x00, 0x01, 0x00, 0x00, 'x'};
  assert_int_equal(dec("/0/0", l24, sizeof l24), LW_E_MALFORMED);
  /* Identifier 65535 is reserved. */
  static const uint8_t id65535[] = {0xE1, 0xFF, 0xFF, 'x'};
  assert_int_equal(dec("/0/0", id65535, sizeof id65535), LW_E_MALFORMED);
  /* Header cut inside the identifier, inside the length. */
  static const uint8_t cut1[] = {0xE1, 0x00};
  static const uint8_t cut2[] = {0xD0, 0x00, 0x01};
  assert_int_equal(dec("/0/0", cut1, sizeof cut1), LW_E_MALFORMED);
  assert_int_equal(dec("/0/0", cut2, sizeof cut2), LW_E_MALFORMED);
  /* Zero-length value is a value (an empty string). */
  static const uint8_t empty[] = {0xC0, 0x00};
  assert_int_equal(dec("/0/0", empty, sizeof empty), LW_OK);
  assert_int_equal(recs.v[0].n, 0);
}

static void test_hostile(void **st)
{
  (void)st;
  /* A multiple resource of 5 bytes holding an instance that claims 200. */
  static const uint8_t nested[] = {0x85, 0x10, 0x48, 0x00, 0xC8, 'a', 'b'};
  assert_int_equal(dec("/0/2", nested, sizeof nested), LW_E_MALFORMED);
  /* A multiple resource holding a resource (not a resource instance). */
  static const uint8_t wrong[] = {0x83, 0x10, 0xC1, 0x00, 'x'};
  assert_int_equal(dec("/0/2", wrong, sizeof wrong), LW_E_MALFORMED);
  /* A resource instance at the top of an instance. */
  static const uint8_t ri_top[] = {0x41, 0x00, 'x'};
  assert_int_equal(dec("/0/2", ri_top, sizeof ri_top), LW_E_MALFORMED);
  /* An empty multiple resource, an empty payload, an empty instance. */
  static const uint8_t empty_multi[] = {0x80, 0x10};
  assert_int_equal(dec("/0/2", empty_multi, sizeof empty_multi), LW_E_MALFORMED);
  assert_int_equal(dec("/0/2", empty_multi, 0), LW_E_MALFORMED);
  static const uint8_t empty_inst[] = {0x00, 0x02};
  assert_int_equal(dec("/0", empty_inst, sizeof empty_inst), LW_E_MALFORMED);
  /* Object instances nested in an object instance. */
  static const uint8_t inst_in_inst[] = {0x04, 0x01, 0x02, 0x02, 0xC0, 0x00};
  assert_int_equal(dec("/0", inst_in_inst, sizeof inst_in_inst), LW_E_MALFORMED);
  /* The same resource twice; a single and a multiple form of one resource. */
  static const uint8_t dup[] = {0xC1, 0x00, 'a', 0xC1, 0x00, 'b'};
  assert_int_equal(dec("/0/2", dup, sizeof dup), LW_E_MALFORMED);
  static const uint8_t dup2[] = {0xC1, 0x10, 'a', 0x83, 0x10, 0x41, 0x00, 'b'};
  assert_int_equal(dec("/0/2", dup2, sizeof dup2), LW_E_MALFORMED);
  /* Write on the root. */
  lw_path root = {0, {0, 0, 0, 0}};
  assert_int_equal(lw_tlv_decode(dup, sizeof dup, &root, &recs), LW_E_MALFORMED);
}

static void test_resource_paths(void **st)
{
  (void)st;
  static const uint8_t r3[] = {0xC1, 0x03, 'x'};
  assert_int_equal(dec("/0/2/3", r3, sizeof r3), LW_OK);
  assert_int_equal(dec("/0/2/4", r3, sizeof r3), LW_E_PATH);
  static const uint8_t ri[] = {0x41, 0x02, 'x'};
  assert_int_equal(dec("/0/2/16/2", ri, sizeof ri), LW_OK);
  assert_int_equal(recs.v[0].res, 16);
  assert_int_equal(recs.v[0].riid, 2);
  assert_int_equal(dec("/0/2/16/3", ri, sizeof ri), LW_E_PATH);
  assert_int_equal(dec("/0/2/16/2", r3, sizeof r3), LW_E_MALFORMED);
  static const uint8_t two[] = {0x41, 0x02, 'x', 0x41, 0x03, 'y'};
  assert_int_equal(dec("/0/2/16/2", two, sizeof two), LW_E_MALFORMED);
}

static void test_limits(void **st)
{
  uint8_t *b = calloc(1, LW_BODY_MAX + 1);
  size_t n = 0;
  (void)st;
  assert_non_null(b);
  for (unsigned i = 0; i <= LW_RECS_MAX; i++) { /* 65 one-byte resources */
    b[n++] = 0xC1;
    b[n++] = (uint8_t)i;
    b[n++] = 'x';
  }
  assert_int_equal(dec("/0/2", b, n), LW_E_LIMIT);
  assert_int_equal(recs.n, 0);
  assert_int_equal(dec("/0/2", b, LW_BODY_MAX + 1), LW_E_LIMIT);
  free(b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_paths),           cmocka_unit_test(test_base64),
      cmocka_unit_test(test_instance_resources), cmocka_unit_test(test_lengths_and_ids),
      cmocka_unit_test(test_hostile),         cmocka_unit_test(test_resource_paths),
      cmocka_unit_test(test_limits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
