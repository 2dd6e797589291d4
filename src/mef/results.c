/* The results file: JSON lines appended with O_APPEND and fsync'd one by one,
 * written by jansson so every string is escaped whatever the client sent. */
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "log.h"

int mefd_results_open(struct mefd_results *r, const char *path)
{
  r->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  r->path = strdup(path);
  if (r->fd < 0 || r->path == NULL) {
    mefd_log("results: cannot open %s: %s", path, strerror(errno));
    return -1;
  }
  mefd_log("results: appending to %s", path);
  return 0;
}

int mefd_results_append(struct mefd_results *r, const struct mefd_result *res)
{
  char ts[40];
  json_t *o = json_object();
  if (o == NULL)
    return -1;
  json_object_set_new(o, "time", json_string(mefd_time_iso(ts, sizeof ts)));
  json_object_set_new(o, "client", json_string(res->client));
  json_object_set_new(o, "reg", json_string(res->reg));
  json_object_set_new(o, "cmd_id", json_string(res->cmd_id));
  json_object_set_new(o, "status", json_integer(res->status));
  if (res->class_id >= 0)
    json_object_set_new(o, "class", json_integer(res->class_id));
  if (res->expect >= 0)
    json_object_set_new(o, "expect", json_integer(res->expect));
  if (res->discarded) {
    json_object_set_new(o, "discarded", json_true());
    json_object_set_new(o, "current_cmd_id",
                        res->current_id != NULL ? json_string(res->current_id) : json_null());
  }
  char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
  json_decref(o);
  if (line == NULL)
    return -1;
  size_t len = strlen(line);
  line[len] = '\n'; /* replaces the NUL; the buffer is written by length */
  int rc = 0;
  size_t off = 0;
  while (off < len + 1) {
    ssize_t w = write(r->fd, line + off, len + 1 - off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      rc = -1;
      break;
    }
    off += (size_t)w;
  }
  free(line);
  /* A results "file" such as /dev/null cannot be synced (EINVAL): fine. */
  if (rc == 0 && fsync(r->fd) != 0 && errno != EINVAL)
    rc = -1;
  if (rc != 0)
    mefd_log("results: cannot write %s: %s", r->path, strerror(errno));
  return rc;
}

void mefd_results_close(struct mefd_results *r)
{
  if (r->fd >= 0)
    close(r->fd);
  r->fd = -1;
  free(r->path);
  r->path = NULL;
}
