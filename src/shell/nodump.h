/* Keeps the client's keys out of core dumps: called before any key is read
 * (the PSK, private keys, the SCEP challenge), it makes the process produce
 * no core file and (on Linux) not be dumpable or traceable by others. */
#ifndef MEFC_SHELL_NODUMP_H
#define MEFC_SHELL_NODUMP_H

/* Returns 0, or -1 when the limit could not be set (the caller logs it). */
int nodump_secrets(void);

#endif
