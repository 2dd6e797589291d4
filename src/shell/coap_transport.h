/* CoAP over DTLS 1.2 (or plain UDP for tests) through libcoap 4.3: one
 * client session to the MEF, confirmable requests with libcoap's
 * retransmission, and a response deadline. The transport reports what came
 * back (code, oneM2M RSC, content format, body) and never interprets it. */
#ifndef MEFC_SHELL_COAP_TRANSPORT_H
#define MEFC_SHELL_COAP_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

typedef struct ct_transport ct_transport;

typedef struct {
  uint16_t num;
  const uint8_t *val;
  size_t len;
} ct_opt;

enum ct_method { CT_GET = 1, CT_POST = 2, CT_PUT = 3 };

typedef struct {
  int got;          /* 1: a response arrived; 0: none (why says what happened) */
  unsigned code;    /* class * 100 + detail, e.g. 205 */
  int has_rsc;
  unsigned rsc;     /* oneM2M-RSC option (307) */
  int has_cf;
  unsigned cf;      /* Content-Format */
  uint8_t *body;    /* malloc'd, may be NULL when len is 0 */
  size_t len;
  char why[384];
} ct_result;

/* Set up libcoap and remember the MEF's address; the DTLS session is opened
 * on the first request. NULL with a message in err. */
ct_transport *ct_open(const mefc_config *cfg, char *err, size_t cap);

/* Send one confirmable request to path ("mef/x/cmd": one Uri-Path option per
 * segment) and wait for its response until the configured deadline. Always
 * fills *res; returns 0 when a response arrived, -1 otherwise. After a
 * failure the session is dropped and the next request handshakes anew. */
int ct_request(ct_transport *t, int method, const char *path, const ct_opt *opts, size_t n_opts,
               uint16_t content_format, const uint8_t *body, size_t len, ct_result *res);

void ct_result_free(ct_result *res);

/* The TLS exporter output (RFC 5705, no context) of the current DTLS
 * session under label: len bytes into out. Taken after the response to a
 * request arrived, on the session that carried it (MEF and MAF Key
 * Registration, 10.3.1). 0, or -1 when there is no DTLS session or OpenSSL
 * gives no output. */
int ct_export(ct_transport *t, const char *label, uint8_t *out, size_t len);

/* Keep the session's I/O going while waiting (timers), for up to ms. */
void ct_idle(ct_transport *t, uint32_t ms);

/* The libcoap context, for resources that serve requests a peer sends on
 * the session (the LwM2M Bootstrap-Server's writes, lwm2m_bootstrap.c). */
struct coap_context_t *ct_context(ct_transport *t);

void ct_close(ct_transport *t);

#endif
