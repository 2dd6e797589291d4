/* The reference MAF's Km table: "KmID,MAF-Client-ID,key" lines, blank lines
 * and '#' comments skipped. The KmID and the client ID end at a comma; the
 * key is the rest of the line, decoded as mefd's PSK file does. Keys are
 * wiped when the table is freed. */
#include "maf_km.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "log.h"

static int add(struct mefd_maf_km *k, const char *line, size_t len)
{
  const char *c1 = memchr(line, ',', len);
  const char *c2 = c1 != NULL ? memchr(c1 + 1, ',', len - (size_t)(c1 + 1 - line)) : NULL;
  size_t id_len = c1 != NULL ? (size_t)(c1 - line) : 0;
  size_t own_len = c2 != NULL ? (size_t)(c2 - c1 - 1) : 0;
  if (c2 == NULL || id_len == 0 || id_len > MEFD_PSK_ID_MAX || own_len == 0 ||
      mefd_psk_find(&k->psk, line, id_len) != NULL)
    return -1;
  struct mefd_psk *nv = realloc(k->psk.v, (k->psk.n + 1) * sizeof *nv);
  if (nv == NULL)
    return -1;
  k->psk.v = nv;
  char **no = realloc(k->owner, (k->psk.n + 1) * sizeof *no);
  if (no == NULL)
    return -1;
  k->owner = no;
  struct mefd_psk *e = &k->psk.v[k->psk.n];
  memset(e, 0, sizeof *e);
  memcpy(e->id, line, id_len);
  e->id_len = id_len;
  char *owner = strndup(c1 + 1, own_len);
  if (owner == NULL || mefd_psk_parse_key(c2 + 1, len - (size_t)(c2 + 1 - line), e) != 0) {
    free(owner);
    OPENSSL_cleanse(e, sizeof *e);
    return -1;
  }
  k->owner[k->psk.n++] = owner;
  return 0;
}

struct load_ctx {
  struct mefd_maf_km *k;
  const char *path;
};

static int load_line(void *arg, const char *line, size_t len, unsigned lineno)
{
  struct load_ctx *x = arg;
  if (add(x->k, line, len) == 0)
    return 0;
  mefd_log("maf: %s:%u: expected \"KmID,MAF-Client-ID,key\" (a KmID given once, of 1..%u bytes; "
           "a key of 1..%u bytes or hex:...)", x->path, lineno, MEFD_PSK_ID_MAX, MEFD_PSK_KEY_MAX);
  return -1;
}

int mefd_maf_km_load(struct mefd_maf_km *k, const char *path)
{
  memset(k, 0, sizeof *k);
  struct load_ctx x = {k, path};
  int rc = mefd_psk_lines(path, load_line, &x);
  if (rc == 0)
    mefd_log("maf: %zu pre-provisioned Km loaded from %s", k->psk.n, path);
  return rc;
}

const char *mefd_maf_km_owner(const struct mefd_maf_km *k, const char *kmid)
{
  const struct mefd_psk *e = mefd_psk_find(&k->psk, kmid, strlen(kmid));
  return e != NULL ? k->owner[e - k->psk.v] : NULL;
}

void mefd_maf_km_free(struct mefd_maf_km *k)
{
  for (size_t i = 0; k->owner != NULL && i < k->psk.n; i++)
    free(k->owner[i]);
  free(k->owner);
  k->owner = NULL;
  mefd_psk_free(&k->psk);
}
