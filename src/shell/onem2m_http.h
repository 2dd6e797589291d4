/* The oneM2M HTTP binding of profile v1 (TS-0009): the MEF Client
 * Registration CREATE (POST /mef, Content-Type with ty=10020), and the
 * Retrieve (GET) and Update (PUT) of <mefClientCmd>, with the headers
 * X-M2M-Origin, X-M2M-RI and X-M2M-RVI, media type
 * application/vnd.onem2m-res+json. */
#ifndef MEFC_SHELL_ONEM2M_HTTP_H
#define MEFC_SHELL_ONEM2M_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "http_transport.h"
#include "onem2m.h"
#include "state_store.h"

/* MEF Client Registration (TS-0003 8.3.5.2.3) over HTTP: 201 with X-M2M-RSC
 * 2001 (when present) and a <mefClientReg> body fill *reg; else -1 with a
 * message naming the status and RSC. */
int om2m_http_register(ht_transport *t, const mefc_config *cfg, state_registration *reg,
                       char *err, size_t cap);

/* A CREATE (POST with ty= in the Content-Type) of body at path. Fills *res as
 * ht_request; 0 when a response arrived. */
int om2m_http_create(ht_transport *t, const mefc_config *cfg, const char *path, unsigned ty,
                     const uint8_t *body, size_t len, ct_result *res);

/* Retrieve / Update of <mefClientCmd> at cmd_path. Fill *res as ht_request;
 * a response whose X-M2M-RI is not the request's is no response (-1). */
int om2m_http_retrieve(ht_transport *t, const mefc_config *cfg, const char *cmd_path,
                       ct_result *res);
int om2m_http_update(ht_transport *t, const mefc_config *cfg, const char *cmd_path,
                     const uint8_t *body, size_t len, ct_result *res);

#endif
