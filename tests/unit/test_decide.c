/* Unit tests of mefc_decide, mefc_outcome_status and
 * mefc_class_failure_status, grouped by requirement ID (spec/requirements.md).
 * Payloads are written with single quotes; fx_json turns them into JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "fixtures.h"

static mefc_client cli;
static mefc_record rec;
static mefc_decision d;

#define CMD(id, mccs, mccd) "{'sec:mcc':{'mcci':'" id "','mccs':" #mccs ",'mccd':" mccd "}}"
#define NM(rdu) CMD("c-1", 10, "{'ccid':0,'cma':{'nmca':{'rdu':" rdu "}}}")
#define CP(args) CMD("c-1", 10, "{'ccid':1,'cma':{'cpca':{" args "}}}")
#define CP_OK(cppi, uri, cst, csi) \
  CP("'cppi':" #cppi ",'uri':'" uri "','cst':" #cst ",'csi':'" csi "'")
#define CP_TGI(tgi) \
  CMD("c-1", 10, "{'ccid':1,'tgi':" tgi ",'cma':{'cpca':{'cppi':1," \
      "'uri':'https://mef.example.com/.well-known/est','cst':2,'csi':'/CSE01'}}}")
#define DC(dcu) CMD("c-1", 10, "{'ccid':2,'cma':{'dcca':{'dcu':" dcu "}}}")
#define MO(args) CMD("c-1", 10, "{'ccid':3,'cma':{'nnca':{" args "}}}")
#define MO_AP(path, suid) MO("'ajop':'" path "','otyp':1,'otsa':{'suid':" #suid "}")


static int setup(void **state) {
  (void)state;
  fx_client(&cli);
  fx_record_none(&rec);
  memset(&d, 0, sizeof d);
  return 0;
}

/* The postconditions of mefc_decide's contract, checked on every decision. */
static void check_contract(void) {
  assert_true(d.kind >= MEFC_DECIDE_REPORT && d.kind <= MEFC_DECIDE_RETRY);
  if (d.kind == MEFC_DECIDE_RETRY) {
    assert_int_equal(d.effect, MEFC_REC_NEW);
    assert_int_equal(d.class_id, MEFC_NONE);
    assert_int_equal(d.id.len, 0);
    assert_int_equal(d.status, 0);
    assert_int_equal(d.mef_status, 0);
    assert_true(fx_args_zero(&d.args));
    return;
  }
  assert_true(d.id.len >= 1 && d.id.len <= MEFC_CMD_ID_MAX);
  assert_true(d.mef_status == 10 || d.mef_status == 11);
  if (d.kind != MEFC_DECIDE_EXECUTE) {
    assert_true(fx_args_zero(&d.args));
    assert_int_equal(d.procedure, 0);
  }
  if (d.kind != MEFC_DECIDE_WAIT) assert_true(d.wait_ms == 0);
  if (d.kind != MEFC_DECIDE_REPORT) assert_int_equal(d.status, 0);
  if (d.kind == MEFC_DECIDE_EXECUTE) {
    assert_int_equal(d.effect, MEFC_REC_NEW);
    assert_true(d.procedure >= 1 && d.procedure <= 7);
    assert_true(d.class_id >= 1 && d.class_id <= 3);
  }
  if (d.kind == MEFC_DECIDE_WAIT) {
    assert_int_equal(d.effect, MEFC_REC_NEW);
    assert_int_equal(d.class_id, 0);
  }
}

static void decide(const char *squoted) {
  fx_decide(&cli, &rec, squoted, &d);
  check_contract();
}

static void expect_report(uint32_t status) {
  assert_int_equal(d.kind, MEFC_DECIDE_REPORT);
  assert_int_equal(d.status, status);
}

static void expect_execute(uint32_t procedure) {
  assert_int_equal(d.kind, MEFC_DECIDE_EXECUTE);
  assert_int_equal(d.procedure, procedure);
}

static void expect_retry(void) { assert_int_equal(d.kind, MEFC_DECIDE_RETRY); }

/* ---- MCC-2-5a / I-10: an unparseable response is retried, never reported ---- */

static void test_MCC_2_5a_invalid_json(void **state) {
  (void)state;
  decide("{'sec:mcc':{'mcci':'c-1',");
  expect_retry(); /* MCC-2-5a */
  decide("");
  expect_retry(); /* MCC-2-5a */
}

static void test_MCC_2_5a_root_not_object(void **state) {
  (void)state;
  decide("[{'sec:mcc':{'mcci':'c-1','mccs':10,'mccd':{'ccid':0}}}]");
  expect_retry(); /* MCC-2-5a */
  decide("'c-1'");
  expect_retry(); /* MCC-2-5a */
}

static void test_MCC_2_5a_no_root_member(void **state) {
  (void)state;
  decide("{'mcc':{'mcci':'c-1','mccs':10,'mccd':{'ccid':0}}}");
  expect_retry(); /* MCC-2-5a */
  decide("{'sec:mcc':'c-1'}");
  expect_retry(); /* MCC-2-5a: root member not an object */
}

static void test_I_10_both_roots(void **state) {
  (void)state;
  decide("{'sec:mcc':{'mcci':'c-1','mccs':10,'mccd':{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}},"
         "'m2m:mcc':{'mcci':'c-1','mccs':10,'mccd':{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}}}");
  expect_retry(); /* I-10: both sec:mcc and m2m:mcc */
}

static void test_MCC_2_5a_m2m_root_accepted(void **state) {
  (void)state;
  decide("{'m2m:mcc':{'mcci':'c-1','mccs':10,'mccd':{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}}}");
  assert_int_equal(d.kind, MEFC_DECIDE_WAIT); /* MCC-2-5a: m2m:mcc accepted */
  assert_true(d.wait_ms == 1000);
}

static void test_I_10_no_cmd_id(void **state) {
  (void)state;
  decide("{'sec:mcc':{'mccs':10,'mccd':{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}}}");
  expect_retry(); /* I-10: no cmdID */
  decide("{'sec:mcc':{'mcci':7,'mccs':10,'mccd':{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}}}");
  expect_retry(); /* I-10: cmdID not a string */
  decide(CMD("", 10, "{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  expect_retry(); /* I-10: empty cmdID */
}

static void test_I_10_cmd_id_length(void **state) {
  (void)state;
  /* 64 bytes fit, 65 do not. */
  decide(CMD("0123456789012345678901234567890123456789012345678901234567890123", 10,
             "{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  assert_int_equal(d.kind, MEFC_DECIDE_WAIT); /* I-10 */
  assert_int_equal(d.id.len, 64);
  decide(CMD("01234567890123456789012345678901234567890123456789012345678901234", 10,
             "{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  expect_retry(); /* I-10: cmdID longer than MEFC_CMD_ID_MAX */
}

static void test_I_10_cmd_id_unescaped(void **state) {
  (void)state;
  decide(CMD("a\\u0022b\\\\c\\u00e9", 10, "{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  assert_int_equal(d.kind, MEFC_DECIDE_WAIT); /* I-10: cmdID compared after unescaping */
  assert_true(fx_id_is(&d.id, "a\"b\\c\xc3\xa9"));
}

static void test_I_10_no_status(void **state) {
  (void)state;
  decide("{'sec:mcc':{'mcci':'c-1','mccd':{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}}}");
  expect_retry(); /* I-10: no cmdStatusCode */
}

static void test_I_10_status_not_issued(void **state) {
  (void)state;
  decide(CMD("c-1", 12, "{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  expect_retry(); /* I-10: mccs 12 */
  decide(CMD("c-1", 20, "{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  expect_retry(); /* I-10: mccs 20 */
  decide(CMD("c-1", '10', "{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  expect_retry(); /* I-10: mccs as a string */
  decide(CMD("c-1", 10.0, "{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  expect_retry(); /* I-10: mccs not an integer */
}

static void test_I_10_no_description(void **state) {
  (void)state;
  decide("{'sec:mcc':{'mcci':'c-1','mccs':10}}");
  expect_retry(); /* I-10: no cmdDescription */
  decide("{'sec:mcc':{'mcci':'c-1','mccs':10,'mccd':[{'ccid':0}]}}");
  expect_retry(); /* I-10: cmdDescription not an object */
}

static void test_I_10_class_not_integer(void **state) {
  (void)state;
  decide(CMD("c-1", 10, "{'cma':{'nmca':{'rdu':'PT1S'}}}"));
  expect_retry(); /* I-10: no cmdClassID */
  decide(CMD("c-1", 10, "{'ccid':'1','cma':{'nmca':{'rdu':'PT1S'}}}"));
  expect_retry(); /* I-10: ccid "1" as a string */
  decide(CMD("c-1", 10, "{'ccid':1.5,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  expect_retry(); /* I-10: ccid 1.5 */
  decide(CMD("c-1", 10, "{'ccid':null,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  expect_retry(); /* I-10: ccid null */
}

static void test_I_10_duplicate_member(void **state) {
  (void)state;
  decide("{'sec:mcc':{'mcci':'c-1','mcci':'c-2','mccs':10,"
         "'mccd':{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'}}}}}");
  expect_retry(); /* I-10: a known member twice */
}

static void test_MCC_2_5a_too_large(void **state) {
  (void)state;
  static uint8_t big[MEFC_PAYLOAD_MAX + 1];
  char json[256];
  size_t n = fx_json(NM("'PT1S'"), json, sizeof json);
  memset(big, ' ', sizeof big);
  memcpy(big, json, n);
  fx_decide_raw(&cli, &rec, big, MEFC_PAYLOAD_MAX, &d);
  check_contract();
  assert_int_equal(d.kind, MEFC_DECIDE_WAIT); /* MCC-2-5a: MEFC_PAYLOAD_MAX bytes are read */
  fx_decide_raw(&cli, &rec, big, MEFC_PAYLOAD_MAX + 1, &d);
  check_contract();
  expect_retry(); /* MCC-2-5a: longer than MEFC_PAYLOAD_MAX */
}

static void test_MCC_2_5a_unknown_members_ignored(void **state) {
  (void)state;
  decide("{'x':1,'sec:mcc':{'ri':'cmd1','pi':'reg1','ct':'20240101T000000','lt':'20240101T000000',"
         "'et':'20990101T000000','rn':'mefClientCmd','ty':10042,'lbl':['a','b','c','d'],"
         "'zz':{'deep':[1,{'a':null}]},'mcci':'c-1','mccs':10,"
         "'mccd':{'ccid':1,'extra':true,'cma':{'cpca':{'cppi':1,'unknown':'x',"
         "'uri':'https://mef.example.com/est','cst':2,'csi':'/CSE01'}}}}}");
  expect_execute(MEFC_PROC_EST_ENROLL); /* MCC-2-5a: universal attributes and unknown members ignored */
}

/* ---- MCC-2-5b, I-1, I-2, MCC-5-3: the cmdID of the durable record ---- */

static void test_MCC_2_5b_same_id_issued(void **state) {
  (void)state;
  fx_record(&rec, "c-1", MEFC_PHASE_REPORTED, 20, 1);
  decide(NM("'PT1S'"));
  expect_report(MEFC_ST_REPEATED_CMD_ID); /* MCC-2-5b */
  assert_int_equal(d.effect, MEFC_REC_KEEP);
  assert_int_equal(d.mef_status, 10);
}

static void test_MCC_2_5b_even_with_bad_args(void **state) {
  (void)state;
  fx_record(&rec, "c-1", MEFC_PHASE_REPORTED, 20, 1);
  decide(CMD("c-1", 10, "{'ccid':9}"));
  expect_report(MEFC_ST_REPEATED_CMD_ID); /* MCC-2-5b: before the class is looked at */
  assert_int_equal(d.class_id, MEFC_NONE);
}

static void test_MCC_2_5b_other_id_is_new(void **state) {
  (void)state;
  fx_record(&rec, "c-1", MEFC_PHASE_REPORTED, 20, 1);
  decide(CMD("c-10", 10, "{'ccid':0,'cma':{'nmca':{'rdu':'PT2S'}}}"));
  assert_int_equal(d.kind, MEFC_DECIDE_WAIT); /* MCC-2-5b: distinct cmdID goes on */
  assert_int_equal(d.effect, MEFC_REC_NEW);
  fx_record(&rec, "c-1", MEFC_PHASE_REPORTED, 20, 1);
  decide(CMD("C-1", 10, "{'ccid':0,'cma':{'nmca':{'rdu':'PT2S'}}}"));
  assert_int_equal(d.effect, MEFC_REC_NEW); /* MCC-2-5b: comparison is byte-exact */
}

static void test_I_1_reissued_reported(void **state) {
  (void)state;
  fx_record(&rec, "c-1", MEFC_PHASE_REPORTED, 43, 1);
  decide(CMD("c-1", 11, "{'ccid':1}"));
  expect_report(43); /* I-1, MCC-5-3: the stored status again */
  assert_int_equal(d.effect, MEFC_REC_KEEP);
  assert_int_equal(d.mef_status, 11);
  assert_int_equal(d.class_id, 1);
}

static void test_I_2_done_issued_and_reissued(void **state) {
  (void)state;
  fx_record(&rec, "c-1", MEFC_PHASE_DONE, 20, 1);
  decide(CMD("c-1", 10, "{'ccid':1}"));
  expect_report(20); /* I-2: finished, Update never answered */
  assert_int_equal(d.effect, MEFC_REC_KEEP);
  decide(CMD("c-1", 11, "{'ccid':1}"));
  expect_report(20); /* I-2 */
  assert_int_equal(d.effect, MEFC_REC_KEEP);
}

static void test_I_2_started_reports_class_failure(void **state) {
  (void)state;
  fx_record(&rec, "c-1", MEFC_PHASE_STARTED, 0, MEFC_CLASS_CERT_PROV);
  decide(CMD("c-1", 11, "{'ccid':1}"));
  expect_report(MEFC_ST_CERT_PROV_CLIENT_ERROR); /* I-2, MCC-5-10: 101 */
  assert_int_equal(d.effect, MEFC_REC_FAILED);
  fx_record(&rec, "c-1", MEFC_PHASE_STARTED, 0, MEFC_CLASS_DEV_CFG);
  decide(CMD("c-1", 10, "{'ccid':2}"));
  expect_report(MEFC_ST_DEV_CFG_CLIENT_ERROR); /* I-2, MCC-5-12: 202 */
  assert_int_equal(d.effect, MEFC_REC_FAILED);
  fx_record(&rec, "c-1", MEFC_PHASE_STARTED, 0, MEFC_CLASS_MO_NODE);
  decide(CMD("c-1", 10, "{'ccid':3}"));
  expect_report(MEFC_ST_MO_NODE_PROCESSING_FAILED); /* I-2, MCC-5-18: 305 */
  assert_int_equal(d.effect, MEFC_REC_FAILED);
}

static void test_I_2_class_failure_status(void **state) {
  (void)state;
  assert_int_equal(mefc_class_failure_status(1), 101); /* I-2 */
  assert_int_equal(mefc_class_failure_status(2), 202); /* I-2 */
  assert_int_equal(mefc_class_failure_status(3), 305); /* I-2 */
  assert_int_equal(mefc_class_failure_status(0), 42);  /* I-2: NO_MORE never executes */
  assert_int_equal(mefc_class_failure_status(7), 42);  /* I-2 */
}

/* ---- MCC-2-5c: class ---- */

static void test_MCC_2_5c_class_out_of_range(void **state) {
  (void)state;
  decide(CMD("c-1", 10, "{'ccid':4,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  expect_report(MEFC_ST_CLASS_NOT_SUPPORTED); /* MCC-2-5c, MCC-5-6 */
  assert_int_equal(d.class_id, MEFC_NONE);
  decide(CMD("c-1", 10, "{'ccid':-1}"));
  expect_report(MEFC_ST_CLASS_NOT_SUPPORTED); /* MCC-2-5c */
  decide(CMD("c-1", 10, "{'ccid':9223372036854775807}"));
  expect_report(MEFC_ST_CLASS_NOT_SUPPORTED); /* MCC-2-5c */
}

static void test_MCC_2_5c_class_not_supported(void **state) {
  (void)state;
  cli.classes = (1u << 0) | (1u << 1) | (1u << 3);
  decide(DC("'3:coap://mef.example.com'"));
  expect_report(MEFC_ST_CLASS_NOT_SUPPORTED); /* MCC-2-5c */
  assert_int_equal(d.class_id, 2);
  assert_int_equal(d.effect, MEFC_REC_NEW);
}

static void test_MCC_2_5c_before_arguments(void **state) {
  (void)state;
  cli.classes = 1u << 0;
  decide(CMD("c-1", 10, "{'ccid':3,'cma':7}"));
  expect_report(MEFC_ST_CLASS_NOT_SUPPORTED); /* MCC-2-5c before I-10 */
}

/* ---- I-10: cmdArgs shape (42) ---- */

static void test_I_10_cmd_args_missing(void **state) {
  (void)state;
  decide(CMD("c-1", 10, "{'ccid':0}"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* I-10, MCC-6-3 */
}

static void test_I_10_cmd_args_not_object(void **state) {
  (void)state;
  decide(CMD("c-1", 10, "{'ccid':0,'cma':'PT1S'}"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* I-10 */
  decide(CMD("c-1", 10, "{'ccid':0,'cma':{'nmca':'PT1S'}}"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* I-10: class member not an object */
}

static void test_I_10_cmd_args_two_members(void **state) {
  (void)state;
  decide(CMD("c-1", 10, "{'ccid':0,'cma':{'nmca':{'rdu':'PT1S'},'x':1}}"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* I-10 */
}

static void test_I_10_cmd_args_wrong_member(void **state) {
  (void)state;
  decide(CMD("c-1", 10, "{'ccid':0,'cma':{'cpca':{'rdu':'PT1S'}}}"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* I-10 */
  decide(CMD("c-1", 10, "{'ccid':3,'cma':{'dcca':{'dcu':'3:coap://mef.example.com'}}}"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* I-10 */
}

/* ---- NO_MORE_COMMANDS: MCC-6-3, MCC-6-5, I-8, I-12 ---- */

static void test_MCC_6_5_wait(void **state) {
  (void)state;
  decide(NM("'PT30S'"));
  assert_int_equal(d.kind, MEFC_DECIDE_WAIT); /* MCC-6-5 */
  assert_true(d.wait_ms == 30000u);
  assert_int_equal(d.class_id, 0);
  assert_true(fx_id_is(&d.id, "c-1"));
  decide(NM("'P1DT0.5S'"));
  assert_true(d.wait_ms == 86400500u); /* MCC-6-5, I-8 */
}

static void test_MCC_6_3_bad_duration(void **state) {
  (void)state;
  decide(NM("'30s'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-6-3, I-8 */
  decide(NM("'-PT30S'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-6-3, I-8: negative */
  decide(NM("30"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-6-3: not a string */
  decide(CMD("c-1", 10, "{'ccid':0,'cma':{'nmca':{}}}"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-6-3: missing */
  decide(NM("'PT00000000000000000000000000000000000000000000000000000000000001S'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-6-3: longer than MEFC_DURATION_MAX */
}

static void test_I_12_target_ignored_for_no_more(void **state) {
  (void)state;
  decide(CMD("c-1", 10, "{'ccid':0,'tgi':5,'cma':{'nmca':{'rdu':'PT1S'}}}"));
  assert_int_equal(d.kind, MEFC_DECIDE_WAIT); /* I-12 */
  decide(CMD("c-1", 10, "{'ccid':0,'tgi':'/CSE99','cma':{'nmca':{'rdu':'PT1S'}}}"));
  assert_int_equal(d.kind, MEFC_DECIDE_WAIT); /* I-12 */
}

/* ---- targetID: MCC-4-TGT, I-5, I-12 ---- */

static void test_MCC_4_TGT_absent(void **state) {
  (void)state;
  decide(CP_OK(1, "https://mef.example.com/.well-known/est", 2, "/CSE01"));
  expect_execute(MEFC_PROC_EST_ENROLL); /* MCC-4-TGT: optional */
  assert_false(d.args.has_target);
  assert_int_equal(d.args.target.len, 0);
}

static void test_I_5_target_acted_for(void **state) {
  (void)state;
  decide(CP_TGI("'Cae01'"));
  expect_execute(MEFC_PROC_EST_ENROLL); /* I-5 */
  assert_true(d.args.has_target);
  assert_int_equal(d.args.target.len, 5);
  assert_memory_equal(d.args.target.b, "Cae01", 5);
}

static void test_I_5_target_not_acted_for(void **state) {
  (void)state;
  decide(CP_TGI("'/CSE99'"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* I-5, MCC-4-TGT */
  decide(CP_TGI("'/CSE0'"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* I-5: prefix is not equal */
}

static void test_I_12_target_malformed(void **state) {
  (void)state;
  decide(CP_TGI("5"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* I-12: not a string */
  decide(CP_TGI("''"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* I-12: empty */
  decide(CP_TGI("'/0123456789012345678901234567890123456789012345678901234567890123456789"
                "01234567890123456789012345678901234567890123456789012345678'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* I-12: 129 bytes */
}

static void test_I_5_target_before_verification(void **state) {
  (void)state;
  decide(CMD("c-1", 10, "{'ccid':1,'tgi':'/CSE99','cma':{'cpca':{'cppi':1,"
                        "'uri':'https://other.example.com/est','cst':2,'csi':'/CSE01'}}}"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* I-5 */
  decide(CMD("c-1", 10, "{'ccid':3,'tgi':'/CSE99','cma':{'nnca':{'ajop':'/dm/none','otyp':1}}}"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* I-5: before the node lookup (300) */
  decide(CMD("c-1", 10, "{'ccid':1,'tgi':'/CSE99','cma':{'cpca':{'cppi':3}}}"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3: parse before the targetID */
}

/* ---- CERT_PROV: MCC-7-3 .. MCC-7-6, I-3, I-9, I-11 ---- */

static void test_MCC_7_5_est(void **state) {
  (void)state;
  decide(CP_OK(1, "https://mef.example.com/.well-known/est", 1, "urn:dev:ops:1"));
  expect_execute(MEFC_PROC_EST_ENROLL); /* MCC-7-5 */
  assert_int_equal(d.class_id, 1);
  assert_int_equal(d.args.subject_type, MEFC_SUBJ_NODE);
  assert_int_equal(d.args.subject_id.len, 13);
  assert_memory_equal(d.args.subject_id.b, "urn:dev:ops:1", 13);
  assert_int_equal(d.args.uri_len, strlen("https://mef.example.com/.well-known/est"));
  assert_memory_equal(d.args.uri, "https://mef.example.com/.well-known/est", d.args.uri_len);
  assert_int_equal(d.args.dev_mgmt_id, 0);
  assert_int_equal(d.args.node, 0);
}

static void test_MCC_7_5_scep(void **state) {
  (void)state;
  decide(CP_OK(2, "http://mef.example.com/scep", 3, "Cae01"));
  expect_execute(MEFC_PROC_SCEP_ENROLL); /* MCC-7-5: SCEP over http */
  assert_int_equal(d.args.subject_type, MEFC_SUBJ_AE);
  decide(CP_OK(2, "https://MEF.example.com./scep", 2, "/CSE01"));
  expect_execute(MEFC_PROC_SCEP_ENROLL); /* MCC-7-5, I-9: case and trailing dot */
}

static void test_MCC_7_3_bad_arguments(void **state) {
  (void)state;
  decide(CP("'cppi':3,'uri':'https://mef.example.com/est','cst':2,'csi':'/CSE01'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3, I-11: cppi outside enumeration */
  decide(CP("'cppi':0,'uri':'https://mef.example.com/est','cst':2,'csi':'/CSE01'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3, I-11 */
  decide(CP("'cppi':'1','uri':'https://mef.example.com/est','cst':2,'csi':'/CSE01'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3: wrong JSON type */
  decide(CP("'cppi':1,'uri':'https://mef.example.com/est','cst':4,'csi':'/CSE01'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3, I-11: cst outside enumeration */
  decide(CP("'cppi':1,'uri':'https://mef.example.com/est','cst':0,'csi':'/CSE01'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3, I-11 */
  decide(CP("'cppi':1,'uri':'https://mef.example.com/est','cst':2"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3: missing csi */
  decide(CP("'cppi':1,'uri':['https://mef.example.com/est'],'cst':2,'csi':'/CSE01'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3: uri not a string */
  decide(CP("'cppi':1,'cst':2,'csi':'/CSE01'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3: missing uri */
  decide(CP("'uri':'https://mef.example.com/est','cst':2,'csi':'/CSE01'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3: missing cppi */
  decide(CP("'cppi':1,'uri':'https://mef.example.com/est','csi':'/CSE01'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3: missing cst */
}

static void test_MCC_7_3_too_long(void **state) {
  (void)state;
  /* A 385-byte URI does not fit MEFC_URI_MAX. */
  char path[400];
  char json[1024];
  memset(path, 'a', 385 - 24);
  path[385 - 24] = '\0';
  snprintf(json, sizeof json,
           CP("'cppi':1,'uri':'https://mef.example.com/%s','cst':2,'csi':'/CSE01'"), path);
  decide(json);
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-7-3: longer than the capacity */
  path[385 - 25] = '\0';
  snprintf(json, sizeof json,
           CP("'cppi':1,'uri':'https://mef.example.com/%s','cst':2,'csi':'/CSE01'"), path);
  decide(json);
  expect_execute(MEFC_PROC_EST_ENROLL); /* MCC-7-5: 384 bytes fit */
  assert_int_equal(d.args.uri_len, 384);
}

static void test_MCC_7_4_PROTO(void **state) {
  (void)state;
  cli.cert_prov_protocols = 1u << MEFC_CPP_EST;
  decide(CP_OK(2, "https://mef.example.com/scep", 2, "/CSE01"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-PROTO, MCC-7-4-FAIL */
  decide(CP_OK(1, "https://mef.example.com/est", 2, "/CSE01"));
  expect_execute(MEFC_PROC_EST_ENROLL); /* MCC-7-4-PROTO: supported passes */
}

static void test_MCC_7_4_URI(void **state) {
  (void)state;
  decide(CP_OK(1, "https://other.example.com/est", 2, "/CSE01"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-URI: host differs */
  decide(CP_OK(1, "http://mef.example.com/est", 2, "/CSE01"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-URI, I-9: EST needs https */
  decide(CP_OK(1, "https://user@mef.example.com/est", 2, "/CSE01"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-URI, I-9: userinfo */
  decide(CP_OK(1, "", 2, "/CSE01"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-URI: empty */
  decide(CP_OK(2, "coap://mef.example.com/scep", 2, "/CSE01"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-URI: SCEP needs http(s) */
}

static void test_MCC_7_4_TYPE(void **state) {
  (void)state;
  cli.role = MEFC_ROLE_CSE;
  decide(CP_OK(1, "https://mef.example.com/est", 1, "urn:dev:ops:1"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-TYPE, I-3: CSE accepts only CSE */
  decide(CP_OK(1, "https://mef.example.com/est", 3, "Cae01"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-TYPE, I-3 */
  decide(CP_OK(1, "https://mef.example.com/est", 2, "/CSE01"));
  expect_execute(MEFC_PROC_EST_ENROLL); /* MCC-7-4-TYPE, I-3 */
  cli.role = MEFC_ROLE_AE;
  decide(CP_OK(1, "https://mef.example.com/est", 2, "/CSE01"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-TYPE, I-3: AE accepts only AE */
  decide(CP_OK(1, "https://mef.example.com/est", 3, "Cae01"));
  expect_execute(MEFC_PROC_EST_ENROLL); /* MCC-7-4-TYPE, I-3 */
}

static void test_MCC_7_4_ID(void **state) {
  (void)state;
  decide(CP_OK(1, "https://mef.example.com/est", 1, "/CSE01"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-ID, I-3: Node needs a Node-ID */
  decide(CP_OK(1, "https://mef.example.com/est", 2, "Cae01"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-ID, I-3: CSE needs a CSE-ID */
  decide(CP_OK(1, "https://mef.example.com/est", 3, "/CSE01"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-ID, I-3: AE needs an AE-ID */
  decide(CP_OK(1, "https://mef.example.com/est", 3, ""));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-7-4-ID: empty */
  decide(CP_OK(1, "https://mef.example.com/est", 2, "/CSE01"));
  expect_execute(MEFC_PROC_EST_ENROLL); /* MCC-7-4-ID */
}

static void test_MCC_7_6_outcome(void **state) {
  (void)state;
  for (uint32_t p = MEFC_PROC_EST_ENROLL; p <= MEFC_PROC_SCEP_ENROLL; p++) {
    assert_int_equal(mefc_outcome_status(p, MEFC_OUTCOME_OK), 20);            /* MCC-7-6-OK */
    assert_int_equal(mefc_outcome_status(p, MEFC_OUTCOME_SERVER_ERROR), 100); /* MCC-7-6-SRV, MCC-5-9 */
    assert_int_equal(mefc_outcome_status(p, MEFC_OUTCOME_CLIENT_ERROR), 101); /* MCC-7-6-CLI, MCC-5-10 */
    assert_int_equal(mefc_outcome_status(p, 9), 101);                         /* MCC-7-6-CLI */
  }
}

/* ---- DEV_CFG: MCC-8-3 .. MCC-8-6, I-4 ---- */

static void test_MCC_8_5_execute(void **state) {
  (void)state;
  decide(DC("'3:coaps://mef.example.com:5684/dm'"));
  expect_execute(MEFC_PROC_DEV_CFG); /* MCC-8-5, I-4 */
  assert_int_equal(d.class_id, 2);
  assert_int_equal(d.args.dev_mgmt_id, 3);
  assert_int_equal(d.args.uri_len, strlen("coaps://mef.example.com:5684/dm"));
  assert_memory_equal(d.args.uri, "coaps://mef.example.com:5684/dm", d.args.uri_len);
  assert_int_equal(d.args.subject_type, 0);
}

static void test_MCC_8_3_bad_arguments(void **state) {
  (void)state;
  decide(DC("'3'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3, I-4: no ':' */
  decide(DC("'3:'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3, I-4: empty URI */
  decide(DC("':coap://mef.example.com'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3, I-4: no devMgmtID */
  decide(DC("'x:coap://mef.example.com'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3, I-4: not an integer */
  decide(DC("'5:coap://mef.example.com'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3, I-11: outside enumeration */
  decide(DC("'0:coap://mef.example.com'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3, I-11 */
  decide(DC("'13:coap://mef.example.com'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3, I-11 */
  decide(DC("'-3:coap://mef.example.com'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3, I-11 */
  decide(DC("3"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3: not a string */
  decide(CMD("c-1", 10, "{'ccid':2,'cma':{'dcca':{'dmid':3}}}"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3: missing */
}

static void test_MCC_8_3_leading_zero(void **state) {
  (void)state;
  decide(DC("'03:coap://mef.example.com'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3, I-26: no leading zero */
  decide(DC("'0:coap://mef.example.com'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-8-3, I-11: 0 is outside the enumeration */
  decide(DC("'3:coap://mef.example.com'"));
  expect_execute(MEFC_PROC_DEV_CFG); /* MCC-8-5 */
  assert_int_equal(d.args.dev_mgmt_id, 3);
}

static void test_MCC_8_4_DM(void **state) {
  (void)state;
  decide(DC("'1:coap://mef.example.com'"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-8-4-DM, MCC-8-4-FAIL */
  cli.dev_mgmt_ids |= 1u << MEFC_DM_OMA_DM13;
  decide(DC("'1:coap://mef.example.com'"));
  expect_execute(MEFC_PROC_DEV_CFG); /* MCC-8-4-DM */
}

static void test_MCC_8_4_URI(void **state) {
  (void)state;
  decide(DC("'3:coap://other.example.com'"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-8-4-URI, MCC-8-4-FAIL */
  decide(DC("'3:coap://mef.example.com%2e'"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-8-4-URI, I-9: percent in host */
  decide(DC("'3:mef.example.com'"));
  expect_report(MEFC_ST_UNACCEPTABLE_ARGUMENTS); /* MCC-8-4-URI: no scheme */
}

static void test_MCC_8_6_outcome(void **state) {
  (void)state;
  assert_int_equal(mefc_outcome_status(MEFC_PROC_DEV_CFG, MEFC_OUTCOME_OK), 20);            /* MCC-8-6-OK */
  assert_int_equal(mefc_outcome_status(MEFC_PROC_DEV_CFG, MEFC_OUTCOME_SERVER_ERROR), 201); /* MCC-8-6-SRV, MCC-5-11 */
  assert_int_equal(mefc_outcome_status(MEFC_PROC_DEV_CFG, MEFC_OUTCOME_CLIENT_ERROR), 202); /* MCC-8-6-CLI, MCC-5-12 */
}

/* ---- MO_NODE generic: MCC-9-1-3, MCC-9-1-4a, MCC-9-1-4b ---- */

static void test_MCC_9_1_3_bad_arguments(void **state) {
  (void)state;
  decide(MO("'otyp':1,'otsa':{'suid':12}"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-9-1-3: missing objectPath */
  decide(MO("'ajop':'/dm/reg1/ap-psk','otsa':{'suid':12}"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-9-1-3: missing objectTypeID */
  decide(MO("'ajop':'/dm/reg1/ap-psk','otyp':4"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-9-1-3, I-11 */
  decide(MO("'ajop':'/dm/reg1/ap-psk','otyp':'1'"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-9-1-3: wrong JSON type */
  decide(MO("'ajop':12,'otyp':1"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-9-1-3: wrong JSON type */
  decide(MO("'ajop':'/0123456789012345678901234567890123456789012345678901234567890123456789"
            "01234567890123456789012345678901234567890123456789012345678','otyp':1"));
  expect_report(MEFC_ST_BAD_ARGUMENTS); /* MCC-9-1-3: 129 bytes */
}

static void test_MCC_9_1_4a_not_found(void **state) {
  (void)state;
  decide(MO_AP("/dm/reg1/none", 12));
  expect_report(MEFC_ST_MO_NODE_NOT_FOUND); /* MCC-9-1-4a, MCC-5-13 */
  decide(MO_AP("/dm/reg1/ap-psk/", 12));
  expect_report(MEFC_ST_MO_NODE_NOT_FOUND); /* MCC-9-1-4a: exact path */
  decide(MO("'ajop':'','otyp':2"));
  expect_report(MEFC_ST_MO_NODE_NOT_FOUND); /* MCC-9-1-4a */
}

static void test_MCC_9_1_4b_type_conflict(void **state) {
  (void)state;
  decide(MO("'ajop':'/dm/reg1/ap-psk','otyp':2"));
  expect_report(MEFC_ST_MO_NODE_TYPE_CONFLICT); /* MCC-9-1-4b, MCC-5-14 */
  decide(MO_AP("/dm/ta2", 12));
  expect_report(MEFC_ST_MO_NODE_TYPE_CONFLICT); /* MCC-9-1-4b */
  decide(MO("'ajop':'/dm/reg1','otyp':3"));
  expect_report(MEFC_ST_MO_NODE_TYPE_CONFLICT); /* MCC-9-1-4b */
}

/* ---- [authenticationProfile]: MCC-9-2-2 .. MCC-9-2-5, I-6 ---- */

static void test_MCC_9_2_2_bad_otsa(void **state) {
  (void)state;
  decide(MO("'ajop':'/dm/reg1/ap-psk','otyp':1"));
  expect_report(MEFC_ST_MO_NODE_BAD_ARGS); /* MCC-9-2-2, MCC-5-15: missing */
  decide(MO("'ajop':'/dm/reg1/ap-psk','otyp':1,'otsa':12"));
  expect_report(MEFC_ST_MO_NODE_BAD_ARGS); /* MCC-9-2-2: not an object */
  decide(MO("'ajop':'/dm/reg1/ap-psk','otyp':1,'otsa':{}"));
  expect_report(MEFC_ST_MO_NODE_BAD_ARGS); /* MCC-9-2-2: no suid */
  decide(MO("'ajop':'/dm/reg1/ap-psk','otyp':1,'otsa':{'suid':'12'}"));
  expect_report(MEFC_ST_MO_NODE_BAD_ARGS); /* MCC-9-2-2: wrong JSON type */
  decide(MO_AP("/dm/reg1/ap-psk", 16));
  expect_report(MEFC_ST_MO_NODE_BAD_ARGS); /* MCC-9-2-2, I-11: outside enumeration */
  decide(MO_AP("/dm/reg1/ap-psk", 30));
  expect_report(MEFC_ST_MO_NODE_BAD_ARGS); /* MCC-9-2-2, I-11 */
  decide(MO_AP("/dm/reg1/ap-psk", 44));
  expect_report(MEFC_ST_MO_NODE_BAD_ARGS); /* MCC-9-2-2, I-11 */
}

static void test_MCC_9_2_2_after_lookup(void **state) {
  (void)state;
  decide(MO("'ajop':'/dm/none','otyp':1,'otsa':7"));
  expect_report(MEFC_ST_MO_NODE_NOT_FOUND); /* MCC-9-1-4a before MCC-9-2-2 */
  decide(MO("'ajop':'/dm/ta2','otyp':1,'otsa':7"));
  expect_report(MEFC_ST_MO_NODE_TYPE_CONFLICT); /* MCC-9-1-4b before MCC-9-2-2 */
}

static void test_MCC_9_2_3_suid_differs(void **state) {
  (void)state;
  decide(MO_AP("/dm/reg1/ap-psk", 13));
  expect_report(MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS); /* MCC-9-2-3, MCC-5-16 */
  decide(MO_AP("/dm/reg1/ap-psk", 31));
  expect_report(MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS); /* MCC-9-2-3: 31 parses, differs */
}

static void test_MCC_9_2_5_suid_in_no_set(void **state) {
  (void)state;
  cli.mo[FX_AP_PSK].suid = 10;
  decide(MO_AP("/dm/reg1/ap-psk", 10));
  expect_report(MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS); /* MCC-9-2-5, I-6 */
  cli.mo[FX_AP_PSK].suid = 40;
  decide(MO_AP("/dm/reg1/ap-psk", 40));
  expect_report(MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS); /* MCC-9-2-5, I-6 */
  cli.mo[FX_AP_PSK].suid = 25;
  decide(MO_AP("/dm/reg1/ap-psk", 25));
  expect_report(MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS); /* MCC-9-2-5, I-6 */
}

static void test_MCC_9_2_4_FAIL_node_without_suid(void **state) {
  (void)state;
  cli.mo[FX_AP_PSK].attrs &= ~(uint32_t)MEFC_MO_SUID;
  decide(MO_AP("/dm/reg1/ap-psk", 12));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-FAIL, MCC-5-17 */
}

static void test_MCC_9_2_4_PMAF(void **state) {
  (void)state;
  decide(MO_AP("/dm/mafcfg1/ap11", 11));
  expect_report(MEFC_ST_OK); /* MCC-9-2-4-PMAF: parent MAFClientRegCfg passes */
  cli.mo[FX_AP11].parent = FX_REG1;
  decide(MO_AP("/dm/mafcfg1/ap11", 11));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-PMAF */
  cli.mo[FX_AP11].parent = MEFC_NONE;
  decide(MO_AP("/dm/mafcfg1/ap11", 11));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-PMAF: no parent */
}

static void test_MCC_9_2_4_PREG(void **state) {
  (void)state;
  decide(MO_AP("/dm/reg1/ap-psk", 12));
  expect_report(MEFC_ST_OK); /* MCC-9-2-4-PREG: parent registration passes */
  cli.mo[FX_AP_PSK].parent = FX_DC1;
  decide(MO_AP("/dm/reg1/ap-psk", 12));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-PREG */
}

static void test_MCC_9_2_4_PDAT(void **state) {
  (void)state;
  decide(MO_AP("/dm/dc1/ap13", 13));
  expect_report(MEFC_ST_OK); /* MCC-9-2-4-PDAT: parent dataCollection passes, no TLCS needed */
  cli.mo[FX_AP13].parent = FX_REG1;
  decide(MO_AP("/dm/dc1/ap13", 13));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-PDAT */
}

static void test_MCC_9_2_4_SYMM(void **state) {
  (void)state;
  cli.mo[FX_AP_PSK].attrs &= ~(uint32_t)MEFC_MO_ASKI;
  decide(MO_AP("/dm/reg1/ap-psk", 12));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-SYMM */
}

static void test_MCC_9_2_4_MEF(void **state) {
  (void)state;
  decide(MO_AP("/dm/reg1/ap-mef", 22));
  expect_execute(MEFC_PROC_MEF_KEY_REG); /* MCC-9-2-4-MEF passes */
  cli.mo[FX_AP_MEF].attrs &= ~(uint32_t)MEFC_MO_MKRD;
  decide(MO_AP("/dm/reg1/ap-mef", 22));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-MEF: no keyRegDuration */
  fx_client(&cli);
  cli.mo[FX_MEF_CFG].mgd = MEFC_MGD_MAF_CLIENT_REG_CFG;
  decide(MO_AP("/dm/reg1/ap-mef", 22));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-MEF: no MEFClientRegCfg child */
}

static void test_MCC_9_2_4_MAF(void **state) {
  (void)state;
  decide(MO_AP("/dm/reg1/ap-maf", 32));
  expect_execute(MEFC_PROC_MAF_KEY_REG); /* MCC-9-2-4-MAF passes */
  cli.mo[FX_AP_MAF].attrs &= ~(uint32_t)MEFC_MO_MKRD;
  decide(MO_AP("/dm/reg1/ap-maf", 32));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-MAF: no keyRegDuration */
  fx_client(&cli);
  cli.mo[FX_MAF_CFG].parent = FX_AP_MEF;
  decide(MO_AP("/dm/reg1/ap-maf", 32));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-MAF: no MAFClientRegCfg child */
}

static void test_MCC_9_2_4_PSK(void **state) {
  (void)state;
  static const uint16_t cert_only[] = {49187, 49326};
  static const uint16_t dtls_psk[] = {49187, 49320};
  cli.mo[FX_AP_PSK].attrs &= ~(uint32_t)MEFC_MO_TLCS;
  decide(MO_AP("/dm/reg1/ap-psk", 12));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-PSK: no TLSCiphersuites */
  fx_set_tlcs(&cli.mo[FX_AP_PSK], cert_only, 2);
  decide(MO_AP("/dm/reg1/ap-psk", 12));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-PSK: no mandatory PSK suite */
  fx_set_tlcs(&cli.mo[FX_AP_PSK], dtls_psk, 2);
  decide(MO_AP("/dm/reg1/ap-psk", 12));
  expect_report(MEFC_ST_OK); /* MCC-9-2-4-PSK: the DTLS suite is enough */
  decide(MO_AP("/dm/reg1/ap-mef", 22));
  expect_execute(MEFC_PROC_MEF_KEY_REG); /* MCC-9-2-4-PSK: the TLS suite is enough */
  cli.mo[FX_AP_MAF].attrs &= ~(uint32_t)MEFC_MO_TLCS;
  decide(MO_AP("/dm/reg1/ap-maf", 32));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-PSK: 32 too */
}

static void test_MCC_9_2_4_CERT(void **state) {
  (void)state;
  static const uint16_t psk_only[] = {174, 49320};
  static const uint16_t dtls_cert[] = {49326};
  decide(MO_AP("/dm/reg1/ap-cert", 42));
  expect_report(MEFC_ST_OK); /* MCC-9-2-4-CERT passes */
  cli.mo[FX_AP_CERT].attrs &= ~(uint32_t)MEFC_MO_MCFP;
  decide(MO_AP("/dm/reg1/ap-cert", 42));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-CERT: no myCertFingerprint */
  fx_client(&cli);
  fx_set_tlcs(&cli.mo[FX_AP_CERT], psk_only, 2);
  decide(MO_AP("/dm/reg1/ap-cert", 42));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-CERT: no certificate suite */
  fx_client(&cli);
  cli.mo[FX_AP_CERT].attrs &= ~(uint32_t)MEFC_MO_TLCS;
  decide(MO_AP("/dm/reg1/ap-cert", 42));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-CERT: no TLSCiphersuites */
  fx_client(&cli);
  cli.mo[FX_AP_CERT_TA].parent = FX_REG1;
  decide(MO_AP("/dm/reg1/ap-cert", 42));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* MCC-9-2-4-CERT, I-6: no trustAnchorCred child */
  fx_client(&cli);
  fx_set_tlcs(&cli.mo[FX_AP_CERT], dtls_cert, 1);
  decide(MO_AP("/dm/reg1/ap-cert", 42));
  expect_report(MEFC_ST_OK); /* MCC-9-2-4-CERT: the DTLS suite is enough */
}

/* ---- SUID procedures: MCC-9-3-1 .. MCC-9-6 ---- */

static void test_MCC_9_3_1_key_value_present(void **state) {
  (void)state;
  cli.n_symm_keys = 0;
  cli.mo[FX_AP_PSK].attrs |= MEFC_MO_SKV;
  decide(MO_AP("/dm/reg1/ap-psk", 12));
  expect_report(MEFC_ST_OK); /* MCC-9-3-1 */
  assert_int_equal(d.class_id, 3);
}

static void test_MCC_9_3_2_local_key(void **state) {
  (void)state;
  decide(MO_AP("/dm/reg1/ap-psk", 12));
  expect_report(MEFC_ST_OK); /* MCC-9-3-2: key-1 held */
  fx_key(&cli.mo[FX_AP_PSK].symm_key_id, "key-2");
  decide(MO_AP("/dm/reg1/ap-psk", 12));
  expect_report(MEFC_ST_MO_NODE_PROCESSING_FAILED); /* MCC-9-3-2, MCC-5-18 */
  fx_key(&cli.mo[FX_AP_PSK].symm_key_id, "key-");
  decide(MO_AP("/dm/reg1/ap-psk", 12));
  expect_report(MEFC_ST_MO_NODE_PROCESSING_FAILED); /* MCC-9-3-2: prefix is not equal */
}

static void test_MCC_9_4_mef_key_reg(void **state) {
  (void)state;
  decide(MO_AP("/dm/reg1/ap-mef", 22));
  expect_execute(MEFC_PROC_MEF_KEY_REG); /* MCC-9-4 */
  assert_int_equal(d.args.node, FX_AP_MEF);
  assert_true(d.args.suid == 22);
  assert_int_equal(d.args.uri_len, 0);
  assert_int_equal(mefc_outcome_status(MEFC_PROC_MEF_KEY_REG, MEFC_OUTCOME_OK), 20);  /* MCC-9-4 */
  assert_int_equal(mefc_outcome_status(MEFC_PROC_MEF_KEY_REG, MEFC_OUTCOME_SERVER_ERROR),
                   305); /* MCC-9-4 */
}

static void test_MCC_9_5_maf_key_reg(void **state) {
  (void)state;
  decide(MO_AP("/dm/reg1/ap-maf", 32));
  expect_execute(MEFC_PROC_MAF_KEY_REG); /* MCC-9-5 */
  assert_int_equal(d.args.node, FX_AP_MAF);
  assert_true(d.args.suid == 32);
  assert_int_equal(mefc_outcome_status(MEFC_PROC_MAF_KEY_REG, MEFC_OUTCOME_OK), 20);  /* MCC-9-5 */
  assert_int_equal(mefc_outcome_status(MEFC_PROC_MAF_KEY_REG, MEFC_OUTCOME_CLIENT_ERROR),
                   305); /* MCC-9-5 */
}

static void test_MCC_9_6_certificate(void **state) {
  (void)state;
  decide(MO_AP("/dm/reg1/ap-cert", 42));
  expect_report(MEFC_ST_OK); /* MCC-9-6 */
  fx_fp(cli.mo[FX_AP_CERT].fp, FX_FP_OTHER);
  decide(MO_AP("/dm/reg1/ap-cert", 42));
  expect_report(MEFC_ST_MO_NODE_PROCESSING_FAILED); /* MCC-9-6 */
  fx_fp(cli.mo[FX_AP_CERT].fp, FX_FP_CERT);
  cli.mo[FX_AP_CERT].fp[31] ^= 1;
  decide(MO_AP("/dm/reg1/ap-cert", 42));
  expect_report(MEFC_ST_MO_NODE_PROCESSING_FAILED); /* MCC-9-6: last byte differs */
}

/* ---- [trustAnchorCred]: MCC-9-7-1, MCC-9-7-2, I-13 ---- */

static void test_MCC_9_7_1_local_ca(void **state) {
  (void)state;
  decide(MO("'ajop':'/dm/reg1/ap-cert/ta','otyp':2"));
  expect_report(MEFC_ST_OK); /* MCC-9-7-1 */
}

static void test_MCC_9_7_2_fetch(void **state) {
  (void)state;
  uint8_t fp[MEFC_FP_LEN];
  decide(MO("'ajop':'/dm/ta2','otyp':2"));
  expect_execute(MEFC_PROC_TRUST_ANCHOR_FETCH); /* MCC-9-7-2 */
  assert_int_equal(d.args.node, FX_TA2);
  assert_int_equal(d.args.uri_len, strlen("https://mef.example.com/ca/other.pem"));
  assert_memory_equal(d.args.uri, "https://mef.example.com/ca/other.pem", d.args.uri_len);
  fx_fp(fp, FX_FP_OTHER);
  assert_memory_equal(d.args.fp, fp, MEFC_FP_LEN);
  assert_int_equal(mefc_outcome_status(MEFC_PROC_TRUST_ANCHOR_FETCH, MEFC_OUTCOME_OK), 20); /* MCC-9-7-2 */
  assert_int_equal(mefc_outcome_status(MEFC_PROC_TRUST_ANCHOR_FETCH, MEFC_OUTCOME_SERVER_ERROR),
                   305); /* MCC-9-7-2 */
}

static void test_I_13_trust_anchor(void **state) {
  (void)state;
  decide(MO("'ajop':'/dm/ta2','otyp':2,'otsa':{'suid':12}"));
  expect_report(MEFC_ST_MO_NODE_BAD_ARGS); /* I-13: otsa present */
  decide(MO("'ajop':'/dm/ta3','otyp':2"));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* I-13: no certFingerprint */
  cli.mo[FX_TA2].attrs &= ~(uint32_t)MEFC_MO_URI;
  decide(MO("'ajop':'/dm/ta2','otyp':2"));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* I-13: not held and no URI */
}

/* ---- [MAFClientRegCfg]: MCC-9-8, I-13 ---- */

static void test_MCC_9_8_maf_client_reg(void **state) {
  (void)state;
  decide(MO("'ajop':'/dm/mafcfg1','otyp':3"));
  expect_execute(MEFC_PROC_MAF_CLIENT_REG); /* MCC-9-8 */
  assert_int_equal(d.args.node, FX_MAFCFG1);
  assert_int_equal(mefc_outcome_status(MEFC_PROC_MAF_CLIENT_REG, MEFC_OUTCOME_OK), 20); /* MCC-9-8 */
  assert_int_equal(mefc_outcome_status(MEFC_PROC_MAF_CLIENT_REG, MEFC_OUTCOME_CLIENT_ERROR),
                   305); /* MCC-9-8 */
}

static void test_I_13_maf_client_reg(void **state) {
  (void)state;
  decide(MO("'ajop':'/dm/mafcfg1','otyp':3,'otsa':{}"));
  expect_report(MEFC_ST_MO_NODE_BAD_ARGS); /* I-13: otsa present */
  cli.mo[FX_MAFCFG1].attrs &= ~(uint32_t)MEFC_MO_ADFQ;
  decide(MO("'ajop':'/dm/mafcfg1','otyp':3"));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* I-13: no adminFQDN */
  fx_client(&cli);
  cli.mo[FX_MAFCFG1].attrs &= ~(uint32_t)MEFC_MO_FQ;
  decide(MO("'ajop':'/dm/mafcfg1','otyp':3"));
  expect_report(MEFC_ST_MO_NODE_INCONSISTENT_CONFIG); /* I-13: no fqdn */
}

static void test_MCC_9_1_5_target_kept(void **state) {
  (void)state;
  decide(CMD("c-1", 10, "{'ccid':3,'tgi':'/CSE01','cma':{'nnca':{'ajop':'/dm/mafcfg1','otyp':3}}}"));
  expect_execute(MEFC_PROC_MAF_CLIENT_REG); /* MCC-9-1-5, I-5 */
  assert_true(d.args.has_target);
  assert_memory_equal(d.args.target.b, "/CSE01", 6);
}

static void test_outcome_without_procedure(void **state) {
  (void)state;
  assert_int_equal(mefc_outcome_status(MEFC_PROC_NONE, MEFC_OUTCOME_OK), 42);
  assert_int_equal(mefc_outcome_status(8, MEFC_OUTCOME_OK), 42);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_MCC_2_5a_invalid_json),
      T(test_MCC_2_5a_root_not_object),
      T(test_MCC_2_5a_no_root_member),
      T(test_I_10_both_roots),
      T(test_MCC_2_5a_m2m_root_accepted),
      T(test_I_10_no_cmd_id),
      T(test_I_10_cmd_id_length),
      T(test_I_10_cmd_id_unescaped),
      T(test_I_10_no_status),
      T(test_I_10_status_not_issued),
      T(test_I_10_no_description),
      T(test_I_10_class_not_integer),
      T(test_I_10_duplicate_member),
      T(test_MCC_2_5a_too_large),
      T(test_MCC_2_5a_unknown_members_ignored),
      T(test_MCC_2_5b_same_id_issued),
      T(test_MCC_2_5b_even_with_bad_args),
      T(test_MCC_2_5b_other_id_is_new),
      T(test_I_1_reissued_reported),
      T(test_I_2_done_issued_and_reissued),
      T(test_I_2_started_reports_class_failure),
      T(test_I_2_class_failure_status),
      T(test_MCC_2_5c_class_out_of_range),
      T(test_MCC_2_5c_class_not_supported),
      T(test_MCC_2_5c_before_arguments),
      T(test_I_10_cmd_args_missing),
      T(test_I_10_cmd_args_not_object),
      T(test_I_10_cmd_args_two_members),
      T(test_I_10_cmd_args_wrong_member),
      T(test_MCC_6_5_wait),
      T(test_MCC_6_3_bad_duration),
      T(test_I_12_target_ignored_for_no_more),
      T(test_MCC_4_TGT_absent),
      T(test_I_5_target_acted_for),
      T(test_I_5_target_not_acted_for),
      T(test_I_12_target_malformed),
      T(test_I_5_target_before_verification),
      T(test_MCC_7_5_est),
      T(test_MCC_7_5_scep),
      T(test_MCC_7_3_bad_arguments),
      T(test_MCC_7_3_too_long),
      T(test_MCC_7_4_PROTO),
      T(test_MCC_7_4_URI),
      T(test_MCC_7_4_TYPE),
      T(test_MCC_7_4_ID),
      T(test_MCC_7_6_outcome),
      T(test_MCC_8_5_execute),
      T(test_MCC_8_3_bad_arguments),
      T(test_MCC_8_3_leading_zero),
      T(test_MCC_8_4_DM),
      T(test_MCC_8_4_URI),
      T(test_MCC_8_6_outcome),
      T(test_MCC_9_1_3_bad_arguments),
      T(test_MCC_9_1_4a_not_found),
      T(test_MCC_9_1_4b_type_conflict),
      T(test_MCC_9_2_2_bad_otsa),
      T(test_MCC_9_2_2_after_lookup),
      T(test_MCC_9_2_3_suid_differs),
      T(test_MCC_9_2_5_suid_in_no_set),
      T(test_MCC_9_2_4_FAIL_node_without_suid),
      T(test_MCC_9_2_4_PMAF),
      T(test_MCC_9_2_4_PREG),
      T(test_MCC_9_2_4_PDAT),
      T(test_MCC_9_2_4_SYMM),
      T(test_MCC_9_2_4_MEF),
      T(test_MCC_9_2_4_MAF),
      T(test_MCC_9_2_4_PSK),
      T(test_MCC_9_2_4_CERT),
      T(test_MCC_9_3_1_key_value_present),
      T(test_MCC_9_3_2_local_key),
      T(test_MCC_9_4_mef_key_reg),
      T(test_MCC_9_5_maf_key_reg),
      T(test_MCC_9_6_certificate),
      T(test_MCC_9_7_1_local_ca),
      T(test_MCC_9_7_2_fetch),
      T(test_I_13_trust_anchor),
      T(test_MCC_9_8_maf_client_reg),
      T(test_I_13_maf_client_reg),
      T(test_MCC_9_1_5_target_kept),
      T(test_outcome_without_procedure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
