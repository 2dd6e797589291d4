/* Names and requirement IDs for log lines: status codes, procedures,
 * outcomes, events, and the requirement that made a decision. For logs
 * only: nothing here chooses a status or an action. */
#ifndef MEFC_SHELL_DESCRIBE_H
#define MEFC_SHELL_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "mefc/command.h"

const char *desc_status(uint32_t status);
const char *desc_procedure(uint32_t procedure);
const char *desc_outcome(uint32_t outcome);
const char *desc_event(uint32_t kind);

/* The requirement IDs behind decision d taken with the record prior (the
 * record before the step): e.g. "MCC-2-5c" for status 41. */
const char *desc_rule(const mefc_decision *d, const mefc_record *prior);

/* cmdID as printable text (non-printable bytes as \xNN), NUL-terminated. */
const char *desc_id(const mefc_cmd_id *id, char *buf, size_t cap);

#endif
