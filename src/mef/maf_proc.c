/* The reference MAF's procedures. A MAF Client Registration is kept per MAF
 * Client and stakeholder (a new one replaces the last) with a fresh
 * mafClientRegID; the expirationTime proposed is granted up to a year ahead.
 * A MAF Key Registration needs an unexpired registration of the client for
 * the stakeholder of the request (8.8.2.7 pre-conditions), then runs as the
 * MEF's does (key_reg.c) with the MAF's SUIDs, FQDN and export label. The
 * campaign's key_reg_fault refuses or damages either response. */
#include "maf_proc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "log.h"

#define GRANT_MAX_SECONDS (365L * 86400L)

static void timestamp(time_t t, char out[16])
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 16, "%Y%m%dT%H%M%S", &tm);
}

static struct mefd_maf_reg *find(struct mefd_maf_state *m, const char *client, const char *adfq)
{
  for (size_t i = 0; i < m->n; i++)
    if (strcmp(m->regs[i].client, client) == 0 && strcmp(m->regs[i].adfq, adfq) == 0)
      return &m->regs[i];
  return NULL;
}

void mefd_maf_client_register(struct mefd_maf_state *m, const char *client_id, const char *fault,
                              const void *body, size_t len, struct mefd_reply *reply,
                              char *location, size_t cap)
{
  char who[160];
  mefd_log_safe(who, sizeof who, client_id, strlen(client_id));
  location[0] = '\0';
  json_t *root = NULL;
  json_t *macr = mefd_kr_content(body, len, "sec:macr", &root);
  json_t *et = json_object_get(macr, "et"), *lbl = json_object_get(macr, "lbl");
  json_t *adfq = json_object_get(macr, "adfq");
  const char *bad = mefd_kr_check(macr, m->fqdn);
  if (bad != NULL || (fault != NULL && strcmp(fault, "refuse") == 0)) {
    int rsc = bad != NULL ? MEFD_RSC_BAD_REQUEST : MEFD_RSC_ORIGINATOR_HAS_NO_PRIVILEGE;
    mefd_log("maf client-reg: client=%s: %s -> %d", who,
             bad != NULL ? bad : "not authorised by the campaign (key_reg_fault)", rsc);
    json_decref(root);
    mefd_kr_reply(reply, rsc, NULL);
    return;
  }
  /* The MAF may assign another expirationTime (8.8.2.3): at most a year. */
  char cap_et[16], granted[16];
  timestamp(time(NULL) + GRANT_MAX_SECONDS, cap_et);
  snprintf(granted, sizeof granted, "%s",
           strcmp(json_string_value(et), cap_et) > 0 ? cap_et : json_string_value(et));
  struct mefd_maf_reg *r = find(m, client_id, json_string_value(adfq));
  if (r == NULL) {
    struct mefd_maf_reg *nv = realloc(m->regs, (m->n + 1) * sizeof *nv);
    char *c = nv != NULL ? strdup(client_id) : NULL, *a = c != NULL ? strdup(json_string_value(adfq))
                                                                    : NULL;
    if (nv != NULL)
      m->regs = nv;
    if (a == NULL) {
      free(c);
      json_decref(root);
      mefd_kr_reply(reply, MEFD_RSC_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
    r = &m->regs[m->n++];
    r->client = c;
    r->adfq = a;
  }
  snprintf(r->ri, sizeof r->ri, "macr-%u", ++m->next);
  snprintf(r->et, sizeof r->et, "%s", granted);
  snprintf(location, cap, "/maf/%s", r->ri);

  /* Table 8.8.2.3-2; no assignedSymmKeyID: Km is pre-provisioned (I-41). */
  json_t *out = json_pack("{s:s, s:s, s:s, s:O}", "ri", r->ri, "et", r->et, "mci", client_id,
                          "adfq", adfq);
  if (out != NULL && lbl != NULL)
    json_object_set(out, "lbl", lbl);
  if (out != NULL && fault != NULL)
    mefd_kr_fault(out, fault);
  mefd_log("maf client-reg: client=%s adfq=%s registered as %s, et=%s%s -> 2001", who,
           r->adfq, r->ri, r->et, fault != NULL ? " [response changed by key_reg_fault]" : "");
  json_decref(root);
  mefd_kr_reply(reply, MEFD_RSC_CREATED, out != NULL ? json_pack("{s:o}", "sec:macr", out) : NULL);
}

/* 8.8.2.7 pre-condition: a MAF Client Registration, unexpired, for the
 * stakeholder the request names. */
static const char *registered(void *arg, const char *client_id, const json_t *mkr)
{
  struct mefd_maf_state *m = arg;
  const struct mefd_maf_reg *r = find(m, client_id, json_string_value(json_object_get(mkr, "adfq")));
  if (r == NULL)
    return "no MAF Client Registration for this adminFQDN";
  if (!mefd_kr_future(r->et))
    return "the MAF Client Registration has expired";
  return NULL;
}

void mefd_maf_key_register(struct mefd_maf_state *m, const char *client_id, const char *fault,
                           const void *body, size_t len, const uint8_t *exported,
                           struct mefd_reply *reply)
{
  struct mefd_kr_rules r = {"maf key-reg", 31, 33, MEFD_MAF_KR_LABEL, m->fqdn, fault, registered, m};
  mefd_key_register(&m->kr, &r, client_id, body, len, exported, reply);
}

void mefd_maf_state_free(struct mefd_maf_state *m)
{
  for (size_t i = 0; i < m->n; i++) {
    free(m->regs[i].client);
    free(m->regs[i].adfq);
  }
  free(m->regs);
  m->regs = NULL;
  m->n = 0;
  mefd_key_regs_free(&m->kr);
}
