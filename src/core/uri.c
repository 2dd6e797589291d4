/* Ruling I-9: the URI checks of CERT_PROV and DEV_CFG. A URI is accepted
 * only as  scheme "://" host [ ":" port ] [ path-abempty ... ]  with no
 * userinfo and no percent-encoding in the host; its host is compared with
 * the MEF FQDN case-insensitively, one trailing dot ignored on either side.
 *
 * Grammar checked (a strict subset of RFC 3986 URI):
 *   uri       = scheme ":" "//" authority rest       ; all bytes 0x21..0x7E
 *   scheme    = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
 *   authority = the bytes up to the first "/", "?", "#" or the end
 *   authority = host [ ":" port ]                    ; an "@" anywhere: USERINFO
 *   host      = IP-literal / reg-name                ; a "%" anywhere: PCT_HOST
 *   IP-literal= "[" 1*( HEXDIG / ":" / "." ) "]"     ; compared as text
 *   reg-name  = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" )   ; IPv4 included
 *   port      = 1*DIGIT, value 0..65535              ; ":" alone is MALFORMED
 * Precedence of the results: MALFORMED (bytes, scheme, "//") > USERINFO >
 * PCT_HOST > MALFORMED (host, port) > SCHEME > MATCH / HOST_DIFFERS. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "mefc/checks.h"

/* Internal: the URI parsed without objection (not a public result). */
#define URI_PARSED (-1)

/*@
  predicate uri_printable(integer c) = 0x21 <= c <= 0x7e;
  predicate uri_all_printable{L}(uint8_t *u, integer n) =
    \forall integer k; 0 <= k < n ==> uri_printable(u[k]);

  predicate uri_alpha(integer c) = ('A' <= c <= 'Z') || ('a' <= c <= 'z');
  predicate uri_digit(integer c) = '0' <= c <= '9';
  predicate uri_hex(integer c) = uri_digit(c) || ('A' <= c <= 'F') || ('a' <= c <= 'f');
  predicate uri_scheme_char(integer c) =
    uri_alpha(c) || uri_digit(c) || c == '+' || c == '-' || c == '.';
  predicate uri_reg_char(integer c) =
    uri_alpha(c) || uri_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
  predicate uri_delim(integer c) = c == '/' || c == '?' || c == '#';

  // The scheme is u[0 .. e-1] and is followed by "://": the authority starts at e + 3.
  predicate uri_prefix{L}(uint8_t *u, integer n, integer e) =
    1 <= e && e + 3 <= n && uri_alpha(u[0]) &&
    (\forall integer k; 1 <= k < e ==> uri_scheme_char(u[k])) &&
    u[e] == ':' && u[e + 1] == '/' && u[e + 2] == '/';

  // The scheme, hence where the authority starts, is determined by the URI.
  lemma uri_prefix_unique{L}:
    \forall uint8_t *u, integer n, e1, e2;
      uri_prefix(u, n, e1) && uri_prefix(u, n, e2) ==> e1 == e2;

  // The authority starting at a ends at b (first delimiter, or the end).
  predicate uri_auth{L}(uint8_t *u, integer n, integer a, integer b) =
    a <= b <= n && (\forall integer k; a <= k < b ==> !uri_delim(u[k])) &&
    (b == n || uri_delim(u[b]));

  // An '@' lies in the authority starting at a: the URI has userinfo.
  predicate uri_userinfo{L}(uint8_t *u, integer n, integer a) =
    \exists integer k; a <= k < n && u[k] == '@' &&
      (\forall integer j; a <= j < k ==> !uri_delim(u[j]));

  // The host starting at a has length hl: "[" ... "]" up to the first ']',
  // otherwise up to the first ':', delimiter or the end.
  predicate uri_host{L}(uint8_t *u, integer n, integer a, integer hl) =
    0 <= hl && a + hl <= n &&
    ((a < n && u[a] == '[') ==>
       (2 <= hl && u[a + hl - 1] == ']' &&
        (\forall integer k; a <= k < a + hl - 1 ==> u[k] != ']' && !uri_delim(u[k])))) &&
    (!(a < n && u[a] == '[') ==>
       ((\forall integer k; a <= k < a + hl ==> u[k] != ':' && !uri_delim(u[k])) &&
        (a + hl == n || u[a + hl] == ':' || uri_delim(u[a + hl]))));

  // Both spans are determined by where they start.
  lemma uri_auth_unique{L}:
    \forall uint8_t *u, integer n, a, b1, b2;
      uri_auth(u, n, a, b1) && uri_auth(u, n, a, b2) ==> b1 == b2;
  lemma uri_host_unique{L}:
    \forall uint8_t *u, integer n, a, h1, h2;
      uri_host(u, n, a, h1) && uri_host(u, n, a, h2) ==> h1 == h2;

  predicate uri_ip_char(integer c) = uri_hex(c) || c == ':' || c == '.';

  // The host's own syntax: "[" 1*(HEXDIG / ":" / ".") "]" or 1*reg-name char.
  predicate uri_host_syntax{L}(uint8_t *u, integer a, integer hl) =
    1 <= hl &&
    (u[a] == '[' ==> 3 <= hl && \forall integer k; a + 1 <= k < a + hl - 1 ==> uri_ip_char(u[k])) &&
    (u[a] != '[' ==> \forall integer k; a <= k < a + hl ==> uri_reg_char(u[k]));

  predicate uri_no_pct{L}(uint8_t *u, integer a, integer b) =
    \forall integer k; a <= k < b ==> u[k] != '%';

  // Decimal value of u[a .. b-1].
  logic integer uri_dec{L}(uint8_t *u, integer a, integer b) =
    b <= a ? 0 : uri_dec(u, a, b - 1) * 10 + (u[b - 1] - '0');

  // After the host (at p) the authority (ending at b) holds nothing or ":" port.
  predicate uri_port{L}(uint8_t *u, integer p, integer b) =
    p == b ||
    (u[p] == ':' && p + 1 < b && (\forall integer k; p + 1 <= k < b ==> uri_digit(u[k])) &&
     uri_dec(u, p + 1, b) <= 65535);

  logic integer uri_lower(integer c) = ('A' <= c && c <= 'Z') ? c + 32 : c;

  // Length without one trailing dot.
  logic integer uri_strip{L}(uint8_t *p, integer n) = (n > 0 && p[n - 1] == '.') ? n - 1 : n;

  // Host equality of ruling I-9.
  predicate uri_host_eq{L}(uint8_t *h, integer hn, uint8_t *f, integer fn) =
    uri_strip(h, hn) == uri_strip(f, fn) && 1 <= uri_strip(h, hn) &&
    \forall integer k; 0 <= k < uri_strip(h, hn) ==> uri_lower(h[k]) == uri_lower(f[k]);

  predicate uri_is_http{L}(uint8_t *u, integer e) =
    e == 4 && uri_lower(u[0]) == 'h' && uri_lower(u[1]) == 't' &&
    uri_lower(u[2]) == 't' && uri_lower(u[3]) == 'p';
  predicate uri_is_https{L}(uint8_t *u, integer e) =
    e == 5 && uri_lower(u[0]) == 'h' && uri_lower(u[1]) == 't' &&
    uri_lower(u[2]) == 't' && uri_lower(u[3]) == 'p' && uri_lower(u[4]) == 's';
  predicate uri_scheme_ok{L}(uint8_t *u, integer e, integer schemes) =
    schemes == MEFC_SCHEMES_ANY ||
    (schemes == MEFC_SCHEMES_HTTPS && uri_is_https(u, e)) ||
    (schemes == MEFC_SCHEMES_HTTP_ANY && (uri_is_http(u, e) || uri_is_https(u, e)));

  // The host of the URI whose authority starts after the scheme u[0 .. e-1]
  // holds a '%' (ruling I-9: percent-encoding in the host is refused).
  predicate uri_pct_host{L}(uint8_t *u, integer n, integer e, integer hl) =
    uri_prefix(u, n, e) && uri_host(u, n, e + 3, hl) && !uri_no_pct(u, e + 3, e + 3 + hl);

  // A URI whose syntax passes: scheme, "//", authority [a, b) without '@',
  // host [a, a+hl) without '%' and of host syntax, then nothing or a port up to b.
  predicate uri_parsed{L}(uint8_t *u, integer n, integer e, integer hl, integer b) =
    uri_all_printable(u, n) && uri_prefix(u, n, e) && uri_auth(u, n, e + 3, b) &&
    !uri_userinfo(u, n, e + 3) && uri_host(u, n, e + 3, hl) && e + 3 + hl <= b &&
    uri_no_pct(u, e + 3, e + 3 + hl) && uri_host_syntax(u, e + 3, hl) &&
    uri_port(u, e + 3 + hl, b);

  // Some authority end makes the URI pass the syntax with this scheme and host.
  predicate uri_wellformed{L}(uint8_t *u, integer n, integer e, integer hl) =
    \exists integer b; uri_parsed(u, n, e, hl, b);
*/

/*@ assigns \nothing;
    ensures \result == uri_lower(c); */
static uint8_t uri_lc(uint8_t c)
{
  uint8_t r = c;
  if (c >= (uint8_t)'A' && c <= (uint8_t)'Z') r = (uint8_t)(c + 32u);
  return r;
}

/*@ assigns \nothing;
    ensures \result <==> uri_reg_char(c); */
static bool uri_is_reg_char(uint8_t c)
{
  return (c >= (uint8_t)'A' && c <= (uint8_t)'Z') || (c >= (uint8_t)'a' && c <= (uint8_t)'z') ||
         (c >= (uint8_t)'0' && c <= (uint8_t)'9') || c == (uint8_t)'-' || c == (uint8_t)'.' ||
         c == (uint8_t)'_' || c == (uint8_t)'~';
}

/*@ assigns \nothing;
    ensures \result <==> uri_delim(c); */
static bool uri_is_delim(uint8_t c)
{
  return c == (uint8_t)'/' || c == (uint8_t)'?' || c == (uint8_t)'#';
}

/* Bytes outside printable ASCII are never part of an acceptable URI. */
/*@ requires \valid_read(u + (0 .. n - 1));
    assigns \nothing;
    ensures \result <==> uri_all_printable(u, n); */
static bool uri_printable_all(const uint8_t *u, size_t n)
{
  bool ok = true;
  size_t i;
  /*@ loop invariant 0 <= i <= n;
      loop invariant ok <==> uri_all_printable(u, i);
      loop assigns i, ok;
      loop variant n - i; */
  for (i = 0u; i < n && ok; i++) {
    if (u[i] < 0x21u || u[i] > 0x7eu) ok = false;
  }
  /*@ assert ok ==> i == n; */
  return ok;
}

/* Length of the scheme when the URI starts with scheme "://", else 0. */
/*@ requires \valid_read(u + (0 .. n - 1));
    assigns \nothing;
    ensures \result != 0 ==> uri_prefix(u, n, \result);
    ensures \result == 0 ==> !(\exists integer e; uri_prefix(u, n, e)); */
static size_t uri_scheme_len(const uint8_t *u, size_t n)
{
  size_t i = 0u;
  size_t e = 0u;

  if (n > 0u && ((u[0] >= (uint8_t)'A' && u[0] <= (uint8_t)'Z') ||
                 (u[0] >= (uint8_t)'a' && u[0] <= (uint8_t)'z'))) {
    i = 1u;
    /*@ loop invariant 1 <= i <= n;
        loop invariant \forall integer k; 1 <= k < i ==> uri_scheme_char(u[k]);
        loop assigns i;
        loop variant n - i; */
    while (i < n && ((u[i] >= (uint8_t)'A' && u[i] <= (uint8_t)'Z') ||
                     (u[i] >= (uint8_t)'a' && u[i] <= (uint8_t)'z') ||
                     (u[i] >= (uint8_t)'0' && u[i] <= (uint8_t)'9') || u[i] == (uint8_t)'+' ||
                     u[i] == (uint8_t)'-' || u[i] == (uint8_t)'.')) {
      i++;
    }
    if (n - i >= 3u && u[i] == (uint8_t)':' && u[i + 1u] == (uint8_t)'/' &&
        u[i + 2u] == (uint8_t)'/') {
      e = i;
    }
  }
  return e;
}

/* End of the authority starting at a: the first delimiter, or n. */
/*@ requires \valid_read(u + (0 .. n - 1));
    requires a <= n;
    assigns \nothing;
    ensures uri_auth(u, n, a, \result); */
static size_t uri_auth_end(const uint8_t *u, size_t n, size_t a)
{
  size_t i = a;
  /*@ loop invariant a <= i <= n;
      loop invariant \forall integer k; a <= k < i ==> !uri_delim(u[k]);
      loop assigns i;
      loop variant n - i; */
  while (i < n && !uri_is_delim(u[i])) i++;
  return i;
}

/* Whether the authority [a, b) holds an '@' (ruling I-9: userinfo refused). */
/*@ requires \valid_read(u + (0 .. n - 1));
    requires uri_auth(u, n, a, b);
    assigns \nothing;
    ensures \result <==> uri_userinfo(u, n, a); */
static bool uri_has_at(const uint8_t *u, size_t n, size_t a, size_t b)
{
  bool at = false;
  size_t i;

  (void)n; /* n only bounds the authority in the contract */
  /*@ loop invariant a <= i <= b;
      loop invariant !at <==> (\forall integer k; a <= k < i ==> u[k] != '@');
      loop assigns i, at;
      loop variant b - i; */
  for (i = a; i < b && !at; i++) {
    if (u[i] == (uint8_t)'@') at = true;
  }
  /*@ assert !at ==> i == b; */
  return at;
}

/* End of the host at a inside the authority [a, b), or a when an IP literal
 * has no closing ']' in the authority (no host then exists). An end offset
 * rather than a length: the readers of the host then compare an index with
 * a bound below n, with no sum to carry (Eva keeps no relation a + hl <= n
 * across calls). */
/*@ requires \valid_read(u + (0 .. n - 1));
    requires uri_auth(u, n, a, b);
    assigns \nothing;
    ensures a <= \result <= b;
    ensures \result != a || !(a < n && u[a] == '[') ==> uri_host(u, n, a, \result - a);
    ensures \result == a && a < n && u[a] == '[' ==> !(\exists integer hl; uri_host(u, n, a, hl)); */
static size_t uri_host_end(const uint8_t *u, size_t n, size_t a, size_t b)
{
  size_t i;
  size_t he = a;

  (void)n; /* n only bounds the authority in the contract */

  if (a < b && u[a] == (uint8_t)'[') {
    i = a + 1u;
    /*@ loop invariant a + 1 <= i <= b;
        loop invariant \forall integer k; a <= k < i ==> u[k] != ']';
        loop assigns i;
        loop variant b - i; */
    while (i < b && u[i] != (uint8_t)']') i++;
    if (i < b) {
      he = i + 1u;
      /*@ assert uri_host(u, n, a, he - a); */
    }
  } else {
    i = a;
    /*@ loop invariant a <= i <= b;
        loop invariant \forall integer k; a <= k < i ==> u[k] != ':';
        loop assigns i;
        loop variant b - i; */
    while (i < b && u[i] != (uint8_t)':') i++;
    he = i;
    /*@ assert not_literal: !(a < n && u[a] == '['); */
    /*@ assert uri_host(u, n, a, he - a); */
  }
  return he;
}

/*@ requires \valid_read(u + (a .. b - 1));
    requires a <= b;
    assigns \nothing;
    ensures \result <==> uri_no_pct(u, a, b); */
static bool uri_no_percent(const uint8_t *u, size_t a, size_t b)
{
  bool ok = true;
  size_t i;
  /*@ loop invariant a <= i <= b || (a > b && i == a);
      loop invariant ok <==> uri_no_pct(u, a, i);
      loop assigns i, ok;
      loop variant b - i; */
  for (i = a; i < b && ok; i++) {
    if (u[i] == (uint8_t)'%') ok = false;
  }
  /*@ assert ok ==> i >= b; */
  return ok;
}

/* The host's own characters: a non-empty reg-name, or "[" 1*(HEXDIG / ":" /
 * ".") "]" (the closing bracket is known to be there). */
/*@ requires \valid_read(u + (a .. he - 1));
    requires a <= he;
    assigns \nothing;
    ensures \result <==> uri_host_syntax(u, a, he - a); */
static bool uri_host_chars(const uint8_t *u, size_t a, size_t he)
{
  bool ok = he > a;
  size_t i;

  if (ok && u[a] == (uint8_t)'[') {
    ok = he - a >= 3u;
    /*@ loop invariant a + 1 <= i <= he;
        loop invariant ok ==> 3 <= he - a && i <= he - 1 &&
                         (\forall integer k; a + 1 <= k < i ==> uri_ip_char(u[k]));
        loop invariant !ok ==> !uri_host_syntax(u, a, he - a);
        loop assigns i, ok;
        loop variant he - i; */
    for (i = a + 1u; i < he - 1u && ok; i++) {
      uint8_t c = u[i];
      ok = (c >= (uint8_t)'0' && c <= (uint8_t)'9') || (c >= (uint8_t)'A' && c <= (uint8_t)'F') ||
           (c >= (uint8_t)'a' && c <= (uint8_t)'f') || c == (uint8_t)':' || c == (uint8_t)'.';
    }
    /*@ assert ok ==> i == he - 1; */
  } else if (ok) {
    /*@ loop invariant a <= i <= he;
        loop invariant ok ==> \forall integer k; a <= k < i ==> uri_reg_char(u[k]);
        loop invariant !ok ==> !uri_host_syntax(u, a, he - a);
        loop assigns i, ok;
        loop variant he - i; */
    for (i = a; i < he && ok; i++) ok = uri_is_reg_char(u[i]);
    /*@ assert ok ==> i == he; */
  }
  return ok;
}

/* 1*DIGIT over u[a .. b-1] of value 0..65535 (leading zeros allowed). The
 * digits are all read even once the value is too big, so that the loop
 * itself shows that the whole number is too big. */
/*@ requires \valid_read(u + (a .. b - 1));
    requires a < b;
    assigns \nothing;
    ensures \result <==> ((\forall integer k; a <= k < b ==> uri_digit(u[k])) &&
                          uri_dec(u, a, b) <= 65535); */
static bool uri_port_number(const uint8_t *u, size_t a, size_t b)
{
  bool digits = true;
  bool big = false; /* the value read so far exceeds 65535 */
  uint32_t v = 0u;
  size_t i;
  /*@ loop invariant a <= i <= b;
      loop invariant digits <==> (\forall integer k; a <= k < i ==> uri_digit(u[k]));
      loop invariant digits ==> uri_dec(u, a, i) >= 0;
      loop invariant digits && !big ==> v == uri_dec(u, a, i);
      loop invariant v <= 65535;
      loop invariant digits && big ==> uri_dec(u, a, i) > 65535;
      loop assigns i, v, digits, big;
      loop variant b - i; */
  for (i = a; i < b && digits; i++) {
    if (u[i] < (uint8_t)'0' || u[i] > (uint8_t)'9') {
      digits = false;
    } else if (!big) {
      uint32_t w = v * 10u + (uint32_t)(u[i] - (uint8_t)'0');
      if (w > 65535u) big = true;
      else v = w;
    }
  }
  /*@ assert digits ==> i == b; */
  /*@ assert digits && !big ==> uri_dec(u, a, b) <= 65535; */
  /*@ assert digits && big ==> uri_dec(u, a, b) > 65535; */
  return digits && !big;
}

/* What follows the host at p inside the authority ending at b: nothing, or
 * ":" and a port number. */
/*@ requires \valid_read(u + (p .. b - 1));
    requires p <= b;
    assigns \nothing;
    ensures \result <==> uri_port(u, p, b); */
static bool uri_port_ok(const uint8_t *u, size_t p, size_t b)
{
  return p == b || (u[p] == (uint8_t)':' && p + 1u < b && uri_port_number(u, p + 1u, b));
}

/* Syntax of I-9. Returns URI_PARSED or MALFORMED / USERINFO / PCT_HOST;
 * from "//" on, the scheme length, host offset and host length are written
 * out for PCT_HOST too (the contract names the host that holds the '%'). */
/*@ requires \valid_read(u + (0 .. n - 1));
    requires \valid(e_out) && \valid(ho_out) && \valid(he_out);
    requires \separated(e_out, ho_out, he_out, u + (0 .. n - 1));
    assigns *e_out, *ho_out, *he_out;
    ensures \result == URI_PARSED || \result == MEFC_URI_MALFORMED ||
            \result == MEFC_URI_USERINFO || \result == MEFC_URI_PCT_HOST;
    ensures \result == URI_PARSED || \result == MEFC_URI_PCT_HOST ==>
      uri_all_printable(u, n) && uri_prefix(u, n, *e_out) && *ho_out == *e_out + 3 &&
      !uri_userinfo(u, n, *ho_out) && *ho_out <= *he_out <= n &&
      uri_host(u, n, *ho_out, *he_out - *ho_out);
    ensures \result == MEFC_URI_PCT_HOST ==> uri_pct_host(u, n, *e_out, *he_out - *ho_out);
    ensures \result == URI_PARSED ==>
      *ho_out < *he_out && uri_wellformed(u, n, *e_out, *he_out - *ho_out);
    ensures \result != URI_PARSED ==> !(\exists integer e, hl; uri_wellformed(u, n, e, hl));
    behavior bad_bytes:
      assumes !uri_all_printable(u, n);
      ensures \result == MEFC_URI_MALFORMED;
    behavior no_authority:
      assumes uri_all_printable(u, n);
      assumes !(\exists integer e; uri_prefix(u, n, e));
      ensures \result == MEFC_URI_MALFORMED;
    behavior userinfo:
      assumes uri_all_printable(u, n);
      assumes \exists integer e; uri_prefix(u, n, e) && uri_userinfo(u, n, e + 3);
      ensures \result == MEFC_URI_USERINFO;
    behavior authority:
      assumes uri_all_printable(u, n);
      assumes \exists integer e; uri_prefix(u, n, e) && !uri_userinfo(u, n, e + 3);
      ensures \result != MEFC_URI_USERINFO;
    complete behaviors;
    disjoint behaviors;
*/
static int uri_parse(const uint8_t *u, size_t n, size_t *e_out, size_t *ho_out, size_t *he_out)
{
  int r = MEFC_URI_MALFORMED;
  size_t e, a, b, he;

  /* The asserts name, on each path that refuses the URI, why no reading of
   * it passes: scheme end, authority end and host are all unique. */
  if (!uri_printable_all(u, n)) {
    /*@ assert !(\exists integer e2, hl2; uri_wellformed(u, n, e2, hl2)); */
  } else {
    e = uri_scheme_len(u, n);
    if (e == 0u) {
      /*@ assert !(\exists integer e2, hl2; uri_wellformed(u, n, e2, hl2)); */
    } else {
      /*@ assert \forall integer e2; uri_prefix(u, n, e2) ==> e2 == e; */
      a = e + 3u;
      b = uri_auth_end(u, n, a);
      /*@ assert \forall integer b2; uri_auth(u, n, a, b2) ==> b2 == b; */
      if (uri_has_at(u, n, a, b)) {
        /*@ assert !(\exists integer e2, hl2; uri_wellformed(u, n, e2, hl2)); */
        r = MEFC_URI_USERINFO;
      } else {
        he = uri_host_end(u, n, a, b);
        /*@ assert (\exists integer h2; uri_host(u, n, a, h2)) ==> uri_host(u, n, a, he - a); */
        /*@ assert \forall integer h2; uri_host(u, n, a, h2) ==> h2 == he - a; */
        if (!uri_no_percent(u, a, he)) {
          /*@ assert !(\exists integer e2, hl2; uri_wellformed(u, n, e2, hl2)); */
          *e_out = e;
          *ho_out = a;
          *he_out = he;
          r = MEFC_URI_PCT_HOST;
        } else if (uri_host_chars(u, a, he) && uri_port_ok(u, he, b)) {
          /*@ assert uri_parsed(u, n, e, he - a, b); */
          /*@ assert uri_wellformed(u, n, e, he - a); */
          *e_out = e;
          *ho_out = a;
          *he_out = he;
          r = URI_PARSED;
        } else {
          /*@ assert !uri_host_syntax(u, a, he - a) || !uri_port(u, he, b); */
          /*@ assert !(\exists integer e2, hl2; uri_wellformed(u, n, e2, hl2)); */
        }
      }
    }
  }
  return r;
}

/* u[a .. b-1] holds at least fs bytes and its first fs equal f[0 .. fs-1]
 * case-insensitively. Each buffer is read with its own index, bounded by its
 * own end: a bound any analysis of the caller knows, with no sum a + i to
 * carry, and no precondition relating the two. */
/*@ requires a <= b;
    requires \valid_read(u + (a .. b - 1));
    requires \valid_read(f + (0 .. fs - 1));
    assigns \nothing;
    ensures \result <==> (fs <= b - a &&
      \forall integer k; 0 <= k < fs ==> uri_lower(u[a + k]) == uri_lower(f[k])); */
static bool uri_same_ci(const uint8_t *u, size_t a, size_t b, const uint8_t *f, size_t fs)
{
  bool eq = true;
  size_t i = 0u, j = a;

  /*@ loop invariant idx: 0 <= i <= fs && j == a + i && j <= b;
      loop invariant same: eq <==> (\forall integer k; 0 <= k < i ==> uri_lower(u[a + k]) == uri_lower(f[k]));
      loop assigns i, j, eq;
      loop variant fs - i; */
  while (i < fs && j < b && eq) {
    eq = uri_lc(u[j]) == uri_lc(f[i]);
    i++;
    j++;
  }
  return eq && i == fs;
}

/* Ruling I-9 host equality on the host u[a .. he-1]: case-insensitive, one
 * trailing dot ignored on either side, and never equal when nothing is left
 * to compare. */
/*@ requires \valid_read(u + (a .. he - 1));
    requires a <= he;
    requires \valid_read(f + (0 .. fn - 1));
    assigns \nothing;
    ensures \result <==> uri_host_eq(u + a, he - a, f, fn); */
static bool uri_host_equal(const uint8_t *u, size_t a, size_t he, const uint8_t *f, size_t fn)
{
  size_t hl = he - a;
  size_t hs = (he > a && u[he - 1u] == (uint8_t)'.') ? hl - 1u : hl;
  size_t fs = (fn > 0u && f[fn - 1u] == (uint8_t)'.') ? fn - 1u : fn;

  bool eq = false;

  /*@ assert strip_h: hs == uri_strip(u + a, he - a); */
  /*@ assert strip_f: fs == uri_strip(f, fn); */
  if (hs > 0u && hs == fs) {
    eq = uri_same_ci(u, a, he, f, fs);
    /*@ assert shifted: eq <==> (\forall integer k; 0 <= k < hs ==> uri_lower((u + a)[k]) == uri_lower(f[k])); */
  }
  /*@ assert fwd: eq ==> uri_host_eq(u + a, he - a, f, fn); */
  /*@ assert bwd: uri_host_eq(u + a, he - a, f, fn) ==> eq; */
  return eq;
}

/*@ requires \valid_read(u + (0 .. e - 1));
    assigns \nothing;
    ensures \result <==> uri_scheme_ok(u, e, schemes); */
static bool uri_scheme_allowed(const uint8_t *u, size_t e, int schemes)
{
  bool http = e == 4u && uri_lc(u[0]) == (uint8_t)'h' && uri_lc(u[1]) == (uint8_t)'t' &&
              uri_lc(u[2]) == (uint8_t)'t' && uri_lc(u[3]) == (uint8_t)'p';
  bool https = e == 5u && uri_lc(u[0]) == (uint8_t)'h' && uri_lc(u[1]) == (uint8_t)'t' &&
               uri_lc(u[2]) == (uint8_t)'t' && uri_lc(u[3]) == (uint8_t)'p' &&
               uri_lc(u[4]) == (uint8_t)'s';
  return schemes == MEFC_SCHEMES_ANY || (schemes == MEFC_SCHEMES_HTTPS && https) ||
         (schemes == MEFC_SCHEMES_HTTP_ANY && (http || https));
}

/* Contract of ruling I-9 (MCC-7-4-URI, MCC-8-4-URI). */
/*@ requires \valid_read(uri + (0 .. uri_len - 1));
    requires \valid_read(fqdn + (0 .. fqdn_len - 1));
    assigns \nothing;
    ensures MEFC_URI_MATCH <= \result <= MEFC_URI_SCHEME;
    ensures I_9_syntax:
      (\exists integer e, hl; uri_wellformed(uri, uri_len, e, hl)) <==>
      (\result == MEFC_URI_MATCH || \result == MEFC_URI_HOST_DIFFERS || \result == MEFC_URI_SCHEME);
    behavior I_9_bad_bytes:
      assumes !uri_all_printable(uri, uri_len);
      ensures \result == MEFC_URI_MALFORMED;
    behavior I_9_no_authority:
      assumes uri_all_printable(uri, uri_len);
      assumes !(\exists integer e; uri_prefix(uri, uri_len, e));
      ensures \result == MEFC_URI_MALFORMED;
    behavior I_9_userinfo:
      assumes uri_all_printable(uri, uri_len);
      assumes \exists integer e; uri_prefix(uri, uri_len, e) && uri_userinfo(uri, uri_len, e + 3);
      ensures \result == MEFC_URI_USERINFO;
    behavior I_9_authority:
      assumes uri_all_printable(uri, uri_len);
      assumes \exists integer e; uri_prefix(uri, uri_len, e) && !uri_userinfo(uri, uri_len, e + 3);
      ensures \result != MEFC_URI_USERINFO;
      ensures I_9_match: \result == MEFC_URI_MATCH ==>
        \exists integer e, hl; uri_wellformed(uri, uri_len, e, hl) &&
          uri_scheme_ok(uri, e, schemes) && uri_host_eq(uri + (e + 3), hl, fqdn, fqdn_len);
      ensures I_9_host_differs: \result == MEFC_URI_HOST_DIFFERS ==>
        \exists integer e, hl; uri_wellformed(uri, uri_len, e, hl) &&
          uri_scheme_ok(uri, e, schemes) && !uri_host_eq(uri + (e + 3), hl, fqdn, fqdn_len);
      ensures I_9_scheme: \result == MEFC_URI_SCHEME ==>
        \exists integer e, hl; uri_wellformed(uri, uri_len, e, hl) && !uri_scheme_ok(uri, e, schemes);
      ensures I_9_pct_host: \result == MEFC_URI_PCT_HOST ==>
        \exists integer e, hl; uri_pct_host(uri, uri_len, e, hl);
    complete behaviors;
    disjoint behaviors;
*/
int mefc_uri_check(const uint8_t *uri, size_t uri_len, const uint8_t *fqdn, size_t fqdn_len,
                   int schemes)
{
  size_t e = 0u, ho = 0u, he = 0u;
  int r = uri_parse(uri, uri_len, &e, &ho, &he);

  if (r == URI_PARSED) {
    if (!uri_scheme_allowed(uri, e, schemes)) r = MEFC_URI_SCHEME;
    else if (uri_host_equal(uri, ho, he, fqdn, fqdn_len)) r = MEFC_URI_MATCH;
    else r = MEFC_URI_HOST_DIFFERS;
  }
  return r;
}

/* The host of a URI whose syntax passes ruling I-9 (whatever its scheme or
 * host): brackets of an IP literal and a trailing dot are included. */
/*@ requires \valid_read(uri + (0 .. uri_len - 1));
    requires \valid(host_off) && \valid(host_len);
    requires \separated(host_off, host_len, uri + (0 .. uri_len - 1));
    assigns *host_off, *host_len;
    ensures \result ==> *host_off + *host_len <= uri_len && 1 <= *host_len && 4 <= *host_off &&
      uri_wellformed(uri, uri_len, *host_off - 3, *host_len);
    ensures !\result ==> !(\exists integer e, hl; uri_wellformed(uri, uri_len, e, hl));
    ensures !\result ==> *host_off == \old(*host_off) && *host_len == \old(*host_len);
*/
bool mefc_uri_host(const uint8_t *uri, size_t uri_len, size_t *host_off, size_t *host_len)
{
  size_t e = 0u, ho = 0u, he = 0u;
  bool ok = uri_parse(uri, uri_len, &e, &ho, &he) == URI_PARSED;

  if (ok) {
    *host_off = ho;
    *host_len = he - ho;
  }
  return ok;
}
