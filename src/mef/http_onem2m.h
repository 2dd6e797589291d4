/* mefd's oneM2M HTTP binding (TS-0009) on the HTTPS server it already runs
 * for EST: POST /mef (MEF Client Registration), GET and PUT /mef/<rn>/cmd
 * (MEF Client Command Retrieve and Update), X-M2M-Origin bound to the TLS
 * identity (PSK or client certificate), X-M2M-RI echoed, X-M2M-RSC and the
 * status of TS-0009 table 6.3.2-1 on every response. */
#ifndef MEFD_HTTP_ONEM2M_H
#define MEFD_HTTP_ONEM2M_H

#include <stddef.h>

#include <event2/http.h>
#include <openssl/ssl.h>

#include "key_reg.h"
#include "registry.h"
#include "results.h"

struct mefd_http_om2m {
  struct evhttp *http;
  struct mefd_registry *reg;
  struct mefd_results *res;
  struct mefd_key_regs kr;  /* MEF Key Registrations (kr.dir set before start) */
};

/* Add the oneM2M resources to http (the EST server's). Returns 0, or -1
 * after logging. */
int mefd_http_om2m_start(struct mefd_http_om2m *s, struct evhttp *http, struct mefd_registry *reg,
                         struct mefd_results *res);

/* What a request carries besides its path and method. */
struct mefd_http_req {
  const char *method;
  char path[160];     /* for the log, made safe */
  char peer[64];
  const char *fr;     /* X-M2M-Origin, or NULL */
  const char *rqi;    /* X-M2M-RI, or NULL */
  const char *rvi;    /* X-M2M-RVI, or NULL */
  const char *type;   /* Content-Type, or NULL */
  const char *accept; /* Accept, or NULL */
  const char *body;
  size_t len;
};

/* The pieces of the binding the MAF's listener (maf.c) shares: the SSL of a
 * request's connection; its headers and body; the response with X-M2M-RSC,
 * X-M2M-RI, X-M2M-RVI and the HTTP status of the RSC (body freed); Accept
 * and Content-Type checked (0 or the RSC); the ty= of a Content-Type (-1
 * when absent). */
SSL *mefd_http_ssl(struct evhttp_request *req);
void mefd_http_read(struct evhttp_request *req, struct mefd_http_req *in);
void mefd_http_respond(struct evhttp_request *req, const struct mefd_http_req *in,
                       struct mefd_reply *reply, const char *location);
void mefd_http_respond_error(struct evhttp_request *req, const struct mefd_http_req *in, int rsc);
int mefd_http_check_formats(const struct mefd_http_req *in, const char *what);
long mefd_http_ty(const char *type);

/* The TLS exporter output (RFC 5705, no context) of the request's session
 * under label into out, or NULL when it cannot be taken. Each key
 * registration takes it from the session its request came on (10.3.1). */
const uint8_t *mefd_http_export(struct evhttp_request *req, const char *label,
                                uint8_t out[MEFD_KR_EXPORT_LEN]);

/* TS-0009 table 6.3.2-1: the HTTP status of a Response Status Code. */
int mefd_http_status(int rsc);

#endif
