/* Executors of the procedures the core asks for (MEFC_ACT_EXECUTE). Each
 * returns an enum mefc_outcome; which failures are server-side and which
 * client-side (8.3.9.7 step 6, 8.3.9.8 step 6) is documented per executor
 * in docs/config.md and in the file of each executor. */
#ifndef MEFC_SHELL_EXECUTOR_H
#define MEFC_SHELL_EXECUTOR_H

#include <stdint.h>

#include "config.h"
#include "keystore.h"
#include "mefc/command.h"

typedef struct {
  mefc_config *cfg;   /* mo_json replaced after a DEV_CFG bootstrap */
  keystore *ks;
  mefc_client *cli;   /* updated after an enrolment or a fetch */
} exec_ctx;

/* Run the procedure of an EXECUTE decision; returns its enum mefc_outcome. */
uint32_t exec_run(exec_ctx *x, const mefc_decision *d);

/* RFC 7030 enrolment (est_client.c). */
uint32_t est_enroll(exec_ctx *x, const mefc_exec_args *args);

/* RFC 8894 enrolment (scep_client.c). */
uint32_t scep_enroll(exec_ctx *x, const mefc_exec_args *args);

/* MEF Key Registration for an [authenticationProfile] with SUID 21-23
 * (mef_key_reg.c, 8.3.9.9.4). */
uint32_t mef_key_reg(exec_ctx *x, const mefc_exec_args *args);

/* MAF Client Registration for a [MAFClientRegCfg] (maf_client_reg.c,
 * 8.3.9.9.8) and MAF Key Registration for an [authenticationProfile] with
 * SUID 31-33 (maf_key_reg.c, 8.3.9.9.5). */
uint32_t maf_client_reg(exec_ctx *x, const mefc_exec_args *args);
uint32_t maf_key_reg(exec_ctx *x, const mefc_exec_args *args);

/* [trustAnchorCred] certificate fetch (trust_anchor.c). */
uint32_t ta_fetch(exec_ctx *x, const mefc_exec_args *args);

/* DEV_CFG with devMgmtID 3: LwM2M client-initiated bootstrap
 * (lwm2m_bootstrap.c, 8.3.9.8 step 5). */
uint32_t lwm2m_dev_cfg(exec_ctx *x, const mefc_exec_args *args);

#endif
