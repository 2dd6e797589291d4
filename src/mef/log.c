/* mefd's log: one line per event on stderr, with a UTC time stamp.
 * A line is formatted into one buffer and written at once, so lines from
 * the CoAP and HTTPS servers never interleave. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *mefd_time_iso(char *out, size_t cap)
{
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
           tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000L);
  return out;
}

void mefd_log(const char *fmt, ...)
{
  char line[2048];
  char ts[40];
  mefd_time_iso(ts, sizeof ts);
  /* Only the time of day: the date adds nothing within one run. */
  int n = snprintf(line, sizeof line, "mefd %.12s ", ts + 11);
  if (n < 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
  va_end(ap);
  size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
  if (len > sizeof line - 2)
    len = sizeof line - 2;
  line[len++] = '\n';
  ssize_t w = write(STDERR_FILENO, line, len);
  (void)w;
}

const char *mefd_log_safe(char *out, size_t cap, const void *src, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *s = src;
  size_t o = 0;
  if (cap == 0)
    return out;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = s[i];
    size_t need = (c >= 0x20 && c < 0x7f && c != '\\') ? 1u : 4u;
    if (o + need + 4 > cap) {
      if (o + 4 <= cap) {
        memcpy(out + o, "...", 3);
        o += 3;
      }
      break;
    }
    if (need == 1) {
      out[o++] = (char)c;
    } else {
      out[o++] = '\\';
      out[o++] = 'x';
      out[o++] = hex[c >> 4];
      out[o++] = hex[c & 15];
    }
  }
  out[o] = '\0';
  return out;
}
