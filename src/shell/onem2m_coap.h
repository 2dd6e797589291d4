/* The oneM2M CoAP binding of profile v1 (TS-0008 V3): the MEF Client
 * Registration CREATE (POST /mef, TY 10020), the key and MAF registration
 * CREATEs (spec/binding.md 6.4, 6.5), and the Retrieve (GET) and Update (PUT)
 * of <mefClientCmd>, with the options FR (279), RQI (283) and RVI (271),
 * content format 10001. */
#ifndef MEFC_SHELL_ONEM2M_COAP_H
#define MEFC_SHELL_ONEM2M_COAP_H

#include <stddef.h>
#include <stdint.h>

#include "coap_transport.h"
#include "config.h"
#include "onem2m.h"
#include "state_store.h"

#define OM2M_OPT_TY 267u
#define OM2M_OPT_RVI 271u
#define OM2M_OPT_FR 279u
#define OM2M_OPT_RQI 283u
#define OM2M_OPT_RSC 307u

/* MEF Client Registration (TS-0003 8.3.5.2.3). Fills *reg from the 2.01
 * response. -1 with a message when the MEF refused or the response is not a
 * <mefClientReg> representation. */
int om2m_register(ct_transport *t, const mefc_config *cfg, state_registration *reg, char *err,
                  size_t cap);

/* Retrieve / Update of <mefClientCmd> at cmd_path. Fill *res as ct_request. */
int om2m_retrieve(ct_transport *t, const mefc_config *cfg, const char *cmd_path, ct_result *res);
int om2m_update(ct_transport *t, const mefc_config *cfg, const char *cmd_path,
                const uint8_t *body, size_t len, ct_result *res);

/* A CREATE (POST) of resource type ty with body at path ("mef", "maf"):
 * the key and MAF registrations of spec/binding.md 6.4 / 6.5. oneM2M-TY
 * is sent only with coap.send_ty (a libcoap MEF cannot read it, 6.1): the
 * receiver tells the request by the root of the JSON body. Fills *res as
 * ct_request. */
int om2m_coap_create(ct_transport *t, const mefc_config *cfg, const char *path, unsigned ty,
                     const uint8_t *body, size_t len, ct_result *res);

/* "2.05" from 205 into buf (at least 8 bytes). */
const char *om2m_code_str(unsigned code, char *buf, size_t cap);

#endif
