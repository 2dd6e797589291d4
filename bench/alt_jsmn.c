/* Baseline (b): the command fields extracted with jsmn's tokens (strict mode)
 * and the hand code such a reader needs: member lookup, subtree skipping,
 * integer conversion and string unescaping. */
#include <string.h>
#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>
#include "bench.h"

struct jdoc {
  const char *js;
  jsmntok_t t[MEFC_JSON_TOKENS_MAX];
  int n;
};

/* Index of the token after the subtree rooted at i. */
static int skip(const struct jdoc *d, int i)
{
  int pending = 1;
  while (pending > 0 && i < d->n) {
    pending += d->t[i].size - 1;
    i++;
  }
  return i;
}

/* Value token of member name in object obj, or -1. */
static int member(const struct jdoc *d, int obj, const char *name)
{
  size_t nl = strlen(name);
  if (obj < 0 || d->t[obj].type != JSMN_OBJECT)
    return -1;
  int i = obj + 1;
  for (int k = 0; k < d->t[obj].size && i + 1 < d->n; k++) {
    const jsmntok_t *key = &d->t[i];
    if ((size_t)(key->end - key->start) == nl && memcmp(d->js + key->start, name, nl) == 0)
      return i + 1;
    i = skip(d, i + 1);
  }
  return -1;
}

static int get_int(const struct jdoc *d, int obj, const char *name, int64_t *v)
{
  int i = member(d, obj, name);
  if (i < 0 || d->t[i].type != JSMN_PRIMITIVE)
    return -1;
  const char *p = d->js + d->t[i].start, *e = d->js + d->t[i].end;
  int neg = p < e && *p == '-';
  uint64_t x = 0;
  p += neg;
  if (p == e)
    return -1;
  for (; p < e; p++) {
    if (*p < '0' || *p > '9' || x > (UINT64_MAX - 9u) / 10u)
      return -1;
    x = x * 10u + (uint64_t)(*p - '0');
  }
  if (x > (uint64_t)INT64_MAX)
    return -1;
  *v = neg ? -(int64_t)x : (int64_t)x;
  return 0;
}

static int hex4(const char *p, uint32_t *v)
{
  uint32_t x = 0;
  for (int k = 0; k < 4; k++) {
    char c = p[k];
    uint32_t h = (c >= '0' && c <= '9') ? (uint32_t)(c - '0')
                 : (c >= 'a' && c <= 'f') ? (uint32_t)(c - 'a' + 10)
                 : (c >= 'A' && c <= 'F') ? (uint32_t)(c - 'A' + 10) : 16u;
    if (h == 16u)
      return -1;
    x = x * 16u + h;
  }
  *v = x;
  return 0;
}

/* Unescape the string token into out[0..cap): the hand code jsmn leaves to
 * its user (escapes, \u with surrogate pairs, to UTF-8). */
static int get_str(const struct jdoc *d, int obj, const char *name, uint8_t *out, size_t cap,
                   size_t *n)
{
  int i = member(d, obj, name);
  if (i < 0 || d->t[i].type != JSMN_STRING)
    return -1;
  const char *p = d->js + d->t[i].start, *e = d->js + d->t[i].end;
  size_t o = 0;
  while (p < e) {
    uint32_t cp = (uint8_t)*p++;
    if (cp == '\\') {
      char c = *p++;
      switch (c) {
      case 'b': cp = '\b'; break;
      case 'f': cp = '\f'; break;
      case 'n': cp = '\n'; break;
      case 'r': cp = '\r'; break;
      case 't': cp = '\t'; break;
      case 'u':
        if (e - p < 4 || hex4(p, &cp) != 0)
          return -1;
        p += 4;
        if (cp >= 0xD800u && cp < 0xDC00u) {
          uint32_t lo;
          if (e - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) != 0 ||
              lo < 0xDC00u || lo > 0xDFFFu)
            return -1;
          cp = 0x10000u + ((cp - 0xD800u) << 10) + (lo - 0xDC00u);
          p += 6;
        }
        break;
      default: cp = (uint8_t)c; break;
      }
      uint8_t u[4];
      size_t k = 0;
      if (cp < 0x80u) {
        u[k++] = (uint8_t)cp;
      } else if (cp < 0x800u) {
        u[k++] = (uint8_t)(0xC0u | (cp >> 6));
        u[k++] = (uint8_t)(0x80u | (cp & 0x3Fu));
      } else if (cp < 0x10000u) {
        u[k++] = (uint8_t)(0xE0u | (cp >> 12));
        u[k++] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
        u[k++] = (uint8_t)(0x80u | (cp & 0x3Fu));
      } else {
        u[k++] = (uint8_t)(0xF0u | (cp >> 18));
        u[k++] = (uint8_t)(0x80u | ((cp >> 12) & 0x3Fu));
        u[k++] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
        u[k++] = (uint8_t)(0x80u | (cp & 0x3Fu));
      }
      if (o + k > cap)
        return -1;
      memcpy(out + o, u, k);
      o += k;
    } else {
      if (o == cap)
        return -1;
      out[o++] = (uint8_t)cp;
    }
  }
  *n = o;
  return 0;
}

static int class_args(const struct jdoc *d, int cma, struct bench_fields *f)
{
  int a;
  switch (f->ccid) {
  case MEFC_CLASS_NO_MORE_COMMANDS:
    a = member(d, cma, "nmca");
    return get_str(d, a, "rdu", f->str[0], sizeof f->str[0], &f->str_len[0]);
  case MEFC_CLASS_CERT_PROV:
    a = member(d, cma, "cpca");
    return get_int(d, a, "cppi", &f->num[0]) | get_int(d, a, "cst", &f->num[1]) |
           get_str(d, a, "uri", f->str[0], sizeof f->str[0], &f->str_len[0]) |
           get_str(d, a, "csi", f->str[1], sizeof f->str[0], &f->str_len[1]);
  case MEFC_CLASS_DEV_CFG:
    a = member(d, cma, "dcca");
    return get_str(d, a, "dcu", f->str[0], sizeof f->str[0], &f->str_len[0]);
  case MEFC_CLASS_MO_NODE: {
    a = member(d, cma, "nnca");
    int rc = get_str(d, a, "ajop", f->str[0], sizeof f->str[0], &f->str_len[0]) |
             get_int(d, a, "otyp", &f->num[0]);
    int otsa = member(d, a, "otsa");
    if (otsa >= 0)
      rc |= get_int(d, otsa, "suid", &f->num[1]);
    return rc;
  }
  default:
    return -1;
  }
}

int bench_jsmn(const uint8_t *buf, size_t len, struct bench_fields *f)
{
  struct jdoc d;
  jsmn_parser p;
  jsmn_init(&p);
  d.js = (const char *)buf;
  d.n = jsmn_parse(&p, d.js, len, d.t, MEFC_JSON_TOKENS_MAX);
  if (d.n < 1 || d.t[0].type != JSMN_OBJECT)
    return -1;
  int mcc = member(&d, 0, "sec:mcc");
  if (mcc < 0)
    mcc = member(&d, 0, "m2m:mcc");
  int mccd = member(&d, mcc, "mccd");
  if (get_str(&d, mcc, "mcci", f->id, MEFC_CMD_ID_MAX, &f->id_len) != 0 ||
      get_int(&d, mcc, "mccs", &f->mccs) != 0 || get_int(&d, mccd, "ccid", &f->ccid) != 0)
    return -1;
  f->has_tgi = get_str(&d, mccd, "tgi", f->tgi, MEFC_ID_MAX, &f->tgi_len) == 0;
  return class_args(&d, member(&d, mccd, "cma"), f);
}
