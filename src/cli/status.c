/* `mefc status`: what the client's state directory says - registration,
 * the durable record of the last command, the key store. Reads only. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "shell/config.h"
#include "shell/describe.h"
#include "shell/keystore.h"
#include "shell/state_store.h"
#include "shell/x509util.h"

int mefc_cmd_status(int argc, char **argv)
{
  const char *config = NULL;
  char err[768];
  int rc = 0;

  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
      config = argv[++i];
    else if (strncmp(argv[i], "--config=", 9) == 0)
      config = argv[i] + 9;
    else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      printf("usage: mefc status --config FILE\n");
      return 0;
    } else {
      fprintf(stderr, "usage: mefc status --config FILE\n");
      return 2;
    }
  }
  if (config == NULL) {
    fprintf(stderr, "usage: mefc status --config FILE\n");
    return 2;
  }
  mefc_config *cfg = cfg_load(config, err, sizeof err);
  if (cfg == NULL) {
    fprintf(stderr, "mefc: error: configuration: %s\n", err);
    return 2;
  }
  printf("mef:           %s://%s:%u (FQDN %s)\n", cfg_scheme(cfg), cfg->mef_host,
         (unsigned)cfg->mef_port, cfg->mef_fqdn);
  printf("credentials:   %s, From %s\n",
         cfg->cred == CFG_CRED_NONE ? "none (coap://)" : cfg_security(cfg), cfg_originator(cfg));
  printf("state dir:     %s\n", cfg->state_dir);

  state_registration reg;
  int r = state_load_registration(cfg->state_dir, &reg, err, sizeof err);
  if (r < 0) {
    printf("registration:  error: %s\n", err);
    rc = 1;
  } else if (r == 1) {
    printf("registration:  none\n");
  } else {
    char when[32] = "?";
    time_t t = (time_t)reg.registered_at;
    struct tm tm;
    if (gmtime_r(&t, &tm) != NULL)
      strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("registration:  ri=%s rn=%s cmd=/%s et=%s mci=%s (registered %s)\n", reg.reg_id,
           reg.name, reg.cmd_path, reg.et[0] ? reg.et : "-", reg.mci[0] ? reg.mci : "-", when);
  }

  mefc_record rec;
  int existed;
  if (state_load_record(cfg->state_dir, &rec, &existed, err, sizeof err) != 0) {
    printf("last command:  error: %s\n", err);
    rc = 1;
  } else if (rec.phase == MEFC_PHASE_NONE) {
    printf("last command:  none (record phase none%s)\n", existed ? "" : ", no record file");
  } else {
    char id[4 * MEFC_CMD_ID_MAX + 1];
    printf("last command:  cmd=%s phase=%s", desc_id(&rec.id, id, sizeof id),
           state_phase_name(rec.phase));
    if (rec.phase == MEFC_PHASE_DONE || rec.phase == MEFC_PHASE_REPORTED)
      printf(" status=%u %s", rec.status, desc_status(rec.status));
    if (rec.phase == MEFC_PHASE_STARTED)
      printf(" class=%u (interrupted: will be reported as failed, I-2)", rec.class_id);
    if (rec.phase == MEFC_PHASE_DONE)
      printf(" (Update not yet answered)");
    printf("\n");
  }

  keystore ks;
  if (ks_load(&ks, cfg->state_dir, err, sizeof err) != 0) {
    printf("key store:     error: %s\n", err);
    rc = 1;
  } else {
    char hex[2 * MEFC_FP_LEN + 1];
    printf("key store:     %zu enrolled certificate(s), %zu CA certificate(s)\n", ks.n_own,
           ks.n_ca);
    for (size_t i = 0; i < ks.n_own; i++) {
      x509u_fp_hex(ks.own[i].fp, hex);
      printf("  own %s %s subject=%s\n", hex, ks.own[i].cert,
             ks.own[i].subject != NULL ? ks.own[i].subject : "-");
    }
    for (size_t i = 0; i < ks.n_ca; i++) {
      x509u_fp_hex(ks.ca[i].fp, hex);
      printf("  ca  %s %s node=%s source=%s\n", hex, ks.ca[i].file,
             ks.ca[i].node != NULL ? ks.ca[i].node : "-",
             ks.ca[i].source != NULL ? ks.ca[i].source : "-");
    }
    ks_free(&ks);
  }
  cfg_free(cfg);
  return rc;
}
