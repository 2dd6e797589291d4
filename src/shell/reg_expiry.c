/* The client's reading of its MEF Client Registration's lifetime (ruling
 * I-49): the granted expirationTime against the clock, and the MEF's "not
 * found" for the <mefClientCmd>. The command loop (loop.c) acts on both. */
#include "reg_expiry.h"

#include <string.h>

#include "keyreg_common.h"

regx_state regx_check(const char *et, time_t now, time_t margin)
{
  char limit[20];
  if (et == NULL || et[0] == '\0')
    return REGX_NO_EXPIRY;
  if (!kr_is_timestamp(et))
    return REGX_UNPARSEABLE;
  /* Timestamps of one fixed width, both UTC, compare as text. */
  kr_timestamp(now + margin, limit);
  return strcmp(et, limit) < 0 ? REGX_EXPIRED : REGX_VALID;
}

int regx_not_found(const ct_result *res)
{
  return res->code == 404 || (res->has_rsc && res->rsc == 4004);
}
