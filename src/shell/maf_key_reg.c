/* MAF Key Registration (TS-0003 8.8.2.7) as 8.3.9.9.5 runs it for an
 * [authenticationProfile] with SUID 31-33: preconditions A (a child
 * [MAFClientRegCfg] and a [registration] or [dataCollection] parent; SUID 31
 * fails here, ruling I-32) and B (a stored, unexpired MAF Client Registration
 * with that MAF and stakeholder), then the request, the MAF Handshake on the
 * child's httpPort, verification and the key from the session's export with
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
  char node[MEFC_PATH_MAX + 1], now[20], et[20], why[400];
  uint32_t idx = args->node;
  uint16_t port;
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
  time_t t0 = time(NULL);
  kr_timestamp(t0, now);
  /* MCC-9-5-PB: nothing is sent without a currently valid registration. */
  json_t *reg = maf_reg_find(cfg, fq, adfq, now, why, sizeof why);
  if (reg == NULL) {
    mlog(MLOG_INFO, "maf key reg: %s: precondition B fails: %s (client side)", node, why);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  json_decref(reg);
  if (kr_expiry(kr_attr_str(cfg, idx, "mkrd"), t0, et) != 0) {
    mlog(MLOG_INFO, "maf key reg: %s: MAFKeyRegDuration is not an xs:duration of at most 100 years",
         node);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  /* MCC-9-5-PROTO */
  if (kr_http_port(cfg, child, "maf key reg", node, "the child [MAFClientRegCfg]",
                   "key registration", "I-43", &port) != 0)
    return MEFC_OUTCOME_CLIENT_ERROR;
  /* MCC-9-5-TGTS: precondition A leaves [registration] and [dataCollection]. */
  json_t *tgis = kr_target_ids(cfg, cli, parent, 0);
  if (tgis == NULL) {
    mlog(MLOG_INFO, "maf key reg: %s: no targetIDs from the parent node (csi or cntp)", node);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  /* MCC-9-5-REQ */
  json_t *sent = kr_key_reg_request(cfg, idx, fq, adfq, args->suid, et, tgis);
  if (sent == NULL)
    return MEFC_OUTCOME_CLIENT_ERROR;
  mlog(MLOG_INFO, "maf key reg: %s suid=%lld with %s over https port %u, et=%s, %zu target(s)",
       node, (long long)args->suid, fq, (unsigned)port, et,
       json_array_size(json_object_get(sent, "tgis")));
  kr_peer peer = {"maf key reg", fq, OM2M_MAF_PATH, port, 1};
  uint32_t oc = kr_key_reg_run(cfg, &peer, node, sent, now, MAF_KR_LABEL);
  json_decref(sent);
  return oc;
}
