/* Eva's any-input harness: calls every entry point of the core with buffers
 * and structures whose bytes are all unknown (lengths and counts bounded only
 * by the documented preconditions), so a run with zero alarms shows the core
 * free of runtime errors on every input. Only analysed, never compiled. */
#ifdef __FRAMAC__
#include "__fc_builtin.h"
#include "mefc/mefc.h"

static uint8_t buf[MEFC_PAYLOAD_MAX];
static uint8_t out[MEFC_UPDATE_MAX];
static mefc_json_doc doc;
static mefc_client cli;
static mefc_record rec;
static mefc_decision dec;
static mefc_engine eng;
static mefc_workspace ws;
static mefc_actions acts;
static mefc_event ev;

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
    n->parent = Frama_C_nondet(0, 1) ? MEFC_NONE
                                     : Frama_C_unsigned_int_interval(0, MEFC_MO_NODES_MAX - 1u);
    n->symm_key_id.len = Frama_C_unsigned_int_interval(0, MEFC_KEY_ID_MAX);
    n->n_tlcs = Frama_C_unsigned_int_interval(0, MEFC_TLCS_MAX);
    n->uri_len = Frama_C_unsigned_int_interval(0, MEFC_URI_MAX);
  }
}

static void any_record(void) {
  Frama_C_make_unknown((char *)&rec, sizeof rec);
  rec.id.len = Frama_C_unsigned_int_interval(1, MEFC_CMD_ID_MAX);
  switch (Frama_C_interval(0, 3)) {
  case 0: rec.phase = MEFC_PHASE_NONE; break;
  case 1:
    rec.phase = MEFC_PHASE_STARTED;
    rec.class_id = Frama_C_unsigned_int_interval(1, 3);
    break;
  case 2: rec.phase = MEFC_PHASE_DONE; rec.status = MEFC_ST_OK; break;
  default: rec.phase = MEFC_PHASE_REPORTED; rec.status = MEFC_ST_UNACCEPTABLE_ARGUMENTS; break;
  }
}

void eva_main(void) {
  size_t len = Frama_C_size_t_interval(0, MEFC_PAYLOAD_MAX);
  size_t olen = 0, off = 0, hl = 0;
  uint64_t ms = 0;
  Frama_C_make_unknown((char *)buf, sizeof buf);

  (void)mefc_json_parse(buf, len, &doc);
  (void)mefc_duration_ms(buf, len, &ms);
  (void)mefc_id_kinds(buf, len);
  size_t flen = Frama_C_size_t_interval(0, MEFC_FQDN_MAX);
  size_t ulen = Frama_C_size_t_interval(0, MEFC_URI_MAX);
  int set = Frama_C_interval(MEFC_SCHEMES_HTTPS, MEFC_SCHEMES_ANY);
  if (mefc_uri_check(buf, ulen, buf + MEFC_URI_MAX, flen, set) == MEFC_URI_MATCH)
    (void)mefc_uri_host(buf, ulen, &off, &hl);

  any_client();
  any_record();
  mefc_decide(&cli, &rec, buf, len, &doc, &dec);
  (void)mefc_outcome_status(Frama_C_unsigned_int_interval(0, 8), Frama_C_unsigned_int_interval(0, 3));
  (void)mefc_class_failure_status(Frama_C_unsigned_int_interval(0, 4));
  (void)mefc_encode_update(&rec.id, Frama_C_unsigned_int_interval(0, 400), out,
                           Frama_C_size_t_interval(0, MEFC_UPDATE_MAX));
  (void)olen;
  (void)mefc_record_valid(&rec);

  any_record();
  mefc_engine_init(&eng, &rec);
  ev.kind = Frama_C_unsigned_int_interval(0, 7);
  ev.payload = buf;
  ev.len = len;
  ev.outcome = Frama_C_unsigned_int_interval(0, 3);
  for (int i = 0; i < 3; i++) {
    mefc_engine_step(&eng, &cli, &ev, &ws, &acts);
    ev.kind = Frama_C_unsigned_int_interval(0, 7);
  }
}
#endif
