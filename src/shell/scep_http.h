/* HTTP for the SCEP executor (RFC 8894 4.1): GET or POST of one SCEP
 * operation on the base URI. SCEP protects its messages itself, so the base
 * URI may be http:// (served here by libcurl alone, MEF host overrides
 * applied) or https:// (through https_client, the configured anchors). */
#ifndef MEFC_SHELL_SCEP_HTTP_H
#define MEFC_SHELL_SCEP_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

typedef struct {
  long status;              /* HTTP status; 0 when no response */
  char content_type[128];
  int chunked;              /* the reply came with Transfer-Encoding: chunked (http:// only) */
  uint8_t *body;            /* malloc'd, NUL-terminated */
  size_t len;
  int local_error;          /* 1: the failure is on this side */
  char why[256];            /* what failed when status is 0 */
} scep_http_result;

/* "GET" (body NULL) or "POST" url. Returns 0 when a response arrived (any
 * status), -1 when none did. */
int scep_http_do(const mefc_config *cfg, const char *method, const char *url,
                 const char *content_type, const uint8_t *body, size_t len, scep_http_result *res);

void scep_http_free(scep_http_result *res);

#endif
