/* The object definitions of the bootstrap client (lwm2m_objects.h): which
 * resources exist, their types and multiplicity, the MO attribute each one
 * carries (ruling I-46), and the conversion of a decoded value. */
#include "lwm2m_objects.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mefc/limits.h"

static const lw_res_def defs[] = {
    /* Security (0) */
    {0, 0, LW_T_STR, 0, NULL},     {0, 1, LW_T_BOOL, 0, NULL},    {0, 2, LW_T_INT, 0, NULL},
    {0, 3, LW_T_OPAQUE, 0, NULL},  {0, 4, LW_T_OPAQUE, 0, NULL},  {0, 5, LW_T_OPAQUE, 0, NULL},
    {0, 6, LW_T_INT, 0, NULL},     {0, 7, LW_T_OPAQUE, 0, NULL},  {0, 8, LW_T_OPAQUE, 0, NULL},
    {0, 9, LW_T_STR, 0, NULL},     {0, 10, LW_T_INT, 0, NULL},    {0, 11, LW_T_INT, 0, NULL},
    {0, 12, LW_T_INT, 0, NULL},    {0, 13, LW_T_INT, 0, NULL},    {0, 14, LW_T_STR, 0, NULL},
    {0, 15, LW_T_INT, 0, NULL},    {0, 16, LW_T_INT, 1, NULL},
    /* Server (1); 4, 8 and 9 are executable, 10 an object link: not written */
    {1, 0, LW_T_INT, 0, NULL},     {1, 1, LW_T_INT, 0, NULL},     {1, 2, LW_T_INT, 0, NULL},
    {1, 3, LW_T_INT, 0, NULL},     {1, 5, LW_T_INT, 0, NULL},     {1, 6, LW_T_BOOL, 0, NULL},
    {1, 7, LW_T_STR, 0, NULL},     {1, 11, LW_T_INT, 0, NULL},    {1, 12, LW_T_INT, 0, NULL},
    {1, 13, LW_T_INT, 0, NULL},    {1, 14, LW_T_INT, 0, NULL},    {1, 15, LW_T_BOOL, 0, NULL},
    {1, 16, LW_T_BOOL, 0, NULL},   {1, 17, LW_T_INT, 0, NULL},    {1, 18, LW_T_INT, 0, NULL},
    {1, 19, LW_T_INT, 0, NULL},    {1, 20, LW_T_INT, 0, NULL},    {1, 21, LW_T_BOOL, 0, NULL},
    {1, 22, LW_T_STR, 0, NULL},    {1, 23, LW_T_BOOL, 0, NULL},
    /* [authenticationProfile] */
    {LW_OBJ_AUTH_PROFILE, 0, LW_T_STR, 0, "path"},   {LW_OBJ_AUTH_PROFILE, 1, LW_T_STR, 0, "parent"},
    {LW_OBJ_AUTH_PROFILE, 2, LW_T_INT, 0, "suid"},   {LW_OBJ_AUTH_PROFILE, 3, LW_T_STR, 0, "aski"},
    {LW_OBJ_AUTH_PROFILE, 4, LW_T_STR, 0, "skv"},    {LW_OBJ_AUTH_PROFILE, 5, LW_T_INT, 1, "tlcs"},
    {LW_OBJ_AUTH_PROFILE, 6, LW_T_STR, 0, "mkrd"},   {LW_OBJ_AUTH_PROFILE, 7, LW_T_STR, 1, "mkrl"},
    {LW_OBJ_AUTH_PROFILE, 8, LW_T_FP, 0, "mcfp"},
    /* [trustAnchorCred] */
    {LW_OBJ_TRUST_ANCHOR, 0, LW_T_STR, 0, "path"},   {LW_OBJ_TRUST_ANCHOR, 1, LW_T_STR, 0, "parent"},
    {LW_OBJ_TRUST_ANCHOR, 2, LW_T_FP, 0, "cfp"},     {LW_OBJ_TRUST_ANCHOR, 3, LW_T_STR, 0, "uri"},
    /* [MAFClientRegCfg] */
    {LW_OBJ_MAF_REG_CFG, 0, LW_T_STR, 0, "path"},    {LW_OBJ_MAF_REG_CFG, 1, LW_T_STR, 0, "parent"},
    {LW_OBJ_MAF_REG_CFG, 2, LW_T_STR, 0, "fq"},      {LW_OBJ_MAF_REG_CFG, 3, LW_T_STR, 0, "adfq"},
    {LW_OBJ_MAF_REG_CFG, 4, LW_T_INT, 0, "hpt"},     {LW_OBJ_MAF_REG_CFG, 5, LW_T_INT, 0, "coapPort"},
    {LW_OBJ_MAF_REG_CFG, 6, LW_T_INT, 0, "wpt"},     {LW_OBJ_MAF_REG_CFG, 7, LW_T_STR, 0, "et"},
    {LW_OBJ_MAF_REG_CFG, 8, LW_T_STR, 1, "lbl"},
    /* [MEFClientRegCfg] */
    {LW_OBJ_MEF_REG_CFG, 0, LW_T_STR, 0, "path"},    {LW_OBJ_MEF_REG_CFG, 1, LW_T_STR, 0, "parent"},
    {LW_OBJ_MEF_REG_CFG, 2, LW_T_STR, 0, "fq"},      {LW_OBJ_MEF_REG_CFG, 3, LW_T_STR, 0, "adfq"},
    {LW_OBJ_MEF_REG_CFG, 4, LW_T_INT, 0, "hpt"},     {LW_OBJ_MEF_REG_CFG, 5, LW_T_INT, 0, "coapPort"},
    {LW_OBJ_MEF_REG_CFG, 6, LW_T_INT, 0, "wpt"},     {LW_OBJ_MEF_REG_CFG, 7, LW_T_STR, 0, "et"},
    {LW_OBJ_MEF_REG_CFG, 8, LW_T_STR, 1, "lbl"},
};

const struct lw_mo_object lw_mo_objects[LW_MO_OBJECTS] = {{LW_OBJ_AUTH_PROFILE, 1022},
                  {LW_OBJ_TRUST_ANCHOR, 1024},
                  {LW_OBJ_MAF_REG_CFG, 1025},
                  {LW_OBJ_MEF_REG_CFG, 1026}};

int lw_say(char *why, size_t cap, int rc, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, cap, fmt, ap);
  va_end(ap);
  return rc;
}

bool lw_known_object(uint32_t obj)
{
  for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
    if (defs[i].obj == obj)
      return true;
  return false;
}

const lw_res_def *lw_find_def(uint32_t obj, uint32_t res)
{
  for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
    if (defs[i].obj == obj && defs[i].res == res)
      return &defs[i];
  return NULL;
}

static json_t *hex_of(const uint8_t *p, uint32_t n)
{
  static const char d[] = "0123456789abcdef";
  char *s = malloc(2u * n + 1u);
  if (s == NULL)
    return NULL;
  for (uint32_t i = 0; i < n; i++) {
    s[2 * i] = d[p[i] >> 4];
    s[2 * i + 1] = d[p[i] & 15u];
  }
  s[2u * n] = '\0';
  json_t *j = json_string(s);
  free(s);
  return j;
}

json_t *lw_typed(const lw_res_def *d, const lw_rec *r, int *rc, char *why, size_t cap)
{
  *rc = LW_S_BAD;
  switch (d->type) {
  case LW_T_STR:
    if (r->kind != LW_K_RAW && r->kind != LW_K_STR)
      break;
    if (memchr(r->p, 0, r->n) != NULL)
      break;
    if (r->n > LW_OPAQUE_MAX) {
      *rc = LW_S_LIMIT;
      break;
    }
    {
      json_t *j = json_stringn((const char *)r->p, r->n);
      if (j != NULL)
        return j;
      lw_say(why, cap, 0, "/%u/%u/%u: a string that is not UTF-8", (unsigned)r->obj,
          (unsigned)r->inst, (unsigned)r->res);
      return NULL;
    }
  case LW_T_INT:
    if (r->kind == LW_K_INT)
      return json_integer(r->i);
    if (r->kind == LW_K_RAW && (r->n == 1 || r->n == 2 || r->n == 4 || r->n == 8)) {
      uint64_t u = 0;
      for (uint32_t i = 0; i < r->n; i++)
        u = u << 8 | r->p[i];
      unsigned sh = 64u - 8u * r->n;
      int64_t v = sh == 0 ? (int64_t)u : (int64_t)(u << sh) >> sh; /* sign-extend */
      return json_integer(v);
    }
    break;
  case LW_T_BOOL:
    if (r->kind == LW_K_BOOL)
      return json_boolean(r->i);
    if (r->kind == LW_K_RAW && r->n == 1 && r->p[0] <= 1)
      return json_boolean(r->p[0]);
    break;
  case LW_T_OPAQUE:
  case LW_T_FP:
    if (r->kind != LW_K_RAW && r->kind != LW_K_DATA)
      break;
    if (d->type == LW_T_FP && r->n != MEFC_FP_LEN)
      break;
    if (r->n > LW_OPAQUE_MAX) {
      *rc = LW_S_LIMIT;
      break;
    }
    return hex_of(r->p, r->n);
  default:
    break;
  }
  lw_say(why, cap, 0, "/%u/%u/%u: value does not fit the resource's type", (unsigned)r->obj,
      (unsigned)r->inst, (unsigned)r->res);
  return NULL;
}
