/* Durable state of the client in its state directory: the core's record
 * (record.json) and the last MEF Client Registration (registration.json).
 * A file that is torn, of an unknown version or invalid is an error, never a
 * silent reset: the operator decides what to do with it. */
#ifndef MEFC_SHELL_STATE_STORE_H
#define MEFC_SHELL_STATE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "mefc/command.h"

#define STATE_RECORD_FILE "record.json"
#define STATE_REG_FILE "registration.json"
#define STATE_VERSION 1

/* Load the record. A missing file is a first start: *rec is the NONE record
 * and *existed is 0. Returns 0, or -1 with a message in err. */
int state_load_record(const char *dir, mefc_record *rec, int *existed, char *err, size_t cap);

/* Write the record atomically (fsync, rename, fsync of dir, mode 0600). The
 * record must satisfy mefc_record_valid. Returns 0, or -1 with a message. */
int state_save_record(const char *dir, const mefc_record *rec, char *err, size_t cap);

typedef struct {
  char reg_id[256];     /* MEFClientRegID ("ri") */
  char name[256];       /* resource name ("rn") */
  char cmd_path[512];   /* path of <mefClientCmd>, without leading '/' */
  char et[64];          /* expirationTime granted ("et"), may be empty */
  char mci[256];        /* MEF Client ID ("mci"), may be empty */
  long long registered_at; /* seconds since the epoch */
} state_registration;

int state_save_registration(const char *dir, const state_registration *reg, char *err, size_t cap);

/* Returns 0 (loaded), 1 (no registration yet) or -1 with a message. */
int state_load_registration(const char *dir, state_registration *reg, char *err, size_t cap);

/* The record in the JSON form of client_json ({"cmd_id","phase","status","class"}). */
const char *state_phase_name(uint32_t phase);

#endif
