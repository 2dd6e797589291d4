/* The reference MAF's pre-provisioned Master Credentials (TS-0003 8.8.3.1):
 * per KmID the Km and the MAF Client it was provisioned to, read from a file
 * of "KmID,MAF-Client-ID,key" lines (key as in --psk-file). A TLS-PSK MAF
 * Handshake (8.8.2.2) with a KmID authenticates that MAF Client (ruling I-41). */
#ifndef MEFD_MAF_KM_H
#define MEFD_MAF_KM_H

#include "psk.h"

struct mefd_maf_km {
  struct mefd_psk_table psk; /* KmID -> Km, for the TLS server's PSK callback */
  char **owner;              /* owner[i]: the MAF Client ID of psk.v[i] */
};

/* Load path. Returns 0, or -1 after logging the line at fault (never a key). */
int mefd_maf_km_load(struct mefd_maf_km *k, const char *path);

/* The MAF Client a KmID was provisioned to, or NULL. */
const char *mefd_maf_km_owner(const struct mefd_maf_km *k, const char *kmid);

void mefd_maf_km_free(struct mefd_maf_km *k);

#endif
