/* DEV_CFG over OMA LwM2M (8.3.9.8 step 5, devMgmtID 3): the client-initiated
 * bootstrap of LwM2M 1.1 core 6.1.x towards the DM server URI, on a CoAP or
 * CoAP-over-DTLS session with the client's MEF credentials (the URI's host
 * is the MEF FQDN, MCC-8-4-URI). POST /bs?ep=<client ID>, then the server's
 * Bootstrap-Delete and Bootstrap-Write requests arrive on the same session
 * and are staged (lwm2m_store.c); Bootstrap-Finish stores them atomically.
 *
 * Outcome classification (ruling I-36, MCC-8-6-SRV / MCC-8-6-CLI):
 *   server_error - unreachable or unresolvable server, DTLS failure, /bs
 *     answered with anything but 2.04, no Bootstrap-Finish before the
 *     deadline, a Write the formats or the object definitions refuse, a
 *     Finish on an inconsistent configuration (answered 4.06);
 *   client_error - a URI scheme other than coap/coaps, coaps without
 *     credentials, a Write past this client's limits (4.13), the store
 *     unreadable or not written. */
#include "lwm2m_bootstrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <coap3/coap.h>

#include "client_json.h"
#include "coap_transport.h"
#include "executor.h"
#include "log.h"
#include "lwm2m_data.h"
#include "lwm2m_store.h"
#include "mefc/status.h"

#define CF_TLV 11542u
#define CF_SENML_JSON 110u

typedef struct {
  exec_ctx *x;
  const char *uri;
  const char *ep;
  lw_store stage;
  int done;
  uint32_t outcome;
  unsigned writes, deletes;
  lw_recs recs;
  mefc_json_doc doc;
} bs_run;

/* The bootstrap in progress: libcoap's handlers reach it through here (the
 * context's app data belongs to coap_transport). One at a time. */
static bs_run *cur;

static uint64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int lw_uri_split(const char *uri, int *secure, char *host, size_t host_cap, uint16_t *port,
                 char *why, size_t cap)
{
  const char *p, *h, *he;
  unsigned long pt;
  /* Schemes compare without case (RFC 3986 3.1, as the core's I-9). */
  if (strncasecmp(uri, "coaps://", 8) == 0) {
    *secure = 1;
    p = uri + 8;
    pt = 5684;
  } else if (strncasecmp(uri, "coap://", 7) == 0) {
    *secure = 0;
    p = uri + 7;
    pt = 5683;
  } else {
    snprintf(why, cap, "unsupported URI scheme (LwM2M over coap:// or coaps:// only)");
    return -1;
  }
  if (*p == '[') {
    h = p + 1;
    he = strchr(h, ']');
    if (he == NULL) {
      snprintf(why, cap, "unterminated [IPv6 literal]");
      return -1;
    }
    p = he + 1;
  } else {
    h = p;
    he = p + strcspn(p, ":/?#");
    p = he;
  }
  if (he == h || (size_t)(he - h) >= host_cap) {
    snprintf(why, cap, "no host, or a host too long");
    return -1;
  }
  if (*p == ':') {
    char *end;
    pt = strtoul(p + 1, &end, 10);
    if (end == p + 1 || pt == 0 || pt > 65535) {
      snprintf(why, cap, "bad port");
      return -1;
    }
    p = end;
  }
  if (!(*p == '\0' || (p[0] == '/' && p[1] == '\0'))) {
    snprintf(why, cap, "a path or query after the authority (the bootstrap path is /bs)");
    return -1;
  }
  memcpy(host, h, (size_t)(he - h));
  host[he - h] = '\0';
  *port = (uint16_t)pt;
  return 0;
}

static void finish_run(bs_run *b, uint32_t outcome)
{
  if (!b->done) {
    b->done = 1;
    b->outcome = outcome;
  }
}

static void set_code(coap_pdu_t *resp, unsigned code)
{
  coap_pdu_set_code(resp, COAP_RESPONSE_CODE(code));
}

/* Store status -> CoAP answer and the bootstrap's fate. */
static unsigned store_fail(bs_run *b, int st)
{
  if (st == LW_S_LIMIT) {
    finish_run(b, MEFC_OUTCOME_CLIENT_ERROR);
    return 413;
  }
  finish_run(b, MEFC_OUTCOME_SERVER_ERROR);
  return st == LW_S_NOT_FOUND ? 404 : 400;
}

static unsigned do_write(bs_run *b, const coap_pdu_t *req, const lw_path *p, const char *ps)
{
  coap_opt_iterator_t it;
  coap_opt_t *o = coap_check_option(req, COAP_OPTION_CONTENT_FORMAT, &it);
  unsigned cf = o != NULL ? coap_decode_var_bytes(coap_opt_value(o), coap_opt_length(o)) : 0u;
  size_t len = 0, off = 0, total = 0;
  const uint8_t *data = NULL;
  char why[256] = "";
  int r;
  if (!coap_get_data_large(req, &len, &data, &off, &total))
    len = 0;
  if (o == NULL || (cf != CF_TLV && cf != CF_SENML_JSON)) {
    mlog(MLOG_INFO, "dev_cfg: write %s: Content-Format %u is neither TLV (11542) nor SenML JSON "
         "(110) -> 4.15", ps, cf);
    finish_run(b, MEFC_OUTCOME_SERVER_ERROR);
    return 415;
  }
  r = cf == CF_TLV ? lw_tlv_decode(data, len, p, &b->recs)
                   : lw_senml_decode(data, len, p, &b->recs, &b->doc);
  if (r != LW_OK) {
    mlog(MLOG_INFO, "dev_cfg: write %s: %s payload %s -> %s", ps, cf == CF_TLV ? "TLV" : "SenML",
         r == LW_E_LIMIT ? "past this client's limits" : r == LW_E_PATH ? "names another path"
                                                                         : "malformed",
         r == LW_E_LIMIT ? "4.13" : "4.00");
    finish_run(b, r == LW_E_LIMIT ? MEFC_OUTCOME_CLIENT_ERROR : MEFC_OUTCOME_SERVER_ERROR);
    return r == LW_E_LIMIT ? 413u : 400u;
  }
  int st = lw_store_write(&b->stage, p, &b->recs, why, sizeof why);
  if (st != LW_S_OK) {
    unsigned code = store_fail(b, st);
    mlog(MLOG_INFO, "dev_cfg: write %s: %s -> %u.%02u", ps, why, code / 100, code % 100);
    return code;
  }
  b->writes++;
  mlog(MLOG_INFO, "dev_cfg: write %s (%s, %u values) -> 2.04", ps,
       cf == CF_TLV ? "TLV" : "SenML JSON", (unsigned)b->recs.n);
  return 204;
}

/* Bootstrap-Finish: check, store, then let the running client see the MO
 * nodes (a following MO_NODE command finds them). */
static unsigned do_finish(bs_run *b)
{
  char why[384];
  json_t *boot_mo = NULL, *merged = NULL;
  exec_ctx *x = b->x;
  if (lw_store_check(&b->stage, x->cfg->mo_configured, &boot_mo, &merged, why, sizeof why) != 0) {
    mlog(MLOG_INFO, "dev_cfg: Bootstrap-Finish on an inconsistent configuration: %s -> 4.06", why);
    finish_run(b, MEFC_OUTCOME_SERVER_ERROR);
    return 406;
  }
  if (lw_store_commit(&b->stage, boot_mo, x->cfg->state_dir, b->ep, b->uri, why, sizeof why) != 0) {
    mlog(MLOG_ERROR, "dev_cfg: cannot store the bootstrapped objects: %s -> 5.00", why);
    json_decref(boot_mo);
    json_decref(merged);
    finish_run(b, MEFC_OUTCOME_CLIENT_ERROR);
    return 500;
  }
  /* The merged tree passed the same checks in lw_store_check. */
  char cerr[MEFC_CJ_ERR_MAX];
  if (mefc_mo_from_json(merged, x->cli, cerr, sizeof cerr) != 0) {
    mlog(MLOG_ERROR, "dev_cfg: internal: the checked MO tree does not load: %s", cerr);
    json_decref(boot_mo);
    json_decref(merged);
    finish_run(b, MEFC_OUTCOME_CLIENT_ERROR);
    return 500;
  }
  if (x->cfg->mo_json != NULL)
    json_decref(x->cfg->mo_json);
  x->cfg->mo_json = merged;
  mlog(MLOG_INFO, "dev_cfg: Bootstrap-Finish accepted: %u delete(s), %u write(s), %zu MO node(s) "
       "bootstrapped, stored in %s -> 2.04", b->deletes, b->writes, json_array_size(boot_mo),
       LW_STORE_FILE);
  json_decref(boot_mo);
  finish_run(b, MEFC_OUTCOME_OK);
  return 204;
}

/* Every request the Bootstrap-Server sends on the session. */
static void hnd_any(coap_resource_t *r, coap_session_t *sess, const coap_pdu_t *req,
                    const coap_string_t *query, coap_pdu_t *resp)
{
  bs_run *b = cur;
  coap_pdu_code_t m = coap_pdu_get_code(req);
  coap_string_t *up = coap_get_uri_path(req);
  const uint8_t *ps = up != NULL ? up->s : (const uint8_t *)"";
  size_t pn = up != NULL ? up->length : 0;
  char shown[64];
  lw_path p;
  unsigned code;
  (void)r;
  (void)sess;
  (void)query;
  snprintf(shown, sizeof shown, "/%.*s", (int)(pn < 40 ? pn : 40), (const char *)ps);
  if (b == NULL || b->done) {
    code = 503; /* the bootstrap is over */
  } else if (m == COAP_REQUEST_CODE_POST && pn == 2 && memcmp(ps, "bs", 2) == 0) {
    code = do_finish(b);
  } else if (lw_path_parse(ps, pn, &p) != LW_OK) {
    mlog(MLOG_INFO, "dev_cfg: request on %s: not an LwM2M path -> 4.00", shown);
    finish_run(b, MEFC_OUTCOME_SERVER_ERROR);
    code = 400;
  } else if (m == COAP_REQUEST_CODE_DELETE) {
    char why[160] = "";
    int st = lw_store_delete(&b->stage, &p, why, sizeof why);
    code = st == LW_S_OK ? 202 : store_fail(b, st);
    if (st == LW_S_OK)
      b->deletes++;
    mlog(MLOG_INFO, "dev_cfg: delete %s%s%s -> %u.%02u", shown, *why ? ": " : "", why, code / 100,
         code % 100);
  } else if (m == COAP_REQUEST_CODE_PUT) {
    code = do_write(b, req, &p, shown);
  } else {
    /* Bootstrap-Read and Discover are not offered: answered, not fatal. */
    mlog(MLOG_INFO, "dev_cfg: method %d on %s not offered -> 4.05", (int)m, shown);
    code = 405;
  }
  coap_delete_string(up);
  set_code(resp, code);
}

static uint32_t run_bootstrap(bs_run *b, ct_transport *t, uint64_t deadline)
{
  coap_context_t *ctx = ct_context(t);
  coap_resource_t *any = coap_resource_unknown_init2(hnd_any, 0);
  char q[320];
  ct_result res;
  if (any == NULL) {
    mlog(MLOG_ERROR, "dev_cfg: cannot create the CoAP resource for the server's requests");
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  coap_register_request_handler(any, COAP_REQUEST_POST, hnd_any);
  coap_register_request_handler(any, COAP_REQUEST_DELETE, hnd_any);
  coap_register_request_handler(any, COAP_REQUEST_GET, hnd_any);
  coap_add_resource(ctx, any);

  int qn = snprintf(q, sizeof q, "ep=%s", b->ep);
  ct_opt opt = {COAP_OPTION_URI_QUERY, (const uint8_t *)q, (size_t)qn};
  mlog(MLOG_INFO, "dev_cfg: Bootstrap-Request POST %s/bs?ep=%s", b->uri, b->ep);
  if (ct_request(t, CT_POST, "bs", &opt, 1, 0, NULL, 0, &res) != 0) {
    mlog(MLOG_INFO, "dev_cfg: Bootstrap-Request failed: %s", res.why);
    ct_result_free(&res);
    return b->done ? b->outcome : MEFC_OUTCOME_SERVER_ERROR;
  }
  unsigned code = res.code;
  ct_result_free(&res);
  if (code != 204) {
    mlog(MLOG_INFO, "dev_cfg: Bootstrap-Request answered %u.%02u (2.04 expected): refused", code / 100,
         code % 100);
    return MEFC_OUTCOME_SERVER_ERROR;
  }
  mlog(MLOG_INFO, "dev_cfg: Bootstrap-Request accepted (2.04); serving the server's requests");
  while (!b->done) {
    uint64_t now = now_ms();
    if (now >= deadline) {
      mlog(MLOG_INFO, "dev_cfg: no Bootstrap-Finish within %u ms: nothing stored",
           (unsigned)b->x->cfg->lwm2m_timeout_ms);
      return MEFC_OUTCOME_SERVER_ERROR;
    }
    ct_idle(t, (uint32_t)(deadline - now < 100 ? deadline - now : 100));
  }
  ct_idle(t, 50); /* the answer to the last request leaves */
  return b->outcome;
}

uint32_t lwm2m_dev_cfg(exec_ctx *x, const mefc_exec_args *args)
{
  char uri[MEFC_URI_MAX + 1], host[MEFC_URI_MAX + 1], why[384];
  int secure = 0;
  uint16_t port = 0;
  uint64_t start = now_ms();

  if (args->dev_mgmt_id != MEFC_DM_LWM2M) {
    mlog(MLOG_INFO, "dev_cfg: devMgmtID %u is not OMA LwM2M (3), the only one this build runs",
         (unsigned)args->dev_mgmt_id);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  if (args->uri_len == 0 || args->uri_len > MEFC_URI_MAX)
    return MEFC_OUTCOME_CLIENT_ERROR;
  memcpy(uri, args->uri, args->uri_len);
  uri[args->uri_len] = '\0';
  if (lw_uri_split(uri, &secure, host, sizeof host, &port, why, sizeof why) != 0) {
    mlog(MLOG_INFO, "dev_cfg: DM server URI %s: %s", uri, why);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  if (secure && x->cfg->cred == CFG_CRED_NONE) {
    mlog(MLOG_INFO, "dev_cfg: %s needs DTLS credentials and none are configured", uri);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  /* The MEF's transport settings, pointed at the DM server: the same
   * credentials, SNI and certificate name (the MEF FQDN), hosts map. */
  mefc_config dm = *x->cfg;
  dm.binding = CFG_BIND_COAP;
  dm.secure = secure;
  dm.mef_host = host;
  dm.mef_port = port;
  if (dm.response_timeout_ms > x->cfg->lwm2m_timeout_ms)
    dm.response_timeout_ms = x->cfg->lwm2m_timeout_ms;

  bs_run *b = calloc(1, sizeof *b);
  if (b == NULL)
    return MEFC_OUTCOME_CLIENT_ERROR;
  b->x = x;
  b->uri = uri;
  b->ep = cfg_originator(x->cfg);
  if (lw_store_open(&b->stage, x->cfg->state_dir, why, sizeof why) != 0) {
    mlog(MLOG_ERROR, "dev_cfg: the LwM2M store: %s", why);
    free(b);
    return MEFC_OUTCOME_CLIENT_ERROR;
  }
  uint32_t oc;
  ct_transport *t = ct_open(&dm, why, sizeof why);
  if (t == NULL) {
    mlog(MLOG_INFO, "dev_cfg: %s: %s", uri, why);
    oc = strncmp(why, "cannot resolve", 14) == 0 ? MEFC_OUTCOME_SERVER_ERROR
                                                 : MEFC_OUTCOME_CLIENT_ERROR;
  } else {
    cur = b;
    oc = run_bootstrap(b, t, start + x->cfg->lwm2m_timeout_ms);
    cur = NULL;
    ct_close(t);
  }
  lw_store_free(&b->stage);
  free(b);
  return oc;
}
