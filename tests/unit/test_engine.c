/* Scenario tests of the command engine (mefc_engine_step) driving the real
 * mefc_decide, grouped by requirement ID. After every step the safety
 * properties are checked: no Retrieve while a command is open (MCC-2-PC),
 * PERSIST before EXECUTE, no cmdID executed twice, a valid record on disk. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "fixtures.h"

#define CMD(id, mccs, mccd) "{'sec:mcc':{'mcci':'" id "','mccs':" #mccs ",'mccd':" mccd "}}"
#define EST(id, mccs)                                                                    \
  CMD(id, mccs, "{'ccid':1,'cma':{'cpca':{'cppi':1,"                                    \
                "'uri':'https://mef.example.com/.well-known/est','cst':2,'csi':'/CSE01'}}}")
#define DEVCFG(id, mccs) CMD(id, mccs, "{'ccid':2,'cma':{'dcca':{'dcu':'3:coap://mef.example.com'}}}")
#define MAFREG(id, mccs) CMD(id, mccs, "{'ccid':3,'cma':{'nnca':{'ajop':'/dm/mafcfg1','otyp':3}}}")
#define NOMORE(id, rdu) CMD(id, 10, "{'ccid':0,'cma':{'nmca':{'rdu':'" rdu "'}}}")
#define BADCLASS(id) CMD(id, 10, "{'ccid':7}")

enum { NONE_ = 0, RETRIEVE = MEFC_ACT_SEND_RETRIEVE, UPDATE = MEFC_ACT_SEND_UPDATE,
       EXECUTE = MEFC_ACT_EXECUTE, PERSIST = MEFC_ACT_PERSIST, ARM = MEFC_ACT_ARM_TIMER,
       CANCEL = MEFC_ACT_CANCEL_TIMER };

/* The rig: what a shell holds. disk is the record as last persisted. */
static mefc_client cli;
static mefc_engine eng;
static mefc_workspace ws;
static mefc_actions out;
static mefc_record disk;
static char executed[32][MEFC_CMD_ID_MAX + 1];
static int n_executed;
static int n_steps;

static int setup(void **state) {
  (void)state;
  fx_client(&cli);
  fx_record_none(&disk);
  memset(&eng, 0x5A, sizeof eng);
  mefc_engine_init(&eng, &disk);
  n_executed = 0;
  n_steps = 0;
  return 0;
}

static int is_client_status(uint32_t s) {
  static const uint32_t ok[] = {20, 40, 41, 42, 43, 100, 101, 201, 202,
                                300, 301, 302, 303, 304, 305};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (ok[i] == s) return 1;
  return 0;
}

/* Everything a shell may rely on after any step, checked on every step. */
static void check_step(void) {
  int persisted = 0;
  n_steps++;
  assert_true(out.n <= MEFC_ACTIONS_MAX);
  for (uint32_t i = 0; i < out.n; i++) {
    const mefc_action *a = &out.a[i];
    assert_true(a->kind >= MEFC_ACT_SEND_RETRIEVE && a->kind <= MEFC_ACT_CANCEL_TIMER);
    switch (a->kind) {
    case MEFC_ACT_PERSIST:
      disk = eng.rec; /* the shell writes engine.rec */
      persisted = 1;
      break;
    case MEFC_ACT_SEND_RETRIEVE:
      /* MCC-2-PC: never between receiving a command and its Update. */
      assert_int_not_equal(eng.rec.phase, MEFC_PHASE_STARTED); /* MCC-2-PC */
      assert_int_not_equal(eng.rec.phase, MEFC_PHASE_DONE);    /* MCC-2-PC */
      assert_int_equal(eng.state, MEFC_S_AWAIT);
      assert_int_equal(eng.pending, MEFC_PEND_RETRIEVE);
      break;
    case MEFC_ACT_SEND_UPDATE:
      /* MCC-3-1: the Update carries a cmdID and a client status. */
      assert_true(eng.upd_id.len >= 1 && eng.upd_id.len <= MEFC_CMD_ID_MAX); /* MCC-3-1 */
      assert_true(is_client_status(eng.upd_status));                         /* MCC-3-1 */
      assert_int_equal(eng.pending, MEFC_PEND_UPDATE);
      break;
    case MEFC_ACT_EXECUTE: {
      /* At-most-once: persisted STARTED first, and never the same cmdID twice. */
      assert_true(persisted); /* I-2 */
      assert_int_equal(disk.phase, MEFC_PHASE_STARTED);
      assert_int_equal(eng.state, MEFC_S_EXECUTING);
      char id[MEFC_CMD_ID_MAX + 1];
      memcpy(id, eng.rec.id.b, eng.rec.id.len);
      id[eng.rec.id.len] = '\0';
      for (int k = 0; k < n_executed; k++) assert_string_not_equal(executed[k], id); /* I-2 */
      assert_true(n_executed < 32);
      strcpy(executed[n_executed++], id);
      break;
    }
    case MEFC_ACT_ARM_TIMER:
      assert_true(a->reason == MEFC_TIMER_BACKOFF || a->reason == MEFC_TIMER_RETRY_DURATION);
      break;
    default:
      break;
    }
  }
  assert_true(mefc_record_valid(&disk));
  assert_true(mefc_record_valid(&eng.rec));
  assert_true(eng.backoff_ms >= MEFC_BACKOFF_INITIAL_MS && eng.backoff_ms <= MEFC_BACKOFF_MAX_MS);
}

static void step(uint32_t kind, const uint8_t *payload, size_t len, uint32_t outcome) {
  mefc_event ev = {kind, payload, len, outcome};
  memset(&out, 0xA5, sizeof out);
  mefc_engine_step(&eng, &cli, &ev, &ws, &out);
  check_step();
}

static void start(void) { step(MEFC_EV_START, NULL, 0, 0); }
static void trigger(void) { step(MEFC_EV_TRIGGER, NULL, 0, 0); }
static void timer(void) { step(MEFC_EV_TIMER, NULL, 0, 0); }
static void tfail(void) { step(MEFC_EV_TRANSPORT_FAIL, NULL, 0, 0); }
static void outcome(uint32_t o) { step(MEFC_EV_OUTCOME, NULL, 0, o); }
static void respond(const char *squoted) {
  static char buf[MEFC_PAYLOAD_MAX + 2];
  size_t n = fx_json(squoted, buf, sizeof buf);
  step(MEFC_EV_RESPONSE, (const uint8_t *)buf, n, 0);
}
static void respond_raw(const char *s) { step(MEFC_EV_RESPONSE, (const uint8_t *)s, strlen(s), 0); }

/* A crash and a restart: the engine starts again from the record on disk. */
static void restart(void) {
  assert_true(mefc_record_valid(&disk));
  memset(&eng, 0x5A, sizeof eng);
  mefc_engine_init(&eng, &disk);
  assert_int_equal(eng.state, MEFC_S_IDLE);
}

/* The action kinds of the last step, in order (terminated by NONE_). */
static void expect(uint32_t k0, ...) {
  uint32_t kinds[MEFC_ACTIONS_MAX + 1];
  uint32_t n = 0;
  va_list ap;
  va_start(ap, k0);
  for (uint32_t k = k0; k != NONE_; k = va_arg(ap, uint32_t)) {
    assert_true(n < MEFC_ACTIONS_MAX);
    kinds[n++] = k;
  }
  va_end(ap);
  assert_int_equal(out.n, n);
  for (uint32_t i = 0; i < n; i++) assert_int_equal(out.a[i].kind, kinds[i]);
}

static void expect_none(void) { assert_int_equal(out.n, 0); }

static void expect_update(const char *id, uint32_t status) {
  assert_true(fx_id_is(&eng.upd_id, id));
  assert_int_equal(eng.upd_status, status);
}

static void expect_disk(const char *id, uint32_t phase, uint32_t status) {
  assert_true(fx_id_is(&disk.id, id));
  assert_int_equal(disk.phase, phase);
  if (phase == MEFC_PHASE_DONE || phase == MEFC_PHASE_REPORTED) assert_int_equal(disk.status, status);
}

static void expect_timer(uint64_t ms, uint32_t reason) {
  const mefc_action *a = &out.a[out.n - 1];
  assert_int_equal(a->kind, MEFC_ACT_ARM_TIMER);
  assert_int_equal(a->ms, ms);
  assert_int_equal(a->reason, reason);
}

/* ---- TRG-1: the Retrieve after registration ---- */

static void test_TRG_1_first_start_retrieves(void **state) {
  (void)state;
  start();
  expect(RETRIEVE, NONE_); /* TRG-1 */
  assert_int_equal(eng.state, MEFC_S_AWAIT);
  assert_int_equal(eng.pending, MEFC_PEND_RETRIEVE);
}

static void test_TRG_1_start_only_once(void **state) {
  (void)state;
  start();
  start();
  expect_none(); /* TRG-1: START outside IDLE is ignored */
  assert_int_equal(eng.state, MEFC_S_AWAIT);
}

static void test_TRG_1_restart_reported_retrieves(void **state) {
  (void)state;
  fx_record(&disk, "c-9", MEFC_PHASE_REPORTED, 20, 1);
  restart();
  start();
  expect(RETRIEVE, NONE_); /* TRG-1: nothing is owed, a Retrieve is allowed */
}

/* ---- MCC-2-5d, TRG-3: the command cycle ---- */

static void test_MCC_2_5d_issued_execute_outcome_update(void **state) {
  (void)state;
  start();
  respond(EST("c-1", 10));
  expect(PERSIST, EXECUTE, NONE_); /* MCC-2-5d: persisted STARTED, then executed */
  expect_disk("c-1", MEFC_PHASE_STARTED, 0);
  assert_int_equal(disk.class_id, MEFC_CLASS_CERT_PROV);
  assert_int_equal(ws.decision.procedure, MEFC_PROC_EST_ENROLL);
  assert_int_equal(eng.exec_proc, MEFC_PROC_EST_ENROLL);

  outcome(MEFC_OUTCOME_OK);
  expect(PERSIST, UPDATE, NONE_); /* TRG-3 */
  expect_disk("c-1", MEFC_PHASE_DONE, 20);
  expect_update("c-1", 20); /* MCC-7-6-OK, MCC-3-1 */

  /* MCC-3-5: the Update response carries the next command. */
  respond(DEVCFG("c-2", 10));
  expect(PERSIST, PERSIST, EXECUTE, NONE_); /* c-1 REPORTED, c-2 STARTED, run */
  expect_disk("c-2", MEFC_PHASE_STARTED, 0);
  assert_int_equal(eng.exec_proc, MEFC_PROC_DEV_CFG);

  outcome(MEFC_OUTCOME_SERVER_ERROR);
  expect(PERSIST, UPDATE, NONE_);
  expect_update("c-2", 201); /* MCC-8-6-SRV */

  respond(MAFREG("c-3", 10));
  expect(PERSIST, PERSIST, EXECUTE, NONE_);
  outcome(MEFC_OUTCOME_CLIENT_ERROR);
  expect_update("c-3", 305); /* MCC-9-8 */

  respond(NOMORE("c-4", "PT30S"));
  expect(PERSIST, ARM, NONE_); /* c-3 REPORTED; MCC-6-5 */
  expect_timer(30000, MEFC_TIMER_RETRY_DURATION);
  expect_disk("c-3", MEFC_PHASE_REPORTED, 305); /* NO_MORE_COMMANDS leaves the record */
  assert_int_equal(n_executed, 3);
}

static void test_MCC_7_6_CLI_outcome_statuses(void **state) {
  (void)state;
  start();
  respond(EST("c-1", 10));
  outcome(MEFC_OUTCOME_CLIENT_ERROR);
  expect_update("c-1", 101); /* MCC-7-6-CLI */
  respond(EST("c-2", 10));
  outcome(MEFC_OUTCOME_SERVER_ERROR);
  expect_update("c-2", 100); /* MCC-7-6-SRV */
  respond(DEVCFG("c-3", 10));
  outcome(MEFC_OUTCOME_CLIENT_ERROR);
  expect_update("c-3", 202); /* MCC-8-6-CLI */
  respond(DEVCFG("c-4", 10));
  outcome(MEFC_OUTCOME_OK);
  expect_update("c-4", 20); /* MCC-8-6-OK */
}

static void test_MCC_2_5c_unsupported_class_reported(void **state) {
  (void)state;
  start();
  respond(BADCLASS("c-1"));
  expect(PERSIST, UPDATE, NONE_); /* MCC-2-5c, MCC-3-T */
  expect_update("c-1", 41);
  expect_disk("c-1", MEFC_PHASE_DONE, 41);
  assert_int_equal(n_executed, 0);
}

static void test_MCC_2_5b_same_id_issued_after_report(void **state) {
  (void)state;
  start();
  respond(EST("c-1", 10));
  outcome(MEFC_OUTCOME_OK);
  respond(EST("c-1", 10)); /* the MEF issues c-1 again as new */
  expect(PERSIST, UPDATE, NONE_); /* c-1 REPORTED; no second execution */
  expect_update("c-1", 40); /* MCC-2-5b */
  expect_disk("c-1", MEFC_PHASE_REPORTED, 20);
  assert_int_equal(n_executed, 1);
}

/* ---- MCC-5-3, I-1: re-issued after a lost Update ---- */

static void test_MCC_5_3_reissued_after_lost_update(void **state) {
  (void)state;
  start();
  respond(EST("c-1", 10));
  outcome(MEFC_OUTCOME_OK);
  expect_update("c-1", 20);
  tfail(); /* the Update is lost */
  expect(ARM, NONE_);
  expect_timer(1000, MEFC_TIMER_BACKOFF);
  timer();
  expect(UPDATE, NONE_); /* the same Update again */
  expect_update("c-1", 20);
  /* The MEF never saw it and re-issues c-1 in its answer. */
  respond(EST("c-1", 11));
  expect(PERSIST, UPDATE, NONE_); /* MCC-5-3, I-1: report, do not perform again */
  expect_update("c-1", 20);
  assert_int_equal(n_executed, 1);
  respond(NOMORE("n-1", "PT1M"));
  expect(ARM, NONE_);
  expect_timer(60000, MEFC_TIMER_RETRY_DURATION);
}

static void test_MCC_5_3_reissued_not_performed_yet(void **state) {
  (void)state;
  fx_record(&disk, "c-0", MEFC_PHASE_REPORTED, 20, 1);
  restart();
  start();
  respond(EST("c-1", 11)); /* REISSUED, but this client never saw c-1 */
  expect(PERSIST, EXECUTE, NONE_); /* MCC-5-3: performed */
}

/* ---- I-2, TRG-3: restarts ---- */

static void test_I_23_restart_started_reports_class_failure(void **state) {
  (void)state;
  start();
  respond(EST("c-1", 10));
  expect(PERSIST, EXECUTE, NONE_);
  restart(); /* crash while the procedure ran */
  expect_disk("c-1", MEFC_PHASE_STARTED, 0);
  start();
  expect(PERSIST, UPDATE, NONE_); /* I-2, I-23: class failure at once, no second run */
  expect_update("c-1", 101);
  expect_disk("c-1", MEFC_PHASE_DONE, 101);
  respond(EST("c-1", 11)); /* the MEF re-issues it */
  expect(PERSIST, UPDATE, NONE_); /* I-2, I-1: the stored status again */
  expect_update("c-1", 101);
  assert_int_equal(n_executed, 1);
  respond(EST("c-1", 10));
  expect(UPDATE, NONE_);
  expect_update("c-1", 40); /* MCC-2-5b */
  assert_int_equal(n_executed, 1);
}

static void test_I_2_class_failure_per_class(void **state) {
  (void)state;
  fx_record(&disk, "d-1", MEFC_PHASE_STARTED, 0, MEFC_CLASS_DEV_CFG);
  restart();
  trigger();
  expect(PERSIST, UPDATE, NONE_);
  expect_update("d-1", 202); /* I-2 */
  fx_record(&disk, "m-1", MEFC_PHASE_STARTED, 0, MEFC_CLASS_MO_NODE);
  restart();
  start();
  expect_update("m-1", 305); /* I-2 */
}

static void test_I_2_crash_after_outcome_before_update(void **state) {
  (void)state;
  start();
  respond(DEVCFG("c-1", 10));
  outcome(MEFC_OUTCOME_OK);
  restart(); /* the Update may or may not have gone out */
  expect_disk("c-1", MEFC_PHASE_DONE, 20);
  start();
  expect(UPDATE, NONE_); /* TRG-3: the decided status still reaches the MEF */
  expect_update("c-1", 20);
  respond(DEVCFG("c-1", 11));
  expect(PERSIST, UPDATE, NONE_); /* I-1 */
  expect_update("c-1", 20);
  assert_int_equal(n_executed, 1);
}

static void test_I_23_restart_done_resends_update(void **state) {
  (void)state;
  fx_record(&disk, "c-5", MEFC_PHASE_DONE, 43, 1);
  restart();
  start();
  expect(UPDATE, NONE_); /* I-23, TRG-3 */
  expect_update("c-5", 43);
  respond(NOMORE("n-1", "PT5S"));
  expect(PERSIST, ARM, NONE_);
  expect_disk("c-5", MEFC_PHASE_REPORTED, 43);
}

/* ---- 8.3.9.6: NO_MORE_COMMANDS ---- */

static void test_MCC_6_5b_timer_expiry_retrieves(void **state) {
  (void)state;
  start();
  respond(NOMORE("n-1", "PT30S"));
  expect(ARM, NONE_); /* MCC-6-5 */
  expect_timer(30000, MEFC_TIMER_RETRY_DURATION);
  assert_int_equal(eng.state, MEFC_S_RETRY_TIMER);
  assert_int_equal(disk.phase, MEFC_PHASE_NONE); /* MCC-6-4: the record is unchanged */
  timer();
  expect(RETRIEVE, NONE_); /* MCC-6-5b */
  respond(NOMORE("n-1", "PT1H"));
  expect_timer(3600000, MEFC_TIMER_RETRY_DURATION);
}

static void test_MCC_6_5a_trigger_cancels_timer(void **state) {
  (void)state;
  start();
  respond(NOMORE("n-1", "PT30S"));
  trigger();
  expect(CANCEL, RETRIEVE, NONE_); /* MCC-6-5a */
  assert_int_equal(eng.state, MEFC_S_AWAIT);
  timer(); /* the cancelled timer fires anyway: stale */
  expect_none();
}

static void test_I_28_cancelled_timer_not_rearmed(void **state) {
  (void)state;
  start();
  respond(NOMORE("n-1", "PT30S"));
  trigger();
  expect(CANCEL, RETRIEVE, NONE_); /* I-28: cancelled when the trigger starts a Retrieve */
  tfail(); /* that Retrieve fails */
  expect(ARM, NONE_);
  expect_timer(1000, MEFC_TIMER_BACKOFF); /* I-28: the backoff of I-21 governs, not retryDuration */
  timer();
  expect(RETRIEVE, NONE_);
  respond(NOMORE("n-2", "PT2S"));
  expect_timer(2000, MEFC_TIMER_RETRY_DURATION); /* MCC-6-5 */
}

static void test_MCC_6_4_nothing_sent_unless_triggered(void **state) {
  (void)state;
  start();
  respond(NOMORE("n-1", "PT30S"));
  respond(EST("c-1", 10)); /* no request is outstanding */
  expect_none(); /* MCC-6-4 */
  outcome(MEFC_OUTCOME_OK);
  expect_none(); /* MCC-6-4 */
  tfail();
  expect_none(); /* MCC-6-4 */
  start();
  expect_none(); /* MCC-6-4 */
  assert_int_equal(eng.state, MEFC_S_RETRY_TIMER);
}

static void test_MCC_6_3_bad_duration_reported(void **state) {
  (void)state;
  start();
  respond(NOMORE("n-1", "soon"));
  expect(PERSIST, UPDATE, NONE_); /* MCC-6-3 */
  expect_update("n-1", 42);
}

/* ---- I-10, MCC-2-5a: unparseable responses and backoff ---- */

static void test_I_10_unparseable_backoff_doubles_to_cap(void **state) {
  (void)state;
  static const uint64_t want[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
  start();
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    respond_raw("{\"sec:mcc\":"); /* MCC-2-5a */
    expect(ARM, NONE_);
    expect_timer(want[i], MEFC_TIMER_BACKOFF); /* I-10 */
    assert_int_equal(eng.state, MEFC_S_BACKOFF);
    timer();
    expect(RETRIEVE, NONE_); /* I-10: the Retrieve again */
  }
  /* A parseable response ends the backoff series. */
  respond(NOMORE("n-1", "PT1S"));
  timer();
  respond_raw("not json");
  expect_timer(1000, MEFC_TIMER_BACKOFF); /* I-10 */
}

static void test_I_22_update_answer_unparseable(void **state) {
  (void)state;
  start();
  respond(EST("c-1", 10));
  outcome(MEFC_OUTCOME_OK);
  respond_raw("[]");
  expect(PERSIST, ARM, NONE_); /* I-22: the Update was delivered (REPORTED); MCC-2-5a */
  expect_disk("c-1", MEFC_PHASE_REPORTED, 20);
  timer();
  expect(RETRIEVE, NONE_); /* I-10: nothing is owed any more */
}

static void test_MCC_2_5a_empty_and_oversized(void **state) {
  (void)state;
  static uint8_t big[MEFC_PAYLOAD_MAX + 1];
  start();
  step(MEFC_EV_RESPONSE, NULL, 0, 0);
  expect(ARM, NONE_); /* MCC-2-5a: an empty body */
  timer();
  memset(big, ' ', sizeof big);
  step(MEFC_EV_RESPONSE, big, sizeof big, 0);
  expect(ARM, NONE_); /* MCC-2-5a: longer than MEFC_PAYLOAD_MAX */
  expect_timer(2000, MEFC_TIMER_BACKOFF);
}

/* ---- MCC-2-PD: transport failures, responses awaited ---- */

static void test_I_21_transport_failure_resends_retrieve(void **state) {
  (void)state;
  start();
  tfail();
  expect(ARM, NONE_); /* MCC-2-PD: the MEF took too long */
  expect_timer(1000, MEFC_TIMER_BACKOFF); /* I-21 */
  timer();
  expect(RETRIEVE, NONE_);
  tfail();
  expect_timer(2000, MEFC_TIMER_BACKOFF);
  trigger(); /* a trigger while backing off: now */
  expect(CANCEL, RETRIEVE, NONE_);
  tfail();
  expect_timer(4000, MEFC_TIMER_BACKOFF);
}

static void test_I_21_transport_failure_resends_update(void **state) {
  (void)state;
  start();
  respond(DEVCFG("c-1", 10));
  outcome(MEFC_OUTCOME_SERVER_ERROR);
  expect_update("c-1", 201);
  for (int i = 0; i < 3; i++) {
    tfail();
    expect(ARM, NONE_);
    timer();
    expect(UPDATE, NONE_); /* I-21: the same Update, never a Retrieve (MCC-2-PC) */
    expect_update("c-1", 201);
  }
  tfail();
  trigger();
  expect(CANCEL, UPDATE, NONE_);
  expect_update("c-1", 201);
  respond(NOMORE("n-1", "PT1S"));
  expect(PERSIST, ARM, NONE_);
  expect_timer(1000, MEFC_TIMER_RETRY_DURATION);
  assert_int_equal(eng.backoff_ms, MEFC_BACKOFF_INITIAL_MS);
}

static void test_MCC_2_PD_no_retrieve_while_awaiting(void **state) {
  (void)state;
  start();
  trigger();
  expect_none(); /* MCC-2-PD */
  start();
  expect_none(); /* MCC-2-PD */
  timer();
  expect_none(); /* MCC-2-PD: a stale timer */
  outcome(MEFC_OUTCOME_OK);
  expect_none(); /* MCC-2-PD: a stale outcome */
  assert_int_equal(eng.state, MEFC_S_AWAIT);
}

/* ---- MCC-2-PC: nothing while a procedure runs ---- */

static void test_MCC_2_PC_executing_ignores_everything_but_outcome(void **state) {
  (void)state;
  start();
  respond(EST("c-1", 10));
  mefc_engine before = eng;
  trigger();
  expect_none(); /* MCC-2-PC */
  start();
  expect_none(); /* MCC-2-PC */
  timer();
  expect_none(); /* MCC-2-PC */
  tfail();
  expect_none(); /* MCC-2-PC */
  respond(EST("c-2", 10)); /* a duplicate or stale response */
  expect_none(); /* MCC-2-PC */
  assert_memory_equal(&before, &eng, sizeof eng);
  outcome(MEFC_OUTCOME_OK);
  expect(PERSIST, UPDATE, NONE_);
  assert_int_equal(n_executed, 1);
}

/* ---- MCC-3-T: nothing sent in IDLE unless started or triggered ---- */

static void test_MCC_3_T_idle_ignores_stale_events(void **state) {
  (void)state;
  mefc_engine before = eng;
  respond(EST("c-1", 10));
  expect_none(); /* MCC-3-T */
  outcome(MEFC_OUTCOME_OK);
  expect_none(); /* MCC-3-T */
  timer();
  expect_none(); /* MCC-3-T */
  tfail();
  expect_none(); /* MCC-3-T */
  assert_memory_equal(&before, &eng, sizeof eng);
  trigger();
  expect(RETRIEVE, NONE_); /* TRG-1: a trigger in IDLE starts an exchange */
}

static void test_MCC_3_T_malformed_events_ignored(void **state) {
  (void)state;
  start();
  mefc_engine before = eng;
  step(0, NULL, 0, 0);
  expect_none();
  step(7, NULL, 0, 0);
  expect_none();
  step(0xFFFFFFFFu, NULL, 0, 0);
  expect_none();
  step(MEFC_EV_RESPONSE, NULL, 5, 0); /* no body but a length */
  expect_none();
  assert_memory_equal(&before, &eng, sizeof eng);
}

/* ---- mefc_record_valid: the C twin of mefc_record_ok ---- */

static void test_I_2_record_valid(void **state) {
  (void)state;
  mefc_record r;
  fx_record_none(&r);
  assert_true(mefc_record_valid(&r));
  fx_record(&r, "c-1", MEFC_PHASE_STARTED, 0, 1);
  assert_true(mefc_record_valid(&r));
  r.class_id = 0; /* I-2 needs the class of a STARTED record */
  assert_false(mefc_record_valid(&r));
  r.class_id = 4;
  assert_false(mefc_record_valid(&r));
  fx_record(&r, "c-1", MEFC_PHASE_DONE, 20, 1);
  assert_true(mefc_record_valid(&r));
  r.status = 10; /* the MEF's code, never a client's */
  assert_false(mefc_record_valid(&r));
  r.status = 306;
  assert_false(mefc_record_valid(&r));
  fx_record(&r, "c-1", MEFC_PHASE_REPORTED, 305, 0);
  assert_true(mefc_record_valid(&r));
  r.id.len = 0;
  assert_false(mefc_record_valid(&r));
  r.id.len = MEFC_CMD_ID_MAX + 1;
  assert_false(mefc_record_valid(&r));
  r.id.len = MEFC_CMD_ID_MAX;
  assert_true(mefc_record_valid(&r));
  r.phase = 4;
  assert_false(mefc_record_valid(&r));
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_TRG_1_first_start_retrieves),
      T(test_TRG_1_start_only_once),
      T(test_TRG_1_restart_reported_retrieves),
      T(test_MCC_2_5d_issued_execute_outcome_update),
      T(test_MCC_7_6_CLI_outcome_statuses),
      T(test_MCC_2_5c_unsupported_class_reported),
      T(test_MCC_2_5b_same_id_issued_after_report),
      T(test_MCC_5_3_reissued_after_lost_update),
      T(test_MCC_5_3_reissued_not_performed_yet),
      T(test_I_23_restart_started_reports_class_failure),
      T(test_I_2_class_failure_per_class),
      T(test_I_2_crash_after_outcome_before_update),
      T(test_I_23_restart_done_resends_update),
      T(test_MCC_6_5b_timer_expiry_retrieves),
      T(test_MCC_6_5a_trigger_cancels_timer),
      T(test_I_28_cancelled_timer_not_rearmed),
      T(test_MCC_6_4_nothing_sent_unless_triggered),
      T(test_MCC_6_3_bad_duration_reported),
      T(test_I_10_unparseable_backoff_doubles_to_cap),
      T(test_I_22_update_answer_unparseable),
      T(test_MCC_2_5a_empty_and_oversized),
      T(test_I_21_transport_failure_resends_retrieve),
      T(test_I_21_transport_failure_resends_update),
      T(test_MCC_2_PD_no_retrieve_while_awaiting),
      T(test_MCC_2_PC_executing_ignores_everything_but_outcome),
      T(test_MCC_3_T_idle_ignores_stale_events),
      T(test_MCC_3_T_malformed_events_ignored),
      T(test_I_2_record_valid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
