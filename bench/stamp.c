/* Times a client's command cycles from outside: reads the client's log on
 * stdin, stamps each line that contains PATTERN on arrival (the client
 * writes its log unbuffered), and prints the median and 99th percentile of
 * the intervals between consecutive such lines, skipping the first SKIP.
 * Usage: stamp PATTERN SKIP */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
  char line[4096];
  size_t n = 0, cap = 1024, seen = 0;
  double prev = 0;
  double *d = malloc(cap * sizeof *d);
  if (argc != 3 || d == NULL) {
    fprintf(stderr, "usage: stamp PATTERN SKIP\n");
    return 2;
  }
  size_t skip = (size_t)atol(argv[2]);
  while (fgets(line, sizeof line, stdin) != NULL) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double t = (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
    if (strstr(line, argv[1]) == NULL)
      continue;
    if (seen++ > skip) {
      if (n == cap) {
        double *p = realloc(d, 2 * cap * sizeof *d);
        if (p == NULL)
          return 1;
        d = p;
        cap *= 2;
      }
      d[n++] = t - prev;
    }
    prev = t;
  }
  if (n == 0) {
    printf("cycles=0\n");
    return 1;
  }
  qsort(d, n, sizeof d[0], cmp_double);
  printf("cycles=%zu p50_us=%.1f p99_us=%.1f\n", n, d[n / 2], d[(n * 99) / 100]);
  free(d);
  return 0;
}
