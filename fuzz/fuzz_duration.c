/* libFuzzer harness for mefc_duration_ms (ruling I-8): compares every input
 * with an independent reference parser that computes in 128-bit arithmetic,
 * and aborts on any difference in acceptance or value. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mefc/checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef unsigned __int128 u128;

/* Values saturate here: anything this large is far above UINT64_MAX ms. */
#define CAP ((u128)1 << 90)

static u128 sat(u128 v)
{
  return v > CAP ? CAP : v;
}

static bool is_digit(uint8_t c)
{
  return c >= '0' && c <= '9';
}

/* Reads 1*DIGIT at *i; false when there is no digit. */
static bool number(const uint8_t *s, size_t n, size_t *i, u128 *v)
{
  if (*i >= n || !is_digit(s[*i])) return false;
  *v = 0;
  while (*i < n && is_digit(s[*i])) {
    *v = sat(*v * 10u + (u128)(s[*i] - '0'));
    (*i)++;
  }
  return true;
}

/* Reference: "P" then date designators Y, M, D in order, then optionally
 * "T" and H, M, S in order, S with an optional "." fraction. */
static bool reference(const uint8_t *s, size_t n, u128 *total)
{
  static const char date_d[3] = {'Y', 'M', 'D'};
  static const uint64_t date_k[3] = {31536000000u, 2592000000u, 86400000u};
  static const char time_d[3] = {'H', 'M', 'S'};
  static const uint64_t time_k[3] = {3600000u, 60000u, 1000u};
  size_t i = 1, j;
  int next = 0, comps = 0, tcomps = 0;
  u128 v;

  *total = 0;
  if (n == 0 || s[0] != 'P') return false;
  while (i < n && s[i] != 'T') {
    if (!number(s, n, &i, &v) || i == n) return false;
    for (j = (size_t)next; j < 3 && date_d[j] != (char)s[i]; j++) {
    }
    if (j == 3) return false;
    *total = sat(*total + sat(v * date_k[j]));
    next = (int)j + 1;
    comps++;
    i++;
  }
  if (i < n) {
    i++; /* 'T' */
    next = 0;
    while (i < n) {
      u128 frac = 0;
      bool has_frac = false;
      if (!number(s, n, &i, &v) || i == n) return false;
      if (s[i] == '.') {
        int k = 0;
        i++;
        if (i == n || !is_digit(s[i])) return false;
        while (i < n && is_digit(s[i])) {
          if (k < 3) frac = frac * 10u + (u128)(s[i] - '0');
          k++;
          i++;
        }
        for (; k < 3; k++) frac *= 10u;
        has_frac = true;
        if (i == n) return false;
      }
      for (j = (size_t)next; j < 3 && time_d[j] != (char)s[i]; j++) {
      }
      if (j == 3 || (has_frac && j != 2)) return false;
      *total = sat(*total + sat(v * time_k[j]) + frac);
      next = (int)j + 1;
      tcomps++;
      i++;
    }
    if (tcomps == 0) return false;
  }
  return comps + tcomps > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  uint64_t ms = 0x5a5a5a5a5a5a5a5au;
  bool got = mefc_duration_ms(data, size, &ms);
  u128 want = 0;
  bool ref = reference(data, size, &want) && want <= (u128)UINT64_MAX;

  if (got != ref) abort();
  if (got && (u128)ms != want) abort();
  if (!got && ms != 0x5a5a5a5a5a5a5a5au) abort(); /* the output is untouched on rejection */
  if (got && (size < 3 || data[0] != 'P')) abort();
  return 0;
}
