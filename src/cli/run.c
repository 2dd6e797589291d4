/* `mefc run`: register with the MEF and process its commands until
 * NO_MORE_COMMANDS (then keep the retry timer, or stop with --once). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "shell/config.h"
#include "shell/https_client.h"
#include "shell/log.h"
#include "shell/loop.h"
#include "shell/nodump.h"

static void run_usage(FILE *f)
{
  fprintf(f, "usage: mefc run [--once] [-v|-vv] [--fault HOOK] --config FILE\n"
             "  --once          stop when the MEF has no more commands (exit 0)\n"
             "  -v, -vv         more detail in the log (never keys)\n"
             "  --config FILE   the configuration file (see docs/config.md)\n"
             "  --fault HOOK    test hook: exit-in-execute[:N] or exit-before-update[:N]\n");
}

int mefc_cmd_run(int argc, char **argv)
{
  loop_opts o;
  const char *config = NULL;
  int verbose = 0;
  memset(&o, 0, sizeof o);

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--once") == 0) {
      o.once = 1;
    } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
      verbose++;
    } else if (strcmp(a, "-vv") == 0) {
      verbose += 2;
    } else if (strcmp(a, "--config") == 0 && i + 1 < argc) {
      config = argv[++i];
    } else if (strncmp(a, "--config=", 9) == 0) {
      config = a + 9;
    } else if (strcmp(a, "--fault") == 0 && i + 1 < argc) {
      o.fault = argv[++i];
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      run_usage(stdout);
      return 0;
    } else {
      fprintf(stderr, "mefc run: unexpected argument \"%s\"\n", a);
      run_usage(stderr);
      return LOOP_EXIT_USAGE;
    }
  }
  if (config == NULL) {
    run_usage(stderr);
    return LOOP_EXIT_USAGE;
  }
  if (o.fault != NULL && strncmp(o.fault, "exit-in-execute", 15) != 0 &&
      strncmp(o.fault, "exit-before-update", 18) != 0) {
    fprintf(stderr, "mefc run: unknown fault hook \"%s\"\n", o.fault);
    return LOOP_EXIT_USAGE;
  }
  mlog_set_verbosity(verbose);
  /* Before the configuration is read: it loads the PSK and key files. */
  if (nodump_secrets() != 0)
    mlog(MLOG_ERROR, "cannot keep keys out of core dumps (setrlimit/prctl failed)");

  char err[768];
  o.cfg = cfg_load(config, err, sizeof err);
  if (o.cfg == NULL) {
    mlog(MLOG_ERROR, "configuration: %s", err);
    return LOOP_EXIT_USAGE;
  }
  if (https_global_init() != 0) {
    mlog(MLOG_ERROR, "cannot initialise libcurl");
    cfg_free(o.cfg);
    return LOOP_EXIT_FAIL;
  }
  int rc = loop_run(&o);
  https_global_cleanup();
  cfg_free(o.cfg);
  return rc;
}
