/* Pre-shared keys per client identity (KpmID -> Kpm), read from a file of
 * "identity,key" lines; the key is text, or hexadecimal after "hex:". */
#ifndef MEFD_PSK_H
#define MEFD_PSK_H

#include <stddef.h>
#include <stdint.h>

#define MEFD_PSK_ID_MAX 128u
#define MEFD_PSK_KEY_MAX 64u

struct mefd_psk {
  char id[MEFD_PSK_ID_MAX + 1];
  size_t id_len;
  uint8_t key[MEFD_PSK_KEY_MAX];
  size_t key_len;
};

struct mefd_psk_table {
  struct mefd_psk *v;
  size_t n;
};

/* Load path into *t. Returns 0, or -1 after logging the line at fault (never
 * the key). An identity given twice is an error. */
int mefd_psk_load(struct mefd_psk_table *t, const char *path);

/* Call fn for each line of path that is neither blank nor a '#' comment,
 * its line end removed, until one returns nonzero (that value is returned);
 * warns when the file is readable by others and wipes what it read. -1
 * when the file cannot be opened. */
int mefd_psk_lines(const char *path, int (*fn)(void *arg, const char *line, size_t len,
                                                unsigned lineno),
                   void *arg);

/* Decode the key part of a line (text, or "hex:" and hex digits) into
 * e->key and e->key_len. 0, or -1 when it is not a key of 1..64 bytes. */
int mefd_psk_parse_key(const char *k, size_t len, struct mefd_psk *e);

/* The entry for identity id[0..len), or NULL. */
const struct mefd_psk *mefd_psk_find(const struct mefd_psk_table *t, const void *id, size_t len);

/* Wipe the keys and free the table. */
void mefd_psk_free(struct mefd_psk_table *t);

#endif
