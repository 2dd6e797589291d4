/* Raw campaign entries: a command whose whole <mefClientCmd> response body is
 * given byte for byte (base64), so tests can serve payloads that are not
 * JSON, not UTF-8 or past the client's limits. Format: docs/mefd.md. */
#ifndef MEFD_RAW_ENTRY_H
#define MEFD_RAW_ENTRY_H

#include <jansson.h>

#include "campaign.h"

/* Load the entry e (an object with "raw_b64") into *cmd. Returns 0, or -1
 * after logging what is wrong (path and where name the entry). */
int mefd_raw_load(const char *path, const char *where, const json_t *e, struct mefd_cmd *cmd);

#endif
