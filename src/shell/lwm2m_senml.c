/* LwM2M SenML JSON (Content-Format 110, RFC 8428 as LwM2M 1.1 core 7.4.4
 * uses it) decoder for the bootstrap Writes, on the core's bounded JSON
 * reader: an array of records, each a name (bn + n) that is a resource or
 * resource instance path inside the written path, and exactly one value. */
#include "lwm2m_data.h"

#include <string.h>

#define NAME_MAX_LEN 64u

static int is_key(const uint8_t *b, size_t n, const mefc_json_tok *t, const char *k)
{
  return mefc_json_str_eq(b, n, t, k, strlen(k));
}

/* The string token t unescaped into out->buf. */
static int take_string(const uint8_t *b, size_t n, const mefc_json_tok *t, lw_recs *out,
                       const uint8_t **p, uint32_t *len)
{
  size_t got = 0;
  if (!mefc_json_str_copy(b, n, t, out->buf + out->used, LW_BODY_MAX - out->used, &got))
    return LW_E_LIMIT;
  *p = out->buf + out->used;
  *len = (uint32_t)got;
  out->used += (uint32_t)got;
  return LW_OK;
}

/* The record's full name inside the written path: a resource or a resource
 * instance of the target. */
static int name_path(const uint8_t *name, size_t len, const lw_path *target, lw_path *p)
{
  if (len == 0 || name[0] != '/' || lw_path_parse(name, len, p) != LW_OK)
    return LW_E_MALFORMED;
  if (p->depth < 3)
    return LW_E_MALFORMED;
  if (p->depth < target->depth)
    return LW_E_PATH;
  for (uint32_t i = 0; i < target->depth; i++) {
    if (p->id[i] != target->id[i])
      return LW_E_PATH;
  }
  return LW_OK;
}

/* One record (object token e). bn[0..*bn_len) is the base name in force. */
static int record(const uint8_t *b, size_t n, const mefc_json_doc *doc, uint32_t e,
                  const lw_path *target, uint8_t *bn, size_t *bn_len, lw_recs *out)
{
  uint8_t nm[NAME_MAX_LEN];
  size_t nm_len = 0;
  int has_n = 0, values = 0, r;
  uint32_t vk = 0, vt = 0;
  lw_rec rec;
  memset(&rec, 0, sizeof rec);

  for (uint32_t k = e + 1; k < doc->tok[e].next; k = doc->tok[k + 1].next) {
    const mefc_json_tok *key = &doc->tok[k], *val = &doc->tok[k + 1];
    if (is_key(b, n, key, "bn")) {
      if (val->type != MEFC_JSON_STRING ||
          !mefc_json_str_copy(b, n, val, bn, NAME_MAX_LEN, bn_len))
        return LW_E_MALFORMED;
    } else if (is_key(b, n, key, "n")) {
      if (val->type != MEFC_JSON_STRING ||
          !mefc_json_str_copy(b, n, val, nm, NAME_MAX_LEN, &nm_len))
        return LW_E_MALFORMED;
      has_n = 1;
    } else if (is_key(b, n, key, "v") || is_key(b, n, key, "vs") || is_key(b, n, key, "vb") ||
               is_key(b, n, key, "vd")) {
      values++;
      vk = k;
      vt = k + 1;
    } else if (is_key(b, n, key, "bt") || is_key(b, n, key, "t") || is_key(b, n, key, "bver")) {
      if (val->type != MEFC_JSON_INTEGER && val->type != MEFC_JSON_NUMBER)
        return LW_E_MALFORMED;
    } else {
      return LW_E_MALFORMED; /* strict: any other field, "vlo" included, is refused */
    }
  }
  if (values != 1)
    return LW_E_MALFORMED;
  /* The name is bn followed by n (RFC 8428 4.5.1). */
  uint8_t full[2 * NAME_MAX_LEN];
  memcpy(full, bn, *bn_len);
  if (has_n)
    memcpy(full + *bn_len, nm, nm_len);
  lw_path p;
  if ((r = name_path(full, *bn_len + (has_n ? nm_len : 0), target, &p)) != LW_OK)
    return r;
  rec.obj = p.id[0];
  rec.inst = p.id[1];
  rec.res = p.id[2];
  rec.riid = p.depth == 4 ? p.id[3] : LW_NONE;
  const mefc_json_tok *v = &doc->tok[vt];
  if (is_key(b, n, &doc->tok[vk], "v")) {
    if (v->type == MEFC_JSON_INTEGER) {
      rec.kind = LW_K_INT;
      rec.i = v->ival;
    } else if (v->type == MEFC_JSON_NUMBER) {
      rec.kind = LW_K_FLOAT;
    } else {
      return LW_E_MALFORMED;
    }
  } else if (is_key(b, n, &doc->tok[vk], "vb")) {
    if (v->type != MEFC_JSON_TRUE && v->type != MEFC_JSON_FALSE)
      return LW_E_MALFORMED;
    rec.kind = LW_K_BOOL;
    rec.i = v->type == MEFC_JSON_TRUE;
  } else if (v->type != MEFC_JSON_STRING) {
    return LW_E_MALFORMED;
  } else if (is_key(b, n, &doc->tok[vk], "vs")) {
    rec.kind = LW_K_STR;
    if ((r = take_string(b, n, v, out, &rec.p, &rec.n)) != LW_OK)
      return r;
  } else {
    /* vd: the base64 text is decoded in place of its own copy. */
    const uint8_t *txt;
    uint32_t tl;
    if ((r = take_string(b, n, v, out, &txt, &tl)) != LW_OK)
      return r;
    long dl = lw_base64_decode(txt, tl, (uint8_t *)txt, tl);
    if (dl < 0)
      return LW_E_MALFORMED;
    out->used -= tl - (uint32_t)dl;
    rec.kind = LW_K_DATA;
    rec.p = txt;
    rec.n = (uint32_t)dl;
  }
  return lw_recs_add(out, &rec);
}

static int senml_decode(const uint8_t *b, size_t n, const lw_path *target, lw_recs *out,
                        mefc_json_doc *doc)
{
  uint8_t bn[NAME_MAX_LEN];
  size_t bn_len = 0;
  int r = LW_OK;
  if (n > LW_BODY_MAX)
    return LW_E_LIMIT;
  if (target->depth == 0)
    return LW_E_MALFORMED;
  int jr = mefc_json_parse(b, n, doc);
  if (jr == MEFC_JSON_E_TOKENS || jr == MEFC_JSON_E_TOO_LARGE)
    return LW_E_LIMIT;
  if (jr != MEFC_JSON_OK || doc->tok[0].type != MEFC_JSON_ARRAY || doc->tok[0].count == 0)
    return LW_E_MALFORMED;
  for (uint32_t e = 1; e < doc->ntok && r == LW_OK; e = doc->tok[e].next) {
    if (doc->tok[e].type != MEFC_JSON_OBJECT)
      return LW_E_MALFORMED;
    r = record(b, n, doc, e, target, bn, &bn_len, out);
  }
  return r == LW_OK ? lw_recs_unique(out) : r;
}

int lw_senml_decode(const uint8_t *b, size_t n, const lw_path *target, lw_recs *out,
                    mefc_json_doc *doc)
{
  out->n = 0;
  out->used = 0;
  int r = senml_decode(b, n, target, out, doc);
  if (r != LW_OK)
    out->n = 0; /* nothing of a refused payload is used */
  return r;
}
