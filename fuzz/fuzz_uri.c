/* libFuzzer harness for mefc_uri_check and mefc_uri_host (ruling I-9).
 * The first byte picks the MEF FQDN (low nibble) and the scheme set (high
 * nibble); the rest is the URI. Aborts when a result breaks an invariant:
 * a MATCH must have an '@'-free authority, a '%'-free host span inside the
 * input that equals the FQDN (ASCII case-insensitive, one trailing dot
 * ignored on either side) and an allowed scheme; results must not change
 * when letters change case; and the host span exists exactly for the
 * results that parsed. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mefc/checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fqdns[] = {
    "mef.example.com", "MEF.example.com.", "192.0.2.1", "[::1]", "a", "m", "", ".", "mef..",
    "x-y_z~1.example",
};

static uint8_t lower(uint8_t c)
{
  return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

static uint8_t upper(uint8_t c)
{
  return (c >= 'a' && c <= 'z') ? (uint8_t)(c - 32) : c;
}

/* Independent statement of the I-9 host equality. */
static bool host_equal(const uint8_t *h, size_t hn, const uint8_t *f, size_t fn)
{
  size_t i;
  if (hn > 0 && h[hn - 1] == '.') hn--;
  if (fn > 0 && f[fn - 1] == '.') fn--;
  if (hn != fn || hn == 0) return false;
  for (i = 0; i < hn; i++)
    if (lower(h[i]) != lower(f[i])) return false;
  return true;
}

static bool scheme_is(const uint8_t *u, size_t n, const char *name)
{
  size_t k = strlen(name), i;
  if (n < k + 3 || memcmp(u + k, "://", 3) != 0) return false;
  for (i = 0; i < k; i++)
    if (lower(u[i]) != (uint8_t)name[i]) return false;
  return true;
}

static void check_match(const uint8_t *u, size_t n, const uint8_t *f, size_t fn, int schemes)
{
  size_t off = 0, len = 0, i, e;
  const uint8_t *sep = NULL;

  if (!mefc_uri_host(u, n, &off, &len)) abort();
  if (off > n || len > n - off || len == 0) abort();
  if (!host_equal(u + off, len, f, fn)) abort();
  for (i = 0; i < n; i++)
    if (u[i] < 0x21 || u[i] > 0x7e) abort();
  for (i = off; i < off + len; i++)
    if (u[i] == '%') abort();
  /* The host starts right after the first "://", and the authority (up to
   * '/', '?', '#' or the end) holds no '@'. */
  for (e = 0; e + 3 <= n; e++) {
    if (memcmp(u + e, "://", 3) == 0) {
      sep = u + e;
      break;
    }
  }
  if (sep == NULL || off != e + 3) abort();
  for (i = off; i < n && u[i] != '/' && u[i] != '?' && u[i] != '#'; i++)
    if (u[i] == '@') abort();
  if (schemes == MEFC_SCHEMES_HTTPS && !scheme_is(u, n, "https")) abort();
  if (schemes == MEFC_SCHEMES_HTTP_ANY && !scheme_is(u, n, "https") && !scheme_is(u, n, "http"))
    abort();
  if (schemes != MEFC_SCHEMES_HTTPS && schemes != MEFC_SCHEMES_HTTP_ANY &&
      schemes != MEFC_SCHEMES_ANY)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *fq;
  const uint8_t *u, *f;
  size_t n, fn, off = 0, len = 0;
  int schemes, r, r_any, r_up;
  bool parsed;
  uint8_t *up;
  size_t i;

  if (size < 1) return 0;
  fq = fqdns[(data[0] & 0x0f) % (sizeof fqdns / sizeof fqdns[0])];
  schemes = (data[0] >> 4) & 0x03; /* 0 (no scheme allowed), HTTPS, HTTP_ANY, ANY */
  u = data + 1;
  n = size - 1;
  f = (const uint8_t *)fq;
  fn = strlen(fq);

  r = mefc_uri_check(u, n, f, fn, schemes);
  if (r < MEFC_URI_MATCH || r > MEFC_URI_SCHEME) abort();

  parsed = mefc_uri_host(u, n, &off, &len);
  if (parsed != (r == MEFC_URI_MATCH || r == MEFC_URI_HOST_DIFFERS || r == MEFC_URI_SCHEME))
    abort();
  if (parsed && (off > n || len > n - off)) abort();
  if (r == MEFC_URI_HOST_DIFFERS && host_equal(u + off, len, f, fn)) abort();
  if (r == MEFC_URI_MATCH) check_match(u, n, f, fn, schemes);
  if (r == MEFC_URI_USERINFO && memchr(u, '@', n) == NULL) abort();
  if (r == MEFC_URI_PCT_HOST && memchr(u, '%', n) == NULL) abort();

  /* Only the scheme set decides between SCHEME and the host comparison. */
  r_any = mefc_uri_check(u, n, f, fn, MEFC_SCHEMES_ANY);
  if (r == MEFC_URI_SCHEME && r_any != MEFC_URI_MATCH && r_any != MEFC_URI_HOST_DIFFERS) abort();
  if (r != MEFC_URI_SCHEME && r != r_any) abort();

  /* Letter case never matters (scheme, host and FQDN compare ignoring it). */
  up = malloc(n ? n : 1);
  if (up == NULL) return 0;
  for (i = 0; i < n; i++) up[i] = upper(u[i]);
  r_up = mefc_uri_check(up, n, f, fn, schemes);
  if (r_up != r) abort();
  free(up);
  return 0;
}
