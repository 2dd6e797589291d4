/* The bootstrap store (src/shell/lwm2m_store.c): values typed by the object
 * definitions, Bootstrap-Delete, the Finish checks (Server account with its
 * Security instance, MO nodes valid in the merged tree), the atomic commit
 * and its failure, and the merge of bootstrapped MO nodes at load (MCC-8-5,
 * MCC-8-6-*, rulings I-46, I-48). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shell/lwm2m_store.h"

static char dir[512];
static char why[384];
static lw_recs recs;
static mefc_json_doc doc;

static int setup(void **st)
{
  (void)st;
  const char *t = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/lwstoreXXXXXX", t != NULL && *t != '\0' ? t : "/tmp");
  return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **st)
{
  char cmd[600];
  (void)st;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static lw_path path(const char *s)
{
  lw_path p;
  assert_int_equal(lw_path_parse((const uint8_t *)s, strlen(s), &p), LW_OK);
  return p;
}

/* A SenML write through the store. */
static int wr(lw_store *s, const char *target, const char *json)
{
  lw_path p = path(target);
  assert_int_equal(lw_senml_decode((const uint8_t *)json, strlen(json), &p, &recs, &doc), LW_OK);
  return lw_store_write(s, &p, &recs, why, sizeof why);
}

static int tlv(lw_store *s, const char *target, const uint8_t *b, size_t n)
{
  lw_path p = path(target);
  assert_int_equal(lw_tlv_decode(b, n, &p, &recs), LW_OK);
  return lw_store_write(s, &p, &recs, why, sizeof why);
}

static void accounts(lw_store *s)
{
  assert_int_equal(wr(s, "/0/0", "[{\"bn\":\"/0/0/\",\"n\":\"0\",\"vs\":\"coaps://dm\"},"
                                 "{\"n\":\"1\",\"vb\":false},{\"n\":\"2\",\"v\":0},"
                                 "{\"n\":\"10\",\"v\":5},{\"n\":\"5\",\"vd\":\"qg\"}]"),
                   LW_S_OK);
  assert_int_equal(wr(s, "/1/0", "[{\"bn\":\"/1/0/\",\"n\":\"0\",\"v\":5},{\"n\":\"1\",\"v\":60},"
                                 "{\"n\":\"7\",\"vs\":\"U\"}]"),
                   LW_S_OK);
}

static void test_typing(void **st)
{
  lw_store s;
  (void)st;
  assert_int_equal(lw_store_open(&s, dir, why, sizeof why), 0);
  /* TLV: integers of 1, 2, 4, 8 bytes sign-extended; a boolean; opaque as hex. */
  static const uint8_t b[] = {0xC1, 0x0B, 0xFF,             /* 11 = -1 */
                              0xC2, 0x0C, 0x01, 0x00,       /* 12 = 256 */
                              0xC4, 0x0D, 0x80, 0, 0, 0,    /* 13 = INT32_MIN */
                              0xC1, 0x01, 0x01,             /* 1 = true */
                              0xC2, 0x03, 0xAB, 0xCD};      /* 3 = "abcd" */
  assert_int_equal(tlv(&s, "/0/4", b, sizeof b), LW_S_OK);
  json_t *i4 = json_object_get(json_object_get(s.objects, "0"), "4");
  assert_int_equal(json_integer_value(json_object_get(i4, "11")), -1);
  assert_int_equal(json_integer_value(json_object_get(i4, "12")), 256);
  assert_int_equal(json_integer_value(json_object_get(i4, "13")), INT32_MIN);
  assert_true(json_is_true(json_object_get(i4, "1")));
  assert_string_equal(json_string_value(json_object_get(i4, "3")), "abcd");
  /* Refused: a 3-byte integer, a boolean 2, a string with NUL or not UTF-8,
   * an opaque value from vs, a single resource as multiple and back. */
  static const uint8_t int3[] = {0xC3, 0x0B, 1, 2, 3};
  static const uint8_t bool2[] = {0xC1, 0x01, 0x02};
  static const uint8_t nul[] = {0xC2, 0x00, 'a', 0};
  static const uint8_t utf[] = {0xC2, 0x00, 0xC3, 0x28};
  static const uint8_t multi_as_single[] = {0xC1, 0x10, 0x01};
  static const uint8_t single_as_multi[] = {0x83, 0x0A, 0x41, 0x00, 0x01};
  assert_int_equal(tlv(&s, "/0/4", int3, sizeof int3), LW_S_BAD);
  assert_int_equal(tlv(&s, "/0/4", bool2, sizeof bool2), LW_S_BAD);
  assert_int_equal(tlv(&s, "/0/4", nul, sizeof nul), LW_S_BAD);
  assert_int_equal(tlv(&s, "/0/4", utf, sizeof utf), LW_S_BAD);
  assert_non_null(strstr(why, "not UTF-8"));
  assert_int_equal(tlv(&s, "/0/4", multi_as_single, sizeof multi_as_single), LW_S_BAD);
  assert_int_equal(tlv(&s, "/0/4", single_as_multi, sizeof single_as_multi), LW_S_BAD);
  assert_int_equal(wr(&s, "/0/4", "[{\"n\":\"/0/4/3\",\"vs\":\"ab\"}]"), LW_S_BAD);
  assert_int_equal(wr(&s, "/0/4", "[{\"n\":\"/0/4/10\",\"v\":1.5}]"), LW_S_BAD);
  assert_int_equal(wr(&s, "/0/4", "[{\"n\":\"/0/4/99\",\"v\":1}]"), LW_S_NOT_FOUND);
  assert_int_equal(wr(&s, "/3/0", "[{\"n\":\"/3/0/0\",\"vs\":\"x\"}]"), LW_S_NOT_FOUND);
  /* [trustAnchorCred] certFingerprint must be 32 bytes. */
  assert_int_equal(wr(&s, "/26242/0", "[{\"n\":\"/26242/0/2\",\"vd\":\"AAEC\"}]"), LW_S_BAD);
  lw_store_free(&s);
}

static void test_limits_and_delete(void **st)
{
  lw_store s;
  char name[32];
  (void)st;
  assert_int_equal(lw_store_open(&s, dir, why, sizeof why), 0);
  for (unsigned i = 0; i < LW_INST_MAX; i++) {
    char j[64];
    snprintf(name, sizeof name, "/1/%u", i);
    snprintf(j, sizeof j, "[{\"n\":\"/1/%u/1\",\"v\":1}]", i);
    assert_int_equal(wr(&s, name, j), LW_S_OK);
  }
  assert_int_equal(wr(&s, "/1/99", "[{\"n\":\"/1/99/1\",\"v\":1}]"), LW_S_LIMIT);
  /* A multiple resource is replaced whole, a resource instance alone. */
  assert_int_equal(wr(&s, "/0/0", "[{\"n\":\"/0/0/16/0\",\"v\":1},{\"n\":\"/0/0/16/1\",\"v\":2}]"),
                   LW_S_OK);
  assert_int_equal(wr(&s, "/0/0", "[{\"n\":\"/0/0/16/5\",\"v\":3}]"), LW_S_OK);
  json_t *m = json_object_get(json_object_get(json_object_get(s.objects, "0"), "0"), "16");
  assert_int_equal(json_object_size(m), 1);
  assert_int_equal(wr(&s, "/0/0/16/7", "[{\"n\":\"/0/0/16/7\",\"v\":4}]"), LW_S_OK);
  assert_int_equal(json_object_size(m), 2);
  /* Deletes. */
  lw_path p = path("/1/3");
  assert_int_equal(lw_store_delete(&s, &p, why, sizeof why), LW_S_OK);
  assert_int_equal(json_object_size(json_object_get(s.objects, "1")), LW_INST_MAX - 1);
  assert_int_equal(lw_store_delete(&s, &p, why, sizeof why), LW_S_OK); /* already gone */
  p = path("/1");
  assert_int_equal(lw_store_delete(&s, &p, why, sizeof why), LW_S_OK);
  assert_null(json_object_get(s.objects, "1"));
  p = path("/4");
  assert_int_equal(lw_store_delete(&s, &p, why, sizeof why), LW_S_NOT_FOUND);
  p = path("/0/0/1");
  assert_int_equal(lw_store_delete(&s, &p, why, sizeof why), LW_S_BAD);
  p = path("/");
  assert_int_equal(lw_store_delete(&s, &p, why, sizeof why), LW_S_OK);
  assert_int_equal(json_object_size(s.objects), 0);
  lw_store_free(&s);
}

static void test_finish_checks(void **st)
{
  lw_store s;
  json_t *boot, *merged;
  (void)st;
  assert_int_equal(lw_store_open(&s, dir, why, sizeof why), 0);
  assert_int_equal(lw_store_check(&s, NULL, &boot, &merged, why, sizeof why), -1);
  assert_non_null(strstr(why, "no LwM2M Server account"));
  accounts(&s);
  assert_int_equal(lw_store_check(&s, NULL, &boot, &merged, why, sizeof why), 0);
  json_decref(boot);
  json_decref(merged);
  /* The Security instance names another server. */
  assert_int_equal(wr(&s, "/0/0", "[{\"n\":\"/0/0/10\",\"v\":6}]"), LW_S_OK);
  assert_int_equal(lw_store_check(&s, NULL, &boot, &merged, why, sizeof why), -1);
  assert_non_null(strstr(why, "Short Server ID 5"));
  /* ... or is a Bootstrap-Server account. */
  assert_int_equal(wr(&s, "/0/0", "[{\"n\":\"/0/0/10\",\"v\":5},{\"n\":\"/0/0/1\",\"vb\":true}]"), LW_S_OK);
  assert_int_equal(lw_store_check(&s, NULL, &boot, &merged, why, sizeof why), -1);
  assert_int_equal(wr(&s, "/0/0", "[{\"n\":\"/0/0/1\",\"vb\":false},{\"n\":\"/0/0/2\",\"v\":9}]"), LW_S_OK);
  assert_int_equal(lw_store_check(&s, NULL, &boot, &merged, why, sizeof why), -1);
  assert_non_null(strstr(why, "Security Mode"));
  assert_int_equal(wr(&s, "/0/0", "[{\"n\":\"/0/0/2\",\"v\":0}]"), LW_S_OK);
  /* A Server instance without Binding. */
  assert_int_equal(wr(&s, "/1/1", "[{\"bn\":\"/1/1/\",\"n\":\"0\",\"v\":5},{\"n\":\"1\",\"v\":6}]"), LW_S_OK);
  assert_int_equal(lw_store_check(&s, NULL, &boot, &merged, why, sizeof why), -1);
  assert_non_null(strstr(why, "Binding"));
  lw_path p = path("/1/1");
  assert_int_equal(lw_store_delete(&s, &p, why, sizeof why), LW_S_OK);
  /* An MO node without its path; one whose parent is nowhere. */
  assert_int_equal(wr(&s, "/26242/0", "[{\"n\":\"/26242/0/3\",\"vs\":\"https://x\"}]"), LW_S_OK);
  assert_int_equal(lw_store_check(&s, NULL, &boot, &merged, why, sizeof why), -1);
  assert_non_null(strstr(why, "no MO path"));
  assert_int_equal(wr(&s, "/26242/0", "[{\"n\":\"/26242/0/0\",\"vs\":\"/dm/ta\"},"
                                      "{\"n\":\"/26242/0/1\",\"vs\":\"/dm/ap\"}]"), LW_S_OK);
  assert_int_equal(lw_store_check(&s, NULL, &boot, &merged, why, sizeof why), -1);
  assert_non_null(strstr(why, "MO nodes do not check"));
  /* With the parent configured the tree checks. */
  json_t *conf = json_loads("[{\"path\":\"/dm/ap\",\"mgd\":1022,\"attrs\":{\"suid\":12}}]", 0, NULL);
  assert_int_equal(lw_store_check(&s, conf, &boot, &merged, why, sizeof why), 0);
  assert_int_equal(json_array_size(boot), 1);
  assert_int_equal(json_array_size(merged), 2);
  assert_string_equal(json_string_value(json_object_get(json_array_get(merged, 1), "path")), "/dm/ta");
  assert_int_equal(json_integer_value(json_object_get(json_array_get(boot, 0), "mgd")), 1024);
  json_decref(boot);
  json_decref(merged);
  json_decref(conf);
  lw_store_free(&s);
}

static void test_commit_and_load(void **st)
{
  lw_store s;
  json_t *boot, *merged;
  char file[600];
  struct stat sb;
  (void)st;
  assert_int_equal(lw_store_open(&s, dir, why, sizeof why), 0);
  accounts(&s);
  /* A bootstrapped profile replacing the configured one, and a child of it
   * written before it (appended parents first). */
  assert_int_equal(wr(&s, "/26242/1", "[{\"bn\":\"/26242/1/\",\"n\":\"0\",\"vs\":\"/dm/ap/ta\"},"
                                      "{\"n\":\"1\",\"vs\":\"/dm/ap2\"}]"), LW_S_OK);
  assert_int_equal(wr(&s, "/26241/0", "[{\"bn\":\"/26241/0/\",\"n\":\"0\",\"vs\":\"/dm/ap\"},"
                                      "{\"n\":\"2\",\"v\":21},{\"n\":\"5/0\",\"v\":174}]"), LW_S_OK);
  assert_int_equal(wr(&s, "/26241/1", "[{\"bn\":\"/26241/1/\",\"n\":\"0\",\"vs\":\"/dm/ap2\"},"
                                      "{\"n\":\"7/0\",\"vs\":\"l1\"}]"), LW_S_OK);
  json_t *conf = json_loads("[{\"path\":\"/dm/ap\",\"mgd\":1022,\"attrs\":{\"suid\":12}},"
                            "{\"path\":\"/dm/reg\",\"mgd\":1020}]", 0, NULL);
  assert_int_equal(lw_store_check(&s, conf, &boot, &merged, why, sizeof why), 0);
  assert_int_equal(lw_store_commit(&s, boot, dir, "ep-1", "coaps://mef", why, sizeof why), 0);
  snprintf(file, sizeof file, "%s/%s", dir, LW_STORE_FILE);
  assert_int_equal(stat(file, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  json_decref(merged);
  json_decref(boot);
  lw_store_free(&s);

  /* Reopened: the same objects; merged at load the same way. */
  assert_int_equal(lw_store_open(&s, dir, why, sizeof why), 0);
  assert_string_equal(json_string_value(json_object_get(
                          json_object_get(json_object_get(s.objects, "0"), "0"), "5")), "aa");
  lw_store_free(&s);
  assert_int_equal(lw_mo_load(dir, conf, &merged, why, sizeof why), 0);
  assert_int_equal(json_array_size(merged), 4);
  const char *order[] = {"/dm/ap", "/dm/reg", "/dm/ap2", "/dm/ap/ta"};
  for (size_t i = 0; i < 4; i++)
    assert_string_equal(json_string_value(json_object_get(json_array_get(merged, i), "path")),
                        order[i]);
  json_t *ap = json_object_get(json_array_get(merged, 0), "attrs");
  assert_int_equal(json_integer_value(json_object_get(ap, "suid")), 21);
  assert_int_equal(json_integer_value(json_array_get(json_object_get(ap, "tlcs"), 0)), 174);
  json_decref(merged);

  /* A torn or foreign store file is an error, never a silent reset. */
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  fputs("{\"version\":2,\"objects\":{},\"mo\":[]}", f);
  fclose(f);
  assert_int_equal(lw_mo_load(dir, conf, &merged, why, sizeof why), -1);
  assert_int_equal(lw_store_open(&s, dir, why, sizeof why), -1);
  f = fopen(file, "w");
  assert_non_null(f);
  fputs("{\"version\":1,", f);
  fclose(f);
  assert_int_equal(lw_mo_load(dir, conf, &merged, why, sizeof why), -1);
  unlink(file);
  /* No file: the configured nodes alone, or nothing. */
  assert_int_equal(lw_mo_load(dir, conf, &merged, why, sizeof why), 0);
  assert_int_equal(json_array_size(merged), 2);
  json_decref(merged);
  assert_int_equal(lw_mo_load(dir, NULL, &merged, why, sizeof why), 0);
  assert_null(merged);
  json_decref(conf);
}

static void test_commit_failure(void **st)
{
  lw_store s;
  json_t *boot, *merged;
  char sub[600];
  (void)st;
  assert_int_equal(lw_store_open(&s, dir, why, sizeof why), 0);
  accounts(&s);
  assert_int_equal(lw_store_check(&s, NULL, &boot, &merged, why, sizeof why), 0);
  snprintf(sub, sizeof sub, "%s/missing/deeper", dir);
  assert_int_equal(lw_store_commit(&s, boot, sub, "ep", "coap://x", why, sizeof why), -1);
  json_decref(boot);
  json_decref(merged);
  lw_store_free(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_typing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_limits_and_delete, setup, teardown),
      cmocka_unit_test_setup_teardown(test_finish_checks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_commit_and_load, setup, teardown),
      cmocka_unit_test_setup_teardown(test_commit_failure, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
