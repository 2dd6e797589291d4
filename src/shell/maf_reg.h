/* The MAF Client Registrations the client holds (TS-0003 8.8.2.3 as 8.3.9.9.8
 * runs it): the verification of a registration response, and the durable
 * index (mafreg.json in the state directory) that MAF Key Registration reads
 * for its precondition B (8.3.9.9.5). */
#ifndef MEFC_SHELL_MAF_REG_H
#define MEFC_SHELL_MAF_REG_H

#include <stddef.h>

#include <jansson.h>

#include "config.h"

#define MAF_REG_INDEX "mafreg.json"

/* MCC-9-8-VERIFY: NULL when the <mafClientReg> response resp verifies
 * against the request sent, else what failed. client_id is the MAF Client
 * ID expected; now a kr_timestamp. */
const char *maf_verify_client_reg(const json_t *resp, const json_t *sent, const char *client_id,
                                  const char *now);

/* MCC-9-5-PB: the stored registration with MAF fq for stakeholder adfq that
 * has not expired at now (a new reference), or NULL with why filled. */
json_t *maf_reg_find(const mefc_config *cfg, const char *fq, const char *adfq, const char *now,
                     char *why, size_t cap);

#endif
