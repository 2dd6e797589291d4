/* HTTP/1.1 over TLS 1.2 to the MEF through libcurl with OpenSSL: one easy
 * handle kept for the whole run (its connection is reused), the MEF
 * Handshake with a PSK (identity KpmID) or with certificates (the MEF's
 * verified against the configured trust anchors and mef.fqdn, SNI). The
 * transport reports what came back (status, X-M2M-RSC, X-M2M-RI, media
 * type, body) and never interprets it. */
#ifndef MEFC_SHELL_HTTP_TRANSPORT_H
#define MEFC_SHELL_HTTP_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "coap_transport.h"
#include "config.h"

typedef struct ht_transport ht_transport;

typedef struct {
  const char *name;
  const char *value;
} ht_header;

/* Media types mapped to the content formats the loop knows (TS-0008 numbers:
 * the same JSON either way). */
#define HT_TYPE_RES_JSON "application/vnd.onem2m-res+json"
#define HT_TYPE_JSON "application/json"

/* Set up libcurl for the MEF at cfg's https:// address. NULL with a message. */
ht_transport *ht_open(const mefc_config *cfg, char *err, size_t cap);

/* Send method ("GET", "PUT", "POST") to "/" + path with the extra headers and
 * the body (NULL for none), and wait for the response up to
 * http.response_timeout_ms. Fills *res: code is the HTTP status; rsc from
 * X-M2M-RSC; cf 10001 for application/vnd.onem2m-res+json, 50 for
 * application/json, 0 for another type. The response's X-M2M-RI goes to ri
 * ("" when absent). Returns 0 when a response arrived, -1 otherwise (why
 * says what failed). */
int ht_request(ht_transport *t, const char *method, const char *path, const ht_header *hdrs,
               size_t n_hdrs, const uint8_t *body, size_t len, ct_result *res, char *ri,
               size_t ri_cap);

/* Have the next request take the TLS exporter output (RFC 5705, no
 * context) of the session its response arrives on: len bytes into out.
 * ht_export_taken() then says whether it was taken. */
void ht_export_next(ht_transport *t, const char *label, uint8_t *out, size_t len);
int ht_export_taken(const ht_transport *t);

/* Wait ms (nothing to keep alive between requests). */
void ht_idle(ht_transport *t, uint32_t ms);

void ht_close(ht_transport *t);

#endif
