/* The LwM2M objects and resources the bootstrap client accepts (LwM2M 1.1
 * Security 0 and Server 1, and the oneM2M MO objects of ruling I-46), with
 * the type that turns a decoded value into its stored JSON form. */
#ifndef MEFC_SHELL_LWM2M_OBJECTS_H
#define MEFC_SHELL_LWM2M_OBJECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "lwm2m_data.h"

/* Object IDs (I-46): LwM2M's own, and this profile's for the oneM2M MO nodes,
 * in the OMNA range 26241-32768 that needs no registration. */
#define LW_OBJ_SECURITY 0u
#define LW_OBJ_SERVER 1u
#define LW_OBJ_AUTH_PROFILE 26241u  /* [authenticationProfile], mgd 1022 */
#define LW_OBJ_TRUST_ANCHOR 26242u  /* [trustAnchorCred], mgd 1024 */
#define LW_OBJ_MAF_REG_CFG 26243u   /* [MAFClientRegCfg], mgd 1025 */
#define LW_OBJ_MEF_REG_CFG 26244u   /* [MEFClientRegCfg], mgd 1026 */
#define LW_MO_OBJECTS 4u

#define LW_OPAQUE_MAX 1024u   /* bytes of a string or opaque resource */

/* Results of a staged operation, each with the CoAP answer it maps to. */
enum lw_status {
  LW_S_OK = 0,
  LW_S_BAD = -1,       /* 4.00: data the object definitions refuse (server's fault) */
  LW_S_NOT_FOUND = -2, /* 4.04: an object or resource this client does not have */
  LW_S_LIMIT = -3      /* 4.13: past this client's own limits */
};

enum lw_type { LW_T_STR = 1, LW_T_INT, LW_T_BOOL, LW_T_OPAQUE, LW_T_FP };

typedef struct {
  uint32_t obj;
  uint16_t res;
  uint8_t type;       /* enum lw_type */
  uint8_t multi;      /* a multiple resource */
  const char *mo_key; /* MO objects: the node member or TS-0022 attribute it fills */
} lw_res_def;

/* The MO objects and the mgmtDefinition of their nodes. */
extern const struct lw_mo_object {
  uint32_t obj, mgd;
} lw_mo_objects[LW_MO_OBJECTS];

bool lw_known_object(uint32_t obj);

/* The definition of resource res of object obj, or NULL. */
const lw_res_def *lw_find_def(uint32_t obj, uint32_t res);

/* The value of record r as its definition's type (strings and integers as
 * such, opaque bytes as hexadecimal), or NULL with *rc (LW_S_BAD or
 * LW_S_LIMIT) and the reason in why. */
json_t *lw_typed(const lw_res_def *d, const lw_rec *r, int *rc, char *why, size_t cap);

/* Writes the reason into why[0..cap) and returns rc: the error idiom of the
 * LwM2M files. */
int lw_say(char *why, size_t cap, int rc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
