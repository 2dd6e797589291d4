/* Replays fuzz inputs through a libFuzzer harness without libFuzzer, so the
 * seed corpora and crash reproducers run under gcc with sanitizers in
 * `make check`. Arguments are files or directories of files. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Harnesses with a custom mutator reference libFuzzer's mutator; replay never
 * mutates, so a weak definition that leaves the input unchanged links them. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) __attribute__((weak));
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) {
  (void)data;
  (void)max_size;
  return size;
}

static int replay_file(const char *path, unsigned long *count) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "replay: cannot open %s\n", path);
    return -1;
  }
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 4096;
      uint8_t *nb = realloc(buf, cap);
      if (nb == NULL) {
        free(buf);
        fclose(f);
        return -1;
      }
      buf = nb;
    }
    size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0) break;
  }
  fclose(f);
  /* Copy into an exact-size allocation so ASan catches reads past the input. */
  uint8_t *exact = malloc(len ? len : 1);
  if (exact == NULL) {
    free(buf);
    return -1;
  }
  if (len) memcpy(exact, buf, len);
  free(buf);
  LLVMFuzzerTestOneInput(exact, len);
  free(exact);
  (*count)++;
  return 0;
}

static int replay_path(const char *path, unsigned long *count) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "replay: no such file or directory: %s\n", path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) return replay_file(path, count);
  DIR *d = opendir(path);
  if (d == NULL) return -1;
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    size_t n = strlen(path) + strlen(e->d_name) + 2;
    char *p = malloc(n);
    if (p == NULL) {
      rc = -1;
      break;
    }
    snprintf(p, n, "%s/%s", path, e->d_name);
    if (replay_file(p, count) != 0) rc = -1;
    free(p);
  }
  closedir(d);
  return rc;
}

int main(int argc, char **argv) {
  unsigned long count = 0;
  int rc = 0;
  for (int i = 1; i < argc; i++)
    if (replay_path(argv[i], &count) != 0) rc = 1;
  printf("replayed %lu inputs\n", count);
  if (count == 0) {
    fprintf(stderr, "replay: no inputs\n");
    rc = 1;
  }
  return rc;
}
