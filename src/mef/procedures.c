/* The MEF side of MEF Client Registration and of the MEF Client Command
 * Retrieve and Update procedures. Requirement IDs of the MEF-side steps:
 *   MCC-2-2  process the Retrieve; an error gives an error response
 *   MCC-2-3  take the command currently associated with the registration
 *   MCC-2-4  respond with cmdID, cmdDescription and ISSUED (10) or REISSUED (11)
 *   MCC-3-2a parse the Update into cmdID and cmdStatusCode, else BAD_REQUEST
 *   MCC-3-2b match the cmdID with the most recently issued one: record, or discard
 *   MCC-3-3  determine the next command
 *   MCC-3-4  respond to the Update with that command, as in MCC-2-4
 *   MCC-1-5  (MEF side) nothing under a registration whose expirationTime is past
 * A command is ISSUED the first time it goes out and REISSUED every later time
 * until an Update for it is matched. */
#include "procedures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "mefc/status.h"

/* A reply with body o (taken over); no body to send is an internal error. */
static void reply_json(struct mefd_reply *reply, int rsc, json_t *o)
{
  reply->body = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
  reply->len = reply->body != NULL ? strlen(reply->body) : 0;
  reply->rsc = reply->body != NULL ? rsc : MEFD_RSC_INTERNAL_SERVER_ERROR;
  json_decref(o);
}

static void reply_empty(struct mefd_reply *reply, int rsc)
{
  reply->rsc = rsc;
  reply->body = NULL;
  reply->len = 0;
}

/* The member "sec:<name>" or "m2m:<name>" of a root object: exactly one. */
static json_t *root_member(json_t *root, const char *name)
{
  char sec[32], m2m[32];
  snprintf(sec, sizeof sec, "sec:%s", name);
  snprintf(m2m, sizeof m2m, "m2m:%s", name);
  if (!json_is_object(root))
    return NULL;
  json_t *a = json_object_get(root, sec), *b = json_object_get(root, m2m);
  if ((a == NULL) == (b == NULL))
    return NULL;
  json_t *v = a != NULL ? a : b;
  return json_is_object(v) ? v : NULL;
}

/* A oneM2M timestamp "YYYYMMDDTHHMMSS". */
static bool is_timestamp(const char *s)
{
  if (strlen(s) != 15 || s[8] != 'T')
    return false;
  for (int i = 0; i < 15; i++)
    if (i != 8 && (s[i] < '0' || s[i] > '9'))
      return false;
  return true;
}

void mefd_proc_register(struct mefd_registry *reg, const char *client_id, const void *body,
                        size_t len, struct mefd_reply *reply, struct mefd_client **client)
{
  char who[160];
  mefd_log_safe(who, sizeof who, client_id, strlen(client_id));
  *client = NULL;
  reply->drop = false;
  json_error_t jerr;
  json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
  json_t *mecr = root_member(root, "mecr");
  json_t *lbl = mecr != NULL ? json_object_get(mecr, "lbl") : NULL;
  json_t *et = mecr != NULL ? json_object_get(mecr, "et") : NULL;
  bool ok = mecr != NULL && (lbl == NULL || json_is_array(lbl)) &&
            (et == NULL || (json_is_string(et) && is_timestamp(json_string_value(et))));
  for (size_t i = 0; ok && lbl != NULL && i < json_array_size(lbl); i++)
    ok = json_is_string(json_array_get(lbl, i));
  if (!ok) {
    mefd_log("register: client=%s: body is not a <mefClientReg> ({\"sec:mecr\":{...}} with "
             "optional lbl array of strings and et timestamp) -> 4000",
             who);
    json_decref(root);
    reply_empty(reply, MEFD_RSC_BAD_REQUEST);
    return;
  }
  bool created;
  struct mefd_client *c = mefd_registry_get(reg, client_id, &created);
  if (c == NULL) {
    mefd_log("register: client=%s: no campaign for this client -> 4103", who);
    json_decref(root);
    reply_empty(reply, MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE);
    return;
  }
  mefd_registry_grant_et(reg, c, et != NULL ? json_string_value(et) : NULL);
  char cmd_path[MEFD_RN_MAX + 16];
  snprintf(cmd_path, sizeof cmd_path, "/mef/%s/cmd", c->rn);
  json_t *out = json_pack("{s:{s:s, s:s, s:s, s:s, s:[{s:s, s:i, s:s}]}}", "sec:mecr", "ri",
                          c->rn, "rn", c->rn, "et", c->et, "mci", client_id, "ch", "nm", "cmd",
                          "typ", MEFD_TY_MEF_CLIENT_CMD, "val", cmd_path);
  if (out != NULL && lbl != NULL)
    json_object_set(json_object_get(out, "sec:mecr"), "lbl", lbl);
  json_decref(root);
  mefd_log("register: client=%s reg=%s %s, cmd resource %s, campaign position %zu/%zu, "
           "et=%s%s -> 2001",
           who, c->rn, created ? "created" : "exists (registered again, campaign kept)",
           cmd_path, c->cur + 1, c->camp->n, c->et,
           reg->reg_seconds > 0 ? " (at most --registration-seconds)" : "");
  *client = c;
  reply_json(reply, MEFD_RSC_CREATED, out);
}

bool mefd_proc_expired(const struct mefd_client *c, const char *what, struct mefd_reply *reply)
{
  char now[20], who[160];
  if (!mefd_client_expired(c, now))
    return false;
  mefd_log("%s: client=%s reg=%s: registration expired at %s (now %s): no such resource "
           "-> 4004 [MCC-1-5]", what, mefd_log_safe(who, sizeof who, c->id, strlen(c->id)),
           c->rn, c->et, now);
  reply->drop = false;
  reply_empty(reply, MEFD_RSC_NOT_FOUND);
  return true;
}

/* The <mefClientCmd> representation of the current command, marking it
 * issued (10 the first time, 11 after). `why` is the requirement ID. */
static json_t *issue(struct mefd_client *c, const char *why)
{
  const struct mefd_cmd *cmd = mefd_client_current(c);
  int mccs = c->issued == 0 ? MEFC_ST_ISSUED : MEFC_ST_REISSUED;
  c->issued++;
  char who[160], id[160];
  mefd_log("issue: client=%s reg=%s cmd=%s class=%lld mccs=%d (%s) [%s]",
           mefd_log_safe(who, sizeof who, c->id, strlen(c->id)), c->rn,
           mefd_log_safe(id, sizeof id, cmd->id, strlen(cmd->id)), cmd->class_id, mccs,
           mccs == MEFC_ST_ISSUED ? "ISSUED" : "REISSUED", why);
  return json_pack("{s:{s:s, s:i, s:O}}", "sec:mcc", "mcci", cmd->id, "mccs", mccs, "mccd",
                   cmd->mccd);
}

/* The response to a Retrieve or Update: the current command, as JSON or, for
 * a raw campaign entry, as the entry's bytes exactly (raw_entry.h). */
static void reply_command(struct mefd_client *c, struct mefd_reply *reply, int rsc,
                          const char *why)
{
  const struct mefd_cmd *cmd = mefd_client_current(c);
  if (cmd->raw == NULL) {
    reply_json(reply, rsc, issue(c, why));
    return;
  }
  char who[160], id[160];
  c->issued++;
  mefd_log("issue: client=%s reg=%s cmd=%s raw body of %zu bytes, serve %u of %u [%s]",
           mefd_log_safe(who, sizeof who, c->id, strlen(c->id)), c->rn,
           mefd_log_safe(id, sizeof id, cmd->id, strlen(cmd->id)), cmd->raw_len, c->issued,
           cmd->raw_serves, why);
  reply->rsc = rsc;
  reply->len = cmd->raw_len;
  reply->body = cmd->raw_len > 0 ? malloc(cmd->raw_len) : NULL;
  if (reply->body != NULL)
    memcpy(reply->body, cmd->raw, cmd->raw_len);
  else if (cmd->raw_len > 0)
    reply_empty(reply, MEFD_RSC_INTERNAL_SERVER_ERROR);
}

void mefd_proc_retrieve(struct mefd_client *c, struct mefd_reply *reply)
{
  reply->drop = false;
  /* A raw entry the client was served raw_serves times and did not report
   * (it could not parse it, I-10): a further Retrieve moves the campaign on. */
  const struct mefd_cmd *cur = mefd_client_current(c);
  if (cur->raw != NULL && c->issued >= cur->raw_serves) {
    char id[160];
    mefd_log("retrieve: reg=%s raw entry %s served %u times without a matching Update; next",
             c->rn, mefd_log_safe(id, sizeof id, cur->id, strlen(cur->id)), c->issued);
    mefd_client_advance(c);
  }
  /* MCC-2-3: the command currently associated with the registration. */
  reply_command(c, reply, MEFD_RSC_OK, "MCC-2-3, MCC-2-4");
}

/* cmdStatusCode values a MEF Client reports (Table 12.3.2.4-1 less 10/11). */
static bool client_status(long long s)
{
  switch (s) {
  case MEFC_ST_OK:
  case MEFC_ST_REPEATED_CMD_ID:
  case MEFC_ST_CLASS_NOT_SUPPORTED:
  case MEFC_ST_BAD_ARGUMENTS:
  case MEFC_ST_UNACCEPTABLE_ARGUMENTS:
  case MEFC_ST_CERT_PROV_SERVER_ERROR:
  case MEFC_ST_CERT_PROV_CLIENT_ERROR:
  case MEFC_ST_DEV_CFG_SERVER_ERROR:
  case MEFC_ST_DEV_CFG_CLIENT_ERROR:
  case MEFC_ST_MO_NODE_NOT_FOUND:
  case MEFC_ST_MO_NODE_TYPE_CONFLICT:
  case MEFC_ST_MO_NODE_BAD_ARGS:
  case MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS:
  case MEFC_ST_MO_NODE_INCONSISTENT_CONFIG:
  case MEFC_ST_MO_NODE_PROCESSING_FAILED:
    return true;
  default:
    return false;
  }
}

void mefd_proc_update(struct mefd_results *res, struct mefd_client *c, const void *body,
                      size_t len, struct mefd_reply *reply)
{
  char who[160], id[160];
  mefd_log_safe(who, sizeof who, c->id, strlen(c->id));
  reply->drop = false;

  /* MCC-3-2a: cmdID (a non-empty string) and cmdStatusCode (a status a
   * client reports); anything else is BAD_REQUEST with no command. */
  json_error_t jerr;
  json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
  json_t *mcc = root_member(root, "mcc");
  json_t *mcci = mcc != NULL ? json_object_get(mcc, "mcci") : NULL;
  json_t *mccs = mcc != NULL ? json_object_get(mcc, "mccs") : NULL;
  if (!json_is_string(mcci) || json_string_length(mcci) == 0 ||
      json_string_length(mcci) > MEFD_CMD_ID_MAX ||
      strlen(json_string_value(mcci)) != json_string_length(mcci) || !json_is_integer(mccs) ||
      !client_status(json_integer_value(mccs))) {
    mefd_log("update: client=%s reg=%s: not parseable into cmdID and cmdStatusCode -> 4000 "
             "[MCC-3-2a]", who, c->rn);
    json_decref(root);
    reply_empty(reply, MEFD_RSC_BAD_REQUEST);
    return;
  }
  const char *cmd_id = json_string_value(mcci);
  long long status = json_integer_value(mccs);
  mefd_log_safe(id, sizeof id, cmd_id, strlen(cmd_id));
  const struct mefd_cmd *cur = mefd_client_current(c);
  bool match = c->issued > 0 && strcmp(cmd_id, cur->id) == 0;

  if (match && c->drops_left > 0) {
    c->drops_left--;
    mefd_log("update: client=%s reg=%s cmd=%s status=%lld: dropped, no response (campaign "
             "drop_updates, %u more to drop)", who, c->rn, id, status, c->drops_left);
    json_decref(root);
    reply->drop = true;
    reply_empty(reply, 0);
    return;
  }

  /* MCC-3-2b: record a match, discard anything else. */
  struct mefd_result line = {.client = c->id, .reg = c->rn, .cmd_id = cmd_id, .status = status,
                             .class_id = -1, .expect = -1, .discarded = !match,
                             .current_id = c->issued > 0 ? cur->id : NULL};
  if (match) {
    line.class_id = cur->class_id;
    line.expect = cur->expect;
    mefd_log("update: client=%s reg=%s cmd=%s status=%lld%s: matches the most recently issued "
             "command, recorded [MCC-3-2b]", who, c->rn, id, status,
             cur->expect >= 0 && cur->expect != status ? " (campaign expected another status)"
                                                        : "");
  } else {
    char cur_id[160];
    mefd_log("update: client=%s reg=%s cmd=%s status=%lld: most recently issued is %s, "
             "discarded [MCC-3-2b]", who, c->rn, id, status,
             c->issued > 0 ? mefd_log_safe(cur_id, sizeof cur_id, cur->id, strlen(cur->id))
                           : "(none)");
  }
  int wrote = mefd_results_append(res, &line);
  json_decref(root);
  if (wrote != 0) {
    reply_empty(reply, MEFD_RSC_INTERNAL_SERVER_ERROR);
    return;
  }
  /* MCC-3-3: the next command, or the same one when nothing matched. */
  if (match)
    mefd_client_advance(c);
  /* MCC-3-4: respond with it. */
  reply_command(c, reply, MEFD_RSC_UPDATED, "MCC-3-3, MCC-3-4");
}
