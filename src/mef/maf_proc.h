/* The reference MAF's procedures (TS-0003 8.8.2.3 MAF Client Registration,
 * 8.8.2.7 MAF Key Registration) in profile v1 (spec/binding.md 6.5, rulings
 * I-41, I-42), independent of the transport: the CREATE content and the
 * authenticated MAF Client ID in, a Response Status Code and a body out. */
#ifndef MEFD_MAF_PROC_H
#define MEFD_MAF_PROC_H

#include <stddef.h>
#include <stdint.h>

#include "key_reg.h"
#include "procedures.h"

/* profile v1 resource type of <mafClientReg> (ruling I-42). */
#define MEFD_TY_MAF_CLIENT_REG 10023
/* 10.3.1: the export of a MAF Key Registration session. */
#define MEFD_MAF_KR_LABEL "EXPORTER-oneM2M-Connection"

struct mefd_maf_reg {
  char *client;   /* MAF Client ID */
  char *adfq;     /* the administrating stakeholder it registered for */
  char ri[24];    /* mafClientRegID */
  char et[16];    /* expirationTime granted */
};

struct mefd_maf_state {
  const char *fqdn;            /* --maf-fqdn */
  struct mefd_maf_reg *regs;
  size_t n;
  unsigned next;               /* for the next mafClientRegID */
  struct mefd_key_regs kr;     /* keys registered (kr.dir: --key-dir) */
};

/* MAF Client Registration from client_id; fault is the campaign's
 * key_reg_fault of the client's current command, or NULL. On success
 * location holds the created record's path. */
void mefd_maf_client_register(struct mefd_maf_state *m, const char *client_id, const char *fault,
                              const void *body, size_t len, struct mefd_reply *reply,
                              char *location, size_t cap);

/* MAF Key Registration from client_id; exported is the 48-byte export of the
 * request's session under MEFD_MAF_KR_LABEL, or NULL. */
void mefd_maf_key_register(struct mefd_maf_state *m, const char *client_id, const char *fault,
                           const void *body, size_t len, const uint8_t *exported,
                           struct mefd_reply *reply);

void mefd_maf_state_free(struct mefd_maf_state *m);

#endif
