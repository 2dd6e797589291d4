/* Logging of the mefc shell: one line per event on stderr, prefixed with the
 * program name. Level INFO is always shown, DEBUG only with -v. Callers never
 * pass a key, PSK or private key to these functions. */
#ifndef MEFC_SHELL_LOG_H
#define MEFC_SHELL_LOG_H

enum mlog_level { MLOG_ERROR = 0, MLOG_INFO = 1, MLOG_DEBUG = 2 };

/* 0: errors and events (default); 1 (-v): also details; 2 (-vv): libcoap too. */
void mlog_set_verbosity(int v);
int mlog_verbosity(void);

/* Write one line "mefc: <message>\n" to stderr when level is shown. */
void mlog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Route libcoap's own log lines through mlog (libcoap's DEBUG never shown). */
void mlog_attach_libcoap(void);

#endif
