/* Conformance of the engine to the protocol model (spec/model/mefc.pml):
 * replays the client side of model traces through mefc_engine_step and
 * checks that the engine takes the same transitions and emits the same
 * actions; the mutants' counterexamples must meet a refusal instead.
 * Traces: $MEFC_MODEL_TRACES, else spec/model/traces (spec/model/README.md). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>
#include "fixtures.h"

#define MAX_TRACES 64
#define MODEL_IDS 16

/* What the mutant marker of a trace says the next step does wrong. */
enum mutant { MUT_NONE = 0, MUT_NOPERSIST = 1, MUT_REPEAT = 2, MUT_RETRIEVE_FIRST = 4 };

/* One replay: the engine, the record as the shell last wrote it, and what
 * the trace and the engine each executed. */
typedef struct {
  mefc_client cli;
  mefc_engine eng;
  mefc_workspace ws;
  mefc_actions out;
  mefc_record disk;
  int lockstep;                /* 0 once a mutant step has diverged: events only */
  int pending_mutant;          /* marker seen, its step not yet */
  int refusals;                /* mutant steps the engine refused */
  int violated;                /* the trace ends in a violated property */
  unsigned model_rid;          /* the model's record cmdID after its last step */
  int model_exec[MODEL_IDS];   /* executions in the trace, per cmdID */
  int engine_exec[MODEL_IDS];  /* executions by the engine, per cmdID */
  int steps;
} replay;

typedef struct {
  int ev, x, y, z;
  int n, act[4];
  int cst, pend, rid, rph, rst, uid, ust;
} step_line;

static char trace_paths[MAX_TRACES][512];
static char trace_names[MAX_TRACES][128];

static unsigned id_number(const mefc_cmd_id *id) {
  char s[MEFC_CMD_ID_MAX + 1];
  memcpy(s, id->b, id->len);
  s[id->len] = '\0';
  assert_true(id->len >= 3 && s[0] == 'c' && s[1] == '-');
  return (unsigned)strtoul(s + 2, NULL, 10);
}

/* The response body of a model command: cmdID k, mark, class. */
static size_t payload(unsigned k, int mark, int cls, char *buf, size_t cap) {
  const char *mccd = "{\"ccid\":7}"; /* a class the client does not support: 41 */
  if (cls == 0)
    mccd = "{\"ccid\":0,\"cma\":{\"nmca\":{\"rdu\":\"PT30S\"}}}";
  else if (cls == 2)
    mccd = "{\"ccid\":2,\"cma\":{\"dcca\":{\"dcu\":\"3:coap://mef.example.com\"}}}";
  else
    assert_int_equal(cls, 7);
  int n = snprintf(buf, cap, "{\"sec:mcc\":{\"mcci\":\"c-%u\",\"mccs\":%d,\"mccd\":%s}}", k, mark, mccd);
  assert_true(n > 0 && (size_t)n < cap);
  return (size_t)n;
}

static void engine_step(replay *r, const step_line *s) {
  static char buf[512];
  mefc_event ev = {(uint32_t)s->ev, NULL, 0, 0};
  if (s->ev == MEFC_EV_RESPONSE) {
    ev.len = payload((unsigned)s->x, s->y, s->z, buf, sizeof buf);
    ev.payload = (const uint8_t *)buf;
  } else if (s->ev == MEFC_EV_OUTCOME) {
    ev.outcome = s->x == 0 ? MEFC_OUTCOME_OK : MEFC_OUTCOME_SERVER_ERROR;
  }
  memset(&r->out, 0xA5, sizeof r->out);
  mefc_engine_step(&r->eng, &r->cli, &ev, &r->ws, &r->out);
  assert_true(r->out.n <= MEFC_ACTIONS_MAX);
  r->steps++;
}

/* The engine after the step is the model's client after it. */
static void expect_same(const replay *r, const step_line *s) {
  const mefc_engine *e = &r->eng;
  assert_int_equal(r->out.n, s->n);
  for (int i = 0; i < s->n; i++) assert_int_equal(r->out.a[i].kind, s->act[i]);
  for (uint32_t i = 0; i < r->out.n; i++) {
    if (r->out.a[i].kind != MEFC_ACT_ARM_TIMER) continue;
    /* MCC-6-5: the retryDuration of the command (PT30S); else the backoff (I-21). */
    if (e->state == MEFC_S_RETRY_TIMER) {
      assert_int_equal(r->out.a[i].reason, MEFC_TIMER_RETRY_DURATION); /* MCC-6-5 */
      assert_int_equal(r->out.a[i].ms, 30000);
    } else {
      assert_int_equal(r->out.a[i].reason, MEFC_TIMER_BACKOFF); /* I-21 */
    }
  }
  assert_int_equal(e->state, s->cst);
  assert_int_equal(e->pending, s->pend);
  assert_int_equal(e->rec.phase, s->rph);
  if (s->rph != MEFC_PHASE_NONE) assert_int_equal(id_number(&e->rec.id), s->rid);
  if (s->rph == MEFC_PHASE_DONE || s->rph == MEFC_PHASE_REPORTED)
    assert_int_equal(e->rec.status, s->rst);
  if (s->pend == MEFC_PEND_UPDATE) {
    /* MCC-3-1, TRG-3: the Update names the command and carries its status. */
    assert_int_equal(id_number(&e->upd_id), s->uid); /* TRG-3 */
    assert_int_equal(e->upd_status, s->ust);         /* TRG-3 */
  }
}

/* The shell's side of one action: PERSIST writes the record, EXECUTE is
 * counted (MCC-1-3: never twice), a Retrieve is never sent with a command
 * open (MCC-2-PC). */
static void perform(replay *r, uint32_t kind) {
  const mefc_engine *e = &r->eng;
  if (kind == MEFC_ACT_PERSIST) {
    r->disk = e->rec;
    assert_true(mefc_record_valid(&r->disk));
  } else if (kind == MEFC_ACT_EXECUTE) {
    unsigned k = id_number(&e->rec.id);
    assert_true(k < MODEL_IDS);
    assert_int_equal(r->disk.phase, MEFC_PHASE_STARTED); /* I-2: on disk before it runs */
    assert_int_equal(r->engine_exec[k], 0);              /* MCC-1-3 */
    r->engine_exec[k]++;
  } else if (kind == MEFC_ACT_SEND_RETRIEVE) {
    assert_int_not_equal(e->rec.phase, MEFC_PHASE_STARTED); /* MCC-2-PC */
    assert_int_not_equal(e->rec.phase, MEFC_PHASE_DONE);    /* MCC-2-PC */
  }
}

static void restart(replay *r) {
  assert_true(mefc_record_valid(&r->disk));
  memset(&r->eng, 0x5A, sizeof r->eng);
  mefc_engine_init(&r->eng, &r->disk);
}

/* The step the mutant got wrong: the engine must refuse it. Returns 1 when
 * the replay goes on (events only), 0 when it ends here. */
static int refuse(replay *r, int mutant, const step_line *s) {
  const mefc_actions *o = &r->out;
  r->refusals++;
  if (mutant == MUT_NOPERSIST && !r->lockstep) {
    /* Later mutant steps: whatever the engine does, it never runs a cmdID
     * it ran before (MCC-1-3; perform() checks each EXECUTE). */
    return 1;
  }
  if (mutant == MUT_NOPERSIST) {
    /* MCC-2-5d, I-2: the record is on disk before the procedure starts. */
    assert_int_equal(o->n, 2);
    assert_int_equal(o->a[0].kind, MEFC_ACT_PERSIST); /* I-2 */
    assert_int_equal(o->a[1].kind, MEFC_ACT_EXECUTE);
    assert_int_equal(s->n, 1);
    assert_int_equal(s->act[0], MEFC_ACT_EXECUTE);
    return 1;
  }
  if (mutant == MUT_REPEAT) {
    /* MCC-2-5b, I-1, I-15: the cmdID of the last report, ISSUED again: 40,
     * the record kept, nothing executed. */
    assert_int_equal(s->ev, MEFC_EV_RESPONSE);
    assert_int_equal(s->y, 10);
    assert_true(o->n >= 1);
    assert_int_equal(o->a[o->n - 1].kind, MEFC_ACT_SEND_UPDATE);
    for (uint32_t i = 0; i < o->n; i++) assert_int_not_equal(o->a[i].kind, MEFC_ACT_EXECUTE);
    assert_int_equal(r->eng.upd_status, MEFC_ST_REPEATED_CMD_ID); /* MCC-2-5b */
    assert_int_equal(id_number(&r->eng.upd_id), (unsigned)s->x); /* I-1 */
    assert_int_equal(r->eng.rec.phase, MEFC_PHASE_REPORTED);     /* I-15 */
    return 0;
  }
  /* MUT_RETRIEVE_FIRST. MCC-2-PC, I-23: after a restart the owed Update goes
   * first, never a Retrieve. */
  assert_int_equal(mutant, MUT_RETRIEVE_FIRST);
  assert_true(s->ev == MEFC_EV_START || s->ev == MEFC_EV_TRIGGER);
  assert_true(o->n >= 1);
  assert_int_equal(o->a[o->n - 1].kind, MEFC_ACT_SEND_UPDATE); /* I-23 */
  for (uint32_t i = 0; i < o->n; i++) assert_int_not_equal(o->a[i].kind, MEFC_ACT_SEND_RETRIEVE);
  return 0;
}

static int parse_step(const char *line, step_line *s) {
  return sscanf(line, "MT step %d %d %d %d | %d %d %d %d %d | %d %d %d %d %d %d %d", &s->ev, &s->x,
                &s->y, &s->z, &s->n, &s->act[0], &s->act[1], &s->act[2], &s->act[3], &s->cst,
                &s->pend, &s->rid, &s->rph, &s->rst, &s->uid, &s->ust) == 16;
}

/* One line of the trace. Returns 0 when the replay is over. */
static int replay_line(replay *r, const char *line) {
  step_line s;
  int k;
  unsigned a, b, c;
  if (strncmp(line, "MT violated", 11) == 0) {
    r->violated = 1;
  } else if (sscanf(line, "MT mutant %d", &k) == 1) {
    r->pending_mutant = k;
  } else if (strncmp(line, "MT step", 7) == 0) {
    assert_true(parse_step(line, &s));
    engine_step(r, &s);
    if (r->pending_mutant != MUT_NONE) {
      int m = r->pending_mutant;
      r->pending_mutant = MUT_NONE;
      if (!refuse(r, m, &s)) return 0;
      r->lockstep = 0;
    } else if (r->lockstep) {
      expect_same(r, &s);
    }
    r->model_rid = (unsigned)s.rid;
    if (!r->lockstep) {
      /* Events only: the engine's own actions are performed as it asks. */
      for (uint32_t i = 0; i < r->out.n; i++) perform(r, r->out.a[i].kind);
    }
  } else if (sscanf(line, "MT do %d", &k) == 1) {
    if (k == MEFC_ACT_EXECUTE && r->model_rid < MODEL_IDS) r->model_exec[r->model_rid]++;
    if (r->lockstep) perform(r, (uint32_t)k);
  } else if (sscanf(line, "MT crash %u %u %u", &a, &b, &c) == 3) {
    if (r->lockstep) {
      /* The record the model restarts from is the one the engine wrote. */
      assert_int_equal(r->disk.phase, b);
      if (b != MEFC_PHASE_NONE) assert_int_equal(id_number(&r->disk.id), a);
      if (b == MEFC_PHASE_DONE || b == MEFC_PHASE_REPORTED) assert_int_equal(r->disk.status, c);
    }
    restart(r);
  }
  return 1;
}

static void replay_file(const char *path, replay *r) {
  static char line[512];
  FILE *f = fopen(path, "r");
  if (f == NULL) fail_msg("cannot open %s", path);
  fx_client(&r->cli);
  fx_record_none(&r->disk);
  r->lockstep = 1;
  restart(r);
  while (fgets(line, sizeof line, f) != NULL) {
    if (!replay_line(r, line)) break;
  }
  fclose(f);
}

/* A random run of the correct model: every step the same, no violation. */
static void test_MCC_1_3_simulation_replays(void **state) {
  static replay r;
  memset(&r, 0, sizeof r);
  replay_file((const char *)*state, &r);
  assert_true(r.lockstep);
  assert_false(r.violated);
  assert_int_equal(r.refusals, 0);
  assert_true(r.steps >= 3); /* a trace that says something */
}

/* A mutant's counterexample: the same stimuli, and the engine refuses what
 * the mutant did (or, for a mutant MEF, does its own part step for step). */
static void test_MCC_1_3_mutant_refused(void **state) {
  static replay r;
  const char *path = (const char *)*state;
  memset(&r, 0, sizeof r);
  replay_file(path, &r);
  if (strstr(path, "mutant-nopersist") != NULL) {
    /* MCC-1-3, I-2: the mutant ran a cmdID twice; the engine ran each once. */
    assert_true(r.refusals >= 1);
    int twice = 0;
    for (int k = 0; k < MODEL_IDS; k++) {
      if (r.model_exec[k] >= 2) twice = 1;
      assert_true(r.engine_exec[k] <= 1); /* MCC-1-3 */
    }
    assert_true(twice);
  } else if (strstr(path, "mutant-repeat") != NULL || strstr(path, "mutant-retrieve-first") != NULL) {
    assert_int_equal(r.refusals, 1); /* MCC-2-5b, MCC-2-PC */
  } else {
    /* A mutant MEF (TRG-3, MCC-3-3): the client side is blameless, so the
     * engine follows the whole counterexample step for step. */
    assert_true(r.lockstep);
    assert_true(r.violated);
    assert_int_equal(r.refusals, 0);
    if (strstr(path, "mutant-noreissue") != NULL) {
      /* TRG-3: the engine rests owing nothing; the command it never got is
       * the MEF's to send again. */
      assert_int_equal(r.eng.state, MEFC_S_RETRY_TIMER);
      assert_true(r.eng.rec.phase == MEFC_PHASE_NONE || r.eng.rec.phase == MEFC_PHASE_REPORTED);
    }
  }
}

static int by_name(const void *a, const void *b) {
  return strcmp((const char *)a, (const char *)b);
}

int main(void) {
  static struct CMUnitTest tests[MAX_TRACES];
  const char *dir = getenv("MEFC_MODEL_TRACES");
  size_t n = 0;
  int sims = 0;
  int mutants = 0;
  if (dir == NULL || dir[0] == '\0') dir = "spec/model/traces";
  DIR *d = opendir(dir);
  if (d == NULL) {
    fprintf(stderr, "test_model_trace: no trace directory %s\n", dir);
    return 1;
  }
  for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
    size_t len = strlen(e->d_name);
    if (len < 7 || strcmp(e->d_name + len - 6, ".trace") != 0) continue;
    if (n == MAX_TRACES || len >= sizeof trace_names[0]) break;
    memcpy(trace_names[n], e->d_name, len + 1);
    n++;
  }
  closedir(d);
  qsort(trace_names, n, sizeof trace_names[0], by_name);
  for (size_t i = 0; i < n; i++) {
    int w = snprintf(trace_paths[i], sizeof trace_paths[0], "%.300s/%s", dir, trace_names[i]);
    if (w < 0 || (size_t)w >= sizeof trace_paths[0]) return 1;
    int mutant = strncmp(trace_names[i], "mutant-", 7) == 0;
    tests[i].name = trace_names[i];
    tests[i].test_func = mutant ? test_MCC_1_3_mutant_refused : test_MCC_1_3_simulation_replays;
    tests[i].setup_func = NULL;
    tests[i].teardown_func = NULL;
    tests[i].initial_state = trace_paths[i];
    if (mutant) mutants++;
    else sims++;
  }
  if (sims == 0 || mutants == 0) {
    fprintf(stderr, "test_model_trace: %s holds %d simulations and %d mutant traces\n", dir, sims,
            mutants);
    return 1;
  }
  return _cmocka_run_group_tests("model_trace", tests, n, NULL, NULL);
}
