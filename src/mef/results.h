/* The results file: one JSON object per line for every Update mefd receives
 * that parses, appended and made durable (fsync) before the response goes out,
 * so a test can read it as soon as the client has its answer. */
#ifndef MEFD_RESULTS_H
#define MEFD_RESULTS_H

#include <stdbool.h>

struct mefd_results {
  int fd;
  char *path;
};

/* Open (create, append) path. Returns 0, or -1 after logging. */
int mefd_results_open(struct mefd_results *r, const char *path);

/* What one line records. class_id/expect -1 are left out; current_id NULL
 * is written as null. */
struct mefd_result {
  const char *client;
  const char *reg;
  const char *cmd_id;
  long long status;
  long long class_id;
  long long expect;
  bool discarded;
  const char *current_id; /* discarded: the most recently issued cmdID */
};

/* Append one line and fsync. Returns 0, or -1 after logging. */
int mefd_results_append(struct mefd_results *r, const struct mefd_result *res);

void mefd_results_close(struct mefd_results *r);

#endif
