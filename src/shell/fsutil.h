/* File helpers of the shell: atomic durable writes (temp file, fsync,
 * rename, fsync of the directory, mode 0600), bounded whole-file reads and
 * path joining. Every function reports failure with a message in err. */
#ifndef MEFC_SHELL_FSUTIL_H
#define MEFC_SHELL_FSUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Write data to dir/name so that a crash leaves either the old file or the
 * new one, never a torn one: a temp file in dir is written, fsynced and
 * renamed over name, then dir is fsynced. The file gets mode 0600. */
int fsu_write_atomic(const char *dir, const char *name, const void *data, size_t len, char *err,
                     size_t cap);

/* Read the whole file at path (at most max bytes) into a malloc'd buffer with
 * a NUL after the last byte. Returns 0; 1 when the file does not exist (only
 * if missing_ok, else that is an error); -1 on any other error. */
int fsu_read_file(const char *path, size_t max, int missing_ok, uint8_t **out, size_t *len,
                  char *err, size_t cap);

/* Create dir (and missing parents) with mode 0700; an existing directory is
 * fine. */
int fsu_mkdirs(const char *dir, char *err, size_t cap);

/* Remove temp files ".NAME.tmp*" that a crash left in dir (best effort). */
void fsu_remove_stale_temps(const char *dir);

/* malloc'd "dir/name", or name itself (copied) when it is absolute or dir is
 * NULL. NULL only when out of memory. */
char *fsu_join(const char *dir, const char *name);

/* malloc'd directory part of path ("." when it has none). */
char *fsu_dirname(const char *path);

#endif
