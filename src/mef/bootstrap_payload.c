/* Payloads of mefd's Bootstrap-Writes (bootstrap_payload.h): LwM2M TLV
 * (11542) and SenML JSON (110) built from a campaign write entry's values,
 * or its raw bytes, or the malformed payload of the fault knob. */
#include "bootstrap_payload.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(struct mefd_bs_buf *o, const void *p, size_t n)
{
  if (n > sizeof o->b - o->n) {
    o->over = true;
    return;
  }
  memcpy(o->b + o->n, p, n);
  o->n += n;
}

static size_t hex_decode(const char *h, uint8_t *out, size_t cap)
{
  size_t n = strlen(h) / 2;
  if (n > cap)
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned v = 0;
    if (sscanf(h + 2 * i, "%2x", &v) != 1)
      return 0;
    out[i] = (uint8_t)v;
  }
  return n;
}

/* The bytes of a scalar value as TLV carries them. */
static size_t scalar_bytes(const json_t *v, uint8_t *out, size_t cap)
{
  if (json_is_string(v)) {
    size_t n = json_string_length(v);
    if (n > cap)
      return 0;
    memcpy(out, json_string_value(v), n);
    return n;
  }
  if (json_is_boolean(v)) {
    out[0] = json_is_true(v) ? 1 : 0;
    return 1;
  }
  if (json_is_integer(v)) {
    long long x = json_integer_value(v);
    size_t n = (x >= -128 && x <= 127) ? 1 : (x >= -32768 && x <= 32767) ? 2
               : (x >= INT32_MIN && x <= INT32_MAX) ? 4 : 8;
    for (size_t i = 0; i < n; i++)
      out[i] = (uint8_t)((unsigned long long)x >> (8 * (n - 1 - i)));
    return n;
  }
  return hex_decode(json_string_value(json_object_get(v, "hex")), out, cap);
}

static void tlv_item(struct mefd_bs_buf *o, unsigned type, unsigned id, const uint8_t *val, size_t len)
{
  uint8_t h[6];
  size_t k = 0;
  uint8_t t = (uint8_t)(type << 6);
  if (id > 255)
    t |= 0x20;
  if (len < 8)
    t |= (uint8_t)len;
  else if (len < 256)
    t |= 0x08;
  else if (len < 65536)
    t |= 0x10;
  else
    t |= 0x18;
  h[k++] = t;
  if (id > 255)
    h[k++] = (uint8_t)(id >> 8);
  h[k++] = (uint8_t)id;
  if (len >= 65536)
    h[k++] = (uint8_t)(len >> 16);
  if (len >= 256)
    h[k++] = (uint8_t)(len >> 8);
  if (len >= 8)
    h[k++] = (uint8_t)len;
  put(o, h, k);
  put(o, val, len);
}

static void tlv_values(const json_t *vals, struct mefd_bs_buf *o)
{
  const char *rk;
  const json_t *rv;
  static uint8_t val[MEFD_BS_PAYLOAD_MAX];
  json_object_foreach((json_t *)vals, rk, rv) {
    unsigned id = (unsigned)strtoul(rk, NULL, 10);
    if (json_is_array(rv)) {
      struct mefd_bs_buf *inner = calloc(1, sizeof *inner);
      size_t i;
      const json_t *e;
      if (inner == NULL) {
        o->over = true;
        return;
      }
      json_array_foreach(rv, i, e) {
        size_t n = scalar_bytes(e, val, sizeof val);
        tlv_item(inner, 1, (unsigned)i, val, n);
      }
      tlv_item(o, 2, id, inner->b, inner->n);
      o->over = o->over || inner->over;
      free(inner);
    } else {
      size_t n = scalar_bytes(rv, val, sizeof val);
      tlv_item(o, 3, id, val, n);
    }
  }
}

static char *b64url(const uint8_t *p, size_t n)
{
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  char *s = malloc(4 * (n / 3 + 1) + 1);
  size_t k = 0;
  if (s == NULL)
    return NULL;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                 (i + 2 < n ? p[i + 2] : 0);
    s[k++] = a[v >> 18 & 63];
    s[k++] = a[v >> 12 & 63];
    if (i + 1 < n)
      s[k++] = a[v >> 6 & 63];
    if (i + 2 < n)
      s[k++] = a[v & 63];
  }
  s[k] = '\0';
  return s;
}

static json_t *senml_rec(const char *name, const json_t *v)
{
  json_t *r = json_pack("{s:s}", "n", name);
  if (json_is_string(v)) {
    json_object_set(r, "vs", (json_t *)v);
  } else if (json_is_integer(v)) {
    json_object_set(r, "v", (json_t *)v);
  } else if (json_is_boolean(v)) {
    json_object_set(r, "vb", (json_t *)v);
  } else {
    static uint8_t d[MEFD_BS_PAYLOAD_MAX];
    size_t n = hex_decode(json_string_value(json_object_get(v, "hex")), d, sizeof d);
    char *s = b64url(d, n);
    json_object_set_new(r, "vd", json_string(s != NULL ? s : ""));
    free(s);
  }
  return r;
}

static void senml_values(const char *path, const json_t *vals, struct mefd_bs_buf *o)
{
  json_t *arr = json_array();
  const char *rk;
  const json_t *rv;
  char bn[64], nm[32];
  snprintf(bn, sizeof bn, "%s/", path);
  json_object_foreach((json_t *)vals, rk, rv) {
    if (json_is_array(rv)) {
      size_t i;
      const json_t *e;
      json_array_foreach(rv, i, e) {
        snprintf(nm, sizeof nm, "%s/%zu", rk, i);
        json_array_append_new(arr, senml_rec(nm, e));
      }
    } else {
      json_array_append_new(arr, senml_rec(rk, rv));
    }
  }
  if (json_array_size(arr) > 0)
    json_object_set_new(json_array_get(arr, 0), "bn", json_string(bn));
  char *t = json_dumps(arr, JSON_COMPACT);
  json_decref(arr);
  if (t == NULL) {
    o->over = true;
    return;
  }
  put(o, t, strlen(t));
  free(t);
}

int mefd_bs_payload(const json_t *w, bool senml, bool malformed, struct mefd_bs_buf *out)
{
  const json_t *raw = json_object_get(w, "raw"), *rawh = json_object_get(w, "raw_hex");
  const char *path = json_string_value(json_object_get(w, "path"));
  out->n = 0;
  out->over = false;
  if (malformed) {
    /* A resource that announces 10 bytes and carries 1; a SenML array cut short. */
    static const uint8_t tlv_bad[] = {0xC8, 0x00, 0x0A, 'x'};
    static const char senml_bad[] = "[{\"n\":\"/0/0/0\",\"vs\":";
    if (senml)
      put(out, senml_bad, strlen(senml_bad));
    else
      put(out, tlv_bad, sizeof tlv_bad);
  } else if (raw != NULL) {
    put(out, json_string_value(raw), json_string_length(raw));
  } else if (rawh != NULL) {
    out->n = hex_decode(json_string_value(rawh), out->b, sizeof out->b);
  } else if (senml) {
    senml_values(path, json_object_get(w, "values"), out);
  } else {
    tlv_values(json_object_get(w, "values"), out);
  }
  return out->over ? -1 : 0;
}
