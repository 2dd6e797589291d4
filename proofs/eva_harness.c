/* Eva's any-input harness: calls every entry point of the core with every
 * value its ACSL preconditions allow (buffers of unknown bytes, lengths,
 * counts and enumerations over their whole documented ranges), so a run with
 * zero alarms shows the core free of runtime errors for any caller that honours
 * the contracts. Its parts (eva_values, eva_json, eva_decide, eva_engine) are
 * entry points of their own for scripts/eva. Only analysed, never compiled. */
#ifdef __FRAMAC__
#include "__fc_builtin.h"
#include "mefc/mefc.h"

static uint8_t buf[MEFC_PAYLOAD_MAX];
static uint8_t out[MEFC_UPDATE_MAX];
static uint8_t copy[MEFC_PAYLOAD_MAX];
static char lit[MEFC_PAYLOAD_MAX];
static mefc_json_doc doc;
static mefc_json_tok tok;
static mefc_client cli;
static mefc_record rec;
static mefc_decision dec;
static mefc_engine eng;
static mefc_workspace ws;
static mefc_actions acts;
static mefc_event ev;
/*@ ghost extern uint32_t engine_exec_count; */

/* Any uint32_t: the full range, for arguments no precondition bounds. */
static uint32_t any_u32(void) { return Frama_C_unsigned_int_interval(0, UINT32_MAX); }

/* A status a client may report (mefc_client_status of acsl.h). */
static uint32_t any_client_status(void) {
  static const uint32_t s[] = {
      MEFC_ST_OK, MEFC_ST_REPEATED_CMD_ID, MEFC_ST_CLASS_NOT_SUPPORTED, MEFC_ST_BAD_ARGUMENTS,
      MEFC_ST_UNACCEPTABLE_ARGUMENTS, MEFC_ST_CERT_PROV_SERVER_ERROR, MEFC_ST_CERT_PROV_CLIENT_ERROR,
      MEFC_ST_DEV_CFG_SERVER_ERROR, MEFC_ST_DEV_CFG_CLIENT_ERROR, MEFC_ST_MO_NODE_NOT_FOUND,
      MEFC_ST_MO_NODE_TYPE_CONFLICT, MEFC_ST_MO_NODE_BAD_ARGS, MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS,
      MEFC_ST_MO_NODE_INCONSISTENT_CONFIG, MEFC_ST_MO_NODE_PROCESSING_FAILED};
  return s[Frama_C_interval(0, (int)(sizeof s / sizeof s[0]) - 1)];
}

/* A client profile satisfying decide_client_ok: every count and length within
 * its capacity, every other byte unknown. A node's parent is below n_mo or
 * MEFC_NONE (Eva keeps no relation between the two, so it explores parents
 * below the capacity, a superset). */
static void any_client(void) {
  Frama_C_make_unknown((char *)&cli, sizeof cli);
  cli.mef_fqdn_len = Frama_C_unsigned_int_interval(0, MEFC_FQDN_MAX);
  cli.n_acts_for = Frama_C_unsigned_int_interval(0, MEFC_ACTS_FOR_MAX);
  for (uint32_t i = 0; i < MEFC_ACTS_FOR_MAX; i++)
    cli.acts_for[i].len = Frama_C_unsigned_int_interval(0, MEFC_ID_MAX);
  cli.n_symm_keys = Frama_C_unsigned_int_interval(0, MEFC_KEYS_MAX);
  for (uint32_t i = 0; i < MEFC_KEYS_MAX; i++)
    cli.symm_keys[i].len = Frama_C_unsigned_int_interval(0, MEFC_KEY_ID_MAX);
  cli.n_certs = Frama_C_unsigned_int_interval(0, MEFC_CERTS_MAX);
  cli.n_ca_certs = Frama_C_unsigned_int_interval(0, MEFC_CERTS_MAX);
  cli.n_mo = Frama_C_unsigned_int_interval(0, MEFC_MO_NODES_MAX);
  for (uint32_t i = 0; i < MEFC_MO_NODES_MAX; i++) {
    mefc_mo_node *n = &cli.mo[i];
    n->path_len = Frama_C_unsigned_int_interval(0, MEFC_PATH_MAX);
    n->parent = (cli.n_mo == 0u || Frama_C_nondet(0, 1))
                    ? MEFC_NONE
                    : Frama_C_unsigned_int_interval(0, cli.n_mo - 1u);
    n->symm_key_id.len = Frama_C_unsigned_int_interval(0, MEFC_KEY_ID_MAX);
    n->n_tlcs = Frama_C_unsigned_int_interval(0, MEFC_TLCS_MAX);
    n->uri_len = Frama_C_unsigned_int_interval(0, MEFC_URI_MAX);
  }
}

/* A record satisfying mefc_record_ok, in each of its four phases: NONE says
 * nothing of the other fields; STARTED has an ID and a class 1..3; DONE and
 * REPORTED an ID and any status a client may report. */
static void record_in(int phase) {
  Frama_C_make_unknown((char *)&rec, sizeof rec);
  switch (phase) {
  case MEFC_PHASE_NONE: rec.phase = MEFC_PHASE_NONE; break;
  case MEFC_PHASE_STARTED:
    rec.phase = MEFC_PHASE_STARTED;
    rec.id.len = Frama_C_unsigned_int_interval(1, MEFC_CMD_ID_MAX);
    rec.class_id = Frama_C_unsigned_int_interval(1, 3);
    break;
  case MEFC_PHASE_DONE:
    rec.phase = MEFC_PHASE_DONE;
    rec.id.len = Frama_C_unsigned_int_interval(1, MEFC_CMD_ID_MAX);
    rec.status = any_client_status();
    break;
  default:
    rec.phase = MEFC_PHASE_REPORTED;
    rec.id.len = Frama_C_unsigned_int_interval(1, MEFC_CMD_ID_MAX);
    rec.status = any_client_status();
    break;
  }
}

static void any_record(void) { record_in(Frama_C_interval(MEFC_PHASE_NONE, MEFC_PHASE_REPORTED)); }

/* An event as the shell may pass it: any kind (the engine ignores the ones it
 * does not know), a RESPONSE body of up to MEFC_PAYLOAD_MAX bytes, a null
 * body, or a length over the limit (which mefc_engine_step must not read). */
static void any_event(size_t len) {
  ev.kind = any_u32();
  ev.outcome = any_u32();
  switch (Frama_C_interval(0, 2)) {
  case 0: ev.payload = buf; ev.len = len; break;
  case 1: ev.payload = (const uint8_t *)0; ev.len = Frama_C_size_t_interval(0, SIZE_MAX); break;
  default: ev.payload = buf; ev.len = Frama_C_size_t_interval(MEFC_PAYLOAD_MAX + 1u, SIZE_MAX); break;
  }
}

/* One step of any event from the engine in eng, whose ghost execution
 * counter is `counted`. */
static void step_from(uint32_t counted, size_t len) {
  /*@ ghost engine_exec_count = counted; */
  any_event(len);
  mefc_engine_step(&eng, &cli, &ev, &ws, &acts);
}

/* The engine in a state of the given shape, on a record of the given phase
 * (any record of mefc_record_ok in that phase) and any backoff in range. */
static void engine_in(int state, int pending, int phase) {
  Frama_C_make_unknown((char *)&eng, sizeof eng);
  record_in(phase);
  eng.rec = rec;
  eng.backoff_ms = Frama_C_unsigned_int_interval(MEFC_BACKOFF_INITIAL_MS, MEFC_BACKOFF_MAX_MS);
  eng.state = state;
  eng.pending = pending;
}

/* The Update to resend names the record's command; for a DONE record it
 * carries the decided status, for a REPORTED one any status a client sends. */
static void update_owed(void) {
  eng.upd_id = eng.rec.id;
  eng.upd_status = eng.rec.phase == MEFC_PHASE_DONE ? eng.rec.status : any_client_status();
}

/* The value checks, on any bytes. */
void eva_values(void) {
  size_t len = Frama_C_size_t_interval(0, MEFC_PAYLOAD_MAX);
  size_t off = 0, hl = 0;
  uint64_t ms = 0;
  Frama_C_make_unknown((char *)buf, sizeof buf);
  (void)mefc_duration_ms(buf, len, &ms);
  (void)mefc_id_kinds(buf, len);
  size_t flen = Frama_C_size_t_interval(0, MEFC_FQDN_MAX);
  size_t ulen = Frama_C_size_t_interval(0, MEFC_URI_MAX);
  (void)mefc_uri_check(buf, ulen, buf + MEFC_URI_MAX, flen, Frama_C_interval(INT32_MIN, INT32_MAX));
  (void)mefc_uri_host(buf, ulen, &off, &hl);
}

/* The JSON reader on any bytes, and the token accessors the shell uses. */
void eva_json(void) {
  size_t len = Frama_C_size_t_interval(0, MEFC_PAYLOAD_MAX);
  size_t olen = 0;
  uint32_t val = 0;
  Frama_C_make_unknown((char *)buf, sizeof buf);
  Frama_C_make_unknown(lit, sizeof lit);
  (void)mefc_json_parse(buf, len, &doc);
  /* On any token (their contracts allow one that is not a string or whose
   * span lies outside the buffer). */
  Frama_C_make_unknown((char *)&tok, sizeof tok);
  (void)mefc_json_str_eq(buf, len, &tok, lit, Frama_C_size_t_interval(0, MEFC_PAYLOAD_MAX));
  (void)mefc_json_str_copy(buf, len, &tok, copy, Frama_C_size_t_interval(0, MEFC_PAYLOAD_MAX),
                           &olen);
  /* mefc_json_member's contract asks only that the document be readable. */
  Frama_C_make_unknown((char *)&doc, sizeof doc);
  (void)mefc_json_member(buf, len, &doc, any_u32(), lit, Frama_C_size_t_interval(0, MEFC_ID_MAX),
                         &val);
  /* And on the tokens of a document the reader accepted. */
  if (mefc_json_parse(buf, len, &doc) == MEFC_JSON_OK) {
    uint32_t t = Frama_C_unsigned_int_interval(0, MEFC_JSON_TOKENS_MAX - 1u);
    (void)mefc_json_member(buf, len, &doc, any_u32(), lit,
                           Frama_C_size_t_interval(0, MEFC_ID_MAX), &val);
    (void)mefc_json_str_copy(buf, len, &doc.tok[t], copy,
                             Frama_C_size_t_interval(0, MEFC_PAYLOAD_MAX), &olen);
  }
}

/* The decision, for any client profile, durable record and body; a body over
 * the limit need not even be readable. Also the status tables, the Update
 * encoder, and the check of a record read from disk (any bytes at all). */
void eva_decide(void) {
  size_t len = Frama_C_size_t_interval(0, MEFC_PAYLOAD_MAX);
  Frama_C_make_unknown((char *)buf, sizeof buf);
  any_client();
  any_record();
  mefc_decide(&cli, &rec, buf, len, &doc, &dec);
  mefc_decide(&cli, &rec, buf, Frama_C_size_t_interval(MEFC_PAYLOAD_MAX + 1u, SIZE_MAX), &doc,
              &dec);
  (void)mefc_outcome_status(any_u32(), any_u32());
  (void)mefc_class_failure_status(any_u32());
  (void)mefc_encode_update(&rec.id, any_u32(), out,
                           Frama_C_size_t_interval(0, MEFC_UPDATE_MAX));
  Frama_C_make_unknown((char *)&rec, sizeof rec);
  (void)mefc_record_valid(&rec);
}

/* The engine: started from any valid record, then one step of any event
 * from every state engine_inv and engine_count_ok admit (which covers every
 * state a run of steps can reach, since every step keeps them). Each shape
 * takes its own step: a state shared by two shapes would lose the relation
 * between the record's phase and the pending request, and Eva would follow
 * paths no engine can take. */
void eva_engine(void) {
  size_t len = Frama_C_size_t_interval(0, MEFC_PAYLOAD_MAX);
  uint32_t maybe = Frama_C_unsigned_int_interval(0, 1);
  int waiting = Frama_C_nondet(MEFC_S_AWAIT, MEFC_S_BACKOFF);
  Frama_C_make_unknown((char *)buf, sizeof buf);
  any_client();
  switch (Frama_C_interval(0, 8)) {
  case 0:
    any_record();
    mefc_engine_init(&eng, &rec);
    step_from(0u, len);
    break;
  case 1:
    engine_in(MEFC_S_IDLE, MEFC_PEND_NONE, MEFC_PHASE_NONE);
    step_from(0u, len);
    break;
  case 2:
    engine_in(MEFC_S_IDLE, MEFC_PEND_NONE, Frama_C_interval(MEFC_PHASE_STARTED, MEFC_PHASE_REPORTED));
    step_from(maybe, len);
    break;
  case 3:
    engine_in(waiting, MEFC_PEND_RETRIEVE, MEFC_PHASE_NONE);
    step_from(0u, len);
    break;
  case 4:
    engine_in(waiting, MEFC_PEND_RETRIEVE, MEFC_PHASE_REPORTED);
    step_from(maybe, len);
    break;
  case 5:
    engine_in(waiting, MEFC_PEND_UPDATE, Frama_C_nondet(MEFC_PHASE_DONE, MEFC_PHASE_REPORTED));
    update_owed();
    step_from(maybe, len);
    break;
  case 6:
    engine_in(MEFC_S_EXECUTING, MEFC_PEND_NONE, MEFC_PHASE_STARTED);
    eng.exec_proc = Frama_C_unsigned_int_interval(1, 7);
    step_from(1u, len);
    break;
  case 7:
    engine_in(MEFC_S_RETRY_TIMER, MEFC_PEND_NONE, MEFC_PHASE_NONE);
    step_from(0u, len);
    break;
  default:
    engine_in(MEFC_S_RETRY_TIMER, MEFC_PEND_NONE, MEFC_PHASE_REPORTED);
    step_from(maybe, len);
    break;
  }
}
#endif
