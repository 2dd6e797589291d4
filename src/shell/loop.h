/* The client's command loop: registration, then the core's engine driven
 * by events (responses, transport failures, outcomes, timers), its actions
 * performed in order. The loop holds no protocol rule of its own. */
#ifndef MEFC_SHELL_LOOP_H
#define MEFC_SHELL_LOOP_H

#include "config.h"

typedef struct {
  mefc_config *cfg;
  int once;              /* stop when the NO_MORE_COMMANDS timer is armed */
  const char *fault;     /* test hook: "exit-in-execute[:N]" or "exit-before-update[:N]" */
} loop_opts;

/* Exit codes of `mefc run`. */
enum {
  LOOP_EXIT_OK = 0,
  LOOP_EXIT_FAIL = 1,    /* registration failed, storage failed, gave up */
  LOOP_EXIT_USAGE = 2,
  LOOP_EXIT_FAULT = 3    /* stopped by a --fault test hook */
};

int loop_run(const loop_opts *o);

#endif
