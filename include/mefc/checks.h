/* Pure checks on argument values: xs:duration, URI host against the MEF FQDN,
 * and the form of M2M identifiers (TS-0001 7.2). Inputs are unescaped bytes. */
#ifndef MEFC_CHECKS_H
#define MEFC_CHECKS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Ruling I-8: xs:duration to milliseconds (year = 365 d, month = 30 d).
 * Returns true and *ms, or false for negative, malformed or overflowing
 * values (result above UINT64_MAX ms). */
bool mefc_duration_ms(const uint8_t *s, size_t len, uint64_t *ms);

enum mefc_uri_check {
  MEFC_URI_MATCH = 0,         /* host equals the MEF FQDN (and scheme allowed) */
  MEFC_URI_HOST_DIFFERS = 1,  /* well-formed, other host */
  MEFC_URI_MALFORMED = 2,     /* no scheme, no "//", no host, bad characters */
  MEFC_URI_USERINFO = 3,      /* userinfo present: refused (ruling I-9) */
  MEFC_URI_PCT_HOST = 4,      /* percent-encoding in the host (ruling I-9) */
  MEFC_URI_SCHEME = 5         /* scheme not allowed for this use */
};

/* Which schemes a use of a URI allows. */
enum mefc_scheme_set {
  MEFC_SCHEMES_HTTPS = 1,     /* CERT_PROV with EST: https only */
  MEFC_SCHEMES_HTTP_ANY = 2,  /* SCEP: http or https */
  MEFC_SCHEMES_ANY = 3        /* DEV_CFG: any RFC 3986 scheme */
};

/* Ruling I-9: compare the host of uri with fqdn case-insensitively, one
 * trailing dot ignored on either side. */
int mefc_uri_check(const uint8_t *uri, size_t uri_len, const uint8_t *fqdn, size_t fqdn_len,
                   int schemes);

/* Start and length of the host inside a URI whose syntax mefc_uri_check
 * accepts (result MATCH, HOST_DIFFERS or SCHEME); false otherwise. IP-literal
 * brackets and a trailing dot are part of the span. */
bool mefc_uri_host(const uint8_t *uri, size_t uri_len, size_t *host_off, size_t *host_len);

enum mefc_id_kind {
  MEFC_ID_INVALID = 0,
  MEFC_ID_NODE = 1, /* M2M-Node-ID: an OID ("1.2.3...") or a URN / IMEI-like token */
  MEFC_ID_CSE = 2,  /* SP-relative or absolute CSE-ID */
  MEFC_ID_AE = 3    /* AE-ID-Stem, SP-relative or absolute AE-ID */
};

/* Classify an identifier by TS-0001 Table 7.2-1 and the Node-ID forms of
 * TS-0003 10.1.1.8 (see spec/interpretations.md for the exact grammar).
 * Returns a bitmask: bit (1u << kind) is set for each kind the value
 * has the form of (a value can be a CSE-ID and an AE-ID at once). */
uint32_t mefc_id_kinds(const uint8_t *s, size_t len);

#endif
