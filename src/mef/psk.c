/* Pre-shared keys per client identity, read from a file of "identity,key"
 * lines. Blank lines and lines starting with '#' are skipped; the identity
 * ends at the first comma; the key is the rest of the line as text, or
 * hexadecimal digits after "hex:". Keys are wiped when the table is freed. */
#include "psk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "log.h"

static int hexval(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

int mefd_psk_parse_key(const char *k, size_t len, struct mefd_psk *e)
{
  if (len >= 4 && strncmp(k, "hex:", 4) == 0) {
    k += 4;
    len -= 4;
    if (len == 0 || len % 2 != 0 || len / 2 > MEFD_PSK_KEY_MAX)
      return -1;
    for (size_t i = 0; i < len; i += 2) {
      int hi = hexval((unsigned char)k[i]), lo = hexval((unsigned char)k[i + 1]);
      if (hi < 0 || lo < 0)
        return -1;
      e->key[i / 2] = (uint8_t)(hi * 16 + lo);
    }
    e->key_len = len / 2;
    return 0;
  }
  if (len == 0 || len > MEFD_PSK_KEY_MAX)
    return -1;
  memcpy(e->key, k, len);
  e->key_len = len;
  return 0;
}

int mefd_psk_lines(const char *path, int (*fn)(void *arg, const char *line, size_t len,
                                                unsigned lineno),
                   void *arg)
{
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    mefd_log("psk: cannot open %s", path);
    return -1;
  }
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0)
    mefd_log("psk: warning: %s is readable by group or others (mode %03o)", path,
             (unsigned)(st.st_mode & 0777));
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  unsigned lineno = 0;
  int rc = 0;
  while (rc == 0 && (got = getline(&line, &cap, f)) >= 0) {
    lineno++;
    size_t len = (size_t)got;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      line[--len] = '\0';
    if (len > 0 && line[0] != '#')
      rc = fn(arg, line, len, lineno);
  }
  if (line != NULL) {
    OPENSSL_cleanse(line, cap);
    free(line);
  }
  fclose(f);
  return rc;
}

struct load_ctx {
  struct mefd_psk_table *t;
  const char *path;
};

static int load_line(void *arg, const char *line, size_t len, unsigned lineno)
{
  struct load_ctx *x = arg;
  struct mefd_psk_table *t = x->t;
  const char *comma = memchr(line, ',', len);
  size_t id_len = comma != NULL ? (size_t)(comma - line) : 0;
  if (comma == NULL || id_len == 0 || id_len > MEFD_PSK_ID_MAX) {
    mefd_log("psk: %s:%u: expected \"identity,key\" with an identity of 1..%u bytes", x->path,
             lineno, MEFD_PSK_ID_MAX);
    return -1;
  }
  if (mefd_psk_find(t, line, id_len) != NULL) {
    mefd_log("psk: %s:%u: identity given twice", x->path, lineno);
    return -1;
  }
  struct mefd_psk *nv = realloc(t->v, (t->n + 1) * sizeof *nv);
  if (nv == NULL)
    return -1;
  t->v = nv;
  struct mefd_psk *e = &t->v[t->n];
  memset(e, 0, sizeof *e);
  memcpy(e->id, line, id_len);
  e->id_len = id_len;
  if (mefd_psk_parse_key(comma + 1, len - id_len - 1, e) != 0) {
    mefd_log("psk: %s:%u: the key must be 1..%u bytes of text, or \"hex:\" and an even number "
             "of hex digits", x->path, lineno, MEFD_PSK_KEY_MAX);
    OPENSSL_cleanse(e, sizeof *e);
    return -1;
  }
  t->n++;
  return 0;
}

int mefd_psk_load(struct mefd_psk_table *t, const char *path)
{
  t->v = NULL;
  t->n = 0;
  struct load_ctx x = {t, path};
  int rc = mefd_psk_lines(path, load_line, &x);
  if (rc == 0 && t->n == 0) {
    mefd_log("psk: %s holds no identity", path);
    rc = -1;
  }
  if (rc == 0)
    mefd_log("psk: %zu identities loaded from %s", t->n, path);
  return rc;
}

const struct mefd_psk *mefd_psk_find(const struct mefd_psk_table *t, const void *id, size_t len)
{
  for (size_t i = 0; i < t->n; i++)
    if (t->v[i].id_len == len && memcmp(t->v[i].id, id, len) == 0)
      return &t->v[i];
  return NULL;
}

void mefd_psk_free(struct mefd_psk_table *t)
{
  if (t->v != NULL) {
    OPENSSL_cleanse(t->v, t->n * sizeof *t->v);
    free(t->v);
  }
  t->v = NULL;
  t->n = 0;
}
