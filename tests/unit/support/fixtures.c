/* Shared test fixtures (see fixtures.h): the typical client profile and MO
 * tree, durable records, and payload helpers. */
#include <stdlib.h>
#include <string.h>
#include "fixtures.h"

void fx_fp(uint8_t fp[MEFC_FP_LEN], uint8_t seed) {
  for (uint32_t i = 0; i < MEFC_FP_LEN; i++) fp[i] = (uint8_t)(seed * 31u + i * 7u);
}

static uint32_t fx_copy(uint8_t *dst, size_t cap, const char *s) {
  size_t n = strlen(s);
  if (n > cap) abort();
  memcpy(dst, s, n);
  return (uint32_t)n;
}

void fx_ident(mefc_ident *id, const char *s) { id->len = fx_copy(id->b, sizeof id->b, s); }
void fx_key(mefc_key_id *k, const char *s) { k->len = fx_copy(k->b, sizeof k->b, s); }
void fx_cmd_id(mefc_cmd_id *id, const char *s) { id->len = fx_copy(id->b, sizeof id->b, s); }

uint32_t fx_add_node(mefc_client *cli, const char *path, uint32_t mgd, uint32_t parent,
                     uint32_t attrs) {
  if (cli->n_mo >= MEFC_MO_NODES_MAX) abort();
  uint32_t i = cli->n_mo++;
  mefc_mo_node *n = &cli->mo[i];
  memset(n, 0, sizeof *n);
  n->path_len = fx_copy(n->path, sizeof n->path, path);
  n->mgd = mgd;
  n->parent = parent;
  n->attrs = attrs;
  return i;
}

void fx_set_tlcs(mefc_mo_node *n, const uint16_t *suites, uint32_t count) {
  if (count > MEFC_TLCS_MAX) abort();
  for (uint32_t i = 0; i < count; i++) n->tlcs[i] = suites[i];
  n->n_tlcs = count;
  n->attrs |= MEFC_MO_TLCS;
}

static void fx_uri(mefc_mo_node *n, const char *uri) {
  n->uri_len = fx_copy(n->uri, sizeof n->uri, uri);
  n->attrs |= MEFC_MO_URI;
}

void fx_client(mefc_client *cli) {
  static const uint16_t psk_both[] = {174, 49320};
  static const uint16_t psk_tls[] = {174};
  static const uint16_t psk_dtls[] = {49320};
  static const uint16_t cert_tls[] = {49187};
  memset(cli, 0, sizeof *cli);
  cli->mef_fqdn_len = fx_copy(cli->mef_fqdn, sizeof cli->mef_fqdn, "mef.example.com");
  cli->role = MEFC_ROLE_NODE;
  fx_ident(&cli->acts_for[0], "urn:dev:ops:1");
  fx_ident(&cli->acts_for[1], "/CSE01");
  fx_ident(&cli->acts_for[2], "Cae01");
  cli->n_acts_for = 3;
  cli->classes = 0xFu;
  cli->cert_prov_protocols = (1u << MEFC_CPP_EST) | (1u << MEFC_CPP_SCEP);
  cli->dev_mgmt_ids = 1u << MEFC_DM_LWM2M;
  fx_key(&cli->symm_keys[0], "key-1");
  cli->n_symm_keys = 1;
  fx_fp(cli->certs[0], FX_FP_CERT);
  cli->n_certs = 1;
  fx_fp(cli->ca_certs[0], FX_FP_CA);
  cli->n_ca_certs = 1;

  uint32_t reg = fx_add_node(cli, "/dm/reg1", MEFC_MGD_REGISTRATION, MEFC_NONE, MEFC_MO_CSI);
  uint32_t i = fx_add_node(cli, "/dm/reg1/ap-psk", MEFC_MGD_AUTH_PROFILE, reg,
                           MEFC_MO_SUID | MEFC_MO_ASKI);
  cli->mo[i].suid = 12;
  fx_key(&cli->mo[i].symm_key_id, "key-1");
  fx_set_tlcs(&cli->mo[i], psk_both, 2);

  i = fx_add_node(cli, "/dm/reg1/ap-mef", MEFC_MGD_AUTH_PROFILE, reg,
                  MEFC_MO_SUID | MEFC_MO_MKRD | MEFC_MO_MKRL);
  cli->mo[i].suid = 22;
  fx_set_tlcs(&cli->mo[i], psk_tls, 1);
  fx_add_node(cli, "/dm/reg1/ap-mef/mefcfg", MEFC_MGD_MEF_CLIENT_REG_CFG, i,
              MEFC_MO_FQ | MEFC_MO_ADFQ);

  i = fx_add_node(cli, "/dm/reg1/ap-maf", MEFC_MGD_AUTH_PROFILE, reg,
                  MEFC_MO_SUID | MEFC_MO_MKRD);
  cli->mo[i].suid = 32;
  fx_set_tlcs(&cli->mo[i], psk_dtls, 1);
  fx_add_node(cli, "/dm/reg1/ap-maf/mafcfg", MEFC_MGD_MAF_CLIENT_REG_CFG, i,
              MEFC_MO_FQ | MEFC_MO_ADFQ);

  i = fx_add_node(cli, "/dm/reg1/ap-cert", MEFC_MGD_AUTH_PROFILE, reg,
                  MEFC_MO_SUID | MEFC_MO_MCFP);
  cli->mo[i].suid = 42;
  fx_fp(cli->mo[i].fp, FX_FP_CERT);
  fx_set_tlcs(&cli->mo[i], cert_tls, 1);
  uint32_t ta = fx_add_node(cli, "/dm/reg1/ap-cert/ta", MEFC_MGD_TRUST_ANCHOR_CRED, i,
                            MEFC_MO_CFP);
  fx_fp(cli->mo[ta].fp, FX_FP_CA);
  fx_uri(&cli->mo[ta], "https://mef.example.com/ca/root.pem");

  uint32_t maf = fx_add_node(cli, "/dm/mafcfg1", MEFC_MGD_MAF_CLIENT_REG_CFG, MEFC_NONE,
                             MEFC_MO_FQ | MEFC_MO_ADFQ);
  i = fx_add_node(cli, "/dm/mafcfg1/ap11", MEFC_MGD_AUTH_PROFILE, maf,
                  MEFC_MO_SUID | MEFC_MO_ASKI);
  cli->mo[i].suid = 11;
  fx_key(&cli->mo[i].symm_key_id, "key-1");
  fx_set_tlcs(&cli->mo[i], psk_tls, 1);

  uint32_t dc = fx_add_node(cli, "/dm/dc1", MEFC_MGD_DATA_COLLECTION, MEFC_NONE, MEFC_MO_CNTP);
  i = fx_add_node(cli, "/dm/dc1/ap13", MEFC_MGD_AUTH_PROFILE, dc, MEFC_MO_SUID | MEFC_MO_ASKI);
  cli->mo[i].suid = 13;
  fx_key(&cli->mo[i].symm_key_id, "key-1");

  i = fx_add_node(cli, "/dm/ta2", MEFC_MGD_TRUST_ANCHOR_CRED, MEFC_NONE, MEFC_MO_CFP);
  fx_fp(cli->mo[i].fp, FX_FP_OTHER);
  fx_uri(&cli->mo[i], "https://mef.example.com/ca/other.pem");

  fx_add_node(cli, "/dm/ta3", MEFC_MGD_TRUST_ANCHOR_CRED, MEFC_NONE, 0);
  if (cli->n_mo != FX_NODES) abort();
}

void fx_record_none(mefc_record *rec) { memset(rec, 0, sizeof *rec); }

void fx_record(mefc_record *rec, const char *id, uint32_t phase, uint32_t status,
               uint32_t class_id) {
  memset(rec, 0, sizeof *rec);
  fx_cmd_id(&rec->id, id);
  rec->phase = phase;
  rec->status = status;
  rec->class_id = class_id;
}

size_t fx_json(const char *squoted, char *out, size_t cap) {
  size_t n = strlen(squoted);
  if (n >= cap) abort();
  for (size_t i = 0; i < n; i++) out[i] = squoted[i] == '\'' ? '"' : squoted[i];
  out[n] = '\0';
  return n;
}

void fx_decide_raw(const mefc_client *cli, const mefc_record *rec, const uint8_t *buf,
                   size_t len, mefc_decision *out) {
  static mefc_json_doc doc;
  /* Poison the decision so a field left unset shows up. */
  memset(out, 0xA5, sizeof *out);
  mefc_decide(cli, rec, buf, len, &doc, out);
}

void fx_decide(const mefc_client *cli, const mefc_record *rec, const char *squoted,
               mefc_decision *out) {
  static char buf[MEFC_PAYLOAD_MAX + 2];
  size_t n = fx_json(squoted, buf, sizeof buf);
  fx_decide_raw(cli, rec, (const uint8_t *)buf, n, out);
}

int fx_id_is(const mefc_cmd_id *id, const char *s) {
  size_t n = strlen(s);
  return id->len == n && memcmp(id->b, s, n) == 0;
}

static int fx_bytes_zero(const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (b[i] != 0) return 0;
  return 1;
}

int fx_args_zero(const mefc_exec_args *a) {
  return fx_bytes_zero(a->uri, sizeof a->uri) && a->uri_len == 0 && a->subject_type == 0 &&
         fx_bytes_zero(a->subject_id.b, sizeof a->subject_id.b) && a->subject_id.len == 0 &&
         a->dev_mgmt_id == 0 && a->node == 0 && a->suid == 0 &&
         fx_bytes_zero(a->fp, sizeof a->fp) && !a->has_target &&
         fx_bytes_zero(a->target.b, sizeof a->target.b) && a->target.len == 0;
}
