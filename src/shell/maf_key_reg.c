/* MAF Key Registration (TS-0003 8.8.2.7) as 8.3.9.9.5 runs it for an
 * [authenticationProfile] with SUID 31-33: preconditions A (a child
 * [MAFClientRegCfg] and a [registration] or [dataCollection] parent; SUID 31
 * fails here, ruling I-32) and B (a stored, unexpired MAF Client Registration
 * with that MAF and stakeholder), then the request, the MAF Handshake on the
 * child's httpPort (HTTPS) or coapPort (CoAP/DTLS, ruling I-43), verification and the key from the session's export with
 * the label 10.3.1 gives for the MAF, stored under RelativeKeyID@MAF-FQDN
 * (10.3.5). Shared with MEF Key Registration: keyreg_common.c. Every failure
 * is 305 for the core; the log says which side failed (I-36). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "executor.h"
#include "keyreg_common.h"
#include "log.h"
#include "maf_reg.h"
#include "onem2m.h"

/* 10.3.1, "TLS Key Export Details for M2M Secure Connection Key". */
#define MAF_KR_LABEL "EXPORTER-oneM2M-Connection"

uint32_t maf_key_reg(exec_ctx *x, const mefc_exec_args *args)
{
  const mefc_config *cfg = x->cfg;
  const mefc_client *cli = x->cli;
  char node[MEFC_PATH_MAX + 1], now[20], why[400];
  uint32_t idx = args->node;
  if (idx >= cli->n_mo)
    return MEFC_OUTCOME_CLIENT_ERROR;
  kr_node_path(cli, idx, node, sizeof node);
  uint32_t child = kr_child(cli, idx, MEFC_MGD_MAF_CLIENT_REG_CFG);
  uint32_t parent = cli->mo[idx].parent;
  uint32_t pm = parent < cli->n_mo ? cli->mo[parent].mgd : 0;
  /* MCC-9-5-PA (I-32: a [MAFClientRegCfg] parent, as SUID 31 has, fails). */
  if (child == MEFC_NONE || (pm != MEFC_MGD_REGISTRATION && pm != MEFC_MGD_DATA_COLLECTION)) {
    mlog(MLOG_INFO, "maf key reg: %s: precondition A fails: needs a child [MAFClientRegCfg] and a "
         "[registration] or [dataCollection] parent (ruling I-32; client side)", node);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  const char *fq = kr_attr_str(cfg, child, "fq"), *adfq = kr_attr_str(cfg, child, "adfq");
  if (fq == NULL || adfq == NULL) {
    mlog(MLOG_INFO, "maf key reg: %s: the child [MAFClientRegCfg] lacks fqdn or adminFQDN", node);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  kr_timestamp(time(NULL), now);
  /* MCC-9-5-PB: nothing is sent without a currently valid registration. */
  json_t *reg = maf_reg_find(cfg, fq, adfq, now, why, sizeof why);
  if (reg == NULL) {
    mlog(MLOG_INFO, "maf key reg: %s: precondition B fails: %s (client side)", node, why);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  json_decref(reg);
  /* MCC-9-5-PROTO: HTTPS on the child's httpPort, else CoAP/DTLS on its coapPort. */
  kr_peer peer = {"maf key reg", fq, OM2M_MAF_PATH, 0, 1, 0, 1};
  return kr_key_reg(cfg, cli, &peer, idx, child, args->suid, "the child [MAFClientRegCfg]", "I-43",
                    MAF_KR_LABEL);
}
