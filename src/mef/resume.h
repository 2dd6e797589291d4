/* --resume: a restarted mefd rebuilds its registrations and each client's
 * campaign position from the results file, so a test can restart the MEF in
 * the middle of a campaign as a MEF with durable state would come back. */
#ifndef MEFD_RESUME_H
#define MEFD_RESUME_H

#include "registry.h"

/* Replay the matched lines of results_path into reg: each line's client gets
 * its registration name ("reg") and the campaign moves past its cmdID. A
 * missing or empty file resumes nothing. Returns 0, or -1 after logging. */
int mefd_resume(struct mefd_registry *reg, const char *results_path);

#endif
