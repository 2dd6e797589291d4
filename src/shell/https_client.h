/* HTTPS requests for the executors (EST, SCEP, trust anchors) via libcurl
 * with OpenSSL: TLS 1.2 only, the server verified against the configured
 * trust anchors alone (never the system store), host name checked, no
 * redirects, the client certificate presented when configured. */
#ifndef MEFC_SHELL_HTTPS_CLIENT_H
#define MEFC_SHELL_HTTPS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

typedef struct {
  const char *method;       /* "GET" or "POST" */
  const char *url;
  const char *content_type; /* POST body type, or NULL */
  const uint8_t *body;
  size_t len;
} https_req;

typedef struct {
  long status;              /* HTTP status; 0 when no response */
  char content_type[128];
  char retry_after[64];     /* Retry-After header value, or "" */
  uint8_t *body;            /* malloc'd, NUL-terminated */
  size_t len;
  int local_error;          /* 1: the failure is on this side (our key, config, memory) */
  char why[256];            /* what failed when status is 0 */
} https_result;

/* Call once before any request (libcurl global set-up). */
int https_global_init(void);
void https_global_cleanup(void);

/* Perform the request. Returns 0 when an HTTP response arrived (any status),
 * -1 when none did (connection, TLS, verification, local problem). */
int https_do(const mefc_config *cfg, const https_req *req, https_result *res);

void https_result_free(https_result *res);

#endif
