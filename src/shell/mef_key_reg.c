/* MEF Key Registration (TS-0003 8.3.5.2.7) as 8.3.9.9.4 runs it for an
 * [authenticationProfile] with SUID 21-23: the request built from the profile,
 * its parent and its child [MEFClientRegCfg], sent in a new MEF Handshake over
 * the binding the child's ports allow, the response verified element by
 * element, the key taken from the TLS exporter of that same session (10.3.1)
 * and stored under RelativeKeyID@MEF-FQDN (10.3.4). Wire format and choices:
 * spec/binding.md 6.4, ruling I-40 (HTTPS, or CoAP/DTLS with the request
 * told by its body's root); the exchange, verification and storage it
 * shares with MAF Key Registration are in keyreg_common.c. Every failure is
 * 305 for the core; the outcome still says which side failed (I-36). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "executor.h"
#include "keyreg_common.h"
#include "log.h"
#include "onem2m.h"

#define MKR_LABEL "EXPORTER-oneM2M-Bootstrap"

uint32_t mef_key_reg(exec_ctx *x, const mefc_exec_args *args)
{
  const mefc_config *cfg = x->cfg;
  const mefc_client *cli = x->cli;
  char node[MEFC_PATH_MAX + 1];
  uint32_t idx = args->node;
  if (idx >= cli->n_mo)
    return MEFC_OUTCOME_CLIENT_ERROR;
  kr_node_path(cli, idx, node, sizeof node);
  uint32_t child = kr_child(cli, idx, MEFC_MGD_MEF_CLIENT_REG_CFG);
  const char *fq = child != MEFC_NONE ? kr_attr_str(cfg, child, "fq") : NULL;
  const char *adfq = child != MEFC_NONE ? kr_attr_str(cfg, child, "adfq") : NULL;
  if (fq == NULL || adfq == NULL) {
    mlog(MLOG_INFO, "mef key reg: %s: the child [MEFClientRegCfg] lacks fqdn or adminFQDN", node);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  if (strcmp(fq, cfg->mef_fqdn) != 0) {
    /* MCC-9-4-PB: the registration this client holds is with mef.fqdn. */
    mlog(MLOG_INFO, "mef key reg: %s: no MEF Client Registration with %s (registered with %s)",
         node, fq, cfg->mef_fqdn);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  /* MCC-9-4-PROTO: HTTPS on httpPort, else CoAP over DTLS on coapPort. */
  kr_peer peer = {"mef key reg", NULL, OM2M_MEF_PATH, 0, 0, 0, 1};
  return kr_key_reg(cfg, cli, &peer, idx, child, args->suid, "the child [MEFClientRegCfg]", "I-40",
                    MKR_LABEL);
}
