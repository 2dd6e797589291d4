/* MAF Client Registration (TS-0003 8.8.2.3) as 8.3.9.9.8 runs it for a
 * [MAFClientRegCfg] node: the request formed from the node's attributes, sent
 * in a MAF Handshake (8.8.2.2) of its own to the MAF on the node's httpPort
 * (HTTPS) or, with coapPort only, over CoAP/DTLS typed by its body's root,
 * the response verified element by element and stored, bound to the node,
 * in mafreg.json of the state directory. Wire form: spec/binding.md 6.5;
 * rulings I-41 (handshake credentials), I-42 (wire form), I-43 (binding).
 * Every failure is 305 for the core; the log says which side failed (I-36). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "executor.h"
#include "keyreg_common.h"
#include "log.h"
#include "maf_reg.h"
#include "onem2m.h"

#define MAF_REG_FORMAT "mefc-mafreg"

const char *maf_verify_client_reg(const json_t *resp, const json_t *sent, const char *client_id,
                                  const char *now)
{
  const json_t *ri = json_object_get(resp, "ri"), *et = json_object_get(resp, "et");
  const json_t *mci = json_object_get(resp, "mci");
  if (!json_is_string(ri) || json_string_length(ri) == 0)
    return "mafClientRegID (ri) missing";
  if (!kr_is_timestamp(json_string_value(et)))
    return "expirationTime (et) missing or not a timestamp";
  if (strcmp(json_string_value(et), now) < 0)
    return "expirationTime (et) is already past";
  if (!json_is_string(mci) || strcmp(json_string_value(mci), client_id) != 0)
    return "MAF Client ID (mci) missing or not this client's";
  if (!json_equal(json_object_get(resp, "adfq"), json_object_get(sent, "adfq")))
    return "adminFQDN (adfq) missing or not the one sent";
  return NULL;
}

json_t *maf_reg_find(const mefc_config *cfg, const char *fq, const char *adfq, const char *now,
                     char *why, size_t cap)
{
  json_t *idx = kr_index_load(cfg, MAF_REG_INDEX, MAF_REG_FORMAT, "regs", why, cap);
  json_t *a = json_object_get(idx, "regs"), *found = NULL;
  const char *expired = NULL;
  for (size_t i = 0; i < json_array_size(a) && found == NULL; i++) {
    json_t *e = json_array_get(a, i);
    const char *efq = json_string_value(json_object_get(e, "fq"));
    const char *ead = json_string_value(json_object_get(e, "adfq"));
    const char *eet = json_string_value(json_object_get(e, "et"));
    if (efq == NULL || ead == NULL || eet == NULL || strcasecmp(efq, fq) != 0 ||
        strcmp(ead, adfq) != 0)
      continue;
    if (strcmp(eet, now) < 0)
      expired = eet;
    else
      found = json_incref(e);
  }
  if (found == NULL && idx != NULL) {
    if (expired != NULL)
      snprintf(why, cap, "the MAF Client Registration with %s for %s expired at %s", fq, adfq,
               expired);
    else
      snprintf(why, cap, "no MAF Client Registration with %s for %s", fq, adfq);
  }
  json_decref(idx);
  return found;
}

uint32_t maf_client_reg(exec_ctx *x, const mefc_exec_args *args)
{
  const mefc_config *cfg = x->cfg;
  const mefc_client *cli = x->cli;
  char node[MEFC_PATH_MAX + 1], now[20], err[400];
  uint32_t idx = args->node;
  uint16_t port;
  if (idx >= cli->n_mo)
    return MEFC_OUTCOME_CLIENT_ERROR;
  kr_node_path(cli, idx, node, sizeof node);
  const char *fq = kr_attr_str(cfg, idx, "fq"), *adfq = kr_attr_str(cfg, idx, "adfq");
  const char *et = kr_attr_str(cfg, idx, "et");
  const json_t *lbl = kr_attr(cfg, idx, "lbl");
  if (fq == NULL || adfq == NULL) {
    mlog(MLOG_INFO, "maf client reg: %s: the node lacks fqdn or adminFQDN (client side)", node);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  /* Table 8.8.2.3-1 requires expirationTime; the node's is optional (I-42). */
  if (!kr_is_timestamp(et)) {
    mlog(MLOG_INFO, "maf client reg: %s: the node has no expirationTime (et) YYYYMMDDTHHMMSS to "
         "propose (client side)", node);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  /* MCC-9-8-PROTO: the node's own port attributes (I-30): HTTPS on hpt,
   * else CoAP/DTLS on coapPort (I-43). */
  int coap = 0;
  if (kr_pick_port(cfg, idx, "maf client reg", node, "the node", "MAF client registration",
                   "I-43", 1, &port, &coap) != 0)
    return MEFC_OUTCOME_CLIENT_ERROR;
  /* MCC-9-8-REQ */
  json_t *sent = json_pack("{s:s, s:s, s:s}", "fq", fq, "et", et, "adfq", adfq);
  if (sent != NULL && lbl != NULL)
    json_object_set_new(sent, "lbl", json_deep_copy(lbl));
  json_t *req = sent != NULL ? json_pack("{s:O}", "sec:macr", sent) : NULL;
  char *body = req != NULL ? json_dumps(req, JSON_COMPACT) : NULL;
  json_decref(req);
  if (body == NULL) {
    json_decref(sent);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  mlog(MLOG_INFO, "maf client reg: %s with %s (adminFQDN %s) over %s port %u, et=%s, MAF "
       "Handshake with %s", node, fq, adfq, coap ? "coaps" : "https", (unsigned)port, et,
       cfg->maf_psk_identity != NULL ? "the KmID of maf.psk" : "certificates");
  json_t *macr = NULL;
  kr_peer peer = {"maf client reg", fq, OM2M_MAF_PATH, port, 1, coap, 1};
  uint32_t oc = kr_exchange(cfg, &peer, OM2M_TY_MAF_CLIENT_REG, "sec:macr", body, NULL, NULL,
                            &macr);
  free(body);
  kr_timestamp(time(NULL), now);
  const char *why = oc == MEFC_OUTCOME_OK
                        ? maf_verify_client_reg(macr, sent, cfg_originator(cfg), now) : NULL;
  if (why != NULL) {
    /* MCC-9-8-VERIFY */
    mlog(MLOG_INFO, "maf client reg: verification failed: %s (server side)", why);
    oc = MEFC_OUTCOME_SERVER_ERROR;
  } else if (oc == MEFC_OUTCOME_OK) {
    /* MCC-9-8-OK: the response, with the MAF-FQDN it is with, bound to the node. */
    json_t *e = json_deep_copy(macr);
    if (e != NULL)
      json_object_set_new(e, "fq", json_string(fq));
    if (kr_index_put(cfg, MAF_REG_INDEX, MAF_REG_FORMAT, "regs", node, e, err, sizeof err) != 0) {
      mlog(MLOG_INFO, "maf client reg: storing the registration failed: %s (client side)", err);
      oc = MEFC_OUTCOME_CLIENT_ERROR;
    } else {
      mlog(MLOG_INFO, "maf client reg: %s registered with %s as %s, mafClientRegID %s, expires %s,"
           " stored in %s", node, fq, json_string_value(json_object_get(macr, "mci")),
           json_string_value(json_object_get(macr, "ri")),
           json_string_value(json_object_get(macr, "et")), MAF_REG_INDEX);
    }
  }
  json_decref(macr);
  json_decref(sent);
  return oc;
}
