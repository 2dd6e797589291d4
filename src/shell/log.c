/* One-line-per-event logging to stderr. A line is formatted in full before a
 * single write so lines of concurrent processes (mefc and mefd in a test)
 * do not interleave. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <coap3/coap.h>

static int verbosity;

void mlog_set_verbosity(int v)
{
  verbosity = v;
}

int mlog_verbosity(void)
{
  return verbosity;
}

static void emit(const char *prefix, const char *msg)
{
  char line[1200];
  int n = snprintf(line, sizeof line, "mefc: %s%s", prefix, msg);
  if (n < 0)
    return;
  size_t len = (size_t)n < sizeof line - 1 ? (size_t)n : sizeof line - 2;
  /* Control characters from the network never reach the terminal raw. */
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)line[i];
    if (c < 0x20 || c == 0x7f)
      line[i] = '?';
  }
  line[len] = '\n';
  ssize_t w = write(STDERR_FILENO, line, len + 1);
  (void)w;
}

void mlog(int level, const char *fmt, ...)
{
  char msg[1024];
  va_list ap;
  if (level > MLOG_INFO && verbosity < 1)
    return;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  emit(level == MLOG_ERROR ? "error: " : "", msg);
}

static void coap_log_line(coap_log_t level, const char *message)
{
  char msg[1024];
  if (verbosity < 1 && level > LOG_ERR && strstr(message, "DTLS: ") == NULL)
    return;
  size_t n = strlen(message);
  if (n >= sizeof msg)
    n = sizeof msg - 1;
  memcpy(msg, message, n);
  while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
    n--;
  msg[n] = '\0';
  emit(level <= LOG_ERR ? "libcoap error: " : "libcoap: ", msg);
}

void mlog_attach_libcoap(void)
{
  coap_set_log_handler(coap_log_line);
  /* libcoap's DEBUG level dumps whole PDUs; INFO is the most we ever show. */
  coap_log_t lv = verbosity >= 2 ? LOG_INFO : verbosity == 1 ? LOG_WARNING : LOG_ERR;
  /* libcoap's DTLS warnings name why a handshake failed (an expired or
   * untrusted MEF certificate): always let them through, and show only those
   * of its warnings by default (coap_log_line). */
  coap_set_log_level(lv < LOG_WARNING ? LOG_WARNING : lv);
  coap_dtls_set_log_level(lv < LOG_WARNING ? LOG_WARNING : lv);
}
