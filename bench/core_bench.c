/* Core throughput benchmark: decode + verify + decide (mefc_decide) on the
 * realistic payloads of the test vectors, per command class, against cJSON,
 * jsmn with hand code, and a byte-touch floor; heap allocations of each.
 * Usage: core_bench [--smoke] VECTOR_FILE...  (--smoke: a short run that
 * checks the results are sane and exits non-zero when they are not). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

enum { M_CORE, M_CJSON, M_JSMN, M_FLOOR, M_COUNT };
static const char *const method_name[M_COUNT] = {"core", "cJSON", "jsmn", "floor"};
static const char *const class_name[4] = {"NO_MORE_COMMANDS", "CERT_PROV", "DEV_CFG", "MO_NODE"};

static mefc_json_doc doc;      /* the core's caller-owned scratch */
static mefc_decision decision; /* and its result */
static volatile uint64_t sink; /* keeps every contender's result alive */

static uint64_t run_one(int m, const struct bench_case *c)
{
  struct bench_fields f;
  switch (m) {
  case M_CORE:
    mefc_decide(c->cli, &c->rec, c->buf, c->len, &doc, &decision);
    return decision.kind + decision.status + decision.id.len;
  case M_CJSON:
    return (uint64_t)bench_cjson(c->buf, c->len, &f) + f.id_len;
  case M_JSMN:
    return (uint64_t)bench_jsmn(c->buf, c->len, &f) + f.id_len;
  default: {
    /* One scalar pass touching each byte; the empty asm makes every byte's
     * load observable, so the loop is neither dropped nor vectorised. */
    uint64_t acc = 0;
    for (size_t i = 0; i < c->len; i++) {
      acc += c->buf[i];
      __asm__ volatile("" : "+r"(acc));
    }
    return acc;
  }
  }
}

static double now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Time of `reps` passes over the cases, in ns. */
static double timed(int m, struct bench_case *const *cs, size_t n, unsigned long reps)
{
  uint64_t acc = 0;
  double t0 = now_ns();
  for (unsigned long r = 0; r < reps; r++) {
    for (size_t i = 0; i < n; i++)
      acc += run_one(m, cs[i]);
  }
  double t = now_ns() - t0;
  sink += acc;
  return t;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median over `runs` runs of ns per command; each run lasts about run_ms. */
static double median_ns(int m, struct bench_case *const *cs, size_t n, int runs, double run_ms)
{
  double t[32] = {0};
  unsigned long reps = 1;
  double one = timed(m, cs, n, 1); /* also warms caches and branch predictors */
  if (one > 0)
    reps = (unsigned long)(run_ms * 1e6 / one) + 1u;
  for (int r = 0; r < runs; r++)
    t[r] = timed(m, cs, n, reps) / (double)(reps * n);
  qsort(t, (size_t)runs, sizeof t[0], cmp_double);
  return t[runs / 2];
}

/* Each contender on each case once: the core must take its vector's decision
 * and the baselines must read the same command ID and class. */
static int check_cases(struct bench_set *s, size_t *skipped)
{
  int bad = 0;
  for (size_t i = 0; i < s->n; i++) {
    struct bench_case *c = &s->c[i];
    struct bench_fields f;
    mefc_decide(c->cli, &c->rec, c->buf, c->len, &doc, &decision);
    c->class_id = decision.class_id;
    if (decision.kind != c->want_kind ||
        (c->want_kind == MEFC_DECIDE_REPORT && decision.status != c->want_status)) {
      fprintf(stderr, "core_bench: case %zu: core decided kind %u status %u class %u\n", i,
              decision.kind, decision.status, decision.class_id);
      bad = 1;
      continue;
    }
    /* A re-report of a finished command is decided before its class is read. */
    if (c->class_id > MEFC_CLASS_MO_NODE) {
      (*skipped)++;
      continue;
    }
    for (int m = M_CJSON; m <= M_JSMN; m++) {
      memset(&f, 0, sizeof f);
      int rc = m == M_CJSON ? bench_cjson(c->buf, c->len, &f) : bench_jsmn(c->buf, c->len, &f);
      if (rc != 0 || f.ccid != (int64_t)c->class_id || f.id_len != decision.id.len ||
          memcmp(f.id, decision.id.b, f.id_len) != 0) {
        fprintf(stderr, "core_bench: case %zu: %s read other fields than the core: %.*s\n", i,
                method_name[m], (int)c->len, (const char *)c->buf);
        bad = 1;
      }
    }
  }
  return bad;
}

static const char *verdict(int met)
{
  return met ? "met" : "NOT MET";
}

int main(int argc, char **argv)
{
  struct bench_set s;
  int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
  int first = 1 + smoke;
  int runs = smoke ? 3 : 9;
  double run_ms = smoke ? 2.0 : 60.0;
  int fail = 0;

  if (argc <= first) {
    fprintf(stderr, "usage: core_bench [--smoke] VECTOR_FILE...\n");
    return 2;
  }
  if (bench_load(&s, argc - first, argv + first) != 0 || s.n == 0) {
    fprintf(stderr, "core_bench: no payloads\n");
    return 1;
  }
  size_t skipped = 0;
  if (check_cases(&s, &skipped) != 0)
    return 1;

  struct bench_case **by_class = malloc(s.n * sizeof *by_class);
  if (by_class == NULL)
    return 1;
  printf("Core throughput: mefc_decide (decode+verify+decide) on %zu payloads of spec/vectors "
         "(%zu client profiles), median of %d runs\n", s.n - skipped, s.n_profiles, runs);
  printf("%-17s %5s %6s  %-6s %9s %8s %11s   %s\n", "class", "cmds", "bytes", "method", "ns/cmd",
         "MB/s", "allocs/cmd", "core ratio (time)");
  for (uint32_t cl = 0; cl <= MEFC_CLASS_MO_NODE; cl++) {
    size_t n = 0, bytes = 0;
    for (size_t i = 0; i < s.n; i++) {
      if (s.c[i].class_id == cl) {
        by_class[n++] = &s.c[i];
        bytes += s.c[i].len;
      }
    }
    if (n == 0) {
      printf("%-17s no payload\n", class_name[cl]);
      fail = 1;
      continue;
    }
    double ns[M_COUNT];
    for (int m = 0; m < M_COUNT; m++) {
      unsigned long allocs, frees;
      heap_count_start();
      (void)timed(m, by_class, n, 1);
      heap_count_stop(&allocs, &frees);
      ns[m] = median_ns(m, by_class, n, runs, run_ms);
      double mbs = (double)bytes / (double)n / ns[m] * 1e3;
      char ratio[64] = "";
      if (m == M_CJSON)
        snprintf(ratio, sizeof ratio, "core/cJSON %.2f (target <= 0.20: %s)", ns[M_CORE] / ns[m],
                 verdict(ns[M_CORE] * 5.0 <= ns[m]));
      else if (m == M_JSMN)
        snprintf(ratio, sizeof ratio, "core/jsmn  %.2f", ns[M_CORE] / ns[m]);
      else if (m == M_FLOOR)
        snprintf(ratio, sizeof ratio, "core/floor %.2f (target <= 4: %s)", ns[M_CORE] / ns[m],
                 verdict(ns[M_CORE] <= 4.0 * ns[m]));
      else
        snprintf(ratio, sizeof ratio, "heap (target 0: %s)", verdict(allocs == 0));
      if (m == M_CORE)
        printf("%-17s %5zu %6zu", class_name[cl], n, bytes / n);
      else
        printf("%-17s %5s %6s", "", "", "");
      printf("  %-6s %9.1f %8.1f %11.2f   %s\n", method_name[m], ns[m], mbs,
             (double)allocs / (double)n, ratio);
      if (m == M_CORE && allocs != 0)
        fail = 1;
      if (!(ns[m] > 0.0))
        fail = 1;
    }
  }
  free(by_class);
  return fail;
}
