/* Loads the benchmark payloads from the language-neutral test vectors, so the
 * benchmark runs on the commands the conformance cases pin rather than on
 * invented ones. Identical client profiles are shared, as on a device. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "bench.h"
#include "shell/client_json.h"

static const char *const kinds[] = {"", "report", "execute", "wait", "retry"};

static const mefc_client *intern_profile(struct bench_set *s, const mefc_client *cli)
{
  for (size_t i = 0; i < s->n_profiles; i++) {
    if (memcmp(s->profiles[i], cli, sizeof *cli) == 0)
      return s->profiles[i];
  }
  if (s->n_profiles == s->cap_profiles) {
    size_t cap = s->cap_profiles ? 2 * s->cap_profiles : 16;
    mefc_client **p = realloc(s->profiles, cap * sizeof *p);
    if (p == NULL)
      return NULL;
    s->profiles = p;
    s->cap_profiles = cap;
  }
  mefc_client *copy = malloc(sizeof *copy);
  if (copy == NULL)
    return NULL;
  memcpy(copy, cli, sizeof *cli);
  s->profiles[s->n_profiles++] = copy;
  return copy;
}

/* A command a MEF sends in normal operation: its vector expects execute,
 * wait, or a report of OK (a local check that passed). */
static int wanted(const json_t *exp, uint32_t *kind, uint32_t *status)
{
  const char *d = json_string_value(json_object_get(exp, "decision"));
  if (d == NULL)
    return 0;
  for (uint32_t k = 1; k < sizeof kinds / sizeof kinds[0]; k++) {
    if (strcmp(d, kinds[k]) == 0)
      *kind = k;
  }
  *status = (uint32_t)json_integer_value(json_object_get(exp, "status"));
  return *kind == MEFC_DECIDE_EXECUTE || *kind == MEFC_DECIDE_WAIT ||
         (*kind == MEFC_DECIDE_REPORT && *status == MEFC_ST_OK);
}

static int add_case(struct bench_set *s, const json_t *c, mefc_client *scratch, const char *path)
{
  char err[MEFC_CJ_ERR_MAX];
  uint32_t kind = 0, status = 0;
  const json_t *resp = json_object_get(c, "response");
  if (!json_is_string(resp) || !wanted(json_object_get(c, "expect"), &kind, &status))
    return 0;
  /* An escaped NUL is legal JSON but no baseline keeps it (cJSON ends the
   * string there): such a case measures a refusal, not a command. */
  if (strstr(json_string_value(resp), "\\u0000") != NULL)
    return 0;
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 64;
    struct bench_case *p = realloc(s->c, cap * sizeof *p);
    if (p == NULL)
      return -1;
    s->c = p;
    s->cap = cap;
  }
  struct bench_case *bc = &s->c[s->n];
  memset(bc, 0, sizeof *bc);
  if (mefc_client_from_json(json_object_get(c, "client"), json_object_get(c, "mo"), scratch, err,
                            sizeof err) != 0 ||
      mefc_record_from_json(json_object_get(c, "record"), &bc->rec, err, sizeof err) != 0) {
    fprintf(stderr, "bench: %s: %s\n", path, err);
    return -1;
  }
  bc->cli = intern_profile(s, scratch);
  bc->len = json_string_length(resp);
  bc->buf = malloc(bc->len);
  if (bc->cli == NULL || bc->buf == NULL)
    return -1;
  memcpy(bc->buf, json_string_value(resp), bc->len);
  bc->want_kind = kind;
  bc->want_status = status;
  bc->class_id = MEFC_NONE; /* filled by the caller from the core's decision */
  s->n++;
  return 0;
}

int bench_load(struct bench_set *s, int nfiles, char **files)
{
  mefc_client *scratch = malloc(sizeof *scratch);
  int rc = 0;
  memset(s, 0, sizeof *s);
  if (scratch == NULL)
    return -1;
  for (int i = 0; i < nfiles && rc == 0; i++) {
    json_error_t jerr;
    json_t *root = json_load_file(files[i], JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
      fprintf(stderr, "bench: %s: %s\n", files[i], jerr.text);
      rc = -1;
      break;
    }
    size_t n = json_is_array(root) ? json_array_size(root) : 1u;
    for (size_t k = 0; k < n && rc == 0; k++)
      rc = add_case(s, json_is_array(root) ? json_array_get(root, k) : root, scratch, files[i]);
    json_decref(root);
  }
  free(scratch);
  return rc;
}
