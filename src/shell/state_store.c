/* The durable record and registration files. The record uses the JSON form
 * that client_json reads ({"cmd_id","phase","status","class"}) inside a
 * versioned envelope, and is validated with the core's mefc_record_valid
 * after loading, so the engine only ever starts from a record it accepts. */
#include "state_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client_json.h"
#include "fsutil.h"
#include "mefc/engine.h"

#define STATE_FILE_MAX 65536u

const char *state_phase_name(uint32_t phase)
{
  switch (phase) {
  case MEFC_PHASE_NONE:
    return "none";
  case MEFC_PHASE_STARTED:
    return "started";
  case MEFC_PHASE_DONE:
    return "done";
  case MEFC_PHASE_REPORTED:
    return "reported";
  default:
    return "?";
  }
}

/* Read dir/name as a JSON object with "format": fmt and "version": 1. */
static json_t *load_envelope(const char *dir, const char *name, const char *fmt, int *missing,
                             char *err, size_t cap)
{
  char *path = fsu_join(dir, name);
  uint8_t *buf;
  size_t len;
  json_error_t je;
  json_t *root = NULL;
  char ferr[384];

  *missing = 0;
  if (path == NULL) {
    snprintf(err, cap, "out of memory");
    return NULL;
  }
  int r = fsu_read_file(path, STATE_FILE_MAX, 1, &buf, &len, ferr, sizeof ferr);
  if (r == 1) {
    *missing = 1;
    free(path);
    return NULL;
  }
  if (r != 0) {
    snprintf(err, cap, "state file: %s", ferr);
    free(path);
    return NULL;
  }
  root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
  free(buf);
  if (root == NULL) {
    snprintf(err, cap,
             "state file %s is damaged (%s at line %d) - refusing to guess; move it away to "
             "start from no record",
             path, je.text, je.line);
    free(path);
    return NULL;
  }
  json_t *f = json_object_get(root, "format");
  json_t *v = json_object_get(root, "version");
  if (!json_is_object(root) || !json_is_string(f) || strcmp(json_string_value(f), fmt) != 0) {
    snprintf(err, cap, "state file %s is not a %s file", path, fmt);
    json_decref(root);
    root = NULL;
  } else if (!json_is_integer(v) || json_integer_value(v) != STATE_VERSION) {
    snprintf(err, cap, "state file %s has version %lld; this mefc reads version %d only", path,
             json_is_integer(v) ? (long long)json_integer_value(v) : -1LL, STATE_VERSION);
    json_decref(root);
    root = NULL;
  }
  free(path);
  return root;
}

static int save_json(const char *dir, const char *name, json_t *root, char *err, size_t cap)
{
  char *s = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
  if (s == NULL) {
    snprintf(err, cap, "cannot serialise %s", name);
    return -1;
  }
  size_t n = strlen(s);
  /* json_dumps escapes NUL inside strings, so strlen is the full length. */
  char *line = malloc(n + 2);
  if (line == NULL) {
    free(s);
    snprintf(err, cap, "out of memory");
    return -1;
  }
  memcpy(line, s, n);
  line[n] = '\n';
  free(s);
  int r = fsu_write_atomic(dir, name, line, n + 1, err, cap);
  free(line);
  return r;
}

int state_load_record(const char *dir, mefc_record *rec, int *existed, char *err, size_t cap)
{
  int missing;
  char cerr[MEFC_CJ_ERR_MAX];
  json_t *root = load_envelope(dir, STATE_RECORD_FILE, "mefc-record", &missing, err, cap);

  memset(rec, 0, sizeof *rec);
  *existed = 0;
  if (root == NULL) {
    if (missing) {
      rec->phase = MEFC_PHASE_NONE;
      return 0;
    }
    return -1;
  }
  *existed = 1;
  json_t *r = json_object_get(root, "record");
  if (r == NULL || mefc_record_from_json(r, rec, cerr, sizeof cerr) != 0) {
    snprintf(err, cap, "state file %s/%s: %s", dir, STATE_RECORD_FILE,
             r == NULL ? "no \"record\" member" : cerr);
    json_decref(root);
    return -1;
  }
  json_decref(root);
  if (!mefc_record_valid(rec)) {
    snprintf(err, cap, "state file %s/%s: the record is not one the engine can start from", dir,
             STATE_RECORD_FILE);
    return -1;
  }
  return 0;
}

int state_save_record(const char *dir, const mefc_record *rec, char *err, size_t cap)
{
  if (!mefc_record_valid(rec)) {
    snprintf(err, cap, "refusing to persist an invalid record (phase %u)", rec->phase);
    return -1;
  }
  json_t *r = json_object();
  json_object_set_new(r, "phase", json_string(state_phase_name(rec->phase)));
  if (rec->phase != MEFC_PHASE_NONE) {
    json_t *id = json_stringn((const char *)rec->id.b, rec->id.len);
    if (id == NULL) {
      json_decref(r);
      snprintf(err, cap, "cmdID is not valid UTF-8; cannot persist it");
      return -1;
    }
    json_object_set_new(r, "cmd_id", id);
  }
  if (rec->phase == MEFC_PHASE_DONE || rec->phase == MEFC_PHASE_REPORTED)
    json_object_set_new(r, "status", json_integer(rec->status));
  if (rec->phase == MEFC_PHASE_STARTED)
    json_object_set_new(r, "class", json_integer(rec->class_id));
  json_t *root = json_pack("{s:s, s:i, s:o}", "format", "mefc-record", "version", STATE_VERSION,
                           "record", r);
  int rc = save_json(dir, STATE_RECORD_FILE, root, err, cap);
  json_decref(root);
  return rc;
}

static int copy_field(json_t *o, const char *key, char *dst, size_t dcap, int required,
                      const char *file, char *err, size_t cap)
{
  json_t *v = json_object_get(o, key);
  dst[0] = '\0';
  if (v == NULL && !required)
    return 0;
  if (!json_is_string(v) || json_string_length(v) >= dcap ||
      strlen(json_string_value(v)) != json_string_length(v)) {
    snprintf(err, cap, "state file %s: \"%s\" missing or invalid", file, key);
    return -1;
  }
  memcpy(dst, json_string_value(v), json_string_length(v) + 1);
  return 0;
}

int state_save_registration(const char *dir, const state_registration *reg, char *err, size_t cap)
{
  json_t *root = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:I}", "format",
                           "mefc-registration", "version", STATE_VERSION, "reg_id", reg->reg_id,
                           "name", reg->name, "cmd_path", reg->cmd_path, "et", reg->et, "mci",
                           reg->mci, "registered_at", (json_int_t)reg->registered_at);
  if (root == NULL) {
    snprintf(err, cap, "registration holds a value that is not valid UTF-8");
    return -1;
  }
  int rc = save_json(dir, STATE_REG_FILE, root, err, cap);
  json_decref(root);
  return rc;
}

int state_load_registration(const char *dir, state_registration *reg, char *err, size_t cap)
{
  int missing;
  json_t *root = load_envelope(dir, STATE_REG_FILE, "mefc-registration", &missing, err, cap);
  memset(reg, 0, sizeof *reg);
  if (root == NULL)
    return missing ? 1 : -1;
  int rc = 0;
  if (copy_field(root, "reg_id", reg->reg_id, sizeof reg->reg_id, 1, STATE_REG_FILE, err, cap) ||
      copy_field(root, "name", reg->name, sizeof reg->name, 1, STATE_REG_FILE, err, cap) ||
      copy_field(root, "cmd_path", reg->cmd_path, sizeof reg->cmd_path, 1, STATE_REG_FILE, err,
                 cap) ||
      copy_field(root, "et", reg->et, sizeof reg->et, 0, STATE_REG_FILE, err, cap) ||
      copy_field(root, "mci", reg->mci, sizeof reg->mci, 0, STATE_REG_FILE, err, cap))
    rc = -1;
  json_t *t = json_object_get(root, "registered_at");
  if (rc == 0 && json_is_integer(t))
    reg->registered_at = (long long)json_integer_value(t);
  json_decref(root);
  return rc;
}
