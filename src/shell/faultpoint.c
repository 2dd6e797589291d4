/* The crash-test hooks of faultpoint.h. Built with -DMEFC_FAULTPOINTS only
 * for the crash tests (tests/faults): MEFC_FAULT_AT=N kills the process at
 * the Nth point reached, MEFC_FAULT_TRACE=FILE appends the name of every
 * point reached to FILE, so a test can count them. The product build
 * compiles the empty function and reads no environment. */
#include "faultpoint.h"

#ifdef MEFC_FAULTPOINTS
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void faultpoint(const char *name)
{
  static unsigned long hits;
  const char *at = getenv("MEFC_FAULT_AT");
  const char *trace = getenv("MEFC_FAULT_TRACE");
  hits++;
  if (trace != NULL && trace[0] != '\0') {
    FILE *f = fopen(trace, "a");
    if (f != NULL) {
      fprintf(f, "%lu %s\n", hits, name);
      fclose(f);
    }
  }
  if (at != NULL && strtoul(at, NULL, 10) == hits) {
    fprintf(stderr, "mefc: faultpoint %lu %s: SIGKILL\n", hits, name);
    fflush(stderr);
    raise(SIGKILL);
  }
}
#else
void faultpoint(const char *name)
{
  (void)name;
}
#endif
