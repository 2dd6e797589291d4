/* libFuzzer harness for mefc_decide: the first two bytes pick the durable
 * record (phase, cmdID, status, class) and the client profile; the rest is
 * the response body. Every postcondition of mefc_decide's contract is checked
 * with abort(), and each REPORT is encoded and read back as an Update.
 *
 * byte 0: bits 0-1 record phase (NONE, STARTED, DONE, REPORTED),
 *         bits 2-3 client variant (typical node, CSE with EST only,
 *         AE with classes 0 and 3, empty profile), bits 4-7 record status.
 * byte 1: bits 0-1 record class (1..3), bits 2-3 record cmdID ("c-1",
 *         "c-2", "a\"b", 64 bytes). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mefc/mefc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t client_statuses[15] = {20,  40,  41,  42,  43,  100, 101, 201,
                                             202, 300, 301, 302, 303, 304, 305};

static void put(uint8_t *dst, uint32_t *len, const char *s) {
  size_t n = strlen(s);
  memcpy(dst, s, n);
  *len = (uint32_t)n;
}

static uint32_t node(mefc_client *c, const char *path, uint32_t mgd, uint32_t parent,
                     uint32_t attrs, int64_t suid) {
  uint32_t i = c->n_mo++;
  put(c->mo[i].path, &c->mo[i].path_len, path);
  c->mo[i].mgd = mgd;
  c->mo[i].parent = parent;
  c->mo[i].attrs = attrs;
  c->mo[i].suid = suid;
  memset(c->mo[i].fp, (int)(i + 1u), MEFC_FP_LEN);
  return i;
}

static void suites(mefc_mo_node *n, uint16_t a, uint16_t b) {
  n->tlcs[0] = a;
  n->tlcs[1] = b;
  n->n_tlcs = 2;
}

/* The typical node of the unit tests' fixtures, in a compact form. */
static void client_typical(mefc_client *c) {
  memset(c, 0, sizeof *c);
  put(c->mef_fqdn, &c->mef_fqdn_len, "mef.example.com");
  c->role = MEFC_ROLE_NODE;
  put(c->acts_for[0].b, &c->acts_for[0].len, "urn:dev:ops:1");
  put(c->acts_for[1].b, &c->acts_for[1].len, "/CSE01");
  put(c->acts_for[2].b, &c->acts_for[2].len, "Cae01");
  c->n_acts_for = 3;
  c->classes = 0xFu;
  c->cert_prov_protocols = 0x6u;
  c->dev_mgmt_ids = 1u << MEFC_DM_LWM2M;
  put(c->symm_keys[0].b, &c->symm_keys[0].len, "key-1");
  c->n_symm_keys = 1;
  memset(c->certs[0], 7, MEFC_FP_LEN); /* node 6's fingerprint */
  c->n_certs = 1;
  memset(c->ca_certs[0], 8, MEFC_FP_LEN); /* node 7's fingerprint */
  c->n_ca_certs = 1;
  uint32_t reg = node(c, "/dm/reg1", MEFC_MGD_REGISTRATION, MEFC_NONE, MEFC_MO_CSI, 0);
  uint32_t i = node(c, "/dm/reg1/ap-psk", MEFC_MGD_AUTH_PROFILE, reg,
                    MEFC_MO_SUID | MEFC_MO_ASKI | MEFC_MO_TLCS, 12);
  put(c->mo[i].symm_key_id.b, &c->mo[i].symm_key_id.len, "key-1");
  suites(&c->mo[i], 174, 49320);
  i = node(c, "/dm/reg1/ap-mef", MEFC_MGD_AUTH_PROFILE, reg,
           MEFC_MO_SUID | MEFC_MO_MKRD | MEFC_MO_TLCS, 22);
  suites(&c->mo[i], 174, 0);
  node(c, "/dm/reg1/ap-mef/mefcfg", MEFC_MGD_MEF_CLIENT_REG_CFG, i, MEFC_MO_FQ | MEFC_MO_ADFQ, 0);
  i = node(c, "/dm/reg1/ap-maf", MEFC_MGD_AUTH_PROFILE, reg,
           MEFC_MO_SUID | MEFC_MO_MKRD | MEFC_MO_TLCS, 32);
  suites(&c->mo[i], 49320, 0);
  node(c, "/dm/reg1/ap-maf/mafcfg", MEFC_MGD_MAF_CLIENT_REG_CFG, i, MEFC_MO_FQ | MEFC_MO_ADFQ, 0);
  i = node(c, "/dm/reg1/ap-cert", MEFC_MGD_AUTH_PROFILE, reg,
           MEFC_MO_SUID | MEFC_MO_MCFP | MEFC_MO_TLCS, 42);
  suites(&c->mo[i], 49187, 0);
  uint32_t ta = node(c, "/dm/reg1/ap-cert/ta", MEFC_MGD_TRUST_ANCHOR_CRED, i,
                     MEFC_MO_CFP | MEFC_MO_URI, 0);
  put(c->mo[ta].uri, &c->mo[ta].uri_len, "https://mef.example.com/ca/root.pem");
  uint32_t maf = node(c, "/dm/mafcfg1", MEFC_MGD_MAF_CLIENT_REG_CFG, MEFC_NONE,
                      MEFC_MO_FQ | MEFC_MO_ADFQ, 0);
  i = node(c, "/dm/mafcfg1/ap11", MEFC_MGD_AUTH_PROFILE, maf,
           MEFC_MO_SUID | MEFC_MO_ASKI | MEFC_MO_TLCS, 11);
  put(c->mo[i].symm_key_id.b, &c->mo[i].symm_key_id.len, "key-2");
  suites(&c->mo[i], 174, 0);
  uint32_t dc = node(c, "/dm/dc1", MEFC_MGD_DATA_COLLECTION, MEFC_NONE, MEFC_MO_CNTP, 0);
  i = node(c, "/dm/dc1/ap13", MEFC_MGD_AUTH_PROFILE, dc, MEFC_MO_SUID | MEFC_MO_SKV, 13);
  i = node(c, "/dm/ta2", MEFC_MGD_TRUST_ANCHOR_CRED, MEFC_NONE, MEFC_MO_CFP | MEFC_MO_URI, 0);
  put(c->mo[i].uri, &c->mo[i].uri_len, "https://mef.example.com/ca/other.pem");
  node(c, "/dm/ta3", MEFC_MGD_TRUST_ANCHOR_CRED, MEFC_NONE, 0, 0);
}

static void client_variant(mefc_client *c, uint32_t v) {
  client_typical(c);
  if (v == 1u) {
    c->role = MEFC_ROLE_CSE;
    c->cert_prov_protocols = 1u << MEFC_CPP_EST;
    c->dev_mgmt_ids = 0x1Eu;
  } else if (v == 2u) {
    c->role = MEFC_ROLE_AE;
    c->classes = (1u << 0) | (1u << 3);
    c->n_symm_keys = 0;
    c->n_certs = 0;
    c->n_ca_certs = 0;
  } else if (v == 3u) {
    c->n_acts_for = 0;
    c->n_mo = 0;
    c->classes = 0;
    c->mef_fqdn_len = 0;
  }
}

static void record_from(mefc_record *r, uint8_t b0, uint8_t b1) {
  static const char *ids[3] = {"c-1", "c-2", "a\"b"};
  memset(r, 0, sizeof *r);
  r->phase = b0 & 3u;
  if (r->phase == MEFC_PHASE_NONE) return;
  uint32_t which = (b1 >> 2) & 3u;
  if (which < 3u) {
    put(r->id.b, &r->id.len, ids[which]);
  } else {
    memset(r->id.b, 'x', MEFC_CMD_ID_MAX);
    r->id.len = MEFC_CMD_ID_MAX;
  }
  r->status = client_statuses[(b0 >> 4) % 15u];
  r->class_id = 1u + (b1 & 3u) % 3u;
}

static int client_status(uint32_t s) {
  for (uint32_t i = 0; i < 15u; i++)
    if (client_statuses[i] == s) return 1;
  return 0;
}

static uint32_t class_failure(uint32_t c) {
  return c == 1u ? 101u : (c == 2u ? 202u : (c == 3u ? 305u : 42u));
}

static int same_cmd(const mefc_record *r, const mefc_cmd_id *id) {
  return r->phase != MEFC_PHASE_NONE && r->id.len == id->len &&
         memcmp(r->id.b, id->b, id->len) == 0;
}

static int bytes_zero(const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (b[i] != 0) return 0;
  return 1;
}

/* Every field zero; padding bytes are not looked at. */
static int args_zero(const mefc_exec_args *a) {
  return bytes_zero(a->uri, sizeof a->uri) && a->uri_len == 0 && a->subject_type == 0 &&
         bytes_zero(a->subject_id.b, sizeof a->subject_id.b) && a->subject_id.len == 0 &&
         a->dev_mgmt_id == 0 && a->node == 0 && a->suid == 0 && bytes_zero(a->fp, sizeof a->fp) &&
         !a->has_target && bytes_zero(a->target.b, sizeof a->target.b) && a->target.len == 0;
}

static void check(int cond) {
  if (!cond) abort();
}

/* The Update for a REPORT reads back with the same cmdID and status. */
static void check_update(const mefc_decision *d) {
  static mefc_json_doc doc;
  uint8_t body[MEFC_UPDATE_MAX];
  size_t n = mefc_encode_update(&d->id, d->status, body, sizeof body);
  uint32_t mcc, mcci, mccs;
  uint8_t back[MEFC_CMD_ID_MAX];
  size_t bl = 0;
  check(n > 0);
  check(mefc_json_parse(body, n, &doc) == MEFC_JSON_OK);
  check(mefc_json_member(body, n, &doc, 0, "sec:mcc", 7, &mcc));
  check(mefc_json_member(body, n, &doc, mcc, "mcci", 4, &mcci));
  check(mefc_json_member(body, n, &doc, mcc, "mccs", 4, &mccs));
  check(mefc_json_str_copy(body, n, &doc.tok[mcci], back, sizeof back, &bl));
  check(bl == d->id.len && memcmp(back, d->id.b, bl) == 0);
  check(doc.tok[mccs].type == MEFC_JSON_INTEGER && doc.tok[mccs].ival == (int64_t)d->status);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mefc_client cli;
  static mefc_json_doc doc;
  mefc_record rec, before;
  mefc_decision d;
  if (size < 2) return 0;
  client_variant(&cli, (data[0] >> 2) & 3u);
  record_from(&rec, data[0], data[1]);
  before = rec;
  memset(&d, 0xA5, sizeof d);
  mefc_decide(&cli, &rec, data + 2, size - 2, &doc, &d);

  check(memcmp(&rec, &before, sizeof rec) == 0);
  check(d.kind >= MEFC_DECIDE_REPORT && d.kind <= MEFC_DECIDE_RETRY);
  if (d.kind == MEFC_DECIDE_RETRY) {
    check(d.effect == MEFC_REC_NEW && d.class_id == MEFC_NONE && d.id.len == 0);
    check(bytes_zero(d.id.b, sizeof d.id.b) && args_zero(&d.args));
    return 0;
  }
  check(d.id.len >= 1 && d.id.len <= MEFC_CMD_ID_MAX);
  check(d.mef_status == MEFC_ST_ISSUED || d.mef_status == MEFC_ST_REISSUED);
  check(d.class_id <= 3u || d.class_id == MEFC_NONE);
  if (d.kind != MEFC_DECIDE_EXECUTE) check(args_zero(&d.args));
  int same = same_cmd(&rec, &d.id);
  if (d.effect == MEFC_REC_NEW) {
    check(!same);
  } else {
    check(same && d.kind == MEFC_DECIDE_REPORT);
    check(d.effect == MEFC_REC_KEEP || d.effect == MEFC_REC_FAILED);
  }
  if (same) {
    /* 8.3.9.2 step 5b, rulings I-1 and I-2. */
    if (rec.phase == MEFC_PHASE_STARTED)
      check(d.effect == MEFC_REC_FAILED && d.status == class_failure(rec.class_id));
    else if (rec.phase == MEFC_PHASE_REPORTED && d.mef_status == MEFC_ST_ISSUED)
      check(d.effect == MEFC_REC_KEEP && d.status == MEFC_ST_REPEATED_CMD_ID);
    else
      check(d.effect == MEFC_REC_KEEP && d.status == rec.status);
  } else if (d.class_id == MEFC_NONE || (cli.classes & (1u << d.class_id)) == 0u) {
    check(d.kind == MEFC_DECIDE_REPORT && d.status == MEFC_ST_CLASS_NOT_SUPPORTED);
  }
  switch (d.kind) {
    case MEFC_DECIDE_REPORT:
      check(client_status(d.status));
      check_update(&d);
      break;
    case MEFC_DECIDE_EXECUTE:
      check(d.effect == MEFC_REC_NEW);
      check(d.procedure >= MEFC_PROC_EST_ENROLL && d.procedure <= MEFC_PROC_MAF_CLIENT_REG);
      check(d.class_id >= 1u && d.class_id <= 3u);
      check(d.args.uri_len <= MEFC_URI_MAX && d.args.target.len <= MEFC_ID_MAX);
      check(d.args.has_target == (d.args.target.len > 0));
      if (d.procedure >= MEFC_PROC_TRUST_ANCHOR_FETCH) check(d.args.node < cli.n_mo);
      check(client_status(mefc_outcome_status(d.procedure, MEFC_OUTCOME_OK)));
      check(client_status(mefc_outcome_status(d.procedure, MEFC_OUTCOME_SERVER_ERROR)));
      break;
    default:
      check(d.kind == MEFC_DECIDE_WAIT && d.effect == MEFC_REC_NEW && d.class_id == 0u);
      break;
  }
  return 0;
}
