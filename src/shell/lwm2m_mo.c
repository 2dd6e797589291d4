/* The bootstrapped MO nodes joined to the configured tree (lwm2m_store.h,
 * ruling I-48): a node with a configured node's path replaces it in place,
 * the others follow, parents first; at load from the stored file. */
#include "lwm2m_store.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m_objects.h"


static const char *path_of(const json_t *node)
{
  return json_string_value(json_object_get(node, "path"));
}

json_t *lw_mo_merge(const json_t *configured, const json_t *boot)
{
  json_t *out = configured != NULL ? json_deep_copy(configured) : json_array();
  json_t *pending = json_array();
  size_t i;
  json_t *b;
  if (out == NULL || pending == NULL) {
    json_decref(out);
    json_decref(pending);
    return NULL;
  }
  json_array_foreach(boot, i, b) {
    const char *p = path_of(b);
    bool replaced = false;
    for (size_t j = 0; p != NULL && j < json_array_size(out) && !replaced; j++) {
      const char *q = path_of(json_array_get(out, j));
      if (q != NULL && strcmp(p, q) == 0) {
        json_array_set(out, j, b);
        replaced = true;
      }
    }
    if (!replaced)
      json_array_append(pending, b);
  }
  /* Appended parents first; what never becomes ready (a cycle, a missing
   * parent) goes last, for the MO checks to name. */
  while (json_array_size(pending) > 0) {
    bool moved = false;
    for (size_t k = 0; k < json_array_size(pending); k++) {
      const char *par = json_string_value(json_object_get(json_array_get(pending, k), "parent"));
      bool waits = false;
      for (size_t m = 0; par != NULL && m < json_array_size(pending) && !waits; m++) {
        const char *q = path_of(json_array_get(pending, m));
        waits = m != k && q != NULL && strcmp(par, q) == 0;
      }
      if (!waits) {
        json_array_append(out, json_array_get(pending, k));
        json_array_remove(pending, k);
        moved = true;
        break;
      }
    }
    if (!moved) {
      json_array_extend(out, pending);
      json_array_clear(pending);
    }
  }
  json_decref(pending);
  return out;
}

int lw_mo_load(const char *state_dir, const json_t *configured, json_t **merged, char *err,
               size_t cap)
{
  uint8_t *buf = NULL;
  size_t len = 0;
  *merged = NULL;
  int r = lw_store_read(state_dir, &buf, &len, err, cap);
  if (r < 0)
    return -1;
  if (r == 1) {
    if (configured != NULL && (*merged = json_deep_copy(configured)) == NULL)
      return lw_say(err, cap, -1, "out of memory");
    return 0;
  }
  json_error_t je;
  json_t *root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
  free(buf);
  json_t *mo = json_object_get(root, "mo");
  if (root == NULL || json_integer_value(json_object_get(root, "version")) != LW_STORE_VERSION ||
      !json_is_array(mo)) {
    json_decref(root);
    return lw_say(err, cap, -1, "state %s: not a version %d LwM2M store with an \"mo\" array",
               LW_STORE_FILE, LW_STORE_VERSION);
  }
  *merged = lw_mo_merge(configured, mo);
  json_decref(root);
  return *merged == NULL ? lw_say(err, cap, -1, "out of memory") : 0;
}
