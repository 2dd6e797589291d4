/* The "bootstrap" member of a campaign command (bootstrap.h, docs/mefd.md):
 * its shape checked once at load, so a run never meets a value it cannot
 * encode. */
#include "bootstrap.h"

#include <stdbool.h>
#include <string.h>

#include "log.h"

static int bad(const char *path, const char *where, const char *msg)
{
  mefd_log("campaign: %s: %s: bootstrap: %s", path, where, msg);
  return -1;
}

static bool lw_path_ok(const char *p, int min_depth, int max_depth)
{
  int depth = 0;
  if (p == NULL || p[0] != '/')
    return false;
  for (const char *s = p + 1; *s != '\0';) {
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 5 || (s[n] != '/' && s[n] != '\0'))
      return false;
    depth++;
    s += n;
    if (*s == '/')
      s++;
  }
  return depth >= min_depth && depth <= max_depth;
}

static bool value_ok(const json_t *v, bool in_array)
{
  if (json_is_string(v) || json_is_integer(v) || json_is_boolean(v))
    return true;
  if (json_is_object(v))
    return json_object_size(v) == 1 && json_is_string(json_object_get(v, "hex")) &&
           json_string_length(json_object_get(v, "hex")) % 2 == 0 &&
           strspn(json_string_value(json_object_get(v, "hex")), "0123456789abcdefABCDEF") ==
               json_string_length(json_object_get(v, "hex"));
  if (json_is_array(v) && !in_array && json_array_size(v) > 0) {
    size_t i;
    const json_t *e;
    json_array_foreach(v, i, e) {
      if (!value_ok(e, true))
        return false;
    }
    return true;
  }
  return false;
}

int mefd_bs_check(const char *path, const char *where, const json_t *spec)
{
  static const char *const faults[] = {"refuse", "malformed", "never_finish", "inconsistent", NULL};
  const char *key;
  const json_t *v;
  if (!json_is_object(spec))
    return bad(path, where, "must be an object");
  json_object_foreach((json_t *)spec, key, v) {
    if (strcmp(key, "format") == 0) {
      if (!json_is_string(v) || (strcmp(json_string_value(v), "tlv") != 0 &&
                                 strcmp(json_string_value(v), "senml") != 0))
        return bad(path, where, "\"format\" must be \"tlv\" or \"senml\"");
    } else if (strcmp(key, "fault") == 0) {
      bool ok = false;
      for (size_t i = 0; faults[i] != NULL && json_is_string(v); i++)
        ok = ok || strcmp(json_string_value(v), faults[i]) == 0;
      if (!ok)
        return bad(path, where, "\"fault\" must be refuse, malformed, never_finish or inconsistent");
    } else if (strcmp(key, "delete") == 0) {
      size_t i;
      const json_t *d;
      if (!json_is_array(v))
        return bad(path, where, "\"delete\" must be an array of paths");
      json_array_foreach(v, i, d) {
        if (!lw_path_ok(json_string_value(d), 0, 2))
          return bad(path, where, "a \"delete\" path must be \"/\", \"/o\" or \"/o/i\"");
      }
    } else if (strcmp(key, "write") == 0) {
      size_t i;
      const json_t *w;
      if (!json_is_array(v))
        return bad(path, where, "\"write\" must be an array");
      json_array_foreach(v, i, w) {
        const json_t *vals = json_object_get(w, "values");
        const json_t *raw = json_object_get(w, "raw"), *rawh = json_object_get(w, "raw_hex");
        const char *wk;
        const json_t *wv;
        if (!json_is_object(w))
          return bad(path, where, "a \"write\" entry must be an object");
        json_object_foreach((json_t *)w, wk, wv) {
          if (strcmp(wk, "path") != 0 && strcmp(wk, "values") != 0 && strcmp(wk, "raw") != 0 &&
              strcmp(wk, "raw_hex") != 0 && strcmp(wk, "format") != 0 && strcmp(wk, "comment") != 0)
            return bad(path, where, "a \"write\" entry has an unknown key");
        }
        if ((vals != NULL) + (raw != NULL) + (rawh != NULL) != 1)
          return bad(path, where, "a \"write\" entry has exactly one of values, raw, raw_hex");
        if (!lw_path_ok(json_string_value(json_object_get(w, "path")), 1,
                        vals != NULL ? 2 : 4) ||
            (vals != NULL && !lw_path_ok(json_string_value(json_object_get(w, "path")), 2, 2)))
          return bad(path, where, "a \"write\" path must be \"/o/i\" (values) or any LwM2M path (raw)");
        if (raw != NULL && !json_is_string(raw))
          return bad(path, where, "\"raw\" must be a string");
        if (rawh != NULL && (!json_is_string(rawh) || json_string_length(rawh) % 2 != 0 ||
                             strspn(json_string_value(rawh), "0123456789abcdefABCDEF") !=
                                 json_string_length(rawh)))
          return bad(path, where, "\"raw_hex\" must be an even number of hexadecimal digits");
        if (vals != NULL) {
          const char *rk;
          const json_t *rv;
          if (!json_is_object(vals) || json_object_size(vals) == 0)
            return bad(path, where, "\"values\" must be a non-empty object {\"<resource ID>\": value}");
          json_object_foreach((json_t *)vals, rk, rv) {
            if (strspn(rk, "0123456789") != strlen(rk) || strlen(rk) == 0 || strlen(rk) > 5 ||
                !value_ok(rv, false))
              return bad(path, where, "a value must be a string, integer, boolean, {\"hex\":...} "
                                      "or an array of those, under a numeric resource ID");
          }
        }
      }
    } else if (strcmp(key, "comment") != 0) {
      return bad(path, where, "unknown key");
    }
  }
  const char *f = json_string_value(json_object_get(spec, "fault"));
  if (f != NULL && strcmp(f, "malformed") == 0 && json_array_size(json_object_get(spec, "write")) == 0)
    return bad(path, where, "fault \"malformed\" needs at least one write");
  return 0;
}
