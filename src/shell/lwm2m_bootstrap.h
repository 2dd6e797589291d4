/* DEV_CFG with devMgmtID 3 (OMA LwM2M): the client-initiated bootstrap
 * towards the DM server URI (lwm2m_bootstrap.c). */
#ifndef MEFC_SHELL_LWM2M_BOOTSTRAP_H
#define MEFC_SHELL_LWM2M_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

/* Split a DM server URI "coap[s]://host[:port][/]" into its parts. Returns
 * 0, or -1 for another scheme or shape (why says which). */
int lw_uri_split(const char *uri, int *secure, char *host, size_t host_cap, uint16_t *port,
                 char *why, size_t cap);

#endif
