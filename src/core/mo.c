/* MO_NODE processing against the client's MO tree (8.3.9.9): node lookup and
 * type check, the [authenticationProfile] SUID rules of 8.3.9.9.2, and the
 * local key, certificate and CA checks of 8.3.9.9.3, .6 and .7. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/command.h"
#include "mefc/decode.h"
#include "mefc/acsl.h"

/*@
  predicate mo_path_is(mefc_mo_node *n, uint8_t *p, integer plen) =
    n->path_len == plen && \forall integer k; 0 <= k < plen ==> n->path[k] == p[k];

  predicate mo_attr(mefc_mo_node *n, integer a) = (n->attrs & a) != 0;

  predicate mo_has_child(mefc_client *c, integer i, integer mgd) =
    \exists integer j; 0 <= j < c->n_mo && c->mo[j].parent == i && c->mo[j].mgd == mgd;

  logic integer mo_parent_mgd(mefc_client *c, integer i) =
    c->mo[i].parent < c->n_mo ? c->mo[c->mo[i].parent].mgd : 0;

  predicate mo_tlcs_has(mefc_mo_node *n, integer v) =
    \exists integer k; 0 <= k < n->n_tlcs && n->tlcs[k] == v;

  predicate mo_in3(integer s, integer a, integer b, integer d) = s == a || s == b || s == d;

  predicate mo_set_symm(integer s) = mo_in3(s, 11, 12, 13);
  predicate mo_set_mef(integer s) = mo_in3(s, 21, 22, 23);
  predicate mo_set_maf(integer s) = mo_in3(s, 31, 32, 33);
  predicate mo_set_cert(integer s) = mo_in3(s, 41, 42, 43);
  predicate mo_in_sets(integer s) =
    mo_set_symm(s) || mo_set_mef(s) || mo_set_maf(s) || mo_set_cert(s);

  // 10.2.2 and 10.2.3: the TLS or the DTLS mandatory suite of the framework.
  predicate mo_psk_suites(mefc_mo_node *n) =
    mo_attr(n, MEFC_MO_TLCS) && (mo_tlcs_has(n, 174) || mo_tlcs_has(n, 49320));
  predicate mo_cert_suites(mefc_mo_node *n) =
    mo_attr(n, MEFC_MO_TLCS) && (mo_tlcs_has(n, 49187) || mo_tlcs_has(n, 49326));

  // 8.3.9.9.2 step 4, one predicate per check.
  predicate mo_ok_pmaf(mefc_client *c, integer i, integer s) =
    mo_in3(s, 11, 21, 31) || s == 41 ==> mo_parent_mgd(c, i) == MEFC_MGD_MAF_CLIENT_REG_CFG;
  predicate mo_ok_preg(mefc_client *c, integer i, integer s) =
    mo_in3(s, 12, 22, 32) || s == 42 ==> mo_parent_mgd(c, i) == MEFC_MGD_REGISTRATION;
  predicate mo_ok_pdat(mefc_client *c, integer i, integer s) =
    mo_in3(s, 13, 23, 33) || s == 43 ==> mo_parent_mgd(c, i) == MEFC_MGD_DATA_COLLECTION;
  predicate mo_ok_symm(mefc_client *c, integer i, integer s) =
    mo_set_symm(s) ==> mo_attr(&c->mo[i], MEFC_MO_ASKI);
  predicate mo_ok_mef(mefc_client *c, integer i, integer s) =
    mo_set_mef(s) ==> mo_attr(&c->mo[i], MEFC_MO_MKRD) &&
                      mo_has_child(c, i, MEFC_MGD_MEF_CLIENT_REG_CFG);
  predicate mo_ok_maf(mefc_client *c, integer i, integer s) =
    mo_set_maf(s) ==> mo_attr(&c->mo[i], MEFC_MO_MKRD) &&
                      mo_has_child(c, i, MEFC_MGD_MAF_CLIENT_REG_CFG);
  predicate mo_ok_psk(mefc_client *c, integer i, integer s) =
    mo_in3(s, 11, 12, 21) || mo_in3(s, 22, 31, 32) ==> mo_psk_suites(&c->mo[i]);
  // Ruling I-6: a certificate profile needs at least one [trustAnchorCred] child.
  predicate mo_ok_cert(mefc_client *c, integer i, integer s) =
    mo_set_cert(s) ==> mo_attr(&c->mo[i], MEFC_MO_MCFP) && mo_cert_suites(&c->mo[i]) &&
                       mo_has_child(c, i, MEFC_MGD_TRUST_ANCHOR_CRED);

  predicate mo_config_ok(mefc_client *c, integer i, integer s) =
    mo_ok_pmaf(c, i, s) && mo_ok_preg(c, i, s) && mo_ok_pdat(c, i, s) &&
    mo_ok_symm(c, i, s) && mo_ok_mef(c, i, s) && mo_ok_maf(c, i, s) &&
    mo_ok_psk(c, i, s) && mo_ok_cert(c, i, s);

  predicate mo_key_eq(mefc_key_id *a, mefc_key_id *b) =
    a->len == b->len && \forall integer k; 0 <= k < a->len ==> a->b[k] == b->b[k];
  predicate mo_key_held(mefc_client *c, mefc_key_id *k) =
    \exists integer i; 0 <= i < c->n_symm_keys && mo_key_eq(&c->symm_keys[i], k);

  predicate mo_fp_eq(uint8_t *a, uint8_t *b) =
    \forall integer k; 0 <= k < MEFC_FP_LEN ==> a[k] == b[k];
  predicate mo_cert_held(mefc_client *c, uint8_t *fp) =
    \exists integer i; 0 <= i < c->n_certs && mo_fp_eq(&c->certs[i][0], fp);
  predicate mo_ca_held(mefc_client *c, uint8_t *fp) =
    \exists integer i; 0 <= i < c->n_ca_certs && mo_fp_eq(&c->ca_certs[i][0], fp);

  logic integer mo_otyp_mgd(integer o) =
    o == MEFC_OTYP_AUTH_PROFILE ? MEFC_MGD_AUTH_PROFILE :
    (o == MEFC_OTYP_TRUST_ANCHOR_CRED ? MEFC_MGD_TRUST_ANCHOR_CRED : MEFC_MGD_MAF_CLIENT_REG_CFG);

  // What an MO decision may leave in the decision.
  predicate mo_result_ok(mefc_decision *o) =
    (o->kind == MEFC_DECIDE_REPORT && mefc_client_status(o->status)) ||
    (o->kind == MEFC_DECIDE_EXECUTE && MEFC_PROC_TRUST_ANCHOR_FETCH <= o->procedure <= MEFC_PROC_MAF_CLIENT_REG);
*/

/* 8.3.9.9.1 step 4a: the node addressed by objectPath, compared byte for
 * byte; the first match wins. Defensive about the profile's counts, so that
 * the caller need not carry the profile's validity across its own writes. */
/*@ requires \valid_read(cli);
    requires path_len <= MEFC_PATH_MAX && \valid_read(path + (0 .. path_len - 1));
    assigns \nothing;
    ensures \result == MEFC_NONE ||
            (\result < cli->n_mo && \result < MEFC_MO_NODES_MAX &&
             mo_path_is(&cli->mo[\result], path, path_len));
    ensures \result == MEFC_NONE <==>
              (\forall integer i; 0 <= i < cli->n_mo && i < MEFC_MO_NODES_MAX ==>
                 !mo_path_is(&cli->mo[i], path, path_len));
*/
uint32_t mefc_mo_lookup(const mefc_client *cli, const uint8_t *path, uint32_t path_len) {
  uint32_t r = MEFC_NONE;
  uint32_t i = 0;
  uint32_t nmo = (cli->n_mo <= MEFC_MO_NODES_MAX) ? cli->n_mo : MEFC_MO_NODES_MAX;
  /*@ loop invariant 0 <= i <= nmo;
      loop invariant r == MEFC_NONE ==>
                       \forall integer j; 0 <= j < i ==> !mo_path_is(&cli->mo[j], path, path_len);
      loop invariant r != MEFC_NONE ==> r < nmo && mo_path_is(&cli->mo[r], path, path_len);
      loop assigns i, r;
      loop variant nmo - i;
  */
  while (r == MEFC_NONE && i < nmo) {
    const mefc_mo_node *n = &cli->mo[i];
    bool same = (n->path_len == path_len);
    uint32_t k = 0;
    /*@ loop invariant 0 <= k <= path_len;
        loop invariant same <==> (n->path_len == path_len &&
                                  \forall integer j; 0 <= j < k ==> n->path[j] == path[j]);
        loop assigns k, same;
        loop variant path_len - k;
    */
    while (same && k < path_len) {
      if (n->path[k] != path[k]) {
        same = false;
      }
      k++;
    }
    if (same) {
      r = i;
    }
    i++;
  }
  return r;
}

/* The capacities of the profile, checked where MO processing starts: the
 * property is then established in the very state the MO functions run in. */
/*@ requires \valid_read(cli);
    assigns \nothing;
    ensures \result <==> decide_client_ok(cli);
*/
bool mefc_client_check(const mefc_client *cli) {
  bool ok = cli->mef_fqdn_len <= MEFC_FQDN_MAX && cli->n_acts_for <= MEFC_ACTS_FOR_MAX &&
            cli->n_symm_keys <= MEFC_KEYS_MAX && cli->n_certs <= MEFC_CERTS_MAX &&
            cli->n_ca_certs <= MEFC_CERTS_MAX && cli->n_mo <= MEFC_MO_NODES_MAX;
  uint32_t i = 0;
  /*@ loop invariant 0 <= i <= MEFC_ACTS_FOR_MAX;
      loop invariant ok ==> cli->n_acts_for <= MEFC_ACTS_FOR_MAX;
      loop invariant ok <==> (cli->mef_fqdn_len <= MEFC_FQDN_MAX &&
        cli->n_acts_for <= MEFC_ACTS_FOR_MAX && cli->n_symm_keys <= MEFC_KEYS_MAX &&
        cli->n_certs <= MEFC_CERTS_MAX && cli->n_ca_certs <= MEFC_CERTS_MAX &&
        cli->n_mo <= MEFC_MO_NODES_MAX &&
        \forall integer j; 0 <= j < i && j < cli->n_acts_for ==> cli->acts_for[j].len <= MEFC_ID_MAX);
      loop assigns i, ok;
      loop variant MEFC_ACTS_FOR_MAX - i;
  */
  while (i < MEFC_ACTS_FOR_MAX) {
    if (i < cli->n_acts_for && cli->acts_for[i].len > MEFC_ID_MAX) {
      ok = false;
    }
    i++;
  }
  i = 0;
  /*@ loop invariant 0 <= i <= MEFC_KEYS_MAX;
      loop invariant ok <==> (cli->mef_fqdn_len <= MEFC_FQDN_MAX &&
        cli->n_acts_for <= MEFC_ACTS_FOR_MAX && cli->n_symm_keys <= MEFC_KEYS_MAX &&
        cli->n_certs <= MEFC_CERTS_MAX && cli->n_ca_certs <= MEFC_CERTS_MAX &&
        cli->n_mo <= MEFC_MO_NODES_MAX &&
        (\forall integer j; 0 <= j < cli->n_acts_for ==> cli->acts_for[j].len <= MEFC_ID_MAX) &&
        \forall integer j; 0 <= j < i && j < cli->n_symm_keys ==>
          cli->symm_keys[j].len <= MEFC_KEY_ID_MAX);
      loop assigns i, ok;
      loop variant MEFC_KEYS_MAX - i;
  */
  while (i < MEFC_KEYS_MAX) {
    if (i < cli->n_symm_keys && cli->symm_keys[i].len > MEFC_KEY_ID_MAX) {
      ok = false;
    }
    i++;
  }
  i = 0;
  /*@ loop invariant 0 <= i <= MEFC_MO_NODES_MAX;
      loop invariant ok <==> (cli->mef_fqdn_len <= MEFC_FQDN_MAX &&
        cli->n_acts_for <= MEFC_ACTS_FOR_MAX && cli->n_symm_keys <= MEFC_KEYS_MAX &&
        cli->n_certs <= MEFC_CERTS_MAX && cli->n_ca_certs <= MEFC_CERTS_MAX &&
        cli->n_mo <= MEFC_MO_NODES_MAX &&
        (\forall integer j; 0 <= j < cli->n_acts_for ==> cli->acts_for[j].len <= MEFC_ID_MAX) &&
        (\forall integer j; 0 <= j < cli->n_symm_keys ==> cli->symm_keys[j].len <= MEFC_KEY_ID_MAX) &&
        \forall integer j; 0 <= j < i && j < cli->n_mo ==> decide_node_ok(&cli->mo[j], cli->n_mo));
      loop assigns i, ok;
      loop variant MEFC_MO_NODES_MAX - i;
  */
  while (i < MEFC_MO_NODES_MAX) {
    if (i < cli->n_mo) {
      const mefc_mo_node *n = &cli->mo[i];
      if (n->path_len > MEFC_PATH_MAX || n->n_tlcs > MEFC_TLCS_MAX || n->uri_len > MEFC_URI_MAX ||
          n->symm_key_id.len > MEFC_KEY_ID_MAX || (n->parent >= cli->n_mo && n->parent != MEFC_NONE)) {
        ok = false;
      }
    }
    i++;
  }
  return ok;
}

/* Whether the node has the attribute (enum mefc_mo_attr). */
/*@ requires \valid_read(n);
    assigns \nothing;
    ensures \result <==> mo_attr(n, a);
*/
static bool mo_has(const mefc_mo_node *n, uint32_t a) {
  return (n->attrs & a) != 0u;
}

/*@ requires \valid_read(cli) && decide_client_ok(cli);
    assigns \nothing;
    ensures \result <==> mo_has_child(cli, idx, mgd);
*/
static bool mo_child_of_type(const mefc_client *cli, uint32_t idx, uint32_t mgd) {
  bool found = false;
  uint32_t j = 0;
  /*@ loop invariant 0 <= j <= cli->n_mo;
      loop invariant found <==> \exists integer m; 0 <= m < j &&
                                  cli->mo[m].parent == idx && cli->mo[m].mgd == mgd;
      loop assigns j, found;
      loop variant cli->n_mo - j;
  */
  while (!found && j < cli->n_mo) {
    if (cli->mo[j].parent == idx && cli->mo[j].mgd == mgd) {
      found = true;
    }
    j++;
  }
  return found;
}

/*@ requires \valid_read(n) && n->n_tlcs <= MEFC_TLCS_MAX;
    assigns \nothing;
    ensures \result <==> mo_tlcs_has(n, a) || mo_tlcs_has(n, b);
*/
static bool mo_suite_listed(const mefc_mo_node *n, uint16_t a, uint16_t b) {
  bool found = false;
  uint32_t k = 0;
  /*@ loop invariant 0 <= k <= n->n_tlcs;
      loop invariant found <==> \exists integer m; 0 <= m < k &&
                                  (n->tlcs[m] == a || n->tlcs[m] == b);
      loop assigns k, found;
      loop variant n->n_tlcs - k;
  */
  while (!found && k < n->n_tlcs) {
    if (n->tlcs[k] == a || n->tlcs[k] == b) {
      found = true;
    }
    k++;
  }
  return found;
}

/*@ requires \valid_read(cli) && decide_client_ok(cli) && idx < cli->n_mo;
    assigns \nothing;
    ensures \result == mo_parent_mgd(cli, idx);
*/
static uint32_t mo_parent_type(const mefc_client *cli, uint32_t idx) {
  uint32_t p = cli->mo[idx].parent;
  return (p < cli->n_mo) ? cli->mo[p].mgd : 0u;
}

/* 8.3.9.9.2 step 4: every check that applies to the SUID must pass. */
/*@ requires \valid_read(cli) && decide_client_ok(cli) && idx < cli->n_mo;
    assigns \nothing;
    ensures \result <==> mo_config_ok(cli, idx, s);
    behavior MCC_9_2_4_PMAF:
      assumes !mo_ok_pmaf(cli, idx, s);
      ensures !\result;
    behavior MCC_9_2_4_PREG:
      assumes !mo_ok_preg(cli, idx, s);
      ensures !\result;
    behavior MCC_9_2_4_PDAT:
      assumes !mo_ok_pdat(cli, idx, s);
      ensures !\result;
    behavior MCC_9_2_4_SYMM:
      assumes !mo_ok_symm(cli, idx, s);
      ensures !\result;
    behavior MCC_9_2_4_MEF:
      assumes !mo_ok_mef(cli, idx, s);
      ensures !\result;
    behavior MCC_9_2_4_MAF:
      assumes !mo_ok_maf(cli, idx, s);
      ensures !\result;
    behavior MCC_9_2_4_PSK:
      assumes !mo_ok_psk(cli, idx, s);
      ensures !\result;
    behavior MCC_9_2_4_CERT:
      assumes !mo_ok_cert(cli, idx, s);
      ensures !\result;
*/
static bool mo_config_consistent(const mefc_client *cli, uint32_t idx, int64_t s) {
  const mefc_mo_node *n = &cli->mo[idx];
  uint32_t parent = mo_parent_type(cli, idx);
  /* Every fact is gathered first and the rules are combined with bitwise
   * operators, not short-circuits: one path through the function, which
   * keeps each of its proof obligations small. Nothing here has effects. */
  bool aski = mo_has(n, MEFC_MO_ASKI);
  bool mkrd = mo_has(n, MEFC_MO_MKRD);
  bool tlcs = mo_has(n, MEFC_MO_TLCS);
  bool mcfp = mo_has(n, MEFC_MO_MCFP);
  bool psk_suite = mo_suite_listed(n, 174u, 49320u);
  bool cert_suite = mo_suite_listed(n, 49187u, 49326u);
  bool mef_child = mo_child_of_type(cli, idx, MEFC_MGD_MEF_CLIENT_REG_CFG);
  bool maf_child = mo_child_of_type(cli, idx, MEFC_MGD_MAF_CLIENT_REG_CFG);
  bool ta_child = mo_child_of_type(cli, idx, MEFC_MGD_TRUST_ANCHOR_CRED);
  int on_maf = (s == 11) | (s == 21) | (s == 31) | (s == 41);
  int on_reg = (s == 12) | (s == 22) | (s == 32) | (s == 42);
  int on_dat = (s == 13) | (s == 23) | (s == 33) | (s == 43);
  int on_symm = (11 <= s) & (s <= 13);
  int on_mef = (21 <= s) & (s <= 23);
  int on_maf_key = (31 <= s) & (s <= 33);
  int on_psk = (s == 11) | (s == 12) | (s == 21) | (s == 22) | (s == 31) | (s == 32);
  int on_cert = (41 <= s) & (s <= 43);
  bool pmaf = (on_maf == 0) | (parent == MEFC_MGD_MAF_CLIENT_REG_CFG);
  bool preg = (on_reg == 0) | (parent == MEFC_MGD_REGISTRATION);
  bool pdat = (on_dat == 0) | (parent == MEFC_MGD_DATA_COLLECTION);
  bool symm = (on_symm == 0) | aski;
  bool mef = (on_mef == 0) | (mkrd & mef_child);
  bool maf = (on_maf_key == 0) | (mkrd & maf_child);
  bool psk = (on_psk == 0) | (tlcs & psk_suite);
  bool cert = (on_cert == 0) | (mcfp & tlcs & cert_suite & ta_child);
  //@ assert pmaf <==> mo_ok_pmaf(cli, idx, s);
  //@ assert preg <==> mo_ok_preg(cli, idx, s);
  //@ assert pdat <==> mo_ok_pdat(cli, idx, s);
  //@ assert symm <==> mo_ok_symm(cli, idx, s);
  //@ assert mef <==> mo_ok_mef(cli, idx, s);
  //@ assert maf <==> mo_ok_maf(cli, idx, s);
  //@ assert psk <==> mo_ok_psk(cli, idx, s);
  //@ assert cert <==> mo_ok_cert(cli, idx, s);
  return pmaf & preg & pdat & symm & mef & maf & psk & cert;
}

/*@ requires \valid_read(cli) && decide_client_ok(cli) && \valid_read(k);
    requires k->len <= MEFC_KEY_ID_MAX;
    assigns \nothing;
    ensures \result <==> mo_key_held(cli, k);
*/
static bool mo_have_key(const mefc_client *cli, const mefc_key_id *k) {
  bool found = false;
  uint32_t i = 0;
  /*@ loop invariant 0 <= i <= cli->n_symm_keys;
      loop invariant found <==> \exists integer j; 0 <= j < i && mo_key_eq(&cli->symm_keys[j], k);
      loop assigns i, found;
      loop variant cli->n_symm_keys - i;
  */
  while (!found && i < cli->n_symm_keys) {
    const mefc_key_id *h = &cli->symm_keys[i];
    bool same = (h->len == k->len);
    uint32_t m = 0;
    /*@ loop invariant 0 <= m <= k->len;
        loop invariant same <==> (h->len == k->len &&
                                  \forall integer j; 0 <= j < m ==> h->b[j] == k->b[j]);
        loop assigns m, same;
        loop variant k->len - m;
    */
    while (same && m < k->len) {
      if (h->b[m] != k->b[m]) {
        same = false;
      }
      m++;
    }
    found = same;
    i++;
  }
  return found;
}

/*@ requires \valid_read(a + (0 .. MEFC_FP_LEN - 1)) && \valid_read(b + (0 .. MEFC_FP_LEN - 1));
    assigns \nothing;
    ensures \result <==> mo_fp_eq(a, b);
*/
static bool mo_fp_same(const uint8_t *a, const uint8_t *b) {
  bool same = true;
  uint32_t k = 0;
  /*@ loop invariant 0 <= k <= MEFC_FP_LEN;
      loop invariant same <==> \forall integer j; 0 <= j < k ==> a[j] == b[j];
      loop assigns k, same;
      loop variant MEFC_FP_LEN - k;
  */
  while (same && k < MEFC_FP_LEN) {
    if (a[k] != b[k]) {
      same = false;
    }
    k++;
  }
  return same;
}

/* Own certificates with their private key (ca == false) or CA certificates. */
/*@ requires \valid_read(cli) && decide_client_ok(cli);
    requires \valid_read(fp + (0 .. MEFC_FP_LEN - 1));
    assigns \nothing;
    ensures !ca ==> (\result <==> mo_cert_held(cli, fp));
    ensures ca ==> (\result <==> mo_ca_held(cli, fp));
*/
static bool mo_have_fp(const mefc_client *cli, bool ca, const uint8_t *fp) {
  bool found = false;
  uint32_t n = ca ? cli->n_ca_certs : cli->n_certs;
  uint32_t i = 0;
  /*@ loop invariant 0 <= i <= n;
      loop invariant !ca ==> (found <==> \exists integer j; 0 <= j < i &&
                                           mo_fp_eq(&cli->certs[j][0], fp));
      loop invariant ca ==> (found <==> \exists integer j; 0 <= j < i &&
                                          mo_fp_eq(&cli->ca_certs[j][0], fp));
      loop assigns i, found;
      loop variant n - i;
  */
  while (!found && i < n) {
    found = ca ? mo_fp_same(&cli->ca_certs[i][0], fp) : mo_fp_same(&cli->certs[i][0], fp);
    i++;
  }
  return found;
}

/*@ requires \valid(out);
    requires mefc_client_status(status);
    assigns out->kind, out->status;
    ensures out->kind == MEFC_DECIDE_REPORT && out->status == status;
*/
static void mo_report(mefc_decision *out, uint32_t status) {
  out->kind = MEFC_DECIDE_REPORT;
  out->status = status;
}

/* 8.3.9.9.2 steps 2-5 and the SUID procedures 8.3.9.9.3-.6. */
/*@ requires \valid_read(cli) && decide_client_ok(cli) && idx < cli->n_mo;
    requires \valid(out) && \separated(out, cli);
    requires otsa == MEFC_OTSA_OK ==> decode_suid_enum(suid);
    assigns out->kind, out->status, out->procedure, out->args.node, out->args.suid;
    ensures mo_result_ok(out);
    behavior MCC_9_2_2:
      assumes otsa != MEFC_OTSA_OK;
      ensures out->kind == MEFC_DECIDE_REPORT && out->status == MEFC_ST_MO_NODE_BAD_ARGS;
    behavior MCC_9_2_4_FAIL:
      assumes otsa == MEFC_OTSA_OK;
      assumes !mo_attr(&cli->mo[idx], MEFC_MO_SUID) ||
              (cli->mo[idx].suid == suid && mo_in_sets(suid) && !mo_config_ok(cli, idx, suid));
      ensures out->kind == MEFC_DECIDE_REPORT &&
              out->status == MEFC_ST_MO_NODE_INCONSISTENT_CONFIG;
    behavior MCC_9_2_3:
      assumes otsa == MEFC_OTSA_OK && mo_attr(&cli->mo[idx], MEFC_MO_SUID);
      assumes cli->mo[idx].suid != suid;
      ensures out->kind == MEFC_DECIDE_REPORT &&
              out->status == MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS;
    behavior MCC_9_2_5:
      assumes otsa == MEFC_OTSA_OK && mo_attr(&cli->mo[idx], MEFC_MO_SUID);
      assumes cli->mo[idx].suid == suid && !mo_in_sets(suid);
      ensures out->kind == MEFC_DECIDE_REPORT &&
              out->status == MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS;
    behavior MCC_9_3_1:
      assumes otsa == MEFC_OTSA_OK && mo_attr(&cli->mo[idx], MEFC_MO_SUID);
      assumes cli->mo[idx].suid == suid && mo_set_symm(suid) && mo_config_ok(cli, idx, suid);
      assumes mo_attr(&cli->mo[idx], MEFC_MO_SKV);
      ensures out->kind == MEFC_DECIDE_REPORT && out->status == MEFC_ST_OK;
    behavior MCC_9_3_2:
      assumes otsa == MEFC_OTSA_OK && mo_attr(&cli->mo[idx], MEFC_MO_SUID);
      assumes cli->mo[idx].suid == suid && mo_set_symm(suid) && mo_config_ok(cli, idx, suid);
      assumes !mo_attr(&cli->mo[idx], MEFC_MO_SKV);
      ensures out->kind == MEFC_DECIDE_REPORT;
      ensures mo_key_held(cli, &cli->mo[idx].symm_key_id) ==> out->status == MEFC_ST_OK;
      ensures !mo_key_held(cli, &cli->mo[idx].symm_key_id) ==>
                out->status == MEFC_ST_MO_NODE_PROCESSING_FAILED;
    behavior MCC_9_4:
      assumes otsa == MEFC_OTSA_OK && mo_attr(&cli->mo[idx], MEFC_MO_SUID);
      assumes cli->mo[idx].suid == suid && mo_set_mef(suid) && mo_config_ok(cli, idx, suid);
      ensures out->kind == MEFC_DECIDE_EXECUTE && out->procedure == MEFC_PROC_MEF_KEY_REG;
      ensures out->args.node == idx && out->args.suid == suid;
    behavior MCC_9_5:
      assumes otsa == MEFC_OTSA_OK && mo_attr(&cli->mo[idx], MEFC_MO_SUID);
      assumes cli->mo[idx].suid == suid && mo_set_maf(suid) && mo_config_ok(cli, idx, suid);
      ensures out->kind == MEFC_DECIDE_EXECUTE && out->procedure == MEFC_PROC_MAF_KEY_REG;
      ensures out->args.node == idx && out->args.suid == suid;
    behavior MCC_9_6:
      assumes otsa == MEFC_OTSA_OK && mo_attr(&cli->mo[idx], MEFC_MO_SUID);
      assumes cli->mo[idx].suid == suid && mo_set_cert(suid) && mo_config_ok(cli, idx, suid);
      ensures out->kind == MEFC_DECIDE_REPORT;
      ensures mo_cert_held(cli, &cli->mo[idx].fp[0]) ==> out->status == MEFC_ST_OK;
      ensures !mo_cert_held(cli, &cli->mo[idx].fp[0]) ==>
                out->status == MEFC_ST_MO_NODE_PROCESSING_FAILED;
    complete behaviors;
    disjoint behaviors;
*/
static void mo_auth_profile(const mefc_client *cli, uint32_t idx, uint32_t otsa, int64_t suid,
                            mefc_decision *out) {
  const mefc_mo_node *n = &cli->mo[idx];
  /* Every fact is taken first, without short-circuits, and the status is
   * chosen into locals that one write at the end stores: one path up to the
   * choice and small proof obligations (as in mo_config_consistent). The
   * lookups have no effects, so taking them all costs only time. */
  bool has_suid = mo_has(n, MEFC_MO_SUID);
  bool same = n->suid == suid;
  int symm = (11 <= suid) & (suid <= 13);
  int mef = (21 <= suid) & (suid <= 23);
  int maf = (31 <= suid) & (suid <= 33);
  int cert = (41 <= suid) & (suid <= 43);
  bool consistent = mo_config_consistent(cli, idx, suid);
  bool skv = mo_has(n, MEFC_MO_SKV);
  bool key = mo_have_key(cli, &n->symm_key_id);
  bool own = mo_have_fp(cli, false, n->fp);
  uint32_t st = MEFC_ST_OK;
  uint32_t proc = MEFC_PROC_NONE;
  //@ assert (symm | mef | maf | cert) != 0 <==> mo_in_sets(suid);
  if (otsa != MEFC_OTSA_OK) {
    st = MEFC_ST_MO_NODE_BAD_ARGS;
  } else if (!has_suid) {
    /* A profile without an SUID attribute cannot be checked: inconsistent. */
    st = MEFC_ST_MO_NODE_INCONSISTENT_CONFIG;
  } else if (!same) {
    st = MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS;
  } else if ((symm | mef | maf | cert) == 0) {
    /* Ruling I-6: an SUID the client accepts but no procedure handles. */
    st = MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS;
  } else if (!consistent) {
    st = MEFC_ST_MO_NODE_INCONSISTENT_CONFIG;
  } else if (symm != 0) {
    st = (skv | key) ? MEFC_ST_OK : MEFC_ST_MO_NODE_PROCESSING_FAILED;
  } else if (mef != 0) {
    proc = MEFC_PROC_MEF_KEY_REG;
  } else if (maf != 0) {
    proc = MEFC_PROC_MAF_KEY_REG;
  } else {
    st = own ? MEFC_ST_OK : MEFC_ST_MO_NODE_PROCESSING_FAILED;
  }
  if (proc == MEFC_PROC_NONE) {
    mo_report(out, st);
  } else {
    out->kind = MEFC_DECIDE_EXECUTE;
    out->procedure = proc;
    out->args.node = idx;
    out->args.suid = suid;
  }
}

/* 8.3.9.9.7; ruling I-13 for objectTypeSpecificArgs and missing attributes. */
/*@ requires \valid_read(cli) && decide_client_ok(cli) && idx < cli->n_mo;
    requires \valid(out) && \separated(out, cli);
    assigns out->kind, out->status, out->procedure, out->args.node,
            out->args.fp[0 .. MEFC_FP_LEN - 1], out->args.uri[0 .. MEFC_URI_MAX - 1],
            out->args.uri_len;
    ensures mo_result_ok(out);
    behavior I_13:
      assumes otsa != MEFC_OTSA_ABSENT || !mo_attr(&cli->mo[idx], MEFC_MO_CFP) ||
              (!mo_ca_held(cli, &cli->mo[idx].fp[0]) && !mo_attr(&cli->mo[idx], MEFC_MO_URI));
      ensures out->kind == MEFC_DECIDE_REPORT;
      ensures otsa != MEFC_OTSA_ABSENT ==> out->status == MEFC_ST_MO_NODE_BAD_ARGS;
      ensures otsa == MEFC_OTSA_ABSENT ==> out->status == MEFC_ST_MO_NODE_INCONSISTENT_CONFIG;
    behavior MCC_9_7_1:
      assumes otsa == MEFC_OTSA_ABSENT && mo_attr(&cli->mo[idx], MEFC_MO_CFP) &&
              mo_ca_held(cli, &cli->mo[idx].fp[0]);
      ensures out->kind == MEFC_DECIDE_REPORT && out->status == MEFC_ST_OK;
    behavior MCC_9_7_2:
      assumes otsa == MEFC_OTSA_ABSENT && mo_attr(&cli->mo[idx], MEFC_MO_CFP) &&
              !mo_ca_held(cli, &cli->mo[idx].fp[0]) && mo_attr(&cli->mo[idx], MEFC_MO_URI);
      ensures out->kind == MEFC_DECIDE_EXECUTE &&
              out->procedure == MEFC_PROC_TRUST_ANCHOR_FETCH && out->args.node == idx;
      ensures out->args.uri_len == cli->mo[idx].uri_len;
      ensures \forall integer k; 0 <= k < out->args.uri_len ==>
                out->args.uri[k] == cli->mo[idx].uri[k];
      ensures mo_fp_eq(&out->args.fp[0], &cli->mo[idx].fp[0]);
    complete behaviors;
    disjoint behaviors;
*/
static void mo_trust_anchor(const mefc_client *cli, uint32_t idx, uint32_t otsa,
                            mefc_decision *out) {
  const mefc_mo_node *n = &cli->mo[idx];
  if (otsa != MEFC_OTSA_ABSENT) {
    mo_report(out, MEFC_ST_MO_NODE_BAD_ARGS);
  } else if (!mo_has(n, MEFC_MO_CFP)) {
    mo_report(out, MEFC_ST_MO_NODE_INCONSISTENT_CONFIG);
  } else if (mo_have_fp(cli, true, n->fp)) {
    mo_report(out, MEFC_ST_OK);
  } else if (!mo_has(n, MEFC_MO_URI)) {
    mo_report(out, MEFC_ST_MO_NODE_INCONSISTENT_CONFIG);
  } else {
    uint32_t k = 0;
    /*@ loop invariant 0 <= k <= n->uri_len;
        loop invariant \forall integer j; 0 <= j < k ==> out->args.uri[j] == n->uri[j];
        loop assigns k, out->args.uri[0 .. MEFC_URI_MAX - 1];
        loop variant n->uri_len - k;
    */
    while (k < n->uri_len) {
      out->args.uri[k] = n->uri[k];
      k++;
    }
    k = 0;
    /*@ loop invariant 0 <= k <= MEFC_FP_LEN;
        loop invariant \forall integer j; 0 <= j < k ==> out->args.fp[j] == n->fp[j];
        loop assigns k, out->args.fp[0 .. MEFC_FP_LEN - 1];
        loop variant MEFC_FP_LEN - k;
    */
    while (k < MEFC_FP_LEN) {
      out->args.fp[k] = n->fp[k];
      k++;
    }
    out->args.uri_len = n->uri_len;
    out->args.node = idx;
    out->procedure = MEFC_PROC_TRUST_ANCHOR_FETCH;
    out->kind = MEFC_DECIDE_EXECUTE;
  }
}

/* 8.3.9.9.8; ruling I-13: the registration needs fqdn and adminFQDN. */
/*@ requires \valid_read(cli) && decide_client_ok(cli) && idx < cli->n_mo;
    requires \valid(out) && \separated(out, cli);
    assigns out->kind, out->status, out->procedure, out->args.node;
    ensures mo_result_ok(out);
    behavior I_13:
      assumes otsa != MEFC_OTSA_ABSENT || !mo_attr(&cli->mo[idx], MEFC_MO_FQ) ||
              !mo_attr(&cli->mo[idx], MEFC_MO_ADFQ);
      ensures out->kind == MEFC_DECIDE_REPORT;
      ensures otsa != MEFC_OTSA_ABSENT ==> out->status == MEFC_ST_MO_NODE_BAD_ARGS;
      ensures otsa == MEFC_OTSA_ABSENT ==> out->status == MEFC_ST_MO_NODE_INCONSISTENT_CONFIG;
    behavior MCC_9_8:
      assumes otsa == MEFC_OTSA_ABSENT && mo_attr(&cli->mo[idx], MEFC_MO_FQ) &&
              mo_attr(&cli->mo[idx], MEFC_MO_ADFQ);
      ensures out->kind == MEFC_DECIDE_EXECUTE &&
              out->procedure == MEFC_PROC_MAF_CLIENT_REG && out->args.node == idx;
    complete behaviors;
    disjoint behaviors;
*/
static void mo_maf_client_reg(const mefc_client *cli, uint32_t idx, uint32_t otsa,
                              mefc_decision *out) {
  const mefc_mo_node *n = &cli->mo[idx];
  if (otsa != MEFC_OTSA_ABSENT) {
    mo_report(out, MEFC_ST_MO_NODE_BAD_ARGS);
  } else if (!mo_has(n, MEFC_MO_FQ) || !mo_has(n, MEFC_MO_ADFQ)) {
    mo_report(out, MEFC_ST_MO_NODE_INCONSISTENT_CONFIG);
  } else {
    out->kind = MEFC_DECIDE_EXECUTE;
    out->procedure = MEFC_PROC_MAF_CLIENT_REG;
    out->args.node = idx;
  }
}

/* 8.3.9.9.1 steps 4 and 5. A profile beyond its capacities is an
 * inconsistent configuration (304); a valid profile never takes that path. */
/*@ requires \valid_read(cli);
    requires \valid(out) && \separated(out, cli);
    requires MEFC_OTYP_AUTH_PROFILE <= otyp <= MEFC_OTYP_MAF_CLIENT_REG_CFG;
    requires otsa == MEFC_OTSA_OK ==> decode_suid_enum(suid);
    assigns out->kind, out->status, out->procedure, out->args.node, out->args.suid,
            out->args.fp[0 .. MEFC_FP_LEN - 1], out->args.uri[0 .. MEFC_URI_MAX - 1],
            out->args.uri_len;
    ensures mo_result_ok(out);
    behavior bad_profile:
      assumes !decide_client_ok(cli);
      ensures out->kind == MEFC_DECIDE_REPORT &&
              out->status == MEFC_ST_MO_NODE_INCONSISTENT_CONFIG;
    behavior MCC_9_1_4a:
      assumes decide_client_ok(cli) && idx >= cli->n_mo;
      ensures out->kind == MEFC_DECIDE_REPORT && out->status == MEFC_ST_MO_NODE_NOT_FOUND;
    behavior MCC_9_1_4b:
      assumes decide_client_ok(cli) && idx < cli->n_mo && cli->mo[idx].mgd != mo_otyp_mgd(otyp);
      ensures out->kind == MEFC_DECIDE_REPORT && out->status == MEFC_ST_MO_NODE_TYPE_CONFLICT;
    behavior MCC_9_1_5:
      assumes decide_client_ok(cli) && idx < cli->n_mo && cli->mo[idx].mgd == mo_otyp_mgd(otyp);
      ensures otyp == MEFC_OTYP_AUTH_PROFILE && out->kind == MEFC_DECIDE_EXECUTE ==>
                out->procedure == MEFC_PROC_MEF_KEY_REG || out->procedure == MEFC_PROC_MAF_KEY_REG;
      ensures otyp == MEFC_OTYP_TRUST_ANCHOR_CRED && out->kind == MEFC_DECIDE_EXECUTE ==>
                out->procedure == MEFC_PROC_TRUST_ANCHOR_FETCH;
      ensures otyp == MEFC_OTYP_MAF_CLIENT_REG_CFG && out->kind == MEFC_DECIDE_EXECUTE ==>
                out->procedure == MEFC_PROC_MAF_CLIENT_REG;
    complete behaviors;
    disjoint behaviors;
*/
void mefc_mo_decide(const mefc_client *cli, uint32_t idx, uint32_t otyp, uint32_t otsa,
                    int64_t suid, mefc_decision *out) {
  if (!mefc_client_check(cli)) {
    mo_report(out, MEFC_ST_MO_NODE_INCONSISTENT_CONFIG);
  } else if (idx >= cli->n_mo) {
    mo_report(out, MEFC_ST_MO_NODE_NOT_FOUND);
  } else {
    uint32_t want = (otyp == MEFC_OTYP_AUTH_PROFILE)
                        ? MEFC_MGD_AUTH_PROFILE
                        : ((otyp == MEFC_OTYP_TRUST_ANCHOR_CRED) ? MEFC_MGD_TRUST_ANCHOR_CRED
                                                                 : MEFC_MGD_MAF_CLIENT_REG_CFG);
    if (cli->mo[idx].mgd != want) {
      mo_report(out, MEFC_ST_MO_NODE_TYPE_CONFLICT);
    } else if (otyp == MEFC_OTYP_AUTH_PROFILE) {
      mo_auth_profile(cli, idx, otsa, suid, out);
    } else if (otyp == MEFC_OTYP_TRUST_ANCHOR_CRED) {
      mo_trust_anchor(cli, idx, otsa, out);
    } else {
      mo_maf_client_reg(cli, idx, otsa, out);
    }
  }
}
