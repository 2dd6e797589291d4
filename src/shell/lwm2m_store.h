/* The LwM2M objects a bootstrap writes (Security 0, Server 1 and the oneM2M
 * MO objects of ruling I-46), staged in memory while the Bootstrap-Server
 * writes and stored in the state directory only at Bootstrap-Finish
 * (lwm2m.json, written atomically). The MO nodes it holds are merged into
 * the client's MO tree at load time and after a bootstrap. */
#ifndef MEFC_SHELL_LWM2M_STORE_H
#define MEFC_SHELL_LWM2M_STORE_H

#include <stddef.h>
#include <jansson.h>

#include "lwm2m_data.h"
#include "lwm2m_objects.h"

#define LW_STORE_FILE "lwm2m.json"
#define LW_STORE_VERSION 1
#define LW_STORE_FILE_MAX (256u * 1024u)
#define LW_INST_MAX 8u        /* instances per object */
#define LW_RES_INST_MAX 16u   /* instances of a multiple resource */

typedef struct {
  json_t *objects;    /* {"<obj>": {"<inst>": {"<res>": value | {"<riid>": value}}}} */
} lw_store;

/* Stage from the stored file (missing: empty). -1 with a message in err. */
int lw_store_open(lw_store *s, const char *state_dir, char *err, size_t cap);

/* The raw store file of the state directory into *buf (caller frees): 0 when
 * read, 1 when there is none, -1 with the reason in err. */
int lw_store_read(const char *state_dir, uint8_t **buf, size_t *len, char *err, size_t cap);
void lw_store_free(lw_store *s);

/* Bootstrap-Delete of p ("/", "/o", "/o/i"). */
int lw_store_delete(lw_store *s, const lw_path *p, char *why, size_t cap);

/* Bootstrap-Write of the decoded records to target. */
int lw_store_write(lw_store *s, const lw_path *target, const lw_recs *recs, char *why, size_t cap);

/* Bootstrap-Finish check (LwM2M 1.1 core 6.1.7.7): at least one Server
 * account, each with a non-bootstrap Security instance of the same Short
 * Server ID, every instance holding its mandatory resources, and the MO
 * nodes valid once merged into `configured` (the "mo" array of the
 * configuration, or NULL). Returns 0 with *boot_mo (the bootstrapped nodes)
 * and *merged (the whole tree), or -1 with the reason in why. */
int lw_store_check(const lw_store *s, const json_t *configured, json_t **boot_mo, json_t **merged,
                   char *why, size_t cap);

/* Store the staged objects and boot_mo atomically in state_dir. */
int lw_store_commit(const lw_store *s, const json_t *boot_mo, const char *state_dir,
                    const char *endpoint, const char *server_uri, char *err, size_t cap);

/* The configured nodes with the bootstrapped ones of boot merged in (lwm2m_mo.c): a node
 * with the same path replaces the configured one in place, the others are
 * appended parents first. NULL when out of memory. */
json_t *lw_mo_merge(const json_t *configured, const json_t *boot);

/* At load: the configured "mo" array (or NULL) merged with the nodes of the
 * stored file. *merged is NULL when there are neither. -1 with a message. */
int lw_mo_load(const char *state_dir, const json_t *configured, json_t **merged, char *err,
               size_t cap);

#endif
