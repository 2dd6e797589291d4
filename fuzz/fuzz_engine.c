/* Stateful libFuzzer harness for the command engine: the input is a sequence
 * of framed events driven through mefc_engine_step one at a time, with the
 * real mefc_decide; after every step the engine's safety properties are
 * checked with abort(). A restart re-initialises the engine from the record
 * as last persisted, as a shell does after a crash.
 *
 * Framing: one byte selects the record (value modulo 9), some take more:
 *   0 START   1 TRIGGER   3 TRANSPORT_FAIL   5 TIMER   6 restart
 *   2 RESPONSE          + 2-byte big-endian length + that many payload bytes
 *   4 OUTCOME           + 1 byte, the outcome value (any, not only 0..2)
 *   7 canned RESPONSE   + 1 byte: template (bits 0-2), cmdID c-0..c-3
 *                         (bits 3-4), cmdStatusCode 10 or 11 (bit 5)
 *   8 odd event         + 1 byte: an unknown kind, or (odd byte) a RESPONSE
 *                         with no body but a length
 * A record cut short by the end of the input is dropped. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mefc/mefc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

enum { R_START, R_TRIGGER, R_RESPONSE, R_TFAIL, R_OUTCOME, R_TIMER, R_RESTART, R_CANNED, R_ODD,
       R_KINDS };

#define CHECK(c)                                                       \
  do {                                                                 \
    if (!(c)) {                                                        \
      fprintf(stderr, "fuzz_engine: %s (line %d)\n", #c, __LINE__);    \
      abort();                                                         \
    }                                                                  \
  } while (0)

static mefc_client cli;
static int cli_ready;

static void put(uint8_t *dst, uint32_t *len, const char *s) {
  size_t n = strlen(s);
  memcpy(dst, s, n);
  *len = (uint32_t)n;
}

/* A node acting for a CSE and an AE, every class supported, one MO node for
 * MAF client registration: enough for every decision kind. */
static void client_init(void) {
  memset(&cli, 0, sizeof cli);
  put(cli.mef_fqdn, &cli.mef_fqdn_len, "mef.example.com");
  cli.role = MEFC_ROLE_NODE;
  put(cli.acts_for[0].b, &cli.acts_for[0].len, "urn:dev:ops:1");
  put(cli.acts_for[1].b, &cli.acts_for[1].len, "/CSE01");
  put(cli.acts_for[2].b, &cli.acts_for[2].len, "Cae01");
  cli.n_acts_for = 3;
  cli.classes = 0xFu;
  cli.cert_prov_protocols = (1u << MEFC_CPP_EST) | (1u << MEFC_CPP_SCEP);
  cli.dev_mgmt_ids = 1u << MEFC_DM_LWM2M;
  mefc_mo_node *n = &cli.mo[0];
  put(n->path, &n->path_len, "/dm/mafcfg1");
  n->mgd = MEFC_MGD_MAF_CLIENT_REG_CFG;
  n->parent = MEFC_NONE;
  n->attrs = MEFC_MO_FQ | MEFC_MO_ADFQ;
  cli.n_mo = 1;
  cli_ready = 1;
}

/* Canned bodies: a well-formed command of each kind, so the fuzzer reaches
 * deep states (executing, reported, re-issued) without guessing JSON. */
static const char *const templates[8] = {
    "{\"sec:mcc\":{\"mcci\":\"%s\",\"mccs\":%d,\"mccd\":{\"ccid\":0,"
    "\"cma\":{\"nmca\":{\"rdu\":\"PT30S\"}}}}}",
    "{\"sec:mcc\":{\"mcci\":\"%s\",\"mccs\":%d,\"mccd\":{\"ccid\":1,\"cma\":{\"cpca\":"
    "{\"cppi\":1,\"uri\":\"https://mef.example.com/.well-known/est\",\"cst\":2,"
    "\"csi\":\"/CSE01\"}}}}}",
    "{\"sec:mcc\":{\"mcci\":\"%s\",\"mccs\":%d,\"mccd\":{\"ccid\":2,"
    "\"cma\":{\"dcca\":{\"dcu\":\"3:coap://mef.example.com\"}}}}}",
    "{\"sec:mcc\":{\"mcci\":\"%s\",\"mccs\":%d,\"mccd\":{\"ccid\":3,"
    "\"cma\":{\"nnca\":{\"ajop\":\"/dm/mafcfg1\",\"otyp\":3}}}}}",
    "{\"sec:mcc\":{\"mcci\":\"%s\",\"mccs\":%d,\"mccd\":{\"ccid\":7}}}",
    "{\"sec:mcc\":{\"mcci\":\"%s\",\"mccs\":%d,\"mccd\":{\"ccid\":2,"
    "\"cma\":{\"dcca\":{\"dcu\":\"9:coap://mef.example.com\"}}}}}",
    "{\"sec:mcc\":{\"mcci\":\"%s\",\"mccs\":%d,\"mccd\":{\"ccid\":0,"
    "\"cma\":{\"nmca\":{\"rdu\":\"P\"}}}}}",
    "{\"sec:mcc\":{\"mcci\":\"%s\",\"mccs\":%d}}",
};

static int client_status(uint32_t s) {
  static const uint32_t ok[15] = {20, 40, 41, 42, 43, 100, 101, 201, 202,
                                  300, 301, 302, 303, 304, 305};
  for (size_t i = 0; i < 15; i++)
    if (ok[i] == s) return 1;
  return 0;
}

static int id_same(const mefc_cmd_id *a, const mefc_cmd_id *b) {
  return a->len == b->len && a->len <= MEFC_CMD_ID_MAX && memcmp(a->b, b->b, a->len) == 0;
}

/* What the harness knows across steps and restarts. */
typedef struct {
  mefc_engine eng;
  mefc_workspace ws;
  mefc_record disk;     /* the record as last persisted */
  mefc_cmd_id guard;    /* the cmdID last handed to execution */
  int guard_live;       /* disk has named `guard` ever since */
} world;

/* The engine's invariant (engine_inv in engine.c), checked from outside. */
static void check_engine(const mefc_engine *e) {
  CHECK(mefc_record_valid(&e->rec));
  CHECK(e->state <= MEFC_S_BACKOFF);
  CHECK(e->backoff_ms >= MEFC_BACKOFF_INITIAL_MS && e->backoff_ms <= MEFC_BACKOFF_MAX_MS);
  if (e->state == MEFC_S_AWAIT || e->state == MEFC_S_BACKOFF)
    CHECK(e->pending == MEFC_PEND_RETRIEVE || e->pending == MEFC_PEND_UPDATE);
  else
    CHECK(e->pending == MEFC_PEND_NONE);
  if (e->state == MEFC_S_EXECUTING)
    CHECK(e->rec.phase == MEFC_PHASE_STARTED && e->exec_proc >= 1 && e->exec_proc <= 7);
  if (e->rec.phase == MEFC_PHASE_STARTED)
    CHECK(e->state == MEFC_S_IDLE || e->state == MEFC_S_EXECUTING);
  if (e->state == MEFC_S_RETRY_TIMER || e->pending == MEFC_PEND_RETRIEVE)
    CHECK(e->rec.phase == MEFC_PHASE_NONE || e->rec.phase == MEFC_PHASE_REPORTED);
  if (e->pending == MEFC_PEND_UPDATE) {
    CHECK(e->rec.phase == MEFC_PHASE_DONE || e->rec.phase == MEFC_PHASE_REPORTED);
    CHECK(id_same(&e->upd_id, &e->rec.id));
    CHECK(client_status(e->upd_status));
    if (e->rec.phase == MEFC_PHASE_DONE) CHECK(e->upd_status == e->rec.status);
  }
}

static void step(world *w, const mefc_event *ev) {
  mefc_actions out;
  mefc_engine before = w->eng;
  int persisted = 0;
  memset(&out, 0xA5, sizeof out);
  mefc_engine_step(&w->eng, &cli, ev, &w->ws, &out);

  CHECK(out.n <= MEFC_ACTIONS_MAX);
  for (uint32_t i = 0; i < out.n; i++) {
    const mefc_action *a = &out.a[i];
    CHECK(a->kind >= MEFC_ACT_SEND_RETRIEVE && a->kind <= MEFC_ACT_CANCEL_TIMER);
    switch (a->kind) {
    case MEFC_ACT_PERSIST:
      w->disk = w->eng.rec;
      if (w->disk.phase == MEFC_PHASE_NONE || !id_same(&w->disk.id, &w->guard))
        w->guard_live = 0;
      persisted = 1;
      break;
    case MEFC_ACT_SEND_RETRIEVE:
      /* MCC-2-PC and MCC-2-PD. */
      CHECK(w->eng.rec.phase != MEFC_PHASE_STARTED && w->eng.rec.phase != MEFC_PHASE_DONE);
      CHECK(before.state != MEFC_S_AWAIT);
      break;
    case MEFC_ACT_SEND_UPDATE: {
      uint8_t body[MEFC_UPDATE_MAX];
      CHECK(w->eng.pending == MEFC_PEND_UPDATE && w->eng.state == MEFC_S_AWAIT);
      CHECK(mefc_encode_update(&w->eng.upd_id, w->eng.upd_status, body, sizeof body) > 0);
      break;
    }
    case MEFC_ACT_EXECUTE:
      /* At-most-once, across restarts: persisted STARTED first, and never an
       * ID the persisted record has named since it was last executed. */
      CHECK(persisted);
      CHECK(w->disk.phase == MEFC_PHASE_STARTED && id_same(&w->disk.id, &w->eng.rec.id));
      CHECK(!(w->guard_live && id_same(&w->guard, &w->eng.rec.id)));
      w->guard = w->eng.rec.id;
      w->guard_live = 1;
      break;
    case MEFC_ACT_ARM_TIMER:
      CHECK(a->reason == MEFC_TIMER_BACKOFF || a->reason == MEFC_TIMER_RETRY_DURATION);
      break;
    default:
      break;
    }
  }
  /* A step that emits nothing changes nothing. */
  if (out.n == 0) CHECK(memcmp(&before, &w->eng, sizeof before) == 0);
  check_engine(&w->eng);
  CHECK(mefc_record_valid(&w->disk));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static world w;
  char body[512];
  size_t i = 0;
  if (!cli_ready) client_init();
  memset(&w, 0, sizeof w);
  mefc_engine_init(&w.eng, &w.disk);
  check_engine(&w.eng);

  while (i < size) {
    mefc_event ev = {0, NULL, 0, 0};
    uint32_t r = data[i] % R_KINDS;
    i++;
    switch (r) {
    case R_START: ev.kind = MEFC_EV_START; break;
    case R_TRIGGER: ev.kind = MEFC_EV_TRIGGER; break;
    case R_TFAIL: ev.kind = MEFC_EV_TRANSPORT_FAIL; break;
    case R_TIMER: ev.kind = MEFC_EV_TIMER; break;
    case R_RESPONSE: {
      if (size - i < 2) return 0;
      size_t len = (size_t)data[i] * 256u + data[i + 1];
      i += 2;
      if (len > size - i) return 0;
      ev.kind = MEFC_EV_RESPONSE;
      ev.payload = data + i;
      ev.len = len;
      i += len;
      break;
    }
    case R_OUTCOME:
      if (i >= size) return 0;
      ev.kind = MEFC_EV_OUTCOME;
      ev.outcome = data[i++];
      break;
    case R_CANNED: {
      if (i >= size) return 0;
      uint8_t b = data[i++];
      char id[4] = {'c', '-', (char)('0' + ((b >> 3) & 3u)), '\0'};
      int n = snprintf(body, sizeof body, templates[b & 7u], id, (b & 0x20u) ? 11 : 10);
      CHECK(n > 0 && (size_t)n < sizeof body);
      ev.kind = MEFC_EV_RESPONSE;
      ev.payload = (const uint8_t *)body;
      ev.len = (size_t)n;
      break;
    }
    case R_ODD: {
      if (i >= size) return 0;
      uint8_t b = data[i++];
      if (b & 1u) {
        ev.kind = MEFC_EV_RESPONSE; /* a length without a body: ignored */
        ev.len = b;
      } else {
        ev.kind = (b & 0x80u) ? 0xFFFFFF00u + b : (uint32_t)(b >> 1) + 7u; /* unknown */
      }
      break;
    }
    case R_RESTART:
      /* A crash: only the persisted record survives. */
      CHECK(mefc_record_valid(&w.disk));
      mefc_engine_init(&w.eng, &w.disk);
      check_engine(&w.eng);
      continue;
    default:
      abort();
    }
    step(&w, &ev);
  }
  return 0;
}

/* Repair the framing after a generic mutation: a RESPONSE length never runs
 * past the end, and a record cut short is dropped, so most mutants still
 * decode into the events they were built from. */
static size_t repair(uint8_t *data, size_t size) {
  size_t i = 0;
  while (i < size) {
    uint32_t r = data[i] % R_KINDS;
    if (r == R_RESPONSE) {
      if (size - i < 3) return i;
      size_t len = (size_t)data[i + 1] * 256u + data[i + 2];
      size_t rem = size - i - 3;
      if (len > rem) {
        len = rem;
        data[i + 1] = (uint8_t)(len / 256u);
        data[i + 2] = (uint8_t)(len % 256u);
      }
      i += 3 + len;
    } else if (r == R_OUTCOME || r == R_CANNED || r == R_ODD) {
      if (size - i < 2) return i;
      i += 2;
    } else {
      i += 1;
    }
  }
  return size;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed) {
  (void)seed;
  size = LLVMFuzzerMutate(data, size, max_size);
  return repair(data, size);
}
