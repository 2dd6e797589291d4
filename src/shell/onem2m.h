/* The parts of the oneM2M exchange that do not depend on the binding: Request
 * Identifiers, the MEF Client Registration request body and the reading of
 * its response (profile v1, spec/binding.md 6.3). onem2m_coap.c and
 * onem2m_http.c put them on the wire. */
#ifndef MEFC_SHELL_ONEM2M_H
#define MEFC_SHELL_ONEM2M_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "state_store.h"

#define OM2M_TY_MEF_CLIENT_REG 10020u   /* profile v1 number (ruling of the project) */
#define OM2M_TY_MEF_CLIENT_CMD 10021u
#define OM2M_TY_SYMM_KEY_REG 10022u     /* <symmKeyReg>, profile v1 (ruling I-40) */
#define OM2M_TY_MAF_CLIENT_REG 10023u   /* <mafClientReg>, profile v1 (ruling I-42) */
#define OM2M_MEF_PATH "mef"
#define OM2M_MAF_PATH "maf"             /* TS-0032 MAFBase */
#define OM2M_RVI "3"
#define OM2M_RQI_MAX 32u
/* Content formats of a response body as both bindings report them (TS-0008
 * numbers; onem2m_http maps the HTTP media types onto them). */
#define OM2M_CF_RES_JSON 10001u
#define OM2M_CF_JSON 50u

/* A fresh Request Identifier: "mefc-" and 16 random hexadecimal digits. */
void om2m_new_rqi(char out[OM2M_RQI_MAX]);

/* The CREATE content {"sec:mecr":{"lbl":[...],"et":...}} as a malloc'd
 * string, or NULL when out of memory. */
char *om2m_registration_body(const mefc_config *cfg);

/* Fill *reg from the body of a successful registration response. -1 with a
 * message when it is not a usable <mefClientReg> representation. */
int om2m_registration_parse(const uint8_t *body, size_t len, state_registration *reg, char *err,
                            size_t cap);

#endif
