/* Shared declarations of the core throughput benchmark: the payload cases taken
 * from the test vectors, the fields every contender extracts, and the heap
 * counter the benchmark interposes on malloc. */
#ifndef MEFC_BENCH_H
#define MEFC_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mefc/mefc.h"

/* One realistic command: a payload a MEF would send, with the client profile
 * and durable record of its vector case, and what the core must decide. */
struct bench_case {
  const mefc_client *cli; /* shared between cases with the same profile */
  mefc_record rec;
  uint8_t *buf;
  size_t len;
  uint32_t class_id;
  uint32_t want_kind;   /* enum mefc_decision_kind */
  uint32_t want_status; /* REPORT only */
};

struct bench_set {
  struct bench_case *c;
  size_t n, cap;
  mefc_client **profiles;
  size_t n_profiles, cap_profiles;
};

/* Load every case of the vector files whose command is one a MEF sends in
 * normal operation (the client executes it, waits, or reports OK).
 * Returns 0, or -1 with a message on stderr. */
int bench_load(struct bench_set *s, int nfiles, char **files);

/* The fields of a command every contender extracts (the core's own result
 * is its mefc_decision). Strings are unescaped copies. */
struct bench_fields {
  uint8_t id[MEFC_CMD_ID_MAX];
  size_t id_len;
  int64_t mccs;
  int64_t ccid;
  int64_t num[3];                 /* cppi, cst | otyp, suid */
  uint8_t str[2][MEFC_URI_MAX + 8u]; /* uri, csi | dcu ("<devMgmtID>:" + URI) | rdu | ajop */
  size_t str_len[2];
  uint8_t tgi[MEFC_ID_MAX];
  size_t tgi_len;
  bool has_tgi;
};

/* Each returns 0 when the payload held every field its class needs. */
int bench_cjson(const uint8_t *buf, size_t len, struct bench_fields *f);
int bench_jsmn(const uint8_t *buf, size_t len, struct bench_fields *f);

/* heap_count.c: calls to malloc, calloc, realloc (and frees) made while
 * counting is on, by anything in the process. */
void heap_count_start(void);
void heap_count_stop(unsigned long *allocs, unsigned long *frees);

#endif
