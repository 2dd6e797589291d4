/* The MEF Client Command engine (TS-0003 8.3.9 with the triggers of 8.3.4.6):
 * one pure step (state, event) -> (state', actions). The shell performs the
 * actions in the order given and writes the record at each PERSIST. */
#include "mefc/engine.h"
#include "mefc/acsl.h"

/* The state and the action list of a step under construction. The step
 * works on this value and writes it back once: the helpers are pure
 * functions of it, which keeps each proof free of pointer aliasing. */
typedef struct {
  mefc_engine e;
  mefc_actions o;
} engine_next;

/* How many times the current record's cmdID was handed to execution by this
 * engine. Ghost: it exists only in the proof, where it makes "never twice"
 * a checked invariant (<= 1); it is reset only when the record takes a new
 * cmdID. */
/*@ ghost uint32_t engine_exec_count; */

/*@
  predicate engine_id_ok(mefc_cmd_id a) = 1 <= a.len <= MEFC_CMD_ID_MAX;

  predicate engine_id_eq(mefc_cmd_id a, mefc_cmd_id b) =
    a.len == b.len && a.len <= MEFC_CMD_ID_MAX &&
    \forall integer i; 0 <= i < a.len ==> a.b[i] == b.b[i];

  // mefc_record_ok of acsl.h, on a value.
  predicate engine_rec_ok(mefc_record r) =
    (r.phase == MEFC_PHASE_NONE) ||
    (r.phase == MEFC_PHASE_STARTED && engine_id_ok(r.id) && 1 <= r.class_id <= 3) ||
    ((r.phase == MEFC_PHASE_DONE || r.phase == MEFC_PHASE_REPORTED) &&
       engine_id_ok(r.id) && mefc_client_status(r.status));

  // mefc_same_cmd of acsl.h, on values: the record names this command.
  predicate engine_names(mefc_record r, mefc_cmd_id id) =
    r.phase != MEFC_PHASE_NONE && engine_id_eq(r.id, id);

  // No command is open: nothing was received whose Update is still owed.
  // Only then may a Retrieve go out (MCC-2-PC).
  predicate engine_settled(mefc_record r) =
    r.phase == MEFC_PHASE_NONE || r.phase == MEFC_PHASE_REPORTED;

  // The Update to send or resend names the record's command and carries a
  // status a client may report; for a DONE record, the decided status.
  predicate engine_update_ok(mefc_engine e) =
    (e.rec.phase == MEFC_PHASE_DONE || e.rec.phase == MEFC_PHASE_REPORTED) &&
    e.upd_id == e.rec.id && mefc_client_status(e.upd_status) &&
    (e.rec.phase == MEFC_PHASE_DONE ==> e.upd_status == e.rec.status);

  // The state invariant, required and ensured by every step.
  predicate engine_inv(mefc_engine e) =
    engine_rec_ok(e.rec) &&
    MEFC_BACKOFF_INITIAL_MS <= e.backoff_ms <= MEFC_BACKOFF_MAX_MS &&
    (e.state == MEFC_S_IDLE || e.state == MEFC_S_AWAIT || e.state == MEFC_S_EXECUTING ||
     e.state == MEFC_S_RETRY_TIMER || e.state == MEFC_S_BACKOFF) &&
    ((e.state == MEFC_S_IDLE || e.state == MEFC_S_EXECUTING ||
      e.state == MEFC_S_RETRY_TIMER) ==> e.pending == MEFC_PEND_NONE) &&
    ((e.state == MEFC_S_AWAIT || e.state == MEFC_S_BACKOFF) ==>
       (e.pending == MEFC_PEND_RETRIEVE || e.pending == MEFC_PEND_UPDATE)) &&
    (e.state == MEFC_S_EXECUTING ==>
       e.rec.phase == MEFC_PHASE_STARTED && 1 <= e.exec_proc <= 7) &&
    (e.rec.phase == MEFC_PHASE_STARTED ==>
       (e.state == MEFC_S_IDLE || e.state == MEFC_S_EXECUTING)) &&
    (e.state == MEFC_S_RETRY_TIMER ==> engine_settled(e.rec)) &&
    (e.pending == MEFC_PEND_RETRIEVE ==> engine_settled(e.rec)) &&
    (e.pending == MEFC_PEND_UPDATE ==> engine_update_ok(e));

  // The ghost counter: at most one EXECUTE per cmdID; a counted ID is the
  // record's; a running procedure was counted.
  predicate engine_count_ok(mefc_engine e, integer c) =
    0 <= c <= 1 &&
    (c == 1 ==> e.rec.phase != MEFC_PHASE_NONE) &&
    (e.state == MEFC_S_EXECUTING ==> c == 1);

  logic integer engine_backoff_next(integer b) =
    2 * b <= MEFC_BACKOFF_MAX_MS ? 2 * b : MEFC_BACKOFF_MAX_MS;

  predicate engine_event_ok(mefc_event ev) =
    MEFC_EV_START <= ev.kind <= MEFC_EV_TIMER &&
    !(ev.kind == MEFC_EV_RESPONSE && ev.payload == \null && ev.len > 0);

  predicate engine_acts_ok(mefc_actions o) =
    o.n <= MEFC_ACTIONS_MAX &&
    \forall integer i; 0 <= i < o.n ==>
      MEFC_ACT_SEND_RETRIEVE <= o.a[i].kind <= MEFC_ACT_CANCEL_TIMER;

  predicate engine_emits(mefc_actions o, integer k) =
    \exists integer i; 0 <= i < o.n && o.a[i].kind == k;

  // r is o with actions appended.
  predicate engine_extends(mefc_actions r, mefc_actions o) =
    o.n <= r.n && \forall integer i; 0 <= i < o.n ==> r.a[i] == o.a[i];

  // The record is on disk before a procedure starts (at-most-once).
  predicate engine_persist_before_execute(mefc_actions o) =
    \forall integer i; 0 <= i < o.n && o.a[i].kind == MEFC_ACT_EXECUTE ==>
      \exists integer j; 0 <= j < i && o.a[j].kind == MEFC_ACT_PERSIST;

  predicate engine_one_execute(mefc_actions o) =
    \forall integer i, j; 0 <= i < o.n && 0 <= j < o.n &&
      o.a[i].kind == MEFC_ACT_EXECUTE && o.a[j].kind == MEFC_ACT_EXECUTE ==> i == j;

  // Property (c) of every action list.
  predicate engine_list_ok(mefc_actions o) =
    engine_acts_ok(o) && engine_persist_before_execute(o) && engine_one_execute(o);
*/

/*@
  // engine_names is mefc_same_cmd on values: what the record named in
  // memory at L1 it names as a value too (the direction the proofs use).
  lemma engine_same_cmd_names{L1, L2}:
    \forall mefc_record *r, mefc_cmd_id *id;
      mefc_same_cmd{L1, L2}(r, id) ==> engine_names(\at(*r, L1), \at(*id, L2));
*/

/*@
  assigns \nothing;
  ensures \result.n == 0;
  ensures engine_list_ok(\result);
  ensures \forall integer k; !engine_emits(\result, k);
*/
static mefc_actions no_actions(void)
{
  mefc_actions o;
  uint32_t i;
  /*@
    loop invariant 0 <= i <= MEFC_ACTIONS_MAX;
    loop assigns i, o.a[0 .. MEFC_ACTIONS_MAX - 1];
    loop variant MEFC_ACTIONS_MAX - i;
  */
  for (i = 0u; i < MEFC_ACTIONS_MAX; i++) {
    o.a[i].kind = 0u;
    o.a[i].ms = 0u;
    o.a[i].reason = 0u;
  }
  o.n = 0u;
  return o;
}

/*@
  requires s.o.n < MEFC_ACTIONS_MAX;
  requires MEFC_ACT_SEND_RETRIEVE <= kind <= MEFC_ACT_CANCEL_TIMER;
  assigns \nothing;
  ensures \result.e == s.e;
  ensures \result.o.n == s.o.n + 1;
  ensures engine_extends(\result.o, s.o);
  ensures \result.o.a[s.o.n].kind == kind;
  ensures \result.o.a[s.o.n].ms == ms;
  ensures \result.o.a[s.o.n].reason == reason;
  // The list properties, step by step: the callers then reason about which
  // kinds a list holds, never about positions.
  ensures \forall integer k; engine_emits(\result.o, k) <==> (engine_emits(s.o, k) || k == kind);
  ensures engine_list_ok(s.o) &&
          (kind == MEFC_ACT_EXECUTE ==>
             engine_emits(s.o, MEFC_ACT_PERSIST) && !engine_emits(s.o, MEFC_ACT_EXECUTE)) ==>
            engine_list_ok(\result.o);
*/
static engine_next push(engine_next s, uint32_t kind, uint64_t ms, uint32_t reason)
{
  s.o.a[s.o.n].kind = kind;
  s.o.a[s.o.n].ms = ms;
  s.o.a[s.o.n].reason = reason;
  s.o.n = s.o.n + 1u;
  return s;
}

/*@
  requires MEFC_BACKOFF_INITIAL_MS <= ms <= MEFC_BACKOFF_MAX_MS;
  assigns \nothing;
  ensures \result == engine_backoff_next(ms);
  ensures MEFC_BACKOFF_INITIAL_MS <= \result <= MEFC_BACKOFF_MAX_MS;
*/
static uint32_t backoff_next(uint32_t ms)
{
  /* Bounded exponential backoff (I-10): double, never above the cap. */
  uint32_t next = MEFC_BACKOFF_MAX_MS;
  if (ms <= MEFC_BACKOFF_MAX_MS / 2u) {
    next = ms * 2u;
  }
  return next;
}

/*@
  requires engine_inv(s.e) && s.e.state == MEFC_S_AWAIT;
  requires s.o.n < MEFC_ACTIONS_MAX;
  assigns \nothing;
  ensures engine_inv(\result.e);
  ensures \result.e.state == MEFC_S_BACKOFF;
  ensures \result.e.backoff_ms == engine_backoff_next(s.e.backoff_ms);
  ensures \result.e.rec == s.e.rec && \result.e.pending == s.e.pending;
  ensures \result.e.upd_id == s.e.upd_id && \result.e.upd_status == s.e.upd_status;
  ensures \result.o.n == s.o.n + 1 && engine_extends(\result.o, s.o);
  ensures \result.o.a[s.o.n].kind == MEFC_ACT_ARM_TIMER;
  ensures \result.o.a[s.o.n].ms == s.e.backoff_ms;
  ensures \result.o.a[s.o.n].reason == MEFC_TIMER_BACKOFF;
  ensures \forall integer k; engine_emits(\result.o, k) <==>
            (engine_emits(s.o, k) || k == MEFC_ACT_ARM_TIMER);
  ensures engine_list_ok(s.o) ==> engine_list_ok(\result.o);
*/
static engine_next arm_backoff(engine_next s)
{
  uint32_t ms = s.e.backoff_ms;
  s.e.backoff_ms = backoff_next(ms);
  s.e.state = MEFC_S_BACKOFF;
  return push(s, MEFC_ACT_ARM_TIMER, ms, MEFC_TIMER_BACKOFF);
}

/*@
  requires engine_inv(s.e) && s.e.state == MEFC_S_BACKOFF;
  requires s.o.n < MEFC_ACTIONS_MAX;
  assigns \nothing;
  ensures engine_inv(\result.e);
  ensures \result.e.state == MEFC_S_AWAIT;
  ensures \result.e.rec == s.e.rec && \result.e.pending == s.e.pending;
  ensures \result.e.upd_id == s.e.upd_id && \result.e.upd_status == s.e.upd_status;
  ensures \result.o.n == s.o.n + 1 && engine_extends(\result.o, s.o);
  ensures engine_list_ok(s.o) ==> engine_list_ok(\result.o);
  behavior I_10_retrieve:
    assumes s.e.pending == MEFC_PEND_RETRIEVE;
    ensures \result.o.a[s.o.n].kind == MEFC_ACT_SEND_RETRIEVE;
    ensures \forall integer k; engine_emits(\result.o, k) <==>
              (engine_emits(s.o, k) || k == MEFC_ACT_SEND_RETRIEVE);
  behavior I_10_update:
    assumes s.e.pending == MEFC_PEND_UPDATE;
    ensures \result.o.a[s.o.n].kind == MEFC_ACT_SEND_UPDATE;
    ensures \forall integer k; engine_emits(\result.o, k) <==>
              (engine_emits(s.o, k) || k == MEFC_ACT_SEND_UPDATE);
  complete behaviors;
  disjoint behaviors;
*/
static engine_next send_pending(engine_next s)
{
  /* The same request again: a lost Update is resent with the same cmdID and
   * status (TRG-3), a lost Retrieve as a Retrieve. */
  uint32_t kind = MEFC_ACT_SEND_RETRIEVE;
  if (s.e.pending == MEFC_PEND_UPDATE) {
    kind = MEFC_ACT_SEND_UPDATE;
  }
  s.e.state = MEFC_S_AWAIT;
  return push(s, kind, 0u, 0u);
}

/*@
  requires engine_inv(s.e);
  requires s.e.state == MEFC_S_IDLE || s.e.state == MEFC_S_RETRY_TIMER;
  requires s.o.n <= 1;
  assigns \nothing;
  ensures engine_inv(\result.e);
  ensures \result.e.state == MEFC_S_AWAIT;
  ensures \result.e.rec.id == s.e.rec.id && \result.e.rec.class_id == s.e.rec.class_id;
  ensures \result.e.backoff_ms == s.e.backoff_ms;
  ensures engine_extends(\result.o, s.o);
  ensures engine_list_ok(s.o) ==> engine_list_ok(\result.o);
  behavior TRG_1:
    assumes engine_settled(s.e.rec);
    ensures \forall integer k; engine_emits(\result.o, k) <==>
              (engine_emits(s.o, k) || k == MEFC_ACT_SEND_RETRIEVE);
    ensures \result.o.n == s.o.n + 1;
    ensures \result.o.a[s.o.n].kind == MEFC_ACT_SEND_RETRIEVE;
    ensures \result.e.pending == MEFC_PEND_RETRIEVE;
    ensures \result.e.rec == s.e.rec;
  behavior I_2:
    assumes s.e.rec.phase == MEFC_PHASE_STARTED;
    ensures \forall integer k; engine_emits(\result.o, k) <==>
              (engine_emits(s.o, k) || k == MEFC_ACT_PERSIST || k == MEFC_ACT_SEND_UPDATE);
    ensures \result.o.n == s.o.n + 2;
    ensures \result.o.a[s.o.n].kind == MEFC_ACT_PERSIST;
    ensures \result.o.a[s.o.n + 1].kind == MEFC_ACT_SEND_UPDATE;
    ensures \result.e.rec.phase == MEFC_PHASE_DONE;
    ensures \result.e.rec.status == outcome_class_failure(s.e.rec.class_id);
    ensures \result.e.pending == MEFC_PEND_UPDATE;
    ensures \result.e.upd_id == \result.e.rec.id;
    ensures \result.e.upd_status == \result.e.rec.status;
  behavior TRG_3:
    assumes s.e.rec.phase == MEFC_PHASE_DONE;
    ensures \forall integer k; engine_emits(\result.o, k) <==>
              (engine_emits(s.o, k) || k == MEFC_ACT_SEND_UPDATE);
    ensures \result.o.n == s.o.n + 1;
    ensures \result.o.a[s.o.n].kind == MEFC_ACT_SEND_UPDATE;
    ensures \result.e.rec == s.e.rec;
    ensures \result.e.pending == MEFC_PEND_UPDATE;
    ensures \result.e.upd_id == \result.e.rec.id;
    ensures \result.e.upd_status == \result.e.rec.status;
  complete behaviors;
  disjoint behaviors;
*/
static engine_next begin_exchange(engine_next s)
{
  if (s.e.rec.phase == MEFC_PHASE_STARTED) {
    /* I-2: a crash during execution. The procedure may or may not have run;
     * it is never run again: the class failure is decided and reported. */
    s.e.rec.status = mefc_class_failure_status(s.e.rec.class_id);
    s.e.rec.phase = MEFC_PHASE_DONE;
    s = push(s, MEFC_ACT_PERSIST, 0u, 0u);
  }
  if (s.e.rec.phase == MEFC_PHASE_DONE) {
    /* A decided status the MEF has not acknowledged goes out first: a
     * Retrieve now would break MCC-2-PC. */
    s.e.upd_id = s.e.rec.id;
    s.e.upd_status = s.e.rec.status;
    s.e.pending = MEFC_PEND_UPDATE;
    s = push(s, MEFC_ACT_SEND_UPDATE, 0u, 0u);
  } else {
    s.e.pending = MEFC_PEND_RETRIEVE;
    s = push(s, MEFC_ACT_SEND_RETRIEVE, 0u, 0u);
  }
  s.e.state = MEFC_S_AWAIT;
  return s;
}

/*@
  requires \valid_read(d);
  requires engine_inv(s.e) && s.e.state == MEFC_S_AWAIT && engine_settled(s.e.rec);
  requires engine_count_ok(s.e, engine_exec_count);
  requires s.o.n <= 1;
  // What mefc_decide guarantees of its decision.
  requires d->kind == MEFC_DECIDE_REPORT || d->kind == MEFC_DECIDE_EXECUTE ||
           d->kind == MEFC_DECIDE_WAIT || d->kind == MEFC_DECIDE_RETRY;
  requires d->kind != MEFC_DECIDE_RETRY ==> engine_id_ok(d->id);
  requires d->kind == MEFC_DECIDE_REPORT ==> mefc_client_status(d->status);
  requires d->kind == MEFC_DECIDE_EXECUTE ==>
             d->effect == MEFC_REC_NEW && 1 <= d->procedure <= 7 && 1 <= d->class_id <= 3;
  requires d->kind != MEFC_DECIDE_RETRY && d->effect == MEFC_REC_NEW ==>
             !engine_names(s.e.rec, d->id);
  requires d->kind != MEFC_DECIDE_RETRY && d->effect != MEFC_REC_NEW ==>
             d->kind == MEFC_DECIDE_REPORT && engine_names(s.e.rec, d->id);
  assigns engine_exec_count;
  ensures engine_inv(\result.e);
  ensures engine_count_ok(\result.e, engine_exec_count);
  ensures engine_extends(\result.o, s.o);
  ensures engine_list_ok(s.o) && !engine_emits(s.o, MEFC_ACT_EXECUTE) ==>
            engine_list_ok(\result.o);
  behavior TRG_3:
    assumes d->kind == MEFC_DECIDE_REPORT;
    ensures \forall integer k; engine_emits(\result.o, k) <==>
              (engine_emits(s.o, k) || k == MEFC_ACT_SEND_UPDATE ||
               (d->effect != MEFC_REC_KEEP && k == MEFC_ACT_PERSIST));
    ensures \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_UPDATE;
    ensures \result.e.upd_status == d->status && engine_id_eq(\result.e.upd_id, d->id);
    ensures d->effect == MEFC_REC_KEEP ==>
              \result.o.n == s.o.n + 1 && \result.o.a[s.o.n].kind == MEFC_ACT_SEND_UPDATE &&
              \result.e.rec == s.e.rec;
    ensures d->effect != MEFC_REC_KEEP ==>
              \result.o.n == s.o.n + 2 && \result.o.a[s.o.n].kind == MEFC_ACT_PERSIST &&
              \result.o.a[s.o.n + 1].kind == MEFC_ACT_SEND_UPDATE &&
              \result.e.rec.phase == MEFC_PHASE_DONE && \result.e.rec.status == d->status;
    ensures d->effect == MEFC_REC_NEW ==>
              \result.e.rec.id == d->id && \result.e.rec.class_id == d->class_id &&
              engine_exec_count == 0;
    ensures d->effect != MEFC_REC_NEW ==>
              \result.e.rec.id == s.e.rec.id && engine_exec_count == \old(engine_exec_count);
    ensures \result.e.backoff_ms == MEFC_BACKOFF_INITIAL_MS;
  behavior MCC_2_5d:
    assumes d->kind == MEFC_DECIDE_EXECUTE;
    ensures \forall integer k; engine_emits(\result.o, k) <==>
              (engine_emits(s.o, k) || k == MEFC_ACT_PERSIST || k == MEFC_ACT_EXECUTE);
    ensures \result.e.state == MEFC_S_EXECUTING && \result.e.pending == MEFC_PEND_NONE;
    ensures \result.e.rec.id == d->id && \result.e.rec.phase == MEFC_PHASE_STARTED;
    ensures \result.e.rec.class_id == d->class_id && \result.e.exec_proc == d->procedure;
    ensures \result.o.n == s.o.n + 2;
    ensures \result.o.a[s.o.n].kind == MEFC_ACT_PERSIST;
    ensures \result.o.a[s.o.n + 1].kind == MEFC_ACT_EXECUTE;
    ensures engine_exec_count == 1;
    ensures \result.e.backoff_ms == MEFC_BACKOFF_INITIAL_MS;
  behavior MCC_6_5:
    assumes d->kind == MEFC_DECIDE_WAIT;
    ensures \forall integer k; engine_emits(\result.o, k) <==>
              (engine_emits(s.o, k) || k == MEFC_ACT_ARM_TIMER);
    ensures \result.e.state == MEFC_S_RETRY_TIMER && \result.e.pending == MEFC_PEND_NONE;
    ensures \result.e.rec == s.e.rec && engine_exec_count == \old(engine_exec_count);
    ensures \result.o.n == s.o.n + 1;
    ensures \result.o.a[s.o.n].kind == MEFC_ACT_ARM_TIMER;
    ensures \result.o.a[s.o.n].ms == d->wait_ms;
    ensures \result.o.a[s.o.n].reason == MEFC_TIMER_RETRY_DURATION;
    ensures \result.e.backoff_ms == MEFC_BACKOFF_INITIAL_MS;
  behavior MCC_2_5a:
    assumes d->kind == MEFC_DECIDE_RETRY;
    ensures \forall integer k; engine_emits(\result.o, k) <==>
              (engine_emits(s.o, k) || k == MEFC_ACT_ARM_TIMER);
    ensures \result.e.state == MEFC_S_BACKOFF && \result.e.pending == MEFC_PEND_RETRIEVE;
    ensures \result.e.rec == s.e.rec && engine_exec_count == \old(engine_exec_count);
    ensures \result.o.n == s.o.n + 1;
    ensures \result.o.a[s.o.n].kind == MEFC_ACT_ARM_TIMER;
    ensures \result.o.a[s.o.n].ms == s.e.backoff_ms;
    ensures \result.o.a[s.o.n].reason == MEFC_TIMER_BACKOFF;
    ensures \result.e.backoff_ms == engine_backoff_next(s.e.backoff_ms);
  complete behaviors;
  disjoint behaviors;
*/
static engine_next apply_decision(engine_next s, const mefc_decision *d)
{
  uint32_t kind = d->kind;
  if (kind == MEFC_DECIDE_REPORT) {
    /* MCC-3-T: the Update is triggered by this decision and carries its cmdID
     * and status. A new or failed command is recorded first, so that a crash
     * before the Update still reports it on restart. */
    if (d->effect != MEFC_REC_KEEP) {
      if (d->effect == MEFC_REC_NEW) {
        s.e.rec.id = d->id;
        s.e.rec.class_id = d->class_id;
        /*@ ghost engine_exec_count = 0u; */
      }
      s.e.rec.phase = MEFC_PHASE_DONE;
      s.e.rec.status = d->status;
      s = push(s, MEFC_ACT_PERSIST, 0u, 0u);
    }
    /* The record names this cmdID (it is new, or the same command). */
    s.e.upd_id = s.e.rec.id;
    s.e.upd_status = d->status;
    s.e.pending = MEFC_PEND_UPDATE;
    s.e.state = MEFC_S_AWAIT;
    s.e.backoff_ms = MEFC_BACKOFF_INITIAL_MS;
    s = push(s, MEFC_ACT_SEND_UPDATE, 0u, 0u);
  } else if (kind == MEFC_DECIDE_EXECUTE) {
    /* At-most-once: the record says STARTED on disk before the procedure
     * runs, so a crash cannot lead to a second run (I-2). */
    s.e.rec.id = d->id;
    s.e.rec.phase = MEFC_PHASE_STARTED;
    s.e.rec.status = 0u;
    s.e.rec.class_id = d->class_id;
    s.e.exec_proc = d->procedure;
    /*@ ghost engine_exec_count = 0u; */
    s = push(s, MEFC_ACT_PERSIST, 0u, 0u);
    s = push(s, MEFC_ACT_EXECUTE, 0u, 0u);
    /*@ ghost engine_exec_count = engine_exec_count + 1u; */
    s.e.pending = MEFC_PEND_NONE;
    s.e.state = MEFC_S_EXECUTING;
    s.e.backoff_ms = MEFC_BACKOFF_INITIAL_MS;
  } else if (kind == MEFC_DECIDE_WAIT) {
    /* MCC-6-4, MCC-6-5: nothing is sent until the timer or another trigger.
     * The record keeps the last real command; NO_MORE_COMMANDS is not one. */
    s.e.pending = MEFC_PEND_NONE;
    s.e.state = MEFC_S_RETRY_TIMER;
    s.e.backoff_ms = MEFC_BACKOFF_INITIAL_MS;
    s = push(s, MEFC_ACT_ARM_TIMER, d->wait_ms, MEFC_TIMER_RETRY_DURATION);
  } else {
    /* I-10, MCC-2-5a: nothing to report; Retrieve again after the backoff.
     * The backoff is not reset, so repeated garbage backs off further. */
    s.e.pending = MEFC_PEND_RETRIEVE;
    s = arm_backoff(s);
  }
  return s;
}

/*@
  requires \valid(dst);
  assigns *dst;
  ensures dst->phase == v.phase && dst->status == v.status && dst->class_id == v.class_id;
  ensures dst->id.len == v.id.len;
  ensures \forall integer i; 0 <= i < MEFC_CMD_ID_MAX ==> dst->id.b[i] == v.id.b[i];
*/
static void record_store(mefc_record *dst, mefc_record v)
{
  uint32_t i;
  /* Field by field, so that each fact about the copy is a plain store. */
  /*@
    loop invariant 0 <= i <= MEFC_CMD_ID_MAX;
    loop invariant \forall integer k; 0 <= k < i ==> dst->id.b[k] == v.id.b[k];
    loop assigns i, dst->id.b[0 .. MEFC_CMD_ID_MAX - 1];
    loop variant MEFC_CMD_ID_MAX - i;
  */
  for (i = 0u; i < MEFC_CMD_ID_MAX; i++) {
    dst->id.b[i] = v.id.b[i];
  }
  dst->id.len = v.id.len;
  dst->phase = v.phase;
  dst->status = v.status;
  dst->class_id = v.class_id;
}

/*@
  requires \valid_read(r) && \valid_read(id);
  requires r->phase == v.phase && r->id.len == v.id.len;
  requires \forall integer i; 0 <= i < MEFC_CMD_ID_MAX ==> r->id.b[i] == v.id.b[i];
  assigns \nothing;
  ensures mefc_same_cmd{Pre, Pre}(r, id) ==> engine_names(v, *id);
  ensures engine_names(v, *id) ==> mefc_same_cmd{Pre, Pre}(r, id);
*/
static void names_bridge(const mefc_record *r, const mefc_cmd_id *id, mefc_record v)
{
  /* Nothing runs here: the contract is a lemma that links the record as
   * mefc_decide saw it in memory with the engine's value of it. */
  (void)r;
  (void)id;
  (void)v;
}

/*@
  requires \valid_read(cli) && \valid(ws) && \separated(cli, ws);
  requires engine_inv(s.e) && s.e.state == MEFC_S_AWAIT;
  requires engine_count_ok(s.e, engine_exec_count);
  requires s.o.n == 0 && engine_list_ok(s.o);
  requires \forall integer k; !engine_emits(s.o, k);
  requires decide_client_ok(cli);
  requires len <= MEFC_PAYLOAD_MAX ==>
             \valid_read(buf + (0 .. len - 1)) && \separated(buf + (0 .. len - 1), cli, ws);
  assigns *ws, engine_exec_count;
  ensures engine_inv(\result.e);
  ensures engine_count_ok(\result.e, engine_exec_count);
  ensures 1 <= \result.o.n <= 3;
  ensures engine_list_ok(\result.o);
  ensures \forall integer k; engine_emits(\result.o, k) ==>
            k == MEFC_ACT_PERSIST || k == MEFC_ACT_SEND_UPDATE || k == MEFC_ACT_EXECUTE ||
            k == MEFC_ACT_ARM_TIMER;
  ensures engine_emits(\result.o, MEFC_ACT_SEND_UPDATE) <==>
            ws->decision.kind == MEFC_DECIDE_REPORT;
  ensures engine_emits(\result.o, MEFC_ACT_EXECUTE) <==>
            ws->decision.kind == MEFC_DECIDE_EXECUTE;
  // TRG-3: an answered Update is recorded as REPORTED before anything else.
  ensures s.e.pending == MEFC_PEND_UPDATE && s.e.rec.phase == MEFC_PHASE_DONE ==>
            \result.o.a[0].kind == MEFC_ACT_PERSIST;
  ensures ws->decision.kind == MEFC_DECIDE_REPORT ==>
            \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_UPDATE;
  ensures ws->decision.kind == MEFC_DECIDE_REPORT ==>
            \result.e.upd_status == ws->decision.status;
  ensures ws->decision.kind == MEFC_DECIDE_REPORT ==>
            engine_id_eq(\result.e.upd_id, ws->decision.id);
  ensures ws->decision.kind == MEFC_DECIDE_EXECUTE ==>
            \result.e.state == MEFC_S_EXECUTING && \result.e.rec.phase == MEFC_PHASE_STARTED;
  ensures ws->decision.kind == MEFC_DECIDE_EXECUTE ==>
            \result.e.rec.id == ws->decision.id &&
            \result.e.exec_proc == ws->decision.procedure;
  ensures ws->decision.kind == MEFC_DECIDE_EXECUTE ==>
            !engine_names(s.e.rec, \result.e.rec.id) && engine_exec_count == 1;
  ensures ws->decision.kind == MEFC_DECIDE_WAIT ==>
            \result.e.state == MEFC_S_RETRY_TIMER && \result.e.rec.id == s.e.rec.id;
  ensures ws->decision.kind == MEFC_DECIDE_WAIT ==>
            \result.o.a[\result.o.n - 1].kind == MEFC_ACT_ARM_TIMER &&
            \result.o.a[\result.o.n - 1].ms == ws->decision.wait_ms &&
            \result.o.a[\result.o.n - 1].reason == MEFC_TIMER_RETRY_DURATION;
  ensures ws->decision.kind == MEFC_DECIDE_RETRY ==>
            \result.e.state == MEFC_S_BACKOFF && \result.e.pending == MEFC_PEND_RETRIEVE &&
            \result.e.rec.id == s.e.rec.id;
  ensures ws->decision.kind == MEFC_DECIDE_RETRY ==>
            \result.o.a[\result.o.n - 1].kind == MEFC_ACT_ARM_TIMER &&
            \result.o.a[\result.o.n - 1].ms == s.e.backoff_ms &&
            \result.o.a[\result.o.n - 1].reason == MEFC_TIMER_BACKOFF;
  ensures ws->decision.kind == MEFC_DECIDE_RETRY ==>
            \result.e.backoff_ms == engine_backoff_next(s.e.backoff_ms);
  ensures ws->decision.kind != MEFC_DECIDE_RETRY ==>
            \result.e.backoff_ms == MEFC_BACKOFF_INITIAL_MS;
  ensures ws->decision.kind != MEFC_DECIDE_EXECUTE && \result.e.rec.id == s.e.rec.id ==>
            engine_exec_count == \old(engine_exec_count);
  ensures ws->decision.kind != MEFC_DECIDE_EXECUTE && \result.e.rec.id != s.e.rec.id ==>
            !engine_names(s.e.rec, \result.e.rec.id) && engine_exec_count == 0;
*/
static engine_next on_response(engine_next s, const mefc_client *cli, const uint8_t *buf,
                               size_t len, mefc_workspace *ws)
{
  /* A response to the Update: the MEF has the status (8.3.9.3 step 2b), so
   * the record stops owing it. The Update names the record's command by the
   * invariant (engine_update_ok), which is why no ID is compared here. */
  if (s.e.pending == MEFC_PEND_UPDATE && s.e.rec.phase == MEFC_PHASE_DONE) {
    s.e.rec.phase = MEFC_PHASE_REPORTED;
    s = push(s, MEFC_ACT_PERSIST, 0u, 0u);
  }
  /* MCC-3-5: the response to either request is parsed and executed as
   * 8.3.9.2 step 5. */
  /* The copy lives in the workspace, which the contract separates from the
   * client profile: a local would make the proof carry the profile across
   * the copy by the locals' allocation. */
  /*@ assert engine_rec_ok(s.e.rec); */
  record_store(&ws->rec, s.e.rec);
  /*@ assert rec_ok: mefc_record_ok(&ws->rec); */
  mefc_decide(cli, &ws->rec, buf, len, &ws->doc, &ws->decision);
  names_bridge(&ws->rec, &ws->decision.id, s.e.rec);
  return apply_decision(s, &ws->decision);
}

/*@
  requires engine_inv(s.e) && s.e.state == MEFC_S_EXECUTING;
  requires s.o.n == 0 && engine_list_ok(s.o);
  requires \forall integer k; !engine_emits(s.o, k);
  assigns \nothing;
  ensures engine_inv(\result.e);
  ensures \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_UPDATE;
  ensures \result.e.rec.phase == MEFC_PHASE_DONE &&
          \result.e.rec.status == outcome_status(s.e.exec_proc, outcome);
  ensures \result.e.rec.id == s.e.rec.id && \result.e.rec.class_id == s.e.rec.class_id;
  ensures \result.e.upd_id == \result.e.rec.id;
  ensures \result.e.upd_status == \result.e.rec.status;
  ensures \result.e.backoff_ms == s.e.backoff_ms;
  ensures \result.o.n == 2;
  ensures \result.o.a[0].kind == MEFC_ACT_PERSIST;
  ensures \result.o.a[1].kind == MEFC_ACT_SEND_UPDATE;
  ensures engine_list_ok(\result.o);
  ensures \forall integer k; engine_emits(\result.o, k) <==>
            (k == MEFC_ACT_PERSIST || k == MEFC_ACT_SEND_UPDATE);
*/
static engine_next on_outcome(engine_next s, uint32_t outcome)
{
  /* MCC-7-6-*, MCC-8-6-*, MCC-9-*: how the procedure ended decides the
   * status; TRG-3: an attempted command is reported by an Update. */
  uint32_t st = mefc_outcome_status(s.e.exec_proc, outcome);
  s.e.rec.phase = MEFC_PHASE_DONE;
  s.e.rec.status = st;
  s = push(s, MEFC_ACT_PERSIST, 0u, 0u);
  s.e.upd_id = s.e.rec.id;
  s.e.upd_status = st;
  s.e.pending = MEFC_PEND_UPDATE;
  s.e.state = MEFC_S_AWAIT;
  return push(s, MEFC_ACT_SEND_UPDATE, 0u, 0u);
}

/*@
  requires engine_inv(s.e) && s.e.state == MEFC_S_RETRY_TIMER;
  requires s.o.n == 0 && engine_list_ok(s.o);
  requires \forall integer k; !engine_emits(s.o, k);
  assigns \nothing;
  ensures engine_inv(\result.e);
  ensures \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_RETRIEVE;
  ensures \result.e.rec == s.e.rec && \result.e.backoff_ms == s.e.backoff_ms;
  ensures \result.o.n == 1 && \result.o.a[0].kind == MEFC_ACT_SEND_RETRIEVE;
  ensures engine_list_ok(\result.o);
  ensures \forall integer k; engine_emits(\result.o, k) <==> k == MEFC_ACT_SEND_RETRIEVE;
*/
static engine_next retry_expired(engine_next s)
{
  /* MCC-6-5b: retryDuration ran out. No command is open in RETRY_TIMER
   * (engine_inv), so a Retrieve is allowed. */
  s.e.pending = MEFC_PEND_RETRIEVE;
  s.e.state = MEFC_S_AWAIT;
  return push(s, MEFC_ACT_SEND_RETRIEVE, 0u, 0u);
}

/*@
  requires \valid(eng) && \valid_read(rec) && \separated(eng, rec);
  requires mefc_record_ok(rec);
  assigns *eng, engine_exec_count;
  ensures engine_inv(*eng);
  ensures engine_count_ok(*eng, engine_exec_count);
  ensures eng->state == MEFC_S_IDLE && eng->pending == MEFC_PEND_NONE;
  ensures eng->rec == *rec;
  ensures eng->backoff_ms == MEFC_BACKOFF_INITIAL_MS;
  ensures engine_exec_count == 0;
*/
void mefc_engine_init(mefc_engine *eng, const mefc_record *rec)
{
  mefc_engine e;
  e.state = MEFC_S_IDLE;
  e.pending = MEFC_PEND_NONE;
  e.rec = *rec;
  /* No Update is owed yet; upd_id is set whenever one is. */
  e.upd_id = e.rec.id;
  e.upd_status = 0u;
  e.exec_proc = MEFC_PROC_NONE;
  e.backoff_ms = MEFC_BACKOFF_INITIAL_MS;
  *eng = e;
  /* Executions before a restart are not counted here: the record on disk
   * (STARTED, DONE, REPORTED) is what keeps them from happening again. */
  /*@ ghost engine_exec_count = 0u; */
}

/*@
  requires \valid_read(cli) && \valid(ws) && \separated(cli, ws);
  requires engine_inv(s.e);
  requires engine_count_ok(s.e, engine_exec_count);
  requires s.o.n == 0 && engine_list_ok(s.o);
  requires \forall integer k; !engine_emits(s.o, k);
  requires decide_client_ok(cli);
  requires ev.kind == MEFC_EV_RESPONSE && ev.payload != \null && ev.len <= MEFC_PAYLOAD_MAX ==>
             \valid_read(ev.payload + (0 .. ev.len - 1)) &&
             \separated(ev.payload + (0 .. ev.len - 1), cli, ws);
  assigns *ws, engine_exec_count;

  ensures engine_inv(\result.e);
  ensures engine_count_ok(\result.e, engine_exec_count);
  // (c) a bounded list of known actions; PERSIST before EXECUTE; one EXECUTE.
  ensures engine_acts_ok(\result.o);
  ensures engine_persist_before_execute(\result.o);
  ensures engine_one_execute(\result.o);
  // (a) MCC-2-PC: no Retrieve while a command is open (received and not yet
  // reported), i.e. when the record is STARTED or DONE after the step.
  ensures \result.e.rec.phase == MEFC_PHASE_STARTED || \result.e.rec.phase == MEFC_PHASE_DONE ==>
            !engine_emits(\result.o, MEFC_ACT_SEND_RETRIEVE);
  // MCC-2-PD: no Retrieve while a response is awaited.
  ensures s.e.state == MEFC_S_AWAIT ==> !engine_emits(\result.o, MEFC_ACT_SEND_RETRIEVE);
  // MCC-3-T: an Update goes out only as the outstanding request; by
  // engine_inv it names the record's command and carries a client status.
  ensures engine_emits(\result.o, MEFC_ACT_SEND_UPDATE) ==>
            \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_UPDATE;
  // (b) at most once: a cmdID is handed to execution only when the record
  // did not name it before the step; after it, the record names it STARTED.
  ensures engine_emits(\result.o, MEFC_ACT_EXECUTE) ==>
            !engine_names(s.e.rec, \result.e.rec.id) &&
            \result.e.rec.phase == MEFC_PHASE_STARTED && \result.e.state == MEFC_S_EXECUTING &&
            engine_exec_count == 1;
  // The ghost count follows the record's cmdID: kept while the ID stays,
  // 0 when it changes, never above 1 (engine_count_ok): an ID counted once
  // is never executed again.
  ensures !engine_emits(\result.o, MEFC_ACT_EXECUTE) && \result.e.rec.id == s.e.rec.id ==>
            engine_exec_count == \old(engine_exec_count);
  ensures !engine_emits(\result.o, MEFC_ACT_EXECUTE) && \result.e.rec.id != s.e.rec.id ==>
            engine_exec_count == 0;
  ensures \old(engine_exec_count) == 1 && engine_names(s.e.rec, \result.e.rec.id) ==>
            !engine_emits(\result.o, MEFC_ACT_EXECUTE);

  behavior bad_event:
    assumes !engine_event_ok(ev);
    ensures \result.o.n == 0 && \result.e == s.e;
  behavior TRG_1:
    assumes engine_event_ok(ev);
    assumes ev.kind == MEFC_EV_START || ev.kind == MEFC_EV_TRIGGER;
    assumes s.e.state == MEFC_S_IDLE && engine_settled(s.e.rec);
    ensures \result.o.n == 1 && \result.o.a[0].kind == MEFC_ACT_SEND_RETRIEVE;
    ensures \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_RETRIEVE;
    ensures \result.e.rec == s.e.rec;
  behavior I_2:
    assumes engine_event_ok(ev);
    assumes ev.kind == MEFC_EV_START || ev.kind == MEFC_EV_TRIGGER;
    assumes s.e.state == MEFC_S_IDLE && s.e.rec.phase == MEFC_PHASE_STARTED;
    ensures \result.o.n == 2 && \result.o.a[0].kind == MEFC_ACT_PERSIST &&
            \result.o.a[1].kind == MEFC_ACT_SEND_UPDATE;
    ensures \result.e.rec.phase == MEFC_PHASE_DONE && \result.e.rec.id == s.e.rec.id &&
            \result.e.rec.status == outcome_class_failure(s.e.rec.class_id);
    ensures \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_UPDATE &&
            \result.e.upd_id == \result.e.rec.id && \result.e.upd_status == \result.e.rec.status;
  behavior TRG_3:
    assumes engine_event_ok(ev);
    assumes ev.kind == MEFC_EV_START || ev.kind == MEFC_EV_TRIGGER;
    assumes s.e.state == MEFC_S_IDLE && s.e.rec.phase == MEFC_PHASE_DONE;
    ensures \result.o.n == 1 && \result.o.a[0].kind == MEFC_ACT_SEND_UPDATE;
    ensures \result.e.rec == s.e.rec;
    ensures \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_UPDATE &&
            \result.e.upd_id == \result.e.rec.id && \result.e.upd_status == \result.e.rec.status;
  behavior MCC_3_T:
    // Idle: only a start or a trigger makes the client send anything.
    assumes engine_event_ok(ev) && s.e.state == MEFC_S_IDLE;
    assumes ev.kind != MEFC_EV_START && ev.kind != MEFC_EV_TRIGGER;
    ensures \result.o.n == 0 && \result.e == s.e;
  behavior MCC_2_PD:
    assumes engine_event_ok(ev) && s.e.state == MEFC_S_AWAIT;
    assumes ev.kind != MEFC_EV_RESPONSE && ev.kind != MEFC_EV_TRANSPORT_FAIL;
    ensures \result.o.n == 0 && \result.e == s.e;
  behavior MCC_2_PD_timeout:
    // The MEF took too long or the request failed: resend after the backoff.
    assumes engine_event_ok(ev) && s.e.state == MEFC_S_AWAIT;
    assumes ev.kind == MEFC_EV_TRANSPORT_FAIL;
    ensures \result.o.n == 1 && \result.o.a[0].kind == MEFC_ACT_ARM_TIMER &&
            \result.o.a[0].ms == s.e.backoff_ms && \result.o.a[0].reason == MEFC_TIMER_BACKOFF;
    ensures \result.e.state == MEFC_S_BACKOFF && \result.e.pending == s.e.pending;
    ensures \result.e.rec == s.e.rec && \result.e.upd_id == s.e.upd_id;
    ensures \result.e.backoff_ms == engine_backoff_next(s.e.backoff_ms);
  behavior MCC_3_5:
    assumes engine_event_ok(ev) && s.e.state == MEFC_S_AWAIT;
    assumes ev.kind == MEFC_EV_RESPONSE;
    ensures 1 <= \result.o.n <= 3;
    ensures !engine_emits(\result.o, MEFC_ACT_CANCEL_TIMER);
    ensures s.e.pending == MEFC_PEND_UPDATE && s.e.rec.phase == MEFC_PHASE_DONE ==>
              \result.o.a[0].kind == MEFC_ACT_PERSIST;
    ensures engine_emits(\result.o, MEFC_ACT_SEND_UPDATE) <==>
              ws->decision.kind == MEFC_DECIDE_REPORT;
    ensures ws->decision.kind == MEFC_DECIDE_REPORT ==>
              \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_UPDATE &&
              \result.e.upd_status == ws->decision.status;
    ensures ws->decision.kind == MEFC_DECIDE_REPORT ==>
              engine_id_eq(\result.e.upd_id, ws->decision.id);
    ensures ws->decision.kind == MEFC_DECIDE_EXECUTE ==>
              \result.e.state == MEFC_S_EXECUTING && \result.e.rec.phase == MEFC_PHASE_STARTED &&
              \result.e.rec.id == ws->decision.id && \result.e.exec_proc == ws->decision.procedure;
    ensures ws->decision.kind == MEFC_DECIDE_WAIT ==>
              \result.e.state == MEFC_S_RETRY_TIMER && \result.e.rec.id == s.e.rec.id &&
              \result.o.a[\result.o.n - 1].kind == MEFC_ACT_ARM_TIMER &&
              \result.o.a[\result.o.n - 1].ms == ws->decision.wait_ms &&
              \result.o.a[\result.o.n - 1].reason == MEFC_TIMER_RETRY_DURATION;
    ensures ws->decision.kind == MEFC_DECIDE_RETRY ==>
              \result.e.state == MEFC_S_BACKOFF && \result.e.pending == MEFC_PEND_RETRIEVE &&
              \result.e.rec.id == s.e.rec.id &&
              \result.o.a[\result.o.n - 1].kind == MEFC_ACT_ARM_TIMER &&
              \result.o.a[\result.o.n - 1].ms == s.e.backoff_ms &&
              \result.o.a[\result.o.n - 1].reason == MEFC_TIMER_BACKOFF &&
              \result.e.backoff_ms == engine_backoff_next(s.e.backoff_ms);
    ensures ws->decision.kind != MEFC_DECIDE_RETRY ==>
              \result.e.backoff_ms == MEFC_BACKOFF_INITIAL_MS;
  behavior MCC_2_PC:
    // A procedure is running: no Retrieve, no Update, no other decision
    // until its outcome.
    assumes engine_event_ok(ev) && s.e.state == MEFC_S_EXECUTING;
    assumes ev.kind != MEFC_EV_OUTCOME;
    ensures \result.o.n == 0 && \result.e == s.e;
  behavior TRG_3_outcome:
    assumes engine_event_ok(ev) && s.e.state == MEFC_S_EXECUTING;
    assumes ev.kind == MEFC_EV_OUTCOME;
    ensures \result.o.n == 2 && \result.o.a[0].kind == MEFC_ACT_PERSIST &&
            \result.o.a[1].kind == MEFC_ACT_SEND_UPDATE;
    ensures \result.e.rec.phase == MEFC_PHASE_DONE && \result.e.rec.id == s.e.rec.id &&
            \result.e.rec.status == outcome_status(s.e.exec_proc, ev.outcome);
    ensures \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_UPDATE &&
            \result.e.upd_id == \result.e.rec.id && \result.e.upd_status == \result.e.rec.status;
  behavior MCC_6_4:
    // retryDuration running: nothing is sent unless triggered.
    assumes engine_event_ok(ev) && s.e.state == MEFC_S_RETRY_TIMER;
    assumes ev.kind != MEFC_EV_TRIGGER && ev.kind != MEFC_EV_TIMER;
    ensures \result.o.n == 0 && \result.e == s.e;
  behavior MCC_6_5a:
    assumes engine_event_ok(ev) && s.e.state == MEFC_S_RETRY_TIMER;
    assumes ev.kind == MEFC_EV_TRIGGER;
    ensures \result.o.n == 2 && \result.o.a[0].kind == MEFC_ACT_CANCEL_TIMER &&
            \result.o.a[1].kind == MEFC_ACT_SEND_RETRIEVE;
    ensures \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_RETRIEVE;
    ensures \result.e.rec == s.e.rec;
  behavior MCC_6_5b:
    assumes engine_event_ok(ev) && s.e.state == MEFC_S_RETRY_TIMER;
    assumes ev.kind == MEFC_EV_TIMER;
    ensures \result.o.n == 1 && \result.o.a[0].kind == MEFC_ACT_SEND_RETRIEVE;
    ensures \result.e.state == MEFC_S_AWAIT && \result.e.pending == MEFC_PEND_RETRIEVE;
    ensures \result.e.rec == s.e.rec;
  behavior I_10_hold:
    // Backing off: nothing is resent before the timer or a trigger.
    assumes engine_event_ok(ev) && s.e.state == MEFC_S_BACKOFF;
    assumes ev.kind != MEFC_EV_TRIGGER && ev.kind != MEFC_EV_TIMER;
    ensures \result.o.n == 0 && \result.e == s.e;
  behavior I_10:
    assumes engine_event_ok(ev) && s.e.state == MEFC_S_BACKOFF;
    assumes ev.kind == MEFC_EV_TRIGGER || ev.kind == MEFC_EV_TIMER;
    ensures ev.kind == MEFC_EV_TIMER ==> \result.o.n == 1;
    ensures ev.kind == MEFC_EV_TRIGGER ==> \result.o.n == 2 && \result.o.a[0].kind == MEFC_ACT_CANCEL_TIMER;
    ensures s.e.pending == MEFC_PEND_RETRIEVE ==>
              \result.o.a[\result.o.n - 1].kind == MEFC_ACT_SEND_RETRIEVE;
    ensures s.e.pending == MEFC_PEND_UPDATE ==>
              \result.o.a[\result.o.n - 1].kind == MEFC_ACT_SEND_UPDATE;
    ensures \result.e.state == MEFC_S_AWAIT && \result.e.pending == s.e.pending;
    ensures \result.e.rec == s.e.rec && \result.e.upd_id == s.e.upd_id &&
            \result.e.upd_status == s.e.upd_status;
  complete behaviors;
  disjoint behaviors;
*/
static engine_next dispatch(engine_next s, const mefc_client *cli, mefc_event ev,
                            mefc_workspace *ws)
{
  if (ev.kind == MEFC_EV_START) {
    /* TRG-1: the Retrieve that follows registration; after a restart with a
     * command open, that command's Update goes first (I-2, I-23, TRG-3). */
    if (s.e.state == MEFC_S_IDLE) {
      s = begin_exchange(s);
    }
  } else if (ev.kind == MEFC_EV_TRIGGER) {
    /* 8.3.4.6 triggers. AWAIT and EXECUTING ignore them: MCC-2-PD, MCC-2-PC. */
    if (s.e.state == MEFC_S_IDLE) {
      s = begin_exchange(s);
    } else if (s.e.state == MEFC_S_RETRY_TIMER) {
      /* MCC-6-5a, I-28: another trigger cancels retryDuration. */
      s = push(s, MEFC_ACT_CANCEL_TIMER, 0u, 0u);
      s = begin_exchange(s);
    } else if (s.e.state == MEFC_S_BACKOFF) {
      /* I-21: a trigger during the backoff resends the pending request now. */
      s = push(s, MEFC_ACT_CANCEL_TIMER, 0u, 0u);
      s = send_pending(s);
    }
  } else if (ev.kind == MEFC_EV_RESPONSE) {
    /* Only the outstanding request has a response; anything else is stale. */
    if (s.e.state == MEFC_S_AWAIT && (ev.payload != NULL || ev.len == 0u)) {
      s = on_response(s, cli, ev.payload, ev.len, ws);
    }
  } else if (ev.kind == MEFC_EV_TRANSPORT_FAIL) {
    if (s.e.state == MEFC_S_AWAIT) {
      /* I-21: the same request goes again after the backoff (MCC-2-PD allows
       * a new request only when the MEF takes too long). */
      s = arm_backoff(s);
    }
  } else if (ev.kind == MEFC_EV_OUTCOME) {
    if (s.e.state == MEFC_S_EXECUTING) {
      s = on_outcome(s, ev.outcome);
    }
  } else if (ev.kind == MEFC_EV_TIMER) {
    if (s.e.state == MEFC_S_RETRY_TIMER) {
      s = retry_expired(s);
    } else if (s.e.state == MEFC_S_BACKOFF) {
      s = send_pending(s);
    }
  }
  return s;
}

/*@
  requires \valid(eng) && \valid_read(cli) && \valid_read(ev) && \valid(ws) && \valid(out);
  requires \separated(eng, cli, ev, ws, out);
  requires engine_inv(*eng);
  requires engine_count_ok(*eng, engine_exec_count);
  requires decide_client_ok(cli);
  requires ev->kind == MEFC_EV_RESPONSE && ev->payload != \null && ev->len <= MEFC_PAYLOAD_MAX ==>
             \valid_read(ev->payload + (0 .. ev->len - 1)) &&
             \separated(ev->payload + (0 .. ev->len - 1), eng, cli, ev, ws, out);
  assigns *eng, *ws, *out, engine_exec_count;

  // The contract speaks of the engine before (e0) and after (e) the step, of
  // the event (v) and of the actions (o) as values.
  ensures engine_inv(*eng);
  ensures engine_count_ok(*eng, engine_exec_count);
  // (c) a bounded list of known actions; PERSIST before EXECUTE; one EXECUTE.
  ensures engine_acts_ok(*out);
  ensures engine_persist_before_execute(*out);
  ensures engine_one_execute(*out);
  // (a) MCC-2-PC: no Retrieve while a command is open (received and not yet
  // reported), i.e. when the record is STARTED or DONE after the step.
  ensures \let e = *eng; \let o = *out;
    e.rec.phase == MEFC_PHASE_STARTED || e.rec.phase == MEFC_PHASE_DONE ==>
            !engine_emits(o, MEFC_ACT_SEND_RETRIEVE);
  // MCC-2-PD: no Retrieve while a response is awaited.
  ensures \let e0 = \old(*eng); \let o = *out;
    e0.state == MEFC_S_AWAIT ==> !engine_emits(o, MEFC_ACT_SEND_RETRIEVE);
  // MCC-3-T: an Update goes out only as the outstanding request; by
  // engine_inv it names the record's command and carries a client status.
  ensures \let e = *eng; \let o = *out;
    engine_emits(o, MEFC_ACT_SEND_UPDATE) ==>
            e.state == MEFC_S_AWAIT && e.pending == MEFC_PEND_UPDATE;
  // (b) at most once: a cmdID is handed to execution only when the record
  // did not name it before the step; after it, the record names it STARTED.
  ensures \let e = *eng; \let o = *out;
    engine_emits(o, MEFC_ACT_EXECUTE) ==>
            !mefc_same_cmd{Pre, Post}(&eng->rec, &eng->rec.id) &&
            e.rec.phase == MEFC_PHASE_STARTED && e.state == MEFC_S_EXECUTING &&
            engine_exec_count == 1;
  // The ghost count follows the record's cmdID: kept while the ID stays,
  // 0 when it changes, never above 1 (engine_count_ok): an ID counted once
  // is never executed again.
  ensures \let e0 = \old(*eng); \let e = *eng; \let o = *out;
    !engine_emits(o, MEFC_ACT_EXECUTE) && e.rec.id == e0.rec.id ==>
            engine_exec_count == \old(engine_exec_count);
  ensures \let e0 = \old(*eng); \let e = *eng; \let o = *out;
    !engine_emits(o, MEFC_ACT_EXECUTE) && e.rec.id != e0.rec.id ==>
            engine_exec_count == 0;
  ensures \old(engine_exec_count) == 1 && mefc_same_cmd{Pre, Post}(&eng->rec, &eng->rec.id) ==>
            !engine_emits(*out, MEFC_ACT_EXECUTE);

  behavior bad_event:
    assumes \let v = *ev;
      !engine_event_ok(v);
    ensures \let e0 = \old(*eng); \let e = *eng; \let o = *out;
      o.n == 0 && e == e0;
  behavior TRG_1:
    assumes \let v = *ev;
      engine_event_ok(v);
    assumes \let v = *ev;
      v.kind == MEFC_EV_START || v.kind == MEFC_EV_TRIGGER;
    assumes \let e0 = *eng;
      e0.state == MEFC_S_IDLE && engine_settled(e0.rec);
    ensures \let o = *out;
      o.n == 1 && o.a[0].kind == MEFC_ACT_SEND_RETRIEVE;
    ensures \let e = *eng;
      e.state == MEFC_S_AWAIT && e.pending == MEFC_PEND_RETRIEVE;
    ensures \let e0 = \old(*eng); \let e = *eng;
      e.rec == e0.rec;
  behavior I_2:
    assumes \let v = *ev;
      engine_event_ok(v);
    assumes \let v = *ev;
      v.kind == MEFC_EV_START || v.kind == MEFC_EV_TRIGGER;
    assumes \let e0 = *eng;
      e0.state == MEFC_S_IDLE && e0.rec.phase == MEFC_PHASE_STARTED;
    ensures \let o = *out;
      o.n == 2 && o.a[0].kind == MEFC_ACT_PERSIST &&
            o.a[1].kind == MEFC_ACT_SEND_UPDATE;
    ensures \let e0 = \old(*eng); \let e = *eng;
      e.rec.phase == MEFC_PHASE_DONE && e.rec.id == e0.rec.id &&
            e.rec.status == outcome_class_failure(e0.rec.class_id);
    ensures \let e = *eng;
      e.state == MEFC_S_AWAIT && e.pending == MEFC_PEND_UPDATE &&
            e.upd_id == e.rec.id && e.upd_status == e.rec.status;
  behavior TRG_3:
    assumes \let v = *ev;
      engine_event_ok(v);
    assumes \let v = *ev;
      v.kind == MEFC_EV_START || v.kind == MEFC_EV_TRIGGER;
    assumes \let e0 = *eng;
      e0.state == MEFC_S_IDLE && e0.rec.phase == MEFC_PHASE_DONE;
    ensures \let o = *out;
      o.n == 1 && o.a[0].kind == MEFC_ACT_SEND_UPDATE;
    ensures \let e0 = \old(*eng); \let e = *eng;
      e.rec == e0.rec;
    ensures \let e = *eng;
      e.state == MEFC_S_AWAIT && e.pending == MEFC_PEND_UPDATE &&
            e.upd_id == e.rec.id && e.upd_status == e.rec.status;
  behavior MCC_3_T:
    // Idle: only a start or a trigger makes the client send anything.
    assumes \let e0 = *eng; \let v = *ev;
      engine_event_ok(v) && e0.state == MEFC_S_IDLE;
    assumes \let v = *ev;
      v.kind != MEFC_EV_START && v.kind != MEFC_EV_TRIGGER;
    ensures \let e0 = \old(*eng); \let e = *eng; \let o = *out;
      o.n == 0 && e == e0;
  behavior MCC_2_PD:
    assumes \let e0 = *eng; \let v = *ev;
      engine_event_ok(v) && e0.state == MEFC_S_AWAIT;
    assumes \let v = *ev;
      v.kind != MEFC_EV_RESPONSE && v.kind != MEFC_EV_TRANSPORT_FAIL;
    ensures \let e0 = \old(*eng); \let e = *eng; \let o = *out;
      o.n == 0 && e == e0;
  behavior MCC_2_PD_timeout:
    // The MEF took too long or the request failed: resend after the backoff.
    assumes \let e0 = *eng; \let v = *ev;
      engine_event_ok(v) && e0.state == MEFC_S_AWAIT;
    assumes \let v = *ev;
      v.kind == MEFC_EV_TRANSPORT_FAIL;
    ensures \let e0 = \old(*eng); \let o = *out;
      o.n == 1 && o.a[0].kind == MEFC_ACT_ARM_TIMER &&
            o.a[0].ms == e0.backoff_ms && o.a[0].reason == MEFC_TIMER_BACKOFF;
    ensures \let e0 = \old(*eng); \let e = *eng;
      e.state == MEFC_S_BACKOFF && e.pending == e0.pending;
    ensures \let e0 = \old(*eng); \let e = *eng;
      e.rec == e0.rec && e.upd_id == e0.upd_id;
    ensures \let e0 = \old(*eng); \let e = *eng;
      e.backoff_ms == engine_backoff_next(e0.backoff_ms);
  behavior MCC_3_5:
    // The response is decided (mefc_decide) and the decision d acted on.
    assumes \let e0 = *eng; \let v = *ev;
      engine_event_ok(v) && e0.state == MEFC_S_AWAIT;
    assumes \let v = *ev;
      v.kind == MEFC_EV_RESPONSE;
    ensures \let o = *out;
      1 <= o.n <= 3 && !engine_emits(o, MEFC_ACT_CANCEL_TIMER);
    ensures \let e0 = \old(*eng); \let o = *out;
      e0.pending == MEFC_PEND_UPDATE && e0.rec.phase == MEFC_PHASE_DONE ==>
        o.a[0].kind == MEFC_ACT_PERSIST;
    ensures \let d = ws->decision; \let o = *out;
      engine_emits(o, MEFC_ACT_SEND_UPDATE) <==> d.kind == MEFC_DECIDE_REPORT;
    ensures \let d = ws->decision; \let e = *eng;
      d.kind == MEFC_DECIDE_REPORT ==>
        e.state == MEFC_S_AWAIT && e.pending == MEFC_PEND_UPDATE && e.upd_status == d.status;
    ensures \let d = ws->decision; \let e = *eng;
      d.kind == MEFC_DECIDE_REPORT ==> engine_id_eq(e.upd_id, d.id);
    ensures \let d = ws->decision; \let e = *eng;
      d.kind == MEFC_DECIDE_EXECUTE ==>
        e.state == MEFC_S_EXECUTING && e.rec.phase == MEFC_PHASE_STARTED;
    ensures \let d = ws->decision; \let e = *eng;
      d.kind == MEFC_DECIDE_EXECUTE ==> e.rec.id == d.id && e.exec_proc == d.procedure;
    ensures \let d = ws->decision; \let e0 = \old(*eng); \let e = *eng;
      d.kind == MEFC_DECIDE_WAIT ==> e.state == MEFC_S_RETRY_TIMER && e.rec.id == e0.rec.id;
    ensures \let d = ws->decision; \let o = *out;
      d.kind == MEFC_DECIDE_WAIT ==>
        o.a[o.n - 1].kind == MEFC_ACT_ARM_TIMER &&
        o.a[o.n - 1].reason == MEFC_TIMER_RETRY_DURATION;
    ensures \let d = ws->decision; \let o = *out;
      d.kind == MEFC_DECIDE_WAIT ==> o.a[o.n - 1].ms == d.wait_ms;
    ensures \let d = ws->decision; \let e0 = \old(*eng); \let e = *eng;
      d.kind == MEFC_DECIDE_RETRY ==>
        e.state == MEFC_S_BACKOFF && e.pending == MEFC_PEND_RETRIEVE &&
        e.rec.id == e0.rec.id && e.backoff_ms == engine_backoff_next(e0.backoff_ms);
    ensures \let d = ws->decision; \let e0 = \old(*eng); \let o = *out;
      d.kind == MEFC_DECIDE_RETRY ==>
        o.a[o.n - 1].kind == MEFC_ACT_ARM_TIMER && o.a[o.n - 1].ms == e0.backoff_ms &&
        o.a[o.n - 1].reason == MEFC_TIMER_BACKOFF;
    ensures \let d = ws->decision; \let e = *eng;
      d.kind != MEFC_DECIDE_RETRY ==> e.backoff_ms == MEFC_BACKOFF_INITIAL_MS;
  behavior MCC_2_PC:
    // A procedure is running: no Retrieve, no Update, no other decision
    // until its outcome.
    assumes \let e0 = *eng; \let v = *ev;
      engine_event_ok(v) && e0.state == MEFC_S_EXECUTING;
    assumes \let v = *ev;
      v.kind != MEFC_EV_OUTCOME;
    ensures \let e0 = \old(*eng); \let e = *eng; \let o = *out;
      o.n == 0 && e == e0;
  behavior TRG_3_outcome:
    assumes \let e0 = *eng; \let v = *ev;
      engine_event_ok(v) && e0.state == MEFC_S_EXECUTING;
    assumes \let v = *ev;
      v.kind == MEFC_EV_OUTCOME;
    ensures \let o = *out;
      o.n == 2 && o.a[0].kind == MEFC_ACT_PERSIST &&
            o.a[1].kind == MEFC_ACT_SEND_UPDATE;
    ensures \let e0 = \old(*eng); \let e = *eng; \let v = \old(*ev);
      e.rec.phase == MEFC_PHASE_DONE && e.rec.id == e0.rec.id &&
            e.rec.status == outcome_status(e0.exec_proc, v.outcome);
    ensures \let e = *eng;
      e.state == MEFC_S_AWAIT && e.pending == MEFC_PEND_UPDATE &&
            e.upd_id == e.rec.id && e.upd_status == e.rec.status;
  behavior MCC_6_4:
    // retryDuration running: nothing is sent unless triggered.
    assumes \let e0 = *eng; \let v = *ev;
      engine_event_ok(v) && e0.state == MEFC_S_RETRY_TIMER;
    assumes \let v = *ev;
      v.kind != MEFC_EV_TRIGGER && v.kind != MEFC_EV_TIMER;
    ensures \let e0 = \old(*eng); \let e = *eng; \let o = *out;
      o.n == 0 && e == e0;
  behavior MCC_6_5a:
    assumes \let e0 = *eng; \let v = *ev;
      engine_event_ok(v) && e0.state == MEFC_S_RETRY_TIMER;
    assumes \let v = *ev;
      v.kind == MEFC_EV_TRIGGER;
    ensures \let o = *out;
      o.n == 2 && o.a[0].kind == MEFC_ACT_CANCEL_TIMER &&
            o.a[1].kind == MEFC_ACT_SEND_RETRIEVE;
    ensures \let e = *eng;
      e.state == MEFC_S_AWAIT && e.pending == MEFC_PEND_RETRIEVE;
    ensures \let e0 = \old(*eng); \let e = *eng;
      e.rec == e0.rec;
  behavior MCC_6_5b:
    assumes \let e0 = *eng; \let v = *ev;
      engine_event_ok(v) && e0.state == MEFC_S_RETRY_TIMER;
    assumes \let v = *ev;
      v.kind == MEFC_EV_TIMER;
    ensures \let o = *out;
      o.n == 1 && o.a[0].kind == MEFC_ACT_SEND_RETRIEVE;
    ensures \let e = *eng;
      e.state == MEFC_S_AWAIT && e.pending == MEFC_PEND_RETRIEVE;
    ensures \let e0 = \old(*eng); \let e = *eng;
      e.rec == e0.rec;
  behavior I_10_hold:
    // Backing off: nothing is resent before the timer or a trigger.
    assumes \let e0 = *eng; \let v = *ev;
      engine_event_ok(v) && e0.state == MEFC_S_BACKOFF;
    assumes \let v = *ev;
      v.kind != MEFC_EV_TRIGGER && v.kind != MEFC_EV_TIMER;
    ensures \let e0 = \old(*eng); \let e = *eng; \let o = *out;
      o.n == 0 && e == e0;
  behavior I_10:
    assumes \let e0 = *eng; \let v = *ev;
      engine_event_ok(v) && e0.state == MEFC_S_BACKOFF;
    assumes \let v = *ev;
      v.kind == MEFC_EV_TRIGGER || v.kind == MEFC_EV_TIMER;
    ensures \let o = *out; \let v = \old(*ev);
      v.kind == MEFC_EV_TIMER ==> o.n == 1;
    ensures \let o = *out; \let v = \old(*ev);
      v.kind == MEFC_EV_TRIGGER ==> o.n == 2 && o.a[0].kind == MEFC_ACT_CANCEL_TIMER;
    ensures \let e0 = \old(*eng); \let o = *out;
      e0.pending == MEFC_PEND_RETRIEVE ==>
              o.a[o.n - 1].kind == MEFC_ACT_SEND_RETRIEVE;
    ensures \let e0 = \old(*eng); \let o = *out;
      e0.pending == MEFC_PEND_UPDATE ==>
              o.a[o.n - 1].kind == MEFC_ACT_SEND_UPDATE;
    ensures \let e0 = \old(*eng); \let e = *eng;
      e.state == MEFC_S_AWAIT && e.pending == e0.pending;
    ensures \let e0 = \old(*eng); \let e = *eng;
      e.rec == e0.rec && e.upd_id == e0.upd_id &&
            e.upd_status == e0.upd_status;
  complete behaviors;
  disjoint behaviors;
*/
void mefc_engine_step(mefc_engine *eng, const mefc_client *cli, const mefc_event *ev,
                      mefc_workspace *ws, mefc_actions *out)
{
  engine_next s;
  s.e = *eng;
  s.o = no_actions();
  s = dispatch(s, cli, *ev, ws);
  /* The contract speaks of ws->decision after the step: what dispatch left
   * there is carried across the two copies below one field at a time. */
  /*@ ghost uint32_t d_kind = ws->decision.kind; */
  /*@ ghost uint32_t d_status = ws->decision.status; */
  /*@ ghost uint32_t d_proc = ws->decision.procedure; */
  /*@ ghost uint64_t d_wait = ws->decision.wait_ms; */
  /*@ ghost mefc_cmd_id d_id = ws->decision.id; */
  *eng = s.e;
  *out = s.o;
  /*@ assert ws->decision.kind == d_kind; */
  /*@ assert ws->decision.status == d_status; */
  /*@ assert ws->decision.procedure == d_proc; */
  /*@ assert ws->decision.wait_ms == d_wait; */
  /*@ assert ws->decision.id == d_id; */
  /* (b): dispatch states it on values; the lemma engine_same_cmd_names
   * carries it over to mefc_same_cmd on the engine in memory. */
  /*@ assert \let e0 = \at(*eng, Pre); \let e = *eng;
        mefc_same_cmd{Pre, Here}(&eng->rec, &eng->rec.id) ==> engine_names(e0.rec, e.rec.id); */
}
