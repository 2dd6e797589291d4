/* libFuzzer harness for mefc_id_kinds (ruling I-25): compares every input
 * with an independent reference classifier written from the grammar in
 * src/core/ident.c (segments split at '/', labels split at '.'), and checks
 * cheap invariants of the bitmask. Aborts on any difference. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mefc/checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NODE (1u << MEFC_ID_NODE)
#define CSE (1u << MEFC_ID_CSE)
#define AE (1u << MEFC_ID_AE)

static bool alnum(uint8_t c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool unres(uint8_t c)
{
  return alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static bool hexd(uint8_t c)
{
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* 1*unreserved */
static bool seg(const uint8_t *s, size_t n)
{
  size_t i;
  if (n == 0) return false;
  for (i = 0; i < n; i++)
    if (!unres(s[i])) return false;
  return true;
}

static bool stem(const uint8_t *s, size_t n, uint8_t first)
{
  return n >= 2 && s[0] == first && seg(s + 1, n - 1);
}

static bool fqdn(const uint8_t *s, size_t n)
{
  size_t start = 0, i;
  if (n == 0 || n > 253) return false;
  for (i = 0; i <= n; i++) {
    if (i == n || s[i] == '.') {
      size_t l = i - start;
      if (l < 1 || l > 63) return false;
      start = i + 1;
    } else if (!alnum(s[i]) && s[i] != '-') {
      return false;
    }
  }
  return true;
}

/* Splits "/a/b/c" after the leading '/' into at most 3 segments. */
static size_t split(const uint8_t *s, size_t n, const uint8_t *part[3], size_t plen[3])
{
  size_t k = 0, start = 1, i;
  for (i = 1; i <= n; i++) {
    if (i == n || s[i] == '/') {
      if (k == 3) return 4;
      part[k] = s + start;
      plen[k] = i - start;
      k++;
      start = i + 1;
    }
  }
  return k;
}

/* SP-relative forms of s (which starts with '/'). */
static void sp_forms(const uint8_t *s, size_t n, bool *cse, bool *ae)
{
  const uint8_t *p[3];
  size_t l[3];
  size_t k = split(s, n, p, l);
  *cse = k == 1 && seg(p[0], l[0]);
  *ae = (k == 1 && stem(p[0], l[0], 'S')) || (k == 2 && seg(p[0], l[0]) && stem(p[1], l[1], 'C'));
}

static bool urn(const uint8_t *s, size_t n)
{
  size_t k, i;
  if (n < 4 || (s[0] | 0x20) != 'u' || (s[1] | 0x20) != 'r' || (s[2] | 0x20) != 'n' || s[3] != ':')
    return false;
  for (k = 4; k < n && s[k] != ':'; k++) {
  }
  if (k == n || k - 4 < 1 || k - 4 > 32 || s[4] == '-') return false;
  for (i = 4; i < k; i++)
    if (!alnum(s[i]) && s[i] != '-') return false;
  if (k + 1 >= n || s[k + 1] == '/') return false;
  for (i = k + 1; i < n; i++) {
    uint8_t c = s[i];
    if (c == '%') {
      if (i + 2 >= n || !hexd(s[i + 1]) || !hexd(s[i + 2])) return false;
    } else if (!unres(c) && strchr("!$&'()*+,;=:@/", c) == NULL) {
      return false;
    }
  }
  return true;
}

static bool oid(const uint8_t *s, size_t n)
{
  size_t start = 0, i, arcs = 0;
  for (i = 0; i <= n; i++) {
    if (i == n || s[i] == '.') {
      size_t l = i - start;
      if (l == 0) return false;
      if (l > 1 && s[start] == '0') return false;
      if (arcs == 0 && (l != 1 || s[start] > '2')) return false;
      arcs++;
      start = i + 1;
    } else if (s[i] < '0' || s[i] > '9') {
      return false;
    }
  }
  return arcs >= 2;
}

static uint32_t reference(const uint8_t *s, size_t n)
{
  uint32_t r = 0;
  bool cse = false, ae = false;
  if (memchr(s, 0, n) == NULL && (urn(s, n) || oid(s, n))) r |= NODE;
  if (n >= 2 && s[0] == '/' && s[1] == '/') {
    const uint8_t *sl = n > 2 ? memchr(s + 2, '/', n - 2) : NULL;
    if (sl != NULL && fqdn(s + 2, (size_t)(sl - s) - 2)) sp_forms(sl, n - (size_t)(sl - s), &cse, &ae);
  } else if (n >= 1 && s[0] == '/') {
    sp_forms(s, n, &cse, &ae);
  } else {
    ae = stem(s, n, 'C') || stem(s, n, 'S');
  }
  if (cse) r |= CSE;
  if (ae) r |= AE;
  return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  uint32_t r = mefc_id_kinds(data, size);
  size_t i;

  if ((r & ~(NODE | CSE | AE)) != 0) abort();
  if (r != 0) {
    for (i = 0; i < size; i++)
      if (data[i] < 0x21 || data[i] > 0x7e) abort(); /* only printable ASCII is valid */
  }
  if ((r & NODE) && (r & (CSE | AE))) abort(); /* a Node-ID never starts with '/', 'C' or 'S' */
  if ((r & CSE) && data[0] != '/') abort();
  if (r != reference(data, size)) abort();
  return 0;
}
