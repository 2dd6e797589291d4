/* The campaign file: per client identity, the ordered MEF Client Commands to
 * issue. Checks the shape of the file (types, unknown keys, unique cmdIDs)
 * and builds each cmdDescription once; the values inside "args" and "mccd"
 * are the campaign author's and go out unchanged. */
#include "campaign.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "log.h"
#include "raw_entry.h"

#define DEFAULT_RETRY "PT30S"
#define DEFAULT_FINAL_ID "nomore"

static int bad(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const char *path, const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  mefd_log("campaign: %s: %s", path, msg);
  return -1;
}

static int only_keys(const char *path, const char *where, const json_t *obj,
                     const char *const *allowed)
{
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)obj, key, val) {
    bool ok = false;
    (void)val;
    for (size_t i = 0; allowed[i] != NULL; i++)
      ok = ok || strcmp(key, allowed[i]) == 0;
    if (!ok)
      return bad(path, "%s: unknown key \"%s\"", where, key);
  }
  return 0;
}

static int opt_string(const char *path, const char *where, const json_t *obj, const char *key,
                      size_t max, const char **out)
{
  json_t *v = json_object_get(obj, key);
  if (v == NULL)
    return 0;
  if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max ||
      strlen(json_string_value(v)) != json_string_length(v))
    return bad(path, "%s: \"%s\" must be a string of 1..%zu bytes without NUL", where, key, max);
  *out = json_string_value(v);
  return 0;
}

/* One entry of "commands" into *cmd. */
static int load_cmd(const char *path, const char *where, const json_t *e, struct mefd_cmd *cmd)
{
  static const char *const keys[] = {"id", "class", "args", "target", "mccd", "expect",
                                     "drop_updates", "est_pending", "est_fail", "key_reg_fault", "bootstrap",
                                     "comment", NULL};
  if (!json_is_object(e))
    return bad(path, "%s: must be an object", where);
  if (only_keys(path, where, e, keys) != 0)
    return -1;
  const char *id = NULL;
  if (opt_string(path, where, e, "id", MEFD_CMD_ID_MAX, &id) != 0)
    return -1;
  if (id == NULL)
    return bad(path, "%s: \"id\" (the cmdID) is required", where);
  json_t *cls = json_object_get(e, "class");
  json_t *args = json_object_get(e, "args");
  json_t *target = json_object_get(e, "target");
  json_t *raw = json_object_get(e, "mccd");
  json_t *expect = json_object_get(e, "expect");
  json_t *drops = json_object_get(e, "drop_updates");
  json_t *pending = json_object_get(e, "est_pending");
  json_t *fail = json_object_get(e, "est_fail");
  json_t *krf = json_object_get(e, "key_reg_fault");
  json_t *comment = json_object_get(e, "comment");
  json_t *boot = json_object_get(e, "bootstrap");
  if (boot != NULL && mefd_bs_check(path, where, boot) != 0)
    return -1;
  if ((cls == NULL) == (raw == NULL))
    return bad(path, "%s: give exactly one of \"class\" and \"mccd\"", where);
  if (raw != NULL && (args != NULL || target != NULL))
    return bad(path, "%s: \"args\" and \"target\" go with \"class\", not with \"mccd\"", where);
  if (cls != NULL && !json_is_integer(cls))
    return bad(path, "%s: \"class\" must be an integer", where);
  if (args != NULL && !json_is_object(args))
    return bad(path, "%s: \"args\" must be an object (use \"mccd\" for anything else)", where);
  if (target != NULL && !json_is_string(target))
    return bad(path, "%s: \"target\" must be a string (use \"mccd\" for anything else)", where);
  if (expect != NULL && (!json_is_integer(expect) || json_integer_value(expect) < 0 ||
                         json_integer_value(expect) > 999))
    return bad(path, "%s: \"expect\" must be a status code (integer 0..999)", where);
  if (drops != NULL && (!json_is_integer(drops) || json_integer_value(drops) < 0 ||
                        json_integer_value(drops) > 100))
    return bad(path, "%s: \"drop_updates\" must be an integer 0..100", where);
  if (pending != NULL && (!json_is_integer(pending) || json_integer_value(pending) < 0 ||
                          json_integer_value(pending) > 10))
    return bad(path, "%s: \"est_pending\" must be an integer 0..10", where);
  if (fail != NULL && (!json_is_integer(fail) || json_integer_value(fail) < 400 ||
                       json_integer_value(fail) > 599))
    return bad(path, "%s: \"est_fail\" must be an HTTP status 400..599", where);
  if (comment != NULL && !json_is_string(comment))
    return bad(path, "%s: \"comment\" must be a string", where);
  if (krf != NULL && (!json_is_string(krf) ||
                      (strcmp(json_string_value(krf), "refuse") != 0 &&
                       strncmp(json_string_value(krf), "omit:", 5) != 0 &&
                       strncmp(json_string_value(krf), "alter:", 6) != 0)))
    return bad(path, "%s: \"key_reg_fault\" must be \"refuse\", \"omit:NAME\" or \"alter:NAME\"",
               where);

  cmd->id = strdup(id);
  cmd->expect = expect != NULL ? (long long)json_integer_value(expect) : -1;
  cmd->drop_updates = drops != NULL ? (unsigned)json_integer_value(drops) : 0u;
  cmd->est_pending = pending != NULL ? (unsigned)json_integer_value(pending) : 0u;
  cmd->est_fail = fail != NULL ? (int)json_integer_value(fail) : 0;
  cmd->key_reg_fault = krf != NULL ? strdup(json_string_value(krf)) : NULL;
  cmd->bootstrap = boot != NULL ? json_deep_copy(boot) : NULL;
  if (raw != NULL) {
    cmd->mccd = json_deep_copy(raw);
    json_t *ccid = json_is_object(raw) ? json_object_get(raw, "ccid") : NULL;
    cmd->class_id = json_is_integer(ccid) ? (long long)json_integer_value(ccid) : -1;
  } else {
    cmd->class_id = (long long)json_integer_value(cls);
    cmd->mccd = json_object();
    if (cmd->mccd != NULL) {
      json_object_set_new(cmd->mccd, "ccid", json_integer(json_integer_value(cls)));
      if (args != NULL)
        json_object_set_new(cmd->mccd, "cma", json_deep_copy(args));
      if (target != NULL)
        json_object_set_new(cmd->mccd, "tgi", json_deep_copy(target));
    }
  }
  if (cmd->id == NULL || cmd->mccd == NULL)
    return bad(path, "%s: out of memory", where);
  return 0;
}

/* One member of "clients" into *cc. */
static int load_client(const char *path, const char *name, const json_t *obj,
                       const char *default_retry, struct mefd_campaign_client *cc)
{
  static const char *const keys[] = {"commands", "retry_duration", "final_id", "comment", NULL};
  char where[200];
  snprintf(where, sizeof where, "client \"%.100s\"", name);
  if (!json_is_object(obj))
    return bad(path, "%s: must be an object", where);
  if (only_keys(path, where, obj, keys) != 0)
    return -1;
  json_t *cmds = json_object_get(obj, "commands");
  if (cmds != NULL && !json_is_array(cmds))
    return bad(path, "%s: \"commands\" must be an array", where);
  const char *retry = default_retry, *final_id = DEFAULT_FINAL_ID;
  if (opt_string(path, where, obj, "retry_duration", 64, &retry) != 0 ||
      opt_string(path, where, obj, "final_id", MEFD_CMD_ID_MAX, &final_id) != 0)
    return -1;
  size_t n = cmds != NULL ? json_array_size(cmds) : 0;
  cc->id = strdup(name);
  cc->cmds = calloc(n + 1, sizeof *cc->cmds);
  if (cc->id == NULL || cc->cmds == NULL)
    return bad(path, "out of memory");
  for (size_t i = 0; i < n; i++) {
    char w[260];
    snprintf(w, sizeof w, "%s command %zu", where, i + 1);
    json_t *e = json_array_get(cmds, i);
    if ((json_object_get(e, "raw_b64") != NULL ? mefd_raw_load(path, w, e, &cc->cmds[i])
                                               : load_cmd(path, w, e, &cc->cmds[i])) != 0)
      return -1;
    cc->n++;
    for (size_t j = 0; j < i; j++)
      if (strcmp(cc->cmds[j].id, cc->cmds[i].id) == 0)
        return bad(path, "%s: cmdID \"%s\" given twice", w, cc->cmds[i].id);
  }
  for (size_t j = 0; j < n; j++)
    if (strcmp(cc->cmds[j].id, final_id) == 0)
      return bad(path, "%s: \"final_id\" \"%s\" is also a command's cmdID", where, final_id);
  /* The last entry: NO_MORE_COMMANDS (class 0) with the retryDuration. */
  struct mefd_cmd *last = &cc->cmds[n];
  cc->n++;
  last->id = strdup(final_id);
  last->class_id = 0;
  last->expect = -1;
  last->mccd = json_pack("{s:i, s:{s:{s:s}}}", "ccid", 0, "cma", "nmca", "rdu", retry);
  if (last->id == NULL || last->mccd == NULL)
    return bad(path, "out of memory");
  return 0;
}

int mefd_campaign_load(struct mefd_campaign *c, const char *path)
{
  static const char *const keys[] = {"clients", "retry_duration", "comment", NULL};
  c->v = NULL;
  c->n = 0;
  json_error_t jerr;
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
  if (root == NULL)
    return bad(path, "line %d: %s", jerr.line, jerr.text);
  int rc = 0;
  json_t *clients = json_object_get(root, "clients");
  const char *retry = DEFAULT_RETRY;
  if (!json_is_object(root))
    rc = bad(path, "the campaign must be a JSON object");
  else if (only_keys(path, "top level", root, keys) != 0 ||
           opt_string(path, "top level", root, "retry_duration", 64, &retry) != 0)
    rc = -1;
  else if (!json_is_object(clients) || json_object_size(clients) == 0)
    rc = bad(path, "\"clients\" must be an object naming at least one client");
  if (rc == 0) {
    c->v = calloc(json_object_size(clients), sizeof *c->v);
    if (c->v == NULL)
      rc = bad(path, "out of memory");
  }
  const char *name;
  json_t *obj;
  if (rc == 0) {
    json_object_foreach(clients, name, obj) {
      if (name[0] == '\0') {
        rc = bad(path, "a client identity must not be empty");
        break;
      }
      rc = load_client(path, name, obj, retry, &c->v[c->n]);
      c->n++;
      if (rc != 0)
        break;
    }
  }
  json_decref(root);
  if (rc != 0) {
    mefd_campaign_free(c);
    return -1;
  }
  size_t total = 0;
  for (size_t i = 0; i < c->n; i++)
    total += c->v[i].n;
  mefd_log("campaign: %zu clients, %zu commands (each list ends with NO_MORE_COMMANDS) from %s",
           c->n, total, path);
  return 0;
}

const struct mefd_campaign_client *mefd_campaign_find(const struct mefd_campaign *c,
                                                      const char *client_id)
{
  const struct mefd_campaign_client *any = NULL;
  for (size_t i = 0; i < c->n; i++) {
    if (strcmp(c->v[i].id, client_id) == 0)
      return &c->v[i];
    if (strcmp(c->v[i].id, "*") == 0)
      any = &c->v[i];
  }
  return any;
}

void mefd_campaign_free(struct mefd_campaign *c)
{
  for (size_t i = 0; i < c->n; i++) {
    struct mefd_campaign_client *cc = &c->v[i];
    for (size_t j = 0; cc->cmds != NULL && j < cc->n; j++) {
      free(cc->cmds[j].id);
      free(cc->cmds[j].key_reg_fault);
      json_decref(cc->cmds[j].mccd);
      json_decref(cc->cmds[j].bootstrap);
      free(cc->cmds[j].raw);
    }
    free(cc->cmds);
    free(cc->id);
  }
  free(c->v);
  c->v = NULL;
  c->n = 0;
}
