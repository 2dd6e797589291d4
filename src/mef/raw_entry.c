/* Raw campaign entries (raw_entry.h): "id", "raw_b64", optional "raw_serves"
 * (1..100, default 1), "expect" and "comment". The body is decoded once at
 * load; mccd is JSON null and the class unknown, so the EST and results code
 * that read them treat the entry as a command of no class. */
#include "raw_entry.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "log.h"

static int bad(const char *path, const char *where, const char *what)
{
  mefd_log("campaign: %s: %s: %s", path, where, what);
  return -1;
}

/* Padded base64 (RFC 4648 section 4) into a malloc'd buffer. */
static unsigned char *b64_decode(const char *s, size_t n, size_t *out_len)
{
  if (n % 4 != 0 || n > 4u * 1024u * 1024u)
    return NULL;
  unsigned char *out = malloc(n / 4 * 3 + 1);
  if (out == NULL)
    return NULL;
  int r = n == 0 ? 0 : EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
  if (r < 0) {
    free(out);
    return NULL;
  }
  size_t len = (size_t)r;
  /* EVP_DecodeBlock counts the padding as zero bytes. */
  for (size_t i = n; i > 0 && s[i - 1] == '=' && len > 0; i--)
    len--;
  *out_len = len;
  return out;
}

int mefd_raw_load(const char *path, const char *where, const json_t *e, struct mefd_cmd *cmd)
{
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)e, key, val) {
    if (strcmp(key, "id") != 0 && strcmp(key, "raw_b64") != 0 && strcmp(key, "raw_serves") != 0 &&
        strcmp(key, "expect") != 0 && strcmp(key, "comment") != 0)
      return bad(path, where, "a raw entry takes only id, raw_b64, raw_serves, expect, comment");
  }
  json_t *id = json_object_get(e, "id");
  json_t *b64 = json_object_get(e, "raw_b64");
  json_t *serves = json_object_get(e, "raw_serves");
  json_t *expect = json_object_get(e, "expect");
  if (!json_is_string(id) || json_string_length(id) == 0 ||
      json_string_length(id) > MEFD_CMD_ID_MAX ||
      strlen(json_string_value(id)) != json_string_length(id))
    return bad(path, where, "\"id\" must be a string of 1..1024 bytes without NUL");
  if (!json_is_string(b64))
    return bad(path, where, "\"raw_b64\" must be a string (padded base64)");
  if (serves != NULL && (!json_is_integer(serves) || json_integer_value(serves) < 1 ||
                         json_integer_value(serves) > 100))
    return bad(path, where, "\"raw_serves\" must be an integer 1..100");
  if (expect != NULL && (!json_is_integer(expect) || json_integer_value(expect) < 0 ||
                         json_integer_value(expect) > 999))
    return bad(path, where, "\"expect\" must be a status code (integer 0..999)");
  cmd->raw = b64_decode(json_string_value(b64), json_string_length(b64), &cmd->raw_len);
  if (cmd->raw == NULL)
    return bad(path, where, "\"raw_b64\" is not padded base64");
  cmd->raw_serves = serves != NULL ? (unsigned)json_integer_value(serves) : 1u;
  cmd->id = strdup(json_string_value(id));
  cmd->mccd = json_null();
  cmd->class_id = -1;
  cmd->expect = expect != NULL ? (long long)json_integer_value(expect) : -1;
  if (cmd->id == NULL)
    return bad(path, where, "out of memory");
  return 0;
}
