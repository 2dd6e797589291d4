/* ACSL logic shared by the contracts of the core: equality of identifiers,
 * validity of the durable record, the status codes a client may report.
 * Everything here lives in annotation comments; compilers ignore it. */
#ifndef MEFC_ACSL_H
#define MEFC_ACSL_H

#include "mefc/command.h"

/*@
  predicate mefc_id_ok(mefc_cmd_id *a) =
    1 <= a->len <= MEFC_CMD_ID_MAX;

  predicate mefc_id_eq{L1, L2}(mefc_cmd_id *a, mefc_cmd_id *b) =
    \at(a->len, L1) == \at(b->len, L2) &&
    \at(a->len, L1) <= MEFC_CMD_ID_MAX &&
    \forall integer i; 0 <= i < \at(a->len, L1) ==> \at(a->b[i], L1) == \at(b->b[i], L2);

  predicate mefc_class_ok(integer c) = 0 <= c <= 3;

  // Status codes the client itself may send in an Update (Table 12.3.2.4-1 minus 10/11).
  predicate mefc_client_status(integer s) =
    s == 20 || s == 40 || s == 41 || s == 42 || s == 43 ||
    s == 100 || s == 101 || s == 201 || s == 202 ||
    s == 300 || s == 301 || s == 302 || s == 303 || s == 304 || s == 305;

  predicate mefc_record_ok(mefc_record *r) =
    (r->phase == MEFC_PHASE_NONE) ||
    (r->phase == MEFC_PHASE_STARTED && mefc_id_ok(&r->id) && 1 <= r->class_id <= 3) ||
    ((r->phase == MEFC_PHASE_DONE || r->phase == MEFC_PHASE_REPORTED) &&
       mefc_id_ok(&r->id) && mefc_client_status(r->status));

  // The record names a command (any phase but NONE) with this ID.
  predicate mefc_same_cmd{L1, L2}(mefc_record *r, mefc_cmd_id *id) =
    \at(r->phase, L1) != MEFC_PHASE_NONE && mefc_id_eq{L1, L2}(&r->id, id);
*/

/*@
  // decide.c: the capacities of the client profile the decision relies on
  // (every length within its array, every count within its capacity).
  predicate decide_node_ok(mefc_mo_node *n, integer n_mo) =
    n->path_len <= MEFC_PATH_MAX && n->n_tlcs <= MEFC_TLCS_MAX &&
    n->uri_len <= MEFC_URI_MAX && n->symm_key_id.len <= MEFC_KEY_ID_MAX &&
    (n->parent < n_mo || n->parent == MEFC_NONE);

  predicate decide_client_ok(mefc_client *c) =
    c->mef_fqdn_len <= MEFC_FQDN_MAX &&
    c->n_acts_for <= MEFC_ACTS_FOR_MAX &&
    (\forall integer i; 0 <= i < c->n_acts_for ==> c->acts_for[i].len <= MEFC_ID_MAX) &&
    c->n_symm_keys <= MEFC_KEYS_MAX &&
    (\forall integer i; 0 <= i < c->n_symm_keys ==> c->symm_keys[i].len <= MEFC_KEY_ID_MAX) &&
    c->n_certs <= MEFC_CERTS_MAX && c->n_ca_certs <= MEFC_CERTS_MAX &&
    c->n_mo <= MEFC_MO_NODES_MAX &&
    (\forall integer i; 0 <= i < c->n_mo ==> decide_node_ok(&c->mo[i], c->n_mo));

  // outcome.c: the client-side failure status of a class (ruling I-2).
  logic integer outcome_class_failure(integer c) =
    c == 1 ? 101 : (c == 2 ? 202 : (c == 3 ? 305 : 42));

  // outcome.c: the status an executed procedure reports for an outcome.
  logic integer outcome_status(integer p, integer o) =
    (p == 1 || p == 2) ? (o == 0 ? 20 : (o == 1 ? 100 : 101)) :
    (p == 3 ? (o == 0 ? 20 : (o == 1 ? 201 : 202)) :
    ((4 <= p && p <= 7) ? (o == 0 ? 20 : 305) : 42));
*/

#endif
