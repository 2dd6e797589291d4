/* The event loop around mefc_engine_step. Each event is one log line; each
 * action is performed in the order the engine gave: PERSIST before what it
 * guards (a failed write stops the client: at-most-once needs it), sends
 * turn their result into RESPONSE or TRANSPORT_FAIL, EXECUTE runs the
 * executor and turns its result into OUTCOME, timers are armed here. */
#include "loop.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "binding.h"
#include "describe.h"
#include "executor.h"
#include "faultpoint.h"
#include "fsutil.h"
#include "keystore.h"
#include "log.h"
#include "mefc/engine.h"
#include "onem2m.h"
#include "reg_expiry.h"
#include "state_store.h"

#define QUEUE_MAX 4u

typedef struct {
  mefc_event ev;
  uint8_t *body; /* owned copy of a RESPONSE payload */
} queued;

typedef struct {
  const loop_opts *o;
  mefc_config *cfg;
  mefc_client *cli;
  keystore ks;
  om2m_binding *t;
  state_registration reg;
  mefc_engine eng;
  mefc_workspace ws;
  queued q[QUEUE_MAX];
  size_t qn;
  int timer_armed;
  uint64_t timer_at;
  uint32_t timer_reason;
  uint32_t backoffs_in_row;
  unsigned fault_count;
  uint32_t cur_event;     /* kind of the event being stepped */
  mefc_record persisted;  /* the record last written */
  int persisted_valid;
  int reg_fresh;          /* registered and nothing sent since (I-49) */
} loop;

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
  stop_signal = sig;
}

static uint64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int push(loop *l, uint32_t kind, uint8_t *body, size_t len, uint32_t outcome)
{
  if (l->qn >= QUEUE_MAX) {
    free(body);
    mlog(MLOG_ERROR, "internal: event queue full");
    return -1;
  }
  queued *e = &l->q[l->qn++];
  memset(e, 0, sizeof *e);
  e->ev.kind = kind;
  e->ev.payload = body;
  e->ev.len = len;
  e->ev.outcome = outcome;
  e->body = body;
  return 0;
}

/* A --fault hook "NAME" or "NAME:N" (the Nth time, default the first). */
static int fault_hits(loop *l, const char *name)
{
  const char *f = l->o->fault;
  size_t n = strlen(name);
  if (f == NULL || strncmp(f, name, n) != 0 || (f[n] != '\0' && f[n] != ':'))
    return 0;
  unsigned want = f[n] == ':' ? (unsigned)atoi(f + n + 1) : 1u;
  return ++l->fault_count == want;
}

/* The result of a Retrieve or Update becomes the engine's next event. The
 * binding (spec/binding.md 6.1, 6.2) says what a success response is: 2.xx
 * (CoAP) or 2xx (HTTP), an RSC (when present) in 2000..2999, a body (when
 * present) in content format 10001 or 50 (HTTP: application/vnd.onem2m-res+json
 * or application/json). Anything else is an error response: TRANSPORT_FAIL
 * (I-21). */
static int send_result(loop *l, const char *op, int r, ct_result *res)
{
  char cs[16];
  const char *bad = NULL;
  if (r != 0) {
    mlog(MLOG_INFO, "%s failed: %s: transport failure (I-21)", op, res->why);
    ct_result_free(res);
    return push(l, MEFC_EV_TRANSPORT_FAIL, NULL, 0, 0);
  }
  if (res->code < 200 || res->code >= 300)
    bad = "not a success code";
  else if (res->has_rsc && (res->rsc < 2000 || res->rsc > 2999))
    bad = "RSC not a success";
  else if (res->len > 0 && (!res->has_cf || (res->cf != OM2M_CF_RES_JSON && res->cf != OM2M_CF_JSON)))
    bad = "body not in content format 10001 or 50";
  mlog(MLOG_INFO, "%s -> %s rsc=%d cf=%d (%zu bytes)%s%s%s", op,
       binding_code_str(l->t, res->code, cs, sizeof cs), res->has_rsc ? (int)res->rsc : -1,
       res->has_cf ? (int)res->cf : -1, res->len, bad != NULL ? ": " : "",
       bad != NULL ? bad : "", bad != NULL ? ": error response (I-21)" : "");
  if (bad != NULL) {
    ct_result_free(res);
    return push(l, MEFC_EV_TRANSPORT_FAIL, NULL, 0, 0);
  }
  uint8_t *body = res->body;
  res->body = NULL;
  return push(l, MEFC_EV_RESPONSE, body, res->len, 0);
}

static int do_register(loop *l);

/* MCC-2-PB, MCC-3-PB: the registration a Retrieve or Update goes out on has
 * not expired. One whose granted et is past, or within REGX_MARGIN_S of now,
 * or unreadable, is replaced by a new registration before anything is sent
 * (I-49). A registration just made is used as granted: do_register refused a
 * past or unreadable et, and checking it again could only register again. */
static int reg_in_force(loop *l, const char *op, const char *req)
{
  if (l->reg_fresh)
    return 0;
  switch (regx_check(l->reg.et, time(NULL), REGX_MARGIN_S)) {
  case REGX_VALID:
  case REGX_NO_EXPIRY:
    return 0;
  case REGX_EXPIRED:
    mlog(MLOG_INFO, "registration expired at %s: registering again before the %s (%s, MCC-1-5, "
         "I-49)", l->reg.et, op, req);
    break;
  case REGX_UNPARSEABLE:
    mlog(MLOG_INFO, "registration expirationTime \"%s\" is not a oneM2M timestamp: registering "
         "again before the %s (%s, I-49)", l->reg.et, op, req);
    break;
  }
  return do_register(l);
}

/* A "not found" for the <mefClientCmd> (4.04, 404 or RSC 4004): the MEF no
 * longer holds the registration, whatever its et said here (it expired there,
 * or the MEF forgot it). Register again once; the caller sends its request
 * once more, and a second "not found" in a row is an error: no loop (I-49).
 * Returns 1 to resend, 0 when res is no "not found", -1 to stop. */
static int not_found_again(loop *l, const char *op, int r, ct_result *res, int retried)
{
  char cs[16];
  if (r != 0 || !regx_not_found(res))
    return 0;
  if (retried) {
    mlog(MLOG_ERROR, "%s -> %s rsc=%d: not found again right after registering anew: the MEF "
         "serves no <mefClientCmd> at /%s; stopping (I-49)", op,
         binding_code_str(l->t, res->code, cs, sizeof cs), res->has_rsc ? (int)res->rsc : -1,
         l->reg.cmd_path);
    return -1;
  }
  mlog(MLOG_INFO, "%s -> %s rsc=%d: the MEF does not know registration %s (expired or forgotten "
       "there, et here %s): registering again, then the %s once more (MCC-1-5, I-49)", op,
       binding_code_str(l->t, res->code, cs, sizeof cs), res->has_rsc ? (int)res->rsc : -1,
       l->reg.reg_id, l->reg.et[0] ? l->reg.et : "-", op);
  ct_result_free(res);
  return do_register(l) != 0 ? -1 : 1;
}

/* The end of a Retrieve or Update exchange: a second "not found" in a row
 * (again < 0) stops the run; anything else is the response to act on. */
static int exchange_end(loop *l, const char *what, int r, ct_result *res, int again)
{
  int rc = again < 0 ? -1 : send_result(l, what, r, res);
  ct_result_free(res);
  return rc;
}

static int act_retrieve(loop *l)
{
  ct_result res;
  int r, again = 0;
  if (reg_in_force(l, "retrieve", "MCC-2-PB") != 0)
    return -1;
  for (int retried = 0;; retried = 1) {
    mlog(MLOG_INFO, "retrieve /%s (reg %s)", l->reg.cmd_path, l->reg.reg_id);
    faultpoint("retrieve: before sending");
    r = binding_retrieve(l->t, l->reg.cmd_path, &res);
    l->reg_fresh = 0;
    faultpoint("retrieve: response received, not processed");
    again = not_found_again(l, "retrieve", r, &res, retried);
    if (again != 1)
      break;
  }
  return exchange_end(l, "retrieve", r, &res, again);
}

static int act_update(loop *l)
{
  uint8_t body[MEFC_UPDATE_MAX];
  char id[4 * MEFC_CMD_ID_MAX + 1];
  ct_result res;
  size_t n = mefc_encode_update(&l->eng.upd_id, l->eng.upd_status, body, sizeof body);
  if (n == 0) {
    mlog(MLOG_ERROR, "internal: the Update does not encode");
    return -1;
  }
  if (fault_hits(l, "exit-before-update")) {
    mlog(MLOG_INFO, "fault hook: exiting before the Update of cmd=%s",
         desc_id(&l->eng.upd_id, id, sizeof id));
    exit(LOOP_EXIT_FAULT);
  }
  /* The Update of a command in flight goes out on a registration in force:
   * registering again changes neither its cmdID nor its status (I-49). */
  if (reg_in_force(l, "update", "MCC-3-PB") != 0)
    return -1;
  int r, again = 0;
  for (int retried = 0;; retried = 1) {
    mlog(MLOG_INFO, "update cmd=%s status=%u %s (MCC-3-1%s)",
         desc_id(&l->eng.upd_id, id, sizeof id), l->eng.upd_status,
         desc_status(l->eng.upd_status),
         l->cur_event == MEFC_EV_START ? "; from the durable record at start, I-2, I-23" : "");
    faultpoint("update: before sending");
    r = binding_update(l->t, l->reg.cmd_path, body, n, &res);
    l->reg_fresh = 0;
    faultpoint("update: response received, not processed");
    again = not_found_again(l, "update", r, &res, retried);
    if (again != 1)
      break;
  }
  return exchange_end(l, "update", r, &res, again);
}

static int act_execute(loop *l)
{
  exec_ctx x = {l->cfg, &l->ks, l->cli};
  const mefc_decision *d = &l->ws.decision;
  char id[4 * MEFC_CMD_ID_MAX + 1];
  if (fault_hits(l, "exit-in-execute")) {
    mlog(MLOG_INFO, "fault hook: exiting while executing cmd=%s", desc_id(&d->id, id, sizeof id));
    exit(LOOP_EXIT_FAULT);
  }
  mlog(MLOG_INFO, "execute %s for cmd=%s", desc_procedure(d->procedure),
       desc_id(&d->id, id, sizeof id));
  faultpoint("execute: started, nothing done");
  uint32_t oc = exec_run(&x, d);
  faultpoint("execute: done, outcome not recorded");
  mlog(MLOG_INFO, "outcome %s: %s", desc_procedure(d->procedure), desc_outcome(oc));
  return push(l, MEFC_EV_OUTCOME, NULL, 0, oc);
}

static int act_persist(loop *l)
{
  char err[512];
  char id[4 * MEFC_CMD_ID_MAX + 1];
  const mefc_record *r = &l->eng.rec;
  /* The engine may ask twice in one step (the old command reported, the new
   * one started); its record is then already the final one, written once. */
  if (l->persisted_valid && memcmp(&l->persisted, r, sizeof *r) == 0)
    return 0;
  if (state_save_record(l->cfg->state_dir, r, err, sizeof err) != 0) {
    mlog(MLOG_ERROR, "cannot persist the record: %s; stopping (at-most-once)", err);
    return -1;
  }
  faultpoint("persist: record written");
  l->persisted = *r;
  l->persisted_valid = 1;
  if (r->phase == MEFC_PHASE_NONE)
    mlog(MLOG_DEBUG, "persisted record phase=none");
  else
    mlog(MLOG_DEBUG, "persisted record cmd=%s phase=%s status=%u class=%u",
         desc_id(&r->id, id, sizeof id), state_phase_name(r->phase), r->status, r->class_id);
  return 0;
}

/* Equal jitter: a uniformly random wait between half and all of ms, so that
 * clients cut off from the MEF together do not all come back at the same
 * instant; the bound (ms, at most MEFC_BACKOFF_MAX_MS) is the engine's. */
static uint64_t jitter(uint64_t ms)
{
  static uint64_t x; /* xorshift64: spread, not secrecy, is all it is for */
  if (x == 0) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    x = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40) ^ 1u;
  }
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  uint64_t half = ms / 2;
  return half + x % (ms - half + 1);
}

static void act_arm(loop *l, const mefc_action *a)
{
  l->timer_armed = 1;
  l->timer_reason = a->reason;
  if (a->reason == MEFC_TIMER_BACKOFF) {
    uint64_t wait = jitter(a->ms);
    l->timer_at = now_ms() + wait;
    l->backoffs_in_row++;
    mlog(MLOG_INFO, "backoff: resend in %llu ms (I-10) of an engine backoff of %llu ms, with jitter (I-21)",
         (unsigned long long)wait, (unsigned long long)a->ms);
  } else {
    l->timer_at = now_ms() + a->ms;
    mlog(MLOG_INFO, "retry timer armed: Retrieve in %llu ms (MCC-6-5)", (unsigned long long)a->ms);
  }
}

static void log_decision(loop *l, const mefc_record *prior)
{
  const mefc_decision *d = &l->ws.decision;
  char id[4 * MEFC_CMD_ID_MAX + 1];
  switch (d->kind) {
  case MEFC_DECIDE_REPORT:
    mlog(MLOG_INFO, "decide cmd=%s mccs=%u class=%d status=%u %s (%s)",
         desc_id(&d->id, id, sizeof id), d->mef_status,
         d->class_id == MEFC_NONE ? -1 : (int)d->class_id, d->status, desc_status(d->status),
         desc_rule(d, prior));
    break;
  case MEFC_DECIDE_EXECUTE:
    mlog(MLOG_INFO, "decide cmd=%s mccs=%u class=%u execute %s (%s)",
         desc_id(&d->id, id, sizeof id), d->mef_status, d->class_id,
         desc_procedure(d->procedure), desc_rule(d, prior));
    break;
  case MEFC_DECIDE_WAIT:
    mlog(MLOG_INFO, "decide cmd=%s mccs=%u NO_MORE_COMMANDS wait %llu ms (%s)",
         desc_id(&d->id, id, sizeof id), d->mef_status, (unsigned long long)d->wait_ms,
         desc_rule(d, prior));
    break;
  case MEFC_DECIDE_RETRY:
    mlog(MLOG_INFO, "decide: response not parseable, nothing reported (%s)", desc_rule(d, prior));
    break;
  default:
    break;
  }
}

/* One engine step on the oldest event, then its actions in order. */
static int step(loop *l)
{
  queued e = l->q[0];
  mefc_actions acts;
  mefc_record prior = l->eng.rec;
  memmove(&l->q[0], &l->q[1], (l->qn - 1) * sizeof l->q[0]);
  l->qn--;

  mlog(MLOG_DEBUG, "event %s%s%s", desc_event(e.ev.kind),
       e.ev.kind == MEFC_EV_OUTCOME ? " " : "",
       e.ev.kind == MEFC_EV_OUTCOME ? desc_outcome(e.ev.outcome) : "");
  l->cur_event = e.ev.kind;
  memset(&l->ws.decision, 0, sizeof l->ws.decision);
  memset(&acts, 0, sizeof acts);
  mefc_engine_step(&l->eng, l->cli, &e.ev, &l->ws, &acts);
  if (e.ev.kind == MEFC_EV_RESPONSE)
    log_decision(l, &prior);

  int rc = 0;
  int backoff = 0;
  for (uint32_t i = 0; i < acts.n && i < MEFC_ACTIONS_MAX && rc == 0; i++) {
    const mefc_action *a = &acts.a[i];
    switch (a->kind) {
    case MEFC_ACT_PERSIST:
      rc = act_persist(l);
      break;
    case MEFC_ACT_SEND_RETRIEVE:
      rc = act_retrieve(l);
      break;
    case MEFC_ACT_SEND_UPDATE:
      rc = act_update(l);
      break;
    case MEFC_ACT_EXECUTE:
      rc = act_execute(l);
      break;
    case MEFC_ACT_ARM_TIMER:
      act_arm(l, a);
      backoff = backoff || a->reason == MEFC_TIMER_BACKOFF;
      break;
    case MEFC_ACT_CANCEL_TIMER:
      if (l->timer_armed)
        mlog(MLOG_DEBUG, "timer cancelled (MCC-6-5a)");
      l->timer_armed = 0;
      break;
    default:
      mlog(MLOG_ERROR, "internal: unknown engine action %u", a->kind);
      rc = -1;
      break;
    }
  }
  if (!backoff && acts.n > 0)
    l->backoffs_in_row = 0;
  free(e.body);
  return rc;
}

/* A registration granted with an et already past, or one that is no oneM2M
 * timestamp, cannot carry a request (MCC-2-PB, MCC-3-PB): the registration
 * has failed (I-49). No et at all is a registration without a known end. */
static int granted_usable(const state_registration *reg, char *err, size_t cap)
{
  switch (regx_check(reg->et, time(NULL), 0)) {
  case REGX_EXPIRED:
    snprintf(err, cap, "registration: the MEF granted an expirationTime already past (et=%s, "
             "I-49)", reg->et);
    return 0;
  case REGX_UNPARSEABLE:
    snprintf(err, cap, "registration: the expirationTime the MEF granted is not a oneM2M "
             "timestamp (et=\"%s\", I-49)", reg->et);
    return 0;
  default:
    return 1;
  }
}

/* Register with the MEF; without --once, keep trying with a growing delay. */
static int do_register(loop *l)
{
  char err[512];
  uint32_t delay = 1000;
  for (;;) {
    if (binding_register(l->t, &l->reg, err, sizeof err) == 0 &&
        granted_usable(&l->reg, err, sizeof err))
      break;
    mlog(MLOG_ERROR, "%s", err);
    if (l->o->once || stop_signal)
      return -1;
    uint32_t wait = (uint32_t)jitter(delay);
    mlog(MLOG_INFO, "registration: trying again in %u ms (backoff %u ms, with jitter)", wait, delay);
    for (uint32_t waited = 0; waited < wait && !stop_signal; waited += 500)
      binding_idle(l->t, 500);
    if (stop_signal)
      return -1;
    delay = delay < 30000 ? delay * 2 : 60000;
  }
  mlog(MLOG_INFO, "registered: ri=%s rn=%s cmd=/%s et=%s mci=%s", l->reg.reg_id, l->reg.name,
       l->reg.cmd_path, l->reg.et[0] ? l->reg.et : "-", l->reg.mci[0] ? l->reg.mci : "-");
  if (state_save_registration(l->cfg->state_dir, &l->reg, err, sizeof err) != 0) {
    mlog(MLOG_ERROR, "cannot store the registration: %s", err);
    return -1;
  }
  l->reg_fresh = 1;
  return 0;
}

static int wait_timer(loop *l)
{
  while (!stop_signal) {
    uint64_t now = now_ms();
    if (now >= l->timer_at) {
      l->timer_armed = 0;
      mlog(MLOG_INFO, "timer expired (%s)",
           l->timer_reason == MEFC_TIMER_BACKOFF ? "backoff" : "retryDuration, MCC-6-5b");
      return push(l, MEFC_EV_TIMER, NULL, 0, 0);
    }
    uint64_t left = l->timer_at - now;
    binding_idle(l->t, (uint32_t)(left < 500 ? left : 500));
  }
  return 0;
}

static int run(loop *l)
{
  char err[512];
  mefc_record rec;
  int existed;

  if (fsu_mkdirs(l->cfg->state_dir, err, sizeof err) != 0) {
    mlog(MLOG_ERROR, "state directory: %s", err);
    return LOOP_EXIT_FAIL;
  }
  fsu_remove_stale_temps(l->cfg->state_dir);
  if (state_load_record(l->cfg->state_dir, &rec, &existed, err, sizeof err) != 0) {
    mlog(MLOG_ERROR, "%s", err);
    return LOOP_EXIT_FAIL;
  }
  if (ks_load(&l->ks, l->cfg->state_dir, err, sizeof err) != 0 ||
      ks_fill_client(&l->ks, l->cfg, l->cli, err, sizeof err) != 0) {
    mlog(MLOG_ERROR, "%s", err);
    return LOOP_EXIT_FAIL;
  }
  {
    char id[4 * MEFC_CMD_ID_MAX + 1];
    if (existed && rec.phase != MEFC_PHASE_NONE)
      mlog(MLOG_INFO, "state: record cmd=%s phase=%s status=%u", desc_id(&rec.id, id, sizeof id),
           state_phase_name(rec.phase), rec.status);
    else
      mlog(MLOG_INFO, "state: no record (first start)");
    mlog(MLOG_DEBUG, "key store: %u own certificate(s), %u CA certificate(s), %u symmetric key ID(s)",
         l->cli->n_certs, l->cli->n_ca_certs, l->cli->n_symm_keys);
  }
  l->t = binding_open(l->cfg, err, sizeof err);
  if (l->t == NULL) {
    mlog(MLOG_ERROR, "%s", err);
    return LOOP_EXIT_FAIL;
  }
  mlog(MLOG_INFO, "connecting to %s://%s:%u (%s, From %s)", cfg_scheme(l->cfg), l->cfg->mef_host,
       (unsigned)l->cfg->mef_port, cfg_security(l->cfg), cfg_originator(l->cfg));
  if (do_register(l) != 0) {
    if (stop_signal) {
      mlog(MLOG_INFO, "stopped by signal %d before registration", (int)stop_signal);
      return LOOP_EXIT_OK;
    }
    return LOOP_EXIT_FAIL;
  }

  mefc_engine_init(&l->eng, &rec);
  push(l, MEFC_EV_START, NULL, 0, 0);
  mlog(MLOG_DEBUG, "engine started (TRG-1)");
  for (;;) {
    if (stop_signal) {
      mlog(MLOG_INFO, "stopped by signal %d", (int)stop_signal);
      return LOOP_EXIT_OK;
    }
    if (l->qn > 0) {
      if (step(l) != 0) {
        /* A signal while registering again (without --once it retries until
         * one comes) is a stop, as before the first registration. */
        if (stop_signal) {
          mlog(MLOG_INFO, "stopped by signal %d while registering again", (int)stop_signal);
          return LOOP_EXIT_OK;
        }
        return LOOP_EXIT_FAIL;
      }
      continue;
    }
    if (!l->timer_armed) {
      mlog(MLOG_ERROR, "internal: the engine is idle with nothing to send and no timer");
      return LOOP_EXIT_FAIL;
    }
    if (l->o->once && l->timer_reason == MEFC_TIMER_RETRY_DURATION) {
      mlog(MLOG_INFO, "--once: NO_MORE_COMMANDS reached; stopping");
      return LOOP_EXIT_OK;
    }
    if (l->o->once && l->backoffs_in_row > l->cfg->once_max_backoffs) {
      mlog(MLOG_ERROR, "--once: giving up after %u backoffs in a row", l->backoffs_in_row - 1);
      return LOOP_EXIT_FAIL;
    }
    if (wait_timer(l) != 0)
      return LOOP_EXIT_FAIL;
  }
}

int loop_run(const loop_opts *o)
{
  loop *l = calloc(1, sizeof *l);
  struct sigaction sa;
  if (l == NULL) {
    mlog(MLOG_ERROR, "out of memory");
    return LOOP_EXIT_FAIL;
  }
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  l->o = o;
  l->cfg = o->cfg;
  l->cli = &o->cfg->client;
  int rc = run(l);
  for (size_t i = 0; i < l->qn; i++)
    free(l->q[i].body);
  binding_close(l->t);
  ks_free(&l->ks);
  free(l);
  return rc;
}
