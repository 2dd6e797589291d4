/* One switch on the binding, so the loop stays the same for CoAP and HTTP. */
#include "binding.h"

#include <stdio.h>
#include <stdlib.h>

#include "http_transport.h"
#include "onem2m_coap.h"
#include "onem2m_http.h"

struct om2m_binding {
  const mefc_config *cfg;
  ct_transport *coap; /* exactly one of the two */
  ht_transport *http;
};

om2m_binding *binding_open(const mefc_config *cfg, char *err, size_t cap)
{
  om2m_binding *b = calloc(1, sizeof *b);
  if (b == NULL) {
    snprintf(err, cap, "out of memory");
    return NULL;
  }
  b->cfg = cfg;
  if (cfg->binding == CFG_BIND_HTTP)
    b->http = ht_open(cfg, err, cap);
  else
    b->coap = ct_open(cfg, err, cap);
  if (b->http == NULL && b->coap == NULL) {
    free(b);
    return NULL;
  }
  return b;
}

int binding_register(om2m_binding *b, state_registration *reg, char *err, size_t cap)
{
  if (b->http != NULL)
    return om2m_http_register(b->http, b->cfg, reg, err, cap);
  return om2m_register(b->coap, b->cfg, reg, err, cap);
}

int binding_retrieve(om2m_binding *b, const char *cmd_path, ct_result *res)
{
  if (b->http != NULL)
    return om2m_http_retrieve(b->http, b->cfg, cmd_path, res);
  return om2m_retrieve(b->coap, b->cfg, cmd_path, res);
}

int binding_update(om2m_binding *b, const char *cmd_path, const uint8_t *body, size_t len,
                   ct_result *res)
{
  if (b->http != NULL)
    return om2m_http_update(b->http, b->cfg, cmd_path, body, len, res);
  return om2m_update(b->coap, b->cfg, cmd_path, body, len, res);
}

void binding_idle(om2m_binding *b, uint32_t ms)
{
  if (b->http != NULL)
    ht_idle(b->http, ms);
  else
    ct_idle(b->coap, ms);
}

const char *binding_code_str(const om2m_binding *b, unsigned code, char *buf, size_t cap)
{
  if (b->http != NULL) {
    snprintf(buf, cap, "%u", code);
    return buf;
  }
  return om2m_code_str(code, buf, cap);
}

void binding_close(om2m_binding *b)
{
  if (b == NULL)
    return;
  if (b->http != NULL)
    ht_close(b->http);
  if (b->coap != NULL)
    ct_close(b->coap);
  free(b);
}
