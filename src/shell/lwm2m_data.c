/* Paths and record lists shared by the LwM2M TLV and SenML decoders
 * (lwm2m_data.h): parsing "/obj/inst/res/riid", bounded appends, and the
 * rule that a Write names each resource once. */
#include "lwm2m_data.h"

#include <string.h>

int lw_path_parse(const uint8_t *s, size_t n, lw_path *p)
{
  size_t i = 0;
  memset(p, 0, sizeof *p);
  if (n > 0 && s[0] == '/')
    i = 1;
  if (i == n)
    return LW_OK; /* the root */
  for (;;) {
    uint32_t v = 0;
    size_t start = i;
    if (p->depth == 4)
      return LW_E_MALFORMED;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      v = v * 10u + (uint32_t)(s[i] - '0');
      if (v > LW_ID_MAX || i - start >= 5)
        return LW_E_MALFORMED;
      i++;
    }
    if (i == start || (s[start] == '0' && i - start > 1))
      return LW_E_MALFORMED;
    p->id[p->depth++] = v;
    if (i == n)
      return LW_OK;
    if (s[i] != '/')
      return LW_E_MALFORMED;
    i++;
    if (i == n)
      return LW_OK; /* one trailing '/' */
  }
}

int lw_recs_add(lw_recs *r, const lw_rec *rec)
{
  if (r->n >= LW_RECS_MAX)
    return LW_E_LIMIT;
  r->v[r->n++] = *rec;
  return LW_OK;
}

int lw_recs_unique(const lw_recs *r)
{
  for (uint32_t i = 0; i < r->n; i++) {
    for (uint32_t j = i + 1; j < r->n; j++) {
      const lw_rec *a = &r->v[i], *b = &r->v[j];
      /* the same resource, or a single and a multiple form of it */
      if (a->obj == b->obj && a->inst == b->inst && a->res == b->res &&
          (a->riid == b->riid || a->riid == LW_NONE || b->riid == LW_NONE))
        return LW_E_MALFORMED;
    }
  }
  return LW_OK;
}

static int b64_val(uint8_t c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

long lw_base64_decode(const uint8_t *s, size_t n, uint8_t *out, size_t cap)
{
  size_t pad = 0, o = 0;
  uint32_t acc = 0;
  unsigned bits = 0;
  while (pad < 2 && n > 0 && s[n - 1] == '=') {
    n--;
    pad++;
  }
  if (n % 4 == 1 || (pad > 0 && (n + pad) % 4 != 0))
    return -1;
  for (size_t i = 0; i < n; i++) {
    int v = b64_val(s[i]);
    if (v < 0)
      return -1;
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (o >= cap)
        return -1;
      out[o++] = (uint8_t)(acc >> bits);
      acc &= (1u << bits) - 1u;
    }
  }
  if (acc != 0) /* non-canonical: leftover bits must be zero */
    return -1;
  return (long)o;
}
