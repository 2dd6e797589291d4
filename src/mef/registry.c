/* Registrations and per-client campaign state. One registration per client
 * identity: a client that registers again (after a restart, or once its
 * registration expired) keeps its place in the campaign, so a command it
 * never reported is REISSUED to it. */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void mefd_registry_init(struct mefd_registry *r, const struct mefd_campaign *c)
{
  r->campaign = c;
  r->v = NULL;
  r->n = 0;
  r->next_seq = 1;
  r->reg_seconds = 0;
}

static void timestamp(time_t t, char out[20])
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 20, "%Y%m%dT%H%M%S", &tm);
}

void mefd_registry_grant_et(const struct mefd_registry *r, struct mefd_client *c,
                            const char *asked)
{
  time_t now = time(NULL);
  char cap[20];
  /* Not asked for: one day from now, as before --registration-seconds. */
  timestamp(now + (r->reg_seconds > 0 ? (time_t)r->reg_seconds : 86400), cap);
  /* Timestamps of one fixed width compare as text. */
  if (asked != NULL && (r->reg_seconds == 0 || strcmp(asked, cap) < 0))
    snprintf(c->et, sizeof c->et, "%s", asked);
  else
    snprintf(c->et, sizeof c->et, "%s", cap);
}

bool mefd_client_expired(const struct mefd_client *c, char now_out[20])
{
  timestamp(time(NULL), now_out);
  return c->et[0] != '\0' && strcmp(c->et, now_out) < 0;
}

struct mefd_client *mefd_registry_get(struct mefd_registry *r, const char *client_id,
                                      bool *created)
{
  *created = false;
  struct mefd_client *known = mefd_registry_find(r, client_id);
  if (known != NULL)
    return known;
  const struct mefd_campaign_client *camp = mefd_campaign_find(r->campaign, client_id);
  if (camp == NULL)
    return NULL;
  struct mefd_client **nv = realloc(r->v, (r->n + 1) * sizeof *nv);
  if (nv == NULL)
    return NULL;
  r->v = nv;
  struct mefd_client *c = calloc(1, sizeof *c);
  if (c == NULL || (c->id = strdup(client_id)) == NULL) {
    free(c);
    return NULL;
  }
  c->camp = camp;
  snprintf(c->rn, sizeof c->rn, "reg-%u", r->next_seq++);
  c->drops_left = camp->cmds[0].drop_updates;
  c->est_pending_left = camp->cmds[0].est_pending;
  r->v[r->n++] = c;
  *created = true;
  return c;
}

struct mefd_client *mefd_registry_find(struct mefd_registry *r, const char *client_id)
{
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->v[i]->id, client_id) == 0)
      return r->v[i];
  return NULL;
}

struct mefd_client *mefd_registry_by_rn(struct mefd_registry *r, const char *rn)
{
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->v[i]->rn, rn) == 0)
      return r->v[i];
  return NULL;
}

const struct mefd_cmd *mefd_client_current(const struct mefd_client *c)
{
  return &c->camp->cmds[c->cur];
}

void mefd_client_advance(struct mefd_client *c)
{
  if (c->cur + 1 < c->camp->n)
    c->cur++;
  c->issued = 0;
  c->drops_left = c->camp->cmds[c->cur].drop_updates;
  c->est_pending_left = c->camp->cmds[c->cur].est_pending;
}

void mefd_registry_free(struct mefd_registry *r)
{
  for (size_t i = 0; i < r->n; i++) {
    free(r->v[i]->id);
    free(r->v[i]);
  }
  free(r->v);
  r->v = NULL;
  r->n = 0;
}
