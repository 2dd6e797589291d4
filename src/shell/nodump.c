/* nodump.h: RLIMIT_CORE 0 everywhere POSIX; PR_SET_DUMPABLE 0 on Linux, which
 * also covers a core_pattern that pipes to a collector (that ignores the
 * rlimit for dumpable processes) and /proc/PID/mem readers of the same uid. */
#include "nodump.h"

#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

int nodump_secrets(void)
{
  struct rlimit none = {0, 0};
  int rc = setrlimit(RLIMIT_CORE, &none);
#ifdef __linux__
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    rc = -1;
#endif
  return rc;
}
