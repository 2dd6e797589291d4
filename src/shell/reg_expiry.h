/* Whether the MEF Client Registration in hand may still carry a Retrieve or
 * an Update (MCC-1-5, MCC-2-PB, MCC-3-PB; ruling I-49): the expirationTime the
 * MEF granted, read against the clock, and the oneM2M "not found" answer that
 * tells the MEF no longer holds the registration. */
#ifndef MEFC_SHELL_REG_EXPIRY_H
#define MEFC_SHELL_REG_EXPIRY_H

#include <time.h>

#include "coap_transport.h"

/* A request sent on a registration due to expire within this many seconds
 * could reach the MEF after it expired: it is registered again first (I-49). */
#define REGX_MARGIN_S 2

typedef enum {
  REGX_VALID,       /* et is later than now + margin */
  REGX_NO_EXPIRY,   /* the MEF granted no et: nothing to compare */
  REGX_EXPIRED,     /* et is before now + margin */
  REGX_UNPARSEABLE  /* et is not a oneM2M timestamp "YYYYMMDDTHHMMSS" */
} regx_state;

/* The state of a registration whose granted expirationTime is et ("" for
 * none), at now, with margin seconds to spare. */
regx_state regx_check(const char *et, time_t now, time_t margin);

/* 1 when a Retrieve or Update response says the <mefClientCmd> does not
 * exist: CoAP 4.04, HTTP 404 or RSC 4004 NOT_FOUND. */
int regx_not_found(const ct_result *res);

#endif
