/* Dispatch of EXECUTE decisions to their executors, one per procedure of
 * enum mefc_procedure. A value outside it (which the core never decides)
 * ends in a client-side failure with a clear log line, never a success. */
#include "executor.h"

#include "describe.h"
#include "log.h"
#include "mefc/status.h"

uint32_t exec_run(exec_ctx *x, const mefc_decision *d)
{
  uint32_t outcome;
  switch (d->procedure) {
  case MEFC_PROC_EST_ENROLL:
    outcome = est_enroll(x, &d->args);
    break;
  case MEFC_PROC_SCEP_ENROLL:
    outcome = scep_enroll(x, &d->args);
    break;
  case MEFC_PROC_TRUST_ANCHOR_FETCH:
    outcome = ta_fetch(x, &d->args);
    break;
  case MEFC_PROC_MEF_KEY_REG:
    outcome = mef_key_reg(x, &d->args);
    break;
  case MEFC_PROC_DEV_CFG:
    outcome = lwm2m_dev_cfg(x, &d->args); /* MCC-8-5 */
    break;
  case MEFC_PROC_MAF_KEY_REG:
    outcome = maf_key_reg(x, &d->args);
    break;
  case MEFC_PROC_MAF_CLIENT_REG:
    outcome = maf_client_reg(x, &d->args);
    break;
  default:
    mlog(MLOG_INFO, "procedure %s not implemented in this build: client_error",
         desc_procedure(d->procedure));
    outcome = MEFC_OUTCOME_CLIENT_ERROR;
    break;
  }
  return outcome;
}
