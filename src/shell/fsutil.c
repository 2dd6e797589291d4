/* Atomic durable writes and bounded reads. The write order (write, fsync,
 * rename, fsync the directory) is what makes the durable record safe to
 * trust after a crash at any point. */
#include "fsutil.h"
#include "faultpoint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(char *err, size_t cap, const char *what, const char *path, int e)
{
  if (err != NULL && cap > 0)
    snprintf(err, cap, "%s %s: %s", what, path, strerror(e));
  return -1;
}

char *fsu_join(const char *dir, const char *name)
{
  if (dir == NULL || name[0] == '/') {
    char *c = malloc(strlen(name) + 1);
    if (c != NULL)
      strcpy(c, name);
    return c;
  }
  size_t a = strlen(dir), b = strlen(name);
  char *p = malloc(a + b + 2);
  if (p == NULL)
    return NULL;
  memcpy(p, dir, a);
  p[a] = '/';
  memcpy(p + a + 1, name, b + 1);
  return p;
}

char *fsu_dirname(const char *path)
{
  const char *slash = strrchr(path, '/');
  size_t n;
  if (slash == NULL)
    return fsu_join(NULL, ".");
  n = slash == path ? 1 : (size_t)(slash - path);
  char *d = malloc(n + 1);
  if (d == NULL)
    return NULL;
  memcpy(d, path, n);
  d[n] = '\0';
  return d;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

static int fsync_dir(const char *dir)
{
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0)
    return -1;
  int r = fsync(fd);
  int e = errno;
  close(fd);
  errno = e;
  return r;
}

int fsu_write_atomic(const char *dir, const char *name, const void *data, size_t len, char *err,
                     size_t cap)
{
  char *final = fsu_join(dir, name);
  size_t tl = strlen(dir) + strlen(name) + 16;
  char *tmp = malloc(tl);
  int rc = -1;
  int fd = -1;

  if (final == NULL || tmp == NULL) {
    fail(err, cap, "out of memory writing", name, ENOMEM);
    goto out;
  }
  snprintf(tmp, tl, "%s/.%s.tmpXXXXXX", dir, name);
  fd = mkstemp(tmp); /* created with mode 0600 */
  if (fd < 0) {
    fail(err, cap, "cannot create temp file for", final, errno);
    goto out;
  }
  if (fchmod(fd, 0600) != 0 || write_all(fd, data, len) != 0) {
    fail(err, cap, "cannot write", tmp, errno);
    goto unlink_tmp;
  }
  faultpoint("write: temp file written, not synced");
  if (fsync(fd) != 0) {
    fail(err, cap, "cannot fsync", tmp, errno);
    goto unlink_tmp;
  }
  if (close(fd) != 0) {
    fd = -1;
    fail(err, cap, "cannot close", tmp, errno);
    goto unlink_tmp;
  }
  fd = -1;
  faultpoint("write: temp file synced, not renamed");
  if (rename(tmp, final) != 0) {
    fail(err, cap, "cannot rename temp file to", final, errno);
    goto unlink_tmp;
  }
  faultpoint("write: renamed, directory not synced");
  if (fsync_dir(dir) != 0) {
    fail(err, cap, "cannot fsync directory", dir, errno);
    goto out;
  }
  rc = 0;
  goto out;
unlink_tmp:
  if (fd >= 0)
    close(fd);
  unlink(tmp);
out:
  free(final);
  free(tmp);
  return rc;
}

int fsu_read_file(const char *path, size_t max, int missing_ok, uint8_t **out, size_t *len,
                  char *err, size_t cap)
{
  struct stat st;
  int fd = open(path, O_RDONLY);
  *out = NULL;
  *len = 0;
  if (fd < 0) {
    if (errno == ENOENT && missing_ok)
      return 1;
    return fail(err, cap, "cannot open", path, errno);
  }
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return fail(err, cap, "cannot stat", path, e);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    if (err != NULL && cap > 0)
      snprintf(err, cap, "%s: not a regular file", path);
    return -1;
  }
  if ((unsigned long long)st.st_size > max) {
    close(fd);
    if (err != NULL && cap > 0)
      snprintf(err, cap, "%s: %lld bytes, more than the %zu allowed", path,
               (long long)st.st_size, max);
    return -1;
  }
  uint8_t *buf = malloc((size_t)st.st_size + 1);
  if (buf == NULL) {
    close(fd);
    return fail(err, cap, "out of memory reading", path, ENOMEM);
  }
  size_t got = 0;
  while (got < (size_t)st.st_size) {
    ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0) {
      int e = r < 0 ? errno : EIO;
      free(buf);
      close(fd);
      return fail(err, cap, "cannot read", path, e);
    }
    got += (size_t)r;
  }
  close(fd);
  buf[got] = '\0';
  *out = buf;
  *len = got;
  return 0;
}

int fsu_mkdirs(const char *dir, char *err, size_t cap)
{
  size_t n = strlen(dir);
  char *p = malloc(n + 1);
  if (p == NULL)
    return fail(err, cap, "out of memory creating", dir, ENOMEM);
  memcpy(p, dir, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (p[i] == '/' || p[i] == '\0') {
      char c = p[i];
      p[i] = '\0';
      if (mkdir(p, 0700) != 0 && errno != EEXIST) {
        int e = errno;
        fail(err, cap, "cannot create directory", p, e);
        free(p);
        return -1;
      }
      p[i] = c;
    }
  }
  struct stat st;
  int ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
  free(p);
  if (!ok) {
    if (err != NULL && cap > 0)
      snprintf(err, cap, "%s: not a directory", dir);
    return -1;
  }
  return 0;
}

void fsu_remove_stale_temps(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  if (d == NULL)
    return;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' && strstr(e->d_name, ".tmp") != NULL &&
        strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
      char *p = fsu_join(dir, e->d_name);
      if (p != NULL)
        unlink(p);
      free(p);
    }
  }
  closedir(d);
}
