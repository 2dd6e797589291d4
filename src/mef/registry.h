/* Registrations (<mefClientReg>, one per client identity) and each client's
 * position in its campaign: which command is current, how often it was issued,
 * how many of its Updates are still to be dropped (fault injection). */
#ifndef MEFD_REGISTRY_H
#define MEFD_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "campaign.h"

#define MEFD_RN_MAX 32u

struct mefd_client {
  char *id;                                 /* client identity (FR) */
  const struct mefd_campaign_client *camp;  /* its command list */
  char rn[MEFD_RN_MAX];                     /* resourceName = MEFClientRegID */
  char et[20];                              /* expirationTime granted */
  size_t cur;                               /* index of the current command in camp->cmds */
  unsigned issued;                          /* times the current command was issued */
  unsigned drops_left;                      /* its Updates still to leave unanswered */
  unsigned est_pending_left;                /* its enrolments still to answer 202 */
  void *resource;                           /* the transport's handle of .../cmd */
};

struct mefd_registry {
  const struct mefd_campaign *campaign;
  struct mefd_client **v;
  size_t n;
  unsigned next_seq;
  long reg_seconds;  /* --registration-seconds: cap of a granted et, 0 = none */
};

void mefd_registry_init(struct mefd_registry *r, const struct mefd_campaign *c);

/* The client's state, created on its first registration. NULL when the
 * campaign names no such client (and has no "*" entry). *created tells
 * whether it was new. */
struct mefd_client *mefd_registry_get(struct mefd_registry *r, const char *client_id,
                                      bool *created);

/* The state of a registered client, or NULL (never creates one). */
struct mefd_client *mefd_registry_find(struct mefd_registry *r, const char *client_id);

/* The registration named rn, or NULL. */
struct mefd_client *mefd_registry_by_rn(struct mefd_registry *r, const char *rn);

/* The current command of a client. */
const struct mefd_cmd *mefd_client_current(const struct mefd_client *c);

/* Move to the next command (the final NO_MORE_COMMANDS stays current). */
void mefd_client_advance(struct mefd_client *c);

/* Grant c an expirationTime (8.3.5.2.3: the MEF may assign another value
 * than the one asked for): `asked` (a oneM2M timestamp, or NULL for none),
 * else a day from now, and never later than now + reg_seconds when that is
 * set. */
void mefd_registry_grant_et(const struct mefd_registry *r, struct mefd_client *c,
                            const char *asked);

/* Whether c's registration has expired (MCC-1-5): its et is before now,
 * written to now_out as a oneM2M timestamp. */
bool mefd_client_expired(const struct mefd_client *c, char now_out[20]);

void mefd_registry_free(struct mefd_registry *r);

#endif
