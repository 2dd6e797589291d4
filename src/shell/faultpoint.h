/* Crash-test hooks: faultpoint(NAME) marks a place where a crash must leave
 * the client recoverable (every durable write, every send and receive, the
 * execution of a command). In the normal build it does nothing; in the
 * fault-injection build (make faults: -DMEFC_FAULTPOINTS) the Nth call
 * kills the process with SIGKILL, N from the environment (faultpoint.c). */
#ifndef MEFC_SHELL_FAULTPOINT_H
#define MEFC_SHELL_FAULTPOINT_H

void faultpoint(const char *name);

#endif
