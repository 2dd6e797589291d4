/* Log vocabulary: each decision is printed with the requirement ID of
 * spec/requirements.md that made it. The ID is read back from the decision
 * (kind, class, status, effect) and the prior record; where several steps
 * yield the same status the IDs are listed with '/'. */
#include "describe.h"

#include <stdio.h>

#include "mefc/engine.h"
#include "mefc/status.h"

const char *desc_status(uint32_t s)
{
  switch (s) {
  case 10: return "ISSUED";
  case 11: return "REISSUED";
  case 20: return "OK";
  case 40: return "REPEATED_CMD_ID";
  case 41: return "CLASS_NOT_SUPPORTED";
  case 42: return "BAD_ARGUMENTS";
  case 43: return "UNACCEPTABLE_ARGUMENTS";
  case 100: return "CERT_PROV_SERVER_ERROR";
  case 101: return "CERT_PROV_CLIENT_ERROR";
  case 201: return "DEV_CFG_SERVER_ERROR";
  case 202: return "DEV_CFG_CLIENT_ERROR";
  case 300: return "MO_NODE_NOT_FOUND";
  case 301: return "MO_NODE_TYPE_CONFLICT";
  case 302: return "MO_NODE_BAD_ARGS";
  case 303: return "MO_NODE_UNACCEPTABLE_ARGS";
  case 304: return "MO_NODE_INCONSISTENT_CONFIG";
  case 305: return "MO_NODE_PROCESSING_FAILED";
  default: return "?";
  }
}

const char *desc_procedure(uint32_t p)
{
  switch (p) {
  case MEFC_PROC_EST_ENROLL: return "est_enroll";
  case MEFC_PROC_SCEP_ENROLL: return "scep_enroll";
  case MEFC_PROC_DEV_CFG: return "dev_cfg";
  case MEFC_PROC_TRUST_ANCHOR_FETCH: return "trust_anchor_fetch";
  case MEFC_PROC_MEF_KEY_REG: return "mef_key_reg";
  case MEFC_PROC_MAF_KEY_REG: return "maf_key_reg";
  case MEFC_PROC_MAF_CLIENT_REG: return "maf_client_reg";
  default: return "unknown";
  }
}

const char *desc_outcome(uint32_t o)
{
  switch (o) {
  case MEFC_OUTCOME_OK: return "ok";
  case MEFC_OUTCOME_SERVER_ERROR: return "server_error";
  case MEFC_OUTCOME_CLIENT_ERROR: return "client_error";
  default: return "?";
  }
}

const char *desc_event(uint32_t k)
{
  switch (k) {
  case MEFC_EV_START: return "start";
  case MEFC_EV_TRIGGER: return "trigger";
  case MEFC_EV_RESPONSE: return "response";
  case MEFC_EV_TRANSPORT_FAIL: return "transport_fail";
  case MEFC_EV_OUTCOME: return "outcome";
  case MEFC_EV_TIMER: return "timer";
  default: return "?";
  }
}

/* The status meaning (8.3.9.5 steps 4-18, in the order of the table). */
static const char *meaning(uint32_t s)
{
  switch (s) {
  case 20: return "MCC-5-4";
  case 40: return "MCC-5-5";
  case 41: return "MCC-5-6";
  case 42: return "MCC-5-7";
  case 43: return "MCC-5-8";
  case 100: return "MCC-5-9";
  case 101: return "MCC-5-10";
  case 201: return "MCC-5-11";
  case 202: return "MCC-5-12";
  case 300: return "MCC-5-13";
  case 301: return "MCC-5-14";
  case 302: return "MCC-5-15";
  case 303: return "MCC-5-16";
  case 304: return "MCC-5-17";
  case 305: return "MCC-5-18";
  default: return "?";
  }
}

static const char *report_new(const mefc_decision *d)
{
  switch (d->status) {
  case 41: return "MCC-2-5c";
  case 42:
    switch (d->class_id) {
    case 0: return "MCC-6-3";
    case 1: return "MCC-7-3/I-12";
    case 2: return "MCC-8-3/I-12";
    default: return "MCC-9-1-3/I-12";
    }
  case 43:
    switch (d->class_id) {
    case 1: return "MCC-7-4-FAIL/MCC-4-TGT";
    case 2: return "MCC-8-4-FAIL/MCC-4-TGT";
    default: return "MCC-4-TGT";
    }
  case 300: return "MCC-9-1-4a";
  case 301: return "MCC-9-1-4b";
  case 302: return "MCC-9-2-2/I-13";
  case 303: return "MCC-9-2-3/MCC-9-2-5";
  case 304: return "MCC-9-2-4-FAIL/I-13";
  case 305: return "MCC-9-3-2/MCC-9-6";
  case 20: return "MCC-9-3-1/MCC-9-3-2/MCC-9-6/MCC-9-7-1";
  default: return "";
  }
}

const char *desc_rule(const mefc_decision *d, const mefc_record *prior)
{
  static char buf[128];
  switch (d->kind) {
  case MEFC_DECIDE_RETRY:
    return "MCC-2-5a, I-10";
  case MEFC_DECIDE_WAIT:
    return "MCC-6-3, MCC-6-5";
  case MEFC_DECIDE_EXECUTE:
    switch (d->procedure) {
    case MEFC_PROC_EST_ENROLL:
    case MEFC_PROC_SCEP_ENROLL: return "MCC-7-5";
    case MEFC_PROC_DEV_CFG: return "MCC-8-5";
    case MEFC_PROC_TRUST_ANCHOR_FETCH: return "MCC-9-7-2";
    case MEFC_PROC_MEF_KEY_REG: return "MCC-9-4";
    case MEFC_PROC_MAF_KEY_REG: return "MCC-9-5";
    case MEFC_PROC_MAF_CLIENT_REG: return "MCC-9-8";
    default: return "MCC-2-5d";
    }
  case MEFC_DECIDE_REPORT:
    if (d->effect == MEFC_REC_FAILED)
      return "I-2";
    if (d->effect == MEFC_REC_KEEP) {
      if (prior->phase == MEFC_PHASE_REPORTED)
        return d->mef_status == MEFC_ST_REISSUED ? "I-1, MCC-5-3" : "MCC-2-5b";
      return "I-2";
    }
    snprintf(buf, sizeof buf, "%s%s%s", report_new(d), report_new(d)[0] ? ", " : "",
             meaning(d->status));
    return buf;
  default:
    return "?";
  }
}

const char *desc_id(const mefc_cmd_id *id, char *buf, size_t cap)
{
  size_t o = 0;
  uint32_t n = id->len <= MEFC_CMD_ID_MAX ? id->len : MEFC_CMD_ID_MAX;
  for (uint32_t i = 0; i < n && o + 5 < cap; i++) {
    uint8_t c = id->b[i];
    if (c >= 0x21 && c < 0x7f && c != '\\') {
      buf[o++] = (char)c;
    } else {
      snprintf(buf + o, cap - o, "\\x%02x", c);
      o += 4;
    }
  }
  buf[o < cap ? o : cap - 1] = '\0';
  return buf;
}
