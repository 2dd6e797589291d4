/* The campaign: per client identity, the ordered MEF Client Commands mefd
 * issues, then NO_MORE_COMMANDS with the client's retryDuration. Loaded from
 * JSON and checked for shape; argument values are sent as written, so tests
 * can issue hostile or unsupported commands. Format: docs/mefd.md. */
#ifndef MEFD_CAMPAIGN_H
#define MEFD_CAMPAIGN_H

#include <stddef.h>
#include <jansson.h>

/* Longest cmdID a campaign may hold: longer than the client's own capacity on
 * purpose, so a test can send one the client must refuse. */
#define MEFD_CMD_ID_MAX 1024u

struct mefd_cmd {
  char *id;              /* cmdID (mcci) */
  json_t *mccd;          /* cmdDescription sent as is */
  long long class_id;    /* ccid when the command has an integer one, else -1 */
  long long expect;      /* status the demo expects, -1 when not given */
  unsigned char *raw;    /* raw entry: the whole response body, sent instead of mccd */
  size_t raw_len;
  unsigned raw_serves;   /* raw entry: Retrieves it answers before the campaign moves on */
  unsigned drop_updates; /* fault injection: Updates for this cmdID left unanswered */
  unsigned est_pending;  /* EST: answer 202 + Retry-After to this many enrolments first */
  int est_fail;          /* EST: answer enrolments with this HTTP status, 0 = enrol */
  char *key_reg_fault;   /* MEF Key Registration: "refuse", "omit:NAME", "alter:NAME", or NULL */
  json_t *bootstrap;     /* DEV_CFG over LwM2M: what mefd writes as Bootstrap-Server (bootstrap.h) */
};

struct mefd_campaign_client {
  char *id;              /* client identity, or "*" for any client not named */
  struct mefd_cmd *cmds; /* in order; the last entry is the NO_MORE_COMMANDS */
  size_t n;              /* including that last entry */
};

struct mefd_campaign {
  struct mefd_campaign_client *v;
  size_t n;
};

/* Load and check path. Returns 0, or -1 after logging what is wrong. */
int mefd_campaign_load(struct mefd_campaign *c, const char *path);

/* The campaign of a client: its own, else the "*" one, else NULL. */
const struct mefd_campaign_client *mefd_campaign_find(const struct mefd_campaign *c,
                                                      const char *client_id);

void mefd_campaign_free(struct mefd_campaign *c);

#endif
