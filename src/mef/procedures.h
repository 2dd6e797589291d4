/* The MEF side of MEF Client Registration (TS-0003 8.3.5.2.3) and of the MEF
 * Client Command Retrieve and Update procedures (8.3.9.2 steps 2-4, 8.3.9.3
 * steps 2-4), independent of the transport: request bodies in, a oneM2M
 * Response Status Code and a body out. */
#ifndef MEFD_PROCEDURES_H
#define MEFD_PROCEDURES_H

#include <stdbool.h>
#include <stddef.h>

#include "registry.h"
#include "results.h"

/* oneM2M Response Status Codes mefd sends (TS-0004 / TS-0008 table 6.2.4-1). */
enum mefd_rsc {
  MEFD_RSC_OK = 2000,
  MEFD_RSC_CREATED = 2001,
  MEFD_RSC_UPDATED = 2004,
  MEFD_RSC_BAD_REQUEST = 4000,
  MEFD_RSC_NOT_FOUND = 4004,
  MEFD_RSC_OPERATION_NOT_ALLOWED = 4005,
  MEFD_RSC_UNSUPPORTED_MEDIA_TYPE = 4015,
  MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE = 4103,
  MEFD_RSC_INTERNAL_SERVER_ERROR = 5000,
  MEFD_RSC_NOT_ACCEPTABLE = 5207
};

/* TY of <mefClientCmd> in profile v1 (spec/binding.md), named in the
 * registration's childResource reference. */
#define MEFD_TY_MEF_CLIENT_CMD 10021

struct mefd_reply {
  int rsc;      /* enum mefd_rsc */
  char *body;   /* malloc'd JSON text, or NULL for none */
  size_t len;
  bool drop;    /* send nothing at all (fault injection) */
};

/* MEF Client Registration: body is the CREATE content. On success *client is
 * the (new or existing) registration and reply->rsc is 2001. */
void mefd_proc_register(struct mefd_registry *reg, const char *client_id, const void *body,
                        size_t len, struct mefd_reply *reply, struct mefd_client **client);

/* MCC-1-5: a Retrieve or Update (`what`) addressed to the <mefClientCmd> of
 * a registration whose expirationTime is past. The expired <mefClientReg>,
 * and so its child, no longer exists: true after logging, with reply set to
 * 4004 NOT_FOUND and no body; false when the registration is in force. */
bool mefd_proc_expired(const struct mefd_client *c, const char *what, struct mefd_reply *reply);

/* MEF Client Command Retrieve on the client's <mefClientCmd>. */
void mefd_proc_retrieve(struct mefd_client *c, struct mefd_reply *reply);

/* MEF Client Command Update on the client's <mefClientCmd>. */
void mefd_proc_update(struct mefd_results *res, struct mefd_client *c, const void *body,
                      size_t len, struct mefd_reply *reply);

#endif
