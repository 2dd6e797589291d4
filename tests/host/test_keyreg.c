/* The pure parts of the registration procedures (src/shell/keyreg_common.c,
 * src/shell/maf_client_reg.c): the element-by-element verification of a key
 * registration response (MCC-9-4-VERIFY, MCC-9-5-VERIFY) and of a MAF Client
 * Registration response (MCC-9-8-VERIFY), targetIDs by the profile's parent
 * (MCC-9-4-TGTS, MCC-9-5-TGTS), the binding chosen from the ports
 * (MCC-9-4-PROTO, MCC-9-8-PROTO), request timestamps and identifiers. Each
 * check is shown to pass on the good response and to fail on one change. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <jansson.h>

#include "shell/keyreg_common.h"
#include "shell/maf_reg.h"

#define NOW "20261130T120000"
#define ME "urn:dev:ops:dev-1"

static json_t *sent_key_reg(void)
{
  return json_pack("{s:s, s:s, s:s, s:i, s:[s]}", "fq", "maf.example.com", "et",
                   "20261201T120000", "adfq", "admin.example.com", "suid", 32, "tgis", "/CSE01");
}

static json_t *good_key_reg(void)
{
  return json_pack("{s:s, s:s, s:s, s:s, s:i, s:[s]}", "rkid", "36f3eea28f18b0c0d6d85a04094ec836",
                   "et", "20261201T120000", "mci", ME, "adfq", "admin.example.com", "suid", 32,
                   "tgis", "/CSE01");
}

/* The verdict on the good response with member name set to v (NULL: removed). */
static const char *key_reg_with(const char *name, json_t *v, int maf)
{
  static char why[200];
  json_t *sent = sent_key_reg(), *resp = good_key_reg();
  if (name != NULL) {
    if (v != NULL)
      json_object_set_new(resp, name, v);
    else
      json_object_del(resp, name);
  }
  const char *r = kr_verify_key_reg(resp, sent, ME, NOW, maf);
  snprintf(why, sizeof why, "%s", r != NULL ? r : "");
  json_decref(sent);
  json_decref(resp);
  return r != NULL ? why : NULL;
}

static void test_MCC_9_5_VERIFY_good_response_verifies(void **state)
{
  (void)state;
  assert_null(key_reg_with(NULL, NULL, 1));
  assert_null(key_reg_with(NULL, NULL, 0));
  /* Labels are not verified (8.3.9.9.5 step 10 lists five elements). */
  assert_null(key_reg_with("lbl", json_pack("[s]", "other"), 1));
}

static void test_MCC_9_5_VERIFY_each_element(void **state)
{
  (void)state;
  assert_non_null(strstr(key_reg_with("rkid", NULL, 1), "rkid"));
  assert_non_null(strstr(key_reg_with("rkid", json_string("xyz"), 1), "hexBinary"));
  assert_non_null(strstr(key_reg_with("et", NULL, 1), "et"));
  assert_non_null(strstr(key_reg_with("et", json_string("20261130T115959"), 1), "past"));
  assert_null(key_reg_with("et", json_string(NOW), 1)); /* not prior to now */
  assert_non_null(strstr(key_reg_with("mci", NULL, 1), "Source MAF Client ID"));
  assert_non_null(strstr(key_reg_with("mci", json_string("urn:dev:ops:other"), 0),
                         "Source MEF Client ID"));
  assert_non_null(strstr(key_reg_with("adfq", json_string("x.example.com"), 1), "adfq"));
  assert_non_null(strstr(key_reg_with("suid", json_integer(33), 1), "suid"));
  assert_non_null(strstr(key_reg_with("suid", json_string("32"), 1), "suid"));
  assert_non_null(strstr(key_reg_with("tgis", json_pack("[s,s]", "/CSE01", "/CSE02"), 1), "tgis"));
  assert_non_null(strstr(key_reg_with("tgis", NULL, 1), "tgis"));
}

static const char *client_reg_with(const char *name, json_t *v)
{
  static char why[200];
  json_t *sent = json_pack("{s:s, s:s, s:s}", "fq", "maf.example.com", "et", "20261201T120000",
                           "adfq", "admin.example.com");
  json_t *resp = json_pack("{s:s, s:s, s:s, s:s}", "ri", "macr-1", "et", "20261201T120000",
                           "mci", ME, "adfq", "admin.example.com");
  if (name != NULL) {
    if (v != NULL)
      json_object_set_new(resp, name, v);
    else
      json_object_del(resp, name);
  }
  const char *r = maf_verify_client_reg(resp, sent, ME, NOW);
  snprintf(why, sizeof why, "%s", r != NULL ? r : "");
  json_decref(sent);
  json_decref(resp);
  return r != NULL ? why : NULL;
}

static void test_MCC_9_8_VERIFY_each_element(void **state)
{
  (void)state;
  assert_null(client_reg_with(NULL, NULL));
  /* The MAF may grant another expirationTime (8.8.2.3), only not a past one. */
  assert_null(client_reg_with("et", json_string("20270101T000000")));
  assert_non_null(strstr(client_reg_with("et", json_string("20200101T000000")), "past"));
  assert_non_null(strstr(client_reg_with("et", json_string("2026-12-01")), "timestamp"));
  assert_non_null(strstr(client_reg_with("mci", json_string("urn:dev:ops:other")), "MAF Client ID"));
  assert_non_null(strstr(client_reg_with("mci", NULL), "MAF Client ID"));
  assert_non_null(strstr(client_reg_with("adfq", json_string("other.example.com")), "adfq"));
  assert_non_null(strstr(client_reg_with("ri", NULL), "mafClientRegID"));
  assert_non_null(strstr(client_reg_with("ri", json_string("")), "mafClientRegID"));
}

static void test_identifiers_and_timestamps(void **state)
{
  char out[40], ts[20];
  (void)state;
  assert_true(kr_hex_id("00ff"));
  assert_true(kr_hex_id("AbCd"));
  assert_false(kr_hex_id(""));
  assert_false(kr_hex_id("abc"));
  assert_false(kr_hex_id("zz"));
  assert_true(kr_is_timestamp("20261130T120000"));
  assert_false(kr_is_timestamp("20261130 120000"));
  assert_false(kr_is_timestamp("20261130T12000"));
  assert_false(kr_is_timestamp(NULL));
  assert_int_equal(0, kr_cse_of_container("/CSE02/cnt1", out, sizeof out));
  assert_string_equal("/CSE02", out);
  assert_int_equal(0, kr_cse_of_container("//sp.example.com/CSE02/cnt1", out, sizeof out));
  assert_string_equal("//sp.example.com/CSE02", out);
  assert_int_equal(-1, kr_cse_of_container("cnt1", out, sizeof out));
  assert_int_equal(-1, kr_cse_of_container("///CSE", out, sizeof out));
  /* 2026-11-30T12:00:00Z plus a day and two hours. */
  assert_int_equal(0, kr_expiry("P1DT2H", (time_t)1796040000, ts));
  assert_string_equal("20261201T140000", ts);
  assert_int_equal(-1, kr_expiry("P200Y", (time_t)1796040000, ts));
  assert_int_equal(-1, kr_expiry("1 day", (time_t)1796040000, ts));
  assert_int_equal(-1, kr_expiry(NULL, (time_t)1796040000, ts));
}

/* A client with [registration], [dataCollection] and [MAFClientRegCfg]
 * nodes and a [trustAnchorCred] that names no target. */
static void add_node(mefc_client *cli, const char *path, uint32_t mgd)
{
  mefc_mo_node *n = &cli->mo[cli->n_mo++];
  memset(n, 0, sizeof *n);
  n->path_len = (uint32_t)strlen(path);
  memcpy(n->path, path, n->path_len);
  n->mgd = mgd;
  n->parent = MEFC_NONE;
}

static void test_MCC_9_5_TGTS_by_parent(void **state)
{
  (void)state;
  static mefc_client cli;
  mefc_config cfg;
  memset(&cli, 0, sizeof cli);
  memset(&cfg, 0, sizeof cfg);
  add_node(&cli, "/dm/reg1", MEFC_MGD_REGISTRATION);
  add_node(&cli, "/dm/dc1", MEFC_MGD_DATA_COLLECTION);
  add_node(&cli, "/dm/maf1", MEFC_MGD_MAF_CLIENT_REG_CFG);
  add_node(&cli, "/dm/ta1", MEFC_MGD_TRUST_ANCHOR_CRED);
  cfg.mo_json = json_pack("[{s:{s:s}}, {s:{s:s}}, {s:{s:s}}, {s:{}}]", "attrs", "csi", "/CSE01",
                          "attrs", "cntp", "/CSE02/cnt1", "attrs", "fq", "maf.example.com",
                          "attrs");
  json_t *t = kr_target_ids(&cfg, &cli, 0, 0);
  assert_string_equal("/CSE01", json_string_value(json_array_get(t, 0)));
  json_decref(t);
  t = kr_target_ids(&cfg, &cli, 1, 0);
  assert_string_equal("/CSE02", json_string_value(json_array_get(t, 0)));
  json_decref(t);
  /* [MAFClientRegCfg] parent: MEF Key Registration only (MCC-9-4-TGTS). */
  t = kr_target_ids(&cfg, &cli, 2, 1);
  assert_string_equal("maf.example.com", json_string_value(json_array_get(t, 0)));
  json_decref(t);
  assert_null(kr_target_ids(&cfg, &cli, 2, 0));
  assert_null(kr_target_ids(&cfg, &cli, 3, 1));
  assert_null(kr_target_ids(&cfg, &cli, MEFC_NONE, 1));
  assert_int_equal(2, kr_child(&cli, MEFC_NONE, MEFC_MGD_MAF_CLIENT_REG_CFG));
  json_decref(cfg.mo_json);
}

/* MCC-9-4-PROTO, MCC-9-5-PROTO, MCC-9-8-PROTO (rulings I-40, I-43): httpPort
 * gives HTTPS and wins when both are present; coapPort alone gives CoAP only
 * where the procedure may use it; no port, or no port number, gives none. */
static void test_MCC_9_4_PROTO_port_choice(void **state)
{
  (void)state;
  mefc_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.mo_json = json_pack("[{s:{s:i}}, {s:{s:i}}, {s:{s:i, s:i}}, {s:{}}, {s:{s:i}}, {s:{s:s}},"
                          " {s:{s:i}}, {s:{s:i, s:i}}]",
                          "attrs", "hpt", 8443, "attrs", "coapPort", 5684, "attrs", "hpt", 8443,
                          "coapPort", 5684, "attrs", "attrs", "coapPort", 0, "attrs", "hpt", "x",
                          "attrs", "coapPort", 70000, "attrs", "hpt", 0, "coapPort", 5684);
  assert_non_null(cfg.mo_json);
  uint16_t port = 0;
  int coap = -1;
  assert_int_equal(0, kr_pick_port(&cfg, 0, "t", "/n", "node", "p", "I-40", 1, &port, &coap));
  assert_int_equal(8443, port);
  assert_int_equal(0, coap);
  assert_int_equal(0, kr_pick_port(&cfg, 1, "t", "/n", "node", "p", "I-40", 1, &port, &coap));
  assert_int_equal(5684, port);
  assert_int_equal(1, coap);
  /* The same node where the procedure may not use CoAP: none. */
  assert_int_equal(-1, kr_pick_port(&cfg, 1, "t", "/n", "node", "p", "I-43", 0, &port, &coap));
  assert_int_equal(0, coap);
  assert_int_equal(0, kr_pick_port(&cfg, 2, "t", "/n", "node", "p", "I-40", 1, &port, &coap));
  assert_int_equal(8443, port);
  assert_int_equal(0, coap);
  assert_int_equal(-1, kr_pick_port(&cfg, 3, "t", "/n", "node", "p", "I-40", 1, &port, &coap));
  assert_int_equal(-1, kr_pick_port(&cfg, 4, "t", "/n", "node", "p", "I-40", 1, &port, &coap));
  assert_int_equal(-1, kr_pick_port(&cfg, 5, "t", "/n", "node", "p", "I-40", 1, &port, &coap));
  assert_int_equal(-1, kr_pick_port(&cfg, 6, "t", "/n", "node", "p", "I-40", 1, &port, &coap));
  /* A bad httpPort is not passed over for the coapPort next to it. */
  assert_int_equal(-1, kr_pick_port(&cfg, 7, "t", "/n", "node", "p", "I-40", 1, &port, &coap));
  json_decref(cfg.mo_json);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_MCC_9_5_VERIFY_good_response_verifies),
      cmocka_unit_test(test_MCC_9_5_VERIFY_each_element),
      cmocka_unit_test(test_MCC_9_8_VERIFY_each_element),
      cmocka_unit_test(test_identifiers_and_timestamps),
      cmocka_unit_test(test_MCC_9_5_TGTS_by_parent),
      cmocka_unit_test(test_MCC_9_4_PROTO_port_choice),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
