/* The oneM2M binding the command loop talks through, chosen by the scheme of
 * mef.address: CoAP over DTLS (coaps://, coap_transport + onem2m_coap) or HTTP
 * over TLS (https://, http_transport + onem2m_http). Both report a response
 * as a ct_result: code is the CoAP code (class * 100 + detail) or the HTTP
 * status, rsc the oneM2M Response Status Code, cf the content format (the
 * HTTP media types mapped to 10001 and 50). */
#ifndef MEFC_SHELL_BINDING_H
#define MEFC_SHELL_BINDING_H

#include <stddef.h>
#include <stdint.h>

#include "coap_transport.h"
#include "config.h"
#include "state_store.h"

typedef struct om2m_binding om2m_binding;

/* NULL with a message in err. Nothing is sent yet. */
om2m_binding *binding_open(const mefc_config *cfg, char *err, size_t cap);

int binding_register(om2m_binding *b, state_registration *reg, char *err, size_t cap);
int binding_retrieve(om2m_binding *b, const char *cmd_path, ct_result *res);
int binding_update(om2m_binding *b, const char *cmd_path, const uint8_t *body, size_t len,
                   ct_result *res);

/* Wait up to ms, keeping the binding's I/O going. */
void binding_idle(om2m_binding *b, uint32_t ms);

/* A response code as the binding writes it: "2.05" or "200". */
const char *binding_code_str(const om2m_binding *b, unsigned code, char *buf, size_t cap);

void binding_close(om2m_binding *b);

#endif
