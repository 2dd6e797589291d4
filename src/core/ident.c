/* The form of M2M identifiers (TS-0001 Table 7.2-1; Node-IDs as in TS-0004
 * m2m:nodeID and TS-0001 7.1.5): which of Node-ID, CSE-ID and AE-ID a value
 * has the form of (ruling I-3 checks certSubjectID against its type; the
 * grammar below is ruling I-25).
 *
 * Grammar (ABNF; every byte of a valid value is in 0x21..0x7E):
 *   unreserved  = ALPHA / DIGIT / "-" / "." / "_" / "~"      ; RFC 3986 2.3
 *   fqdn        = label *( "." label ), at most 253 bytes
 *   label       = 1*63( ALPHA / DIGIT / "-" )
 *   SP-ID       = "//" fqdn
 *   CSE-ID      = "/" 1*unreserved                           ; SP-relative
 *               / SP-ID "/" 1*unreserved                     ; Absolute
 *   C-stem      = "C" 1*unreserved
 *   S-stem      = "S" 1*unreserved
 *   SP-rel-AE   = "/" 1*unreserved "/" C-stem / "/" S-stem
 *   AE-ID       = C-stem / S-stem / SP-rel-AE / SP-ID SP-rel-AE
 *   Node-ID     = urn / oid
 *   urn         = "urn:" NID ":" NSS               ; "urn" case-insensitive
 *   NID         = ( ALPHA / DIGIT ) 0*31( ALPHA / DIGIT / "-" )
 *   NSS         = nss-char *( nss-char / "/" )     ; RFC 8141 pchar
 *   nss-char    = unreserved / sub-delims / ":" / "@" / "%" HEXDIG HEXDIG
 *   sub-delims  = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
 *   oid         = ( "0" / "1" / "2" ) 1*( "." arc )
 *   arc         = "0" / %x31-39 *DIGIT
 * A value may have several forms ("/S01" is a CSE-ID and an AE-ID): every
 * matching kind is reported. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "mefc/checks.h"

/* Bit of each kind in the result of mefc_id_kinds (the contract spells them
 * 2, 4 and 8). */
#define ID_BIT_NODE (1u << MEFC_ID_NODE)
#define ID_BIT_CSE (1u << MEFC_ID_CSE)
#define ID_BIT_AE (1u << MEFC_ID_AE)

/*@
  predicate id_alpha(integer c) = ('A' <= c <= 'Z') || ('a' <= c <= 'z');
  predicate id_digit(integer c) = '0' <= c <= '9';
  predicate id_hex(integer c) = id_digit(c) || ('A' <= c <= 'F') || ('a' <= c <= 'f');
  predicate id_ldh(integer c) = id_alpha(c) || id_digit(c) || c == '-';
  predicate id_unres(integer c) = id_ldh(c) || c == '.' || c == '_' || c == '~';
  predicate id_sub_delim(integer c) =
    c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' ||
    c == '*' || c == '+' || c == ',' || c == ';' || c == '=';
  predicate id_nss_char(integer c) =
    id_unres(c) || id_sub_delim(c) || c == ':' || c == '@' || c == '/' || c == '%';

  // 1*unreserved over s[a .. b-1].
  predicate id_unres_span{L}(uint8_t *s, integer a, integer b) =
    a < b && \forall integer k; a <= k < b ==> id_unres(s[k]);

  // Length of the label that ends at k (bytes since the last '.' or a).
  logic integer id_lab{L}(uint8_t *s, integer a, integer k) =
    k <= a ? 0 : (s[k - 1] == '.' ? 0 : id_lab(s, a, k - 1) + 1);

  predicate id_fqdn{L}(uint8_t *s, integer a, integer b) =
    a < b && b - a <= 253 &&
    (\forall integer k; a <= k < b ==> id_ldh(s[k]) || s[k] == '.') &&
    s[a] != '.' && s[b - 1] != '.' &&
    (\forall integer k; a <= k < b - 1 ==> !(s[k] == '.' && s[k + 1] == '.')) &&
    (\forall integer k; a <= k <= b ==> id_lab(s, a, k) <= 63);

  // "//" fqdn "/" ...: the M2M-SP-ID prefix, with the '/' after it at f.
  predicate id_abs{L}(uint8_t *s, integer n, integer f) =
    2 < f < n && s[0] == '/' && s[1] == '/' && id_fqdn(s, 2, f) && s[f] == '/';

  lemma id_abs_unique{L}:
    \forall uint8_t *s, integer n, f1, f2; id_abs(s, n, f1) && id_abs(s, n, f2) ==> f1 == f2;

  // "/" 1*unreserved over s[a .. n-1].
  predicate id_sp_cse{L}(uint8_t *s, integer a, integer n) =
    a < n && s[a] == '/' && id_unres_span(s, a + 1, n);

  predicate id_cse{L}(uint8_t *s, integer n) =
    id_sp_cse(s, 0, n) || (\exists integer f; id_abs(s, n, f) && id_sp_cse(s, f, n));

  // AE-ID-Stem starting with c ('C' or 'S') over s[a .. n-1].
  predicate id_stem{L}(uint8_t *s, integer a, integer n, integer c) =
    a + 1 < n && s[a] == c && id_unres_span(s, a + 1, n);

  predicate id_sp_ae{L}(uint8_t *s, integer a, integer n) =
    a < n && s[a] == '/' &&
    (id_stem(s, a + 1, n, 'S') ||
     (\exists integer m; a + 1 < m < n && s[m] == '/' && id_unres_span(s, a + 1, m) &&
        id_stem(s, m + 1, n, 'C')));

  predicate id_ae{L}(uint8_t *s, integer n) =
    id_stem(s, 0, n, 'C') || id_stem(s, 0, n, 'S') || id_sp_ae(s, 0, n) ||
    (\exists integer f; id_abs(s, n, f) && id_sp_ae(s, f, n));

  logic integer id_lower(integer c) = ('A' <= c && c <= 'Z') ? c + 32 : c;

  // NSS over s[a .. n-1].
  predicate id_nss{L}(uint8_t *s, integer a, integer n) =
    a < n && s[a] != '/' &&
    (\forall integer j; a <= j < n ==> id_nss_char(s[j])) &&
    (\forall integer j; a <= j < n && s[j] == '%' ==> j + 2 < n && id_hex(s[j + 1]) && id_hex(s[j + 2]));

  // "urn:" NID ":" NSS with the ':' after the NID at k.
  predicate id_urn_at{L}(uint8_t *s, integer n, integer k) =
    5 <= k <= 36 && k < n &&
    id_lower(s[0]) == 'u' && id_lower(s[1]) == 'r' && id_lower(s[2]) == 'n' && s[3] == ':' &&
    s[4] != '-' && (\forall integer j; 4 <= j < k ==> id_ldh(s[j])) && s[k] == ':' &&
    id_nss(s, k + 1, n);

  lemma id_urn_unique{L}:
    \forall uint8_t *s, integer n, k1, k2; id_urn_at(s, n, k1) && id_urn_at(s, n, k2) ==> k1 == k2;

  predicate id_oid{L}(uint8_t *s, integer n) =
    3 <= n && '0' <= s[0] <= '2' && s[1] == '.' && s[n - 1] != '.' &&
    (\forall integer j; 0 <= j < n ==> id_digit(s[j]) || s[j] == '.') &&
    (\forall integer j; 0 <= j < n - 1 ==> !(s[j] == '.' && s[j + 1] == '.')) &&
    (\forall integer j; 0 <= j < n - 1 && s[j] == '0' && (j == 0 || s[j - 1] == '.') ==>
       s[j + 1] == '.');

  // Bit of weight w (a power of two) of r.
  logic integer id_bit(integer r, integer w) = (r / w) % 2;

  predicate id_node{L}(uint8_t *s, integer n) =
    (\exists integer k; id_urn_at(s, n, k)) || id_oid(s, n);
*/

/*@ assigns \nothing;
    ensures \result == id_lower(c); */
static uint8_t id_lc(uint8_t c)
{
  uint8_t r = c;
  if (c >= (uint8_t)'A' && c <= (uint8_t)'Z') r = (uint8_t)(c + 32u);
  return r;
}

/*@ assigns \nothing;
    ensures \result <==> id_ldh(c); */
static bool id_is_ldh(uint8_t c)
{
  return (c >= (uint8_t)'A' && c <= (uint8_t)'Z') || (c >= (uint8_t)'a' && c <= (uint8_t)'z') ||
         (c >= (uint8_t)'0' && c <= (uint8_t)'9') || c == (uint8_t)'-';
}

/*@ assigns \nothing;
    ensures \result <==> id_unres(c); */
static bool id_is_unres(uint8_t c)
{
  return id_is_ldh(c) || c == (uint8_t)'.' || c == (uint8_t)'_' || c == (uint8_t)'~';
}

/*@ assigns \nothing;
    ensures \result <==> id_hex(c); */
static bool id_is_hex(uint8_t c)
{
  return (c >= (uint8_t)'0' && c <= (uint8_t)'9') || (c >= (uint8_t)'A' && c <= (uint8_t)'F') ||
         (c >= (uint8_t)'a' && c <= (uint8_t)'f');
}

/*@ assigns \nothing;
    ensures \result <==> id_nss_char(c); */
static bool id_is_nss_char(uint8_t c)
{
  return id_is_unres(c) || c == (uint8_t)'!' || c == (uint8_t)'$' || c == (uint8_t)'&' ||
         c == (uint8_t)'\'' || c == (uint8_t)'(' || c == (uint8_t)')' || c == (uint8_t)'*' ||
         c == (uint8_t)'+' || c == (uint8_t)',' || c == (uint8_t)';' || c == (uint8_t)'=' ||
         c == (uint8_t)':' || c == (uint8_t)'@' || c == (uint8_t)'/' || c == (uint8_t)'%';
}

/*@ requires \valid_read(s + (a .. b - 1));
    requires a <= b;
    assigns \nothing;
    ensures \result <==> id_unres_span(s, a, b); */
static bool id_unres_run(const uint8_t *s, size_t a, size_t b)
{
  bool ok = a < b;
  size_t i;
  /*@ loop invariant a <= i <= b;
      loop invariant ok <==> (a < b && \forall integer k; a <= k < i ==> id_unres(s[k]));
      loop assigns i, ok;
      loop variant b - i; */
  for (i = a; i < b && ok; i++) ok = id_is_unres(s[i]);
  /*@ assert ok ==> i == b; */
  return ok;
}

/* First '/' in s[a .. n-1], or n. */
/*@ requires \valid_read(s + (a .. n - 1));
    requires a <= n;
    assigns \nothing;
    ensures a <= \result <= n;
    ensures \forall integer k; a <= k < \result ==> s[k] != '/';
    ensures \result < n ==> s[\result] == '/'; */
static size_t id_find_slash(const uint8_t *s, size_t a, size_t n)
{
  size_t i = a;
  /*@ loop invariant a <= i <= n;
      loop invariant \forall integer k; a <= k < i ==> s[k] != '/';
      loop assigns i;
      loop variant n - i; */
  while (i < n && s[i] != (uint8_t)'/') i++;
  return i;
}

/*@ requires \valid_read(s + (a .. b - 1));
    requires a <= b;
    assigns \nothing;
    ensures \result <==> id_fqdn(s, a, b); */
static bool id_is_fqdn(const uint8_t *s, size_t a, size_t b)
{
  /* A dot first or last is found where the loop reaches it, not up front:
   * the loop then never depends on a byte tested before it (Eva keeps no
   * relation between ok and s[a] or s[b - 1]). */
  bool ok = a < b && b - a <= 253u;
  uint32_t lab = 0u;
  size_t i;
  /*@ loop invariant a <= i <= b;
      loop invariant ok ==> a < b && b - a <= 253;
      loop invariant ok ==> \forall integer k; a <= k < i ==> id_ldh(s[k]) || s[k] == '.';
      loop invariant ok ==> \forall integer k; a <= k < i && s[k] == '.' ==>
                       a < k < b - 1 && s[k + 1] != '.';
      loop invariant ok ==> \forall integer k; a <= k <= i ==> id_lab(s, a, k) <= 63;
      loop invariant ok ==> lab == id_lab(s, a, i);
      loop invariant !ok ==> !id_fqdn(s, a, b);
      loop assigns i, ok, lab;
      loop variant b - i; */
  for (i = a; i < b && ok; i++) {
    if (s[i] == (uint8_t)'.') {
      lab = 0u;
      if (i == a) {
        /*@ assert s[a] == '.'; */
        ok = false;
      } else if (i + 1u >= b) {
        /*@ assert s[b - 1] == '.'; */
        ok = false;
      } else if (s[i + 1u] == (uint8_t)'.') {
        /*@ assert s[i] == '.' && s[i + 1] == '.' && i < b - 1; */
        ok = false;
      }
    } else if (id_is_ldh(s[i])) {
      if (lab == 63u) {
        /*@ assert id_lab(s, a, i + 1) == 64; */
        ok = false;
      } else {
        lab = lab + 1u;
      }
    } else {
      /*@ assert !id_ldh(s[i]) && s[i] != '.'; */
      ok = false;
    }
  }
  /*@ assert ok ==> i == b; */
  return ok;
}

/* Position of the '/' that ends a leading "//" fqdn, or 0 when there is none. */
/*@ requires \valid_read(s + (0 .. n - 1));
    assigns \nothing;
    ensures \result != 0 ==> id_abs(s, n, \result);
    ensures \result == 0 ==> !(\exists integer f; id_abs(s, n, f)); */
static size_t id_abs_end(const uint8_t *s, size_t n)
{
  size_t f = 0u;
  size_t g;

  if (n >= 3u && s[0] == (uint8_t)'/' && s[1] == (uint8_t)'/') {
    g = id_find_slash(s, 2u, n);
    if (g < n && id_is_fqdn(s, 2u, g)) f = g;
  }
  return f;
}

/*@ requires \valid_read(s + (a .. n - 1));
    requires a <= n;
    assigns \nothing;
    ensures \result <==> id_stem(s, a, n, c); */
static bool id_is_stem(const uint8_t *s, size_t a, size_t n, uint8_t c)
{
  /* a < n first: the same as n - a >= 2u alone, but it bounds a for Eva. */
  return a < n && n - a >= 2u && s[a] == c && id_unres_run(s, a + 1u, n);
}

/*@ requires \valid_read(s + (a .. n - 1));
    requires a <= n;
    assigns \nothing;
    ensures \result <==> id_sp_cse(s, a, n); */
static bool id_is_sp_cse(const uint8_t *s, size_t a, size_t n)
{
  return a < n && s[a] == (uint8_t)'/' && id_unres_run(s, a + 1u, n);
}

/*@ requires \valid_read(s + (a .. n - 1));
    requires a <= n;
    assigns \nothing;
    ensures \result <==> id_sp_ae(s, a, n); */
static bool id_is_sp_ae(const uint8_t *s, size_t a, size_t n)
{
  bool r = false;
  size_t m;

  if (a < n && s[a] == (uint8_t)'/') {
    r = id_is_stem(s, a + 1u, n, (uint8_t)'S');
    if (!r) {
      /* "/" CSE-segment "/" C-stem: the segment ends at the first '/'. */
      m = id_find_slash(s, a + 1u, n);
      if (m < n && id_unres_run(s, a + 1u, m)) r = id_is_stem(s, m + 1u, n, (uint8_t)'C');
    }
  }
  return r;
}

/*@ requires \valid_read(s + (0 .. n - 1));
    assigns \nothing;
    ensures \result <==> id_cse(s, n); */
static bool id_is_cse(const uint8_t *s, size_t n)
{
  bool r = id_is_sp_cse(s, 0u, n);
  size_t f;

  if (!r) {
    f = id_abs_end(s, n);
    if (f != 0u) r = id_is_sp_cse(s, f, n);
  }
  return r;
}

/*@ requires \valid_read(s + (0 .. n - 1));
    assigns \nothing;
    ensures \result <==> id_ae(s, n); */
static bool id_is_ae(const uint8_t *s, size_t n)
{
  bool r = id_is_stem(s, 0u, n, (uint8_t)'C') || id_is_stem(s, 0u, n, (uint8_t)'S') ||
           id_is_sp_ae(s, 0u, n);
  size_t f;

  if (!r) {
    f = id_abs_end(s, n);
    if (f != 0u) r = id_is_sp_ae(s, f, n);
  }
  return r;
}

/*@ requires \valid_read(s + (a .. n - 1));
    requires a <= n;
    assigns \nothing;
    ensures \result <==> id_nss(s, a, n); */
static bool id_is_nss(const uint8_t *s, size_t a, size_t n)
{
  bool ok = a < n && s[a] != (uint8_t)'/';
  size_t j;
  /*@ loop invariant a <= j <= n;
      loop invariant ok ==> a < n && s[a] != '/';
      loop invariant ok ==> \forall integer k; a <= k < j ==> id_nss_char(s[k]);
      loop invariant ok ==> \forall integer k; a <= k < j && s[k] == '%' ==>
                       k + 2 < n && id_hex(s[k + 1]) && id_hex(s[k + 2]);
      loop invariant !ok ==> !id_nss(s, a, n);
      loop assigns j, ok;
      loop variant n - j; */
  for (j = a; j < n && ok; j++) {
    if (!id_is_nss_char(s[j])) {
      ok = false;
    } else if (s[j] == (uint8_t)'%') {
      /* Two bounds, each next to its read, rather than n - j > 2u: Eva then
       * bounds both indexes by itself (and j + 2u cannot wrap once j + 1u < n). */
      ok = j + 1u < n && j + 2u < n && id_is_hex(s[j + 1u]) && id_is_hex(s[j + 2u]);
    }
  }
  /*@ assert ok ==> j == n; */
  return ok;
}

/*@ requires \valid_read(s + (0 .. n - 1));
    assigns \nothing;
    ensures \result <==> (\exists integer k; id_urn_at(s, n, k)); */
static bool id_is_urn(const uint8_t *s, size_t n)
{
  bool ok = n >= 7u && id_lc(s[0]) == (uint8_t)'u' && id_lc(s[1]) == (uint8_t)'r' &&
            id_lc(s[2]) == (uint8_t)'n' && s[3] == (uint8_t)':' && s[4] != (uint8_t)'-';
  size_t k = 4u;

  if (ok) {
    /* The NID runs to the first byte that is not a letter, digit or '-'. */
    /*@ loop invariant 4 <= k <= n && k <= 37;
        loop invariant \forall integer j; 4 <= j < k ==> id_ldh(s[j]);
        loop assigns k;
        loop variant n - k; */
    while (k < n && k < 37u && id_is_ldh(s[k])) k++;
    /*@ assert \forall integer k2; id_urn_at(s, n, k2) ==> k2 == k; */
    ok = k >= 5u && k <= 36u && k < n && s[k] == (uint8_t)':' && id_is_nss(s, k + 1u, n);
    /*@ assert ok ==> id_urn_at(s, n, k); */
    /*@ assert !ok ==> !id_urn_at(s, n, k); */
  }
  return ok;
}

/*@ requires \valid_read(s + (0 .. n - 1));
    assigns \nothing;
    ensures \result <==> id_oid(s, n); */
static bool id_is_oid(const uint8_t *s, size_t n)
{
  /* A trailing '.' is found by the loop, as in id_is_fqdn. */
  bool ok = n >= 3u && s[0] >= (uint8_t)'0' && s[0] <= (uint8_t)'2' && s[1] == (uint8_t)'.';
  size_t j;
  /*@ loop invariant 0 <= j <= n;
      loop invariant ok ==> 3 <= n && '0' <= s[0] <= '2' && s[1] == '.';
      loop invariant ok ==> \forall integer k; 0 <= k < j ==> id_digit(s[k]) || s[k] == '.';
      loop invariant ok ==> \forall integer k; 0 <= k < j && s[k] == '.' ==>
                       k < n - 1 && s[k + 1] != '.';
      loop invariant ok ==> \forall integer k; 0 <= k < j && k < n - 1 && s[k] == '0' &&
                       (k == 0 || s[k - 1] == '.') ==> s[k + 1] == '.';
      loop invariant !ok ==> !id_oid(s, n);
      loop assigns j, ok;
      loop variant n - j; */
  for (j = 0u; j < n && ok; j++) {
    uint8_t c = s[j];
    if (c == (uint8_t)'.') {
      if (j + 1u >= n || s[j + 1u] == (uint8_t)'.') ok = false;
    } else if (c >= (uint8_t)'0' && c <= (uint8_t)'9') {
      /* An arc that starts with '0' is "0" itself: no leading zeros. */
      if (c == (uint8_t)'0' && (j == 0u || s[j - 1u] == (uint8_t)'.') && j + 1u < n &&
          s[j + 1u] != (uint8_t)'.')
        ok = false;
    } else {
      ok = false;
    }
  }
  /*@ assert ok ==> j == n; */
  return ok;
}

/* Rulings I-25 and I-3: the kinds a certSubjectID / targetID value has the
 * form of. */
/*@ requires \valid_read(s + (0 .. len - 1));
    assigns \nothing;
    ensures I_25_node: id_bit(\result, 2) == 1 <==> id_node(s, len);
    ensures I_25_cse: id_bit(\result, 4) == 1 <==> id_cse(s, len);
    ensures I_25_ae: id_bit(\result, 8) == 1 <==> id_ae(s, len);
    ensures I_25_no_other_bits: \result <= 14 && id_bit(\result, 1) == 0;
    behavior I_25_invalid:
      assumes !id_node(s, len) && !id_cse(s, len) && !id_ae(s, len);
      ensures \result == 0;
    behavior I_25_some_kind:
      assumes id_node(s, len) || id_cse(s, len) || id_ae(s, len);
      ensures \result != 0;
    complete behaviors;
    disjoint behaviors;
*/
uint32_t mefc_id_kinds(const uint8_t *s, size_t len)
{
  uint32_t r = 0u;

  if (id_is_urn(s, len) || id_is_oid(s, len)) r = r + ID_BIT_NODE;
  if (id_is_cse(s, len)) r = r + ID_BIT_CSE;
  if (id_is_ae(s, len)) r = r + ID_BIT_AE;
  return r;
}
