/* mefd's log: one line per event on stderr, with a UTC time stamp.
 * Callers never pass key material; identities go through mefd_log_safe(). */
#ifndef MEFD_LOG_H
#define MEFD_LOG_H

#include <stddef.h>

/* Print "mefd HH:MM:SS.mmm <fmt...>\n" to stderr as one write. */
void mefd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copy src[0..len) into out (cap bytes, always NUL-terminated) with every byte
 * that is not printable ASCII, and the backslash, written as \xNN; cut with
 * "..." when too long. Returns out, so it can be used inside a mefd_log call. */
const char *mefd_log_safe(char *out, size_t cap, const void *src, size_t len);

/* The current time as an ISO 8601 UTC string with milliseconds
 * ("2025-01-31T12:00:00.123Z") in out (at least 32 bytes). */
const char *mefd_time_iso(char *out, size_t cap);

#endif
