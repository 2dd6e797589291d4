/* Registrations and per-client campaign state. One registration per client
 * identity: a client that registers again (after a restart) keeps its place
 * in the campaign, so a command it never reported is REISSUED to it. */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mefd_registry_init(struct mefd_registry *r, const struct mefd_campaign *c)
{
  r->campaign = c;
  r->v = NULL;
  r->n = 0;
  r->next_seq = 1;
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
