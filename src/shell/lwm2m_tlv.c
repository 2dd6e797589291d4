/* LwM2M TLV (Content-Format 11542, LwM2M 1.1 core 7.4.3) decoder for the
 * bootstrap Writes: object instances holding resources, multiple resources
 * holding resource instances, nothing deeper. Every length is checked
 * against what encloses it; nothing is copied (values point into the payload). */
#include "lwm2m_data.h"

#include <string.h>

enum { TLV_INST = 0, TLV_RES_INST = 1, TLV_MULTI = 2, TLV_RES = 3 };

typedef struct {
  uint32_t type, id;
  const uint8_t *val;
  uint32_t len;
} tlv_item;

/* The item at b[*off..n): header, identifier, length, value within bounds. */
static int tlv_next(const uint8_t *b, size_t n, size_t *off, tlv_item *it)
{
  size_t o = *off;
  if (o >= n)
    return LW_E_MALFORMED;
  uint8_t t = b[o++];
  size_t idlen = (t & 0x20u) != 0 ? 2u : 1u;
  size_t lt = (t >> 3) & 3u;
  if (n - o < idlen + lt)
    return LW_E_MALFORMED;
  it->type = (uint32_t)(t >> 6);
  it->id = idlen == 2 ? ((uint32_t)b[o] << 8 | b[o + 1]) : b[o];
  o += idlen;
  uint32_t len = 0;
  if (lt == 0) {
    len = t & 7u;
  } else {
    for (size_t i = 0; i < lt; i++)
      len = len << 8 | b[o + i];
    o += lt;
  }
  if (it->id > LW_ID_MAX || len > n - o)
    return LW_E_MALFORMED;
  it->val = b + o;
  it->len = len;
  *off = o + len;
  return LW_OK;
}

/* Resources (single or multiple) of one object instance. */
static int tlv_resources(const uint8_t *b, size_t n, uint32_t obj, uint32_t inst, lw_recs *out)
{
  size_t off = 0;
  if (n == 0)
    return LW_E_MALFORMED;
  while (off < n) {
    tlv_item it;
    int r = tlv_next(b, n, &off, &it);
    if (r != LW_OK)
      return r;
    lw_rec rec = {obj, inst, it.id, LW_NONE, LW_K_RAW, it.val, it.len, 0};
    if (it.type == TLV_RES) {
      if ((r = lw_recs_add(out, &rec)) != LW_OK)
        return r;
    } else if (it.type == TLV_MULTI) {
      size_t o2 = 0;
      if (it.len == 0)
        return LW_E_MALFORMED; /* a multiple resource with no instance says nothing */
      while (o2 < it.len) {
        tlv_item ri;
        if ((r = tlv_next(it.val, it.len, &o2, &ri)) != LW_OK)
          return r;
        if (ri.type != TLV_RES_INST)
          return LW_E_MALFORMED;
        lw_rec rr = {obj, inst, it.id, ri.id, LW_K_RAW, ri.val, ri.len, 0};
        if ((r = lw_recs_add(out, &rr)) != LW_OK)
          return r;
      }
    } else {
      return LW_E_MALFORMED;
    }
  }
  return LW_OK;
}

static int tlv_decode(const uint8_t *b, size_t n, const lw_path *target, lw_recs *out)
{
  int r = LW_OK;
  if (n > LW_BODY_MAX)
    return LW_E_LIMIT;
  if (target->depth == 0 || n == 0)
    return LW_E_MALFORMED;
  uint32_t obj = target->id[0];
  if (target->depth == 1) {
    size_t off = 0;
    while (off < n && r == LW_OK) {
      tlv_item it;
      if ((r = tlv_next(b, n, &off, &it)) != LW_OK)
        break;
      if (it.type != TLV_INST)
        return LW_E_MALFORMED;
      r = tlv_resources(it.val, it.len, obj, it.id, out);
    }
  } else if (target->depth == 2) {
    /* Either the instance's resources, or one instance item naming it. */
    size_t off = 0;
    tlv_item it;
    if ((r = tlv_next(b, n, &off, &it)) != LW_OK)
      return r;
    if (it.type == TLV_INST) {
      if (off != n)
        return LW_E_MALFORMED;
      if (it.id != target->id[1])
        return LW_E_PATH;
      r = tlv_resources(it.val, it.len, obj, it.id, out);
    } else {
      r = tlv_resources(b, n, obj, target->id[1], out);
    }
  } else if (target->depth == 3) {
    r = tlv_resources(b, n, obj, target->id[1], out);
    for (uint32_t i = 0; i < out->n && r == LW_OK; i++) {
      if (out->v[i].res != target->id[2])
        r = LW_E_PATH;
    }
  } else {
    /* /o/i/r/ri: exactly one resource instance item. */
    size_t off = 0;
    tlv_item it;
    if ((r = tlv_next(b, n, &off, &it)) != LW_OK)
      return r;
    if (it.type != TLV_RES_INST || off != n)
      return LW_E_MALFORMED;
    if (it.id != target->id[3])
      return LW_E_PATH;
    lw_rec rec = {obj, target->id[1], target->id[2], it.id, LW_K_RAW, it.val, it.len, 0};
    r = lw_recs_add(out, &rec);
  }
  return r == LW_OK ? lw_recs_unique(out) : r;
}

int lw_tlv_decode(const uint8_t *b, size_t n, const lw_path *target, lw_recs *out)
{
  out->n = 0;
  out->used = 0;
  int r = tlv_decode(b, n, target, out);
  if (r != LW_OK)
    out->n = 0; /* nothing of a refused payload is used */
  return r;
}
