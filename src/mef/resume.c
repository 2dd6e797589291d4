/* --resume (resume.h). What cannot be rebuilt is said here: how often the
 * current command was issued (it goes out ISSUED again, which a client
 * handles like any re-sent command, rulings I-1 and I-2) and the fault
 * injection counters of the current command, which start afresh, and the
 * expirationTime granted, which is granted again from the restart on. */
#include "resume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"

static void replay(struct mefd_registry *reg, json_t *o, size_t *n)
{
  const char *client = json_string_value(json_object_get(o, "client"));
  const char *rn = json_string_value(json_object_get(o, "reg"));
  const char *id = json_string_value(json_object_get(o, "cmd_id"));
  if (client == NULL || rn == NULL || id == NULL || json_is_true(json_object_get(o, "discarded")))
    return;
  bool created;
  struct mefd_client *c = mefd_registry_get(reg, client, &created);
  if (c == NULL)
    return;
  if (created) {
    unsigned seq;
    snprintf(c->rn, sizeof c->rn, "%s", rn);
    if (sscanf(rn, "reg-%u", &seq) == 1 && seq >= reg->next_seq)
      reg->next_seq = seq + 1;
  }
  for (size_t i = c->cur; i < c->camp->n; i++) {
    if (strcmp(c->camp->cmds[i].id, id) == 0) {
      c->cur = i;
      mefd_client_advance(c);
      (*n)++;
      return;
    }
  }
}

int mefd_resume(struct mefd_registry *reg, const char *results_path)
{
  FILE *f = fopen(results_path, "r");
  if (f == NULL) {
    mefd_log("resume: no results file %s yet: nothing to resume", results_path);
    return 0;
  }
  char *line = NULL;
  size_t cap = 0, n = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, f)) > 0) {
    json_t *o = json_loadb(line, (size_t)len, 0, NULL);
    if (json_is_object(o))
      replay(reg, o, &n);
    json_decref(o);
  }
  free(line);
  fclose(f);
  for (size_t i = 0; i < reg->n; i++) {
    struct mefd_client *c = reg->v[i];
    char who[160], id[160];
    const struct mefd_cmd *cur = mefd_client_current(c);
    /* The granted et is not in the results file: the resumed registration is
     * granted afresh, as a registration made now would be (MCC-1-5). */
    mefd_registry_grant_et(reg, c, NULL);
    mefd_log("resume: client=%s reg=%s campaign position %zu/%zu, current cmd=%s, et=%s",
             mefd_log_safe(who, sizeof who, c->id, strlen(c->id)), c->rn, c->cur + 1, c->camp->n,
             mefd_log_safe(id, sizeof id, cur->id, strlen(cur->id)), c->et);
  }
  mefd_log("resume: %zu recorded statuses replayed from %s", n, results_path);
  return 0;
}
