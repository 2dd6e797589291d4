/* mefd's oneM2M HTTP binding (TS-0009) on the HTTPS server it already runs
 * for EST: POST /mef (MEF Client Registration), GET and PUT /mef/<rn>/cmd
 * (MEF Client Command Retrieve and Update), X-M2M-Origin bound to the TLS
 * identity (PSK or client certificate), X-M2M-RI echoed, X-M2M-RSC and the
 * status of TS-0009 table 6.3.2-1 on every response. */
#ifndef MEFD_HTTP_ONEM2M_H
#define MEFD_HTTP_ONEM2M_H

#include <event2/http.h>

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

/* TS-0009 table 6.3.2-1: the HTTP status of a Response Status Code. */
int mefd_http_status(int rsc);

#endif
