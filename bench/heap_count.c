/* Counts heap allocations by interposing malloc, calloc, realloc and free in
 * the benchmark executable (glibc resolves every library's calls to these
 * definitions) and forwarding to glibc's own implementations. */
#include <stddef.h>
#include "bench.h"

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t k, size_t n);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);
void *malloc(size_t n);
void *calloc(size_t k, size_t n);
void *realloc(void *p, size_t n);
void free(void *p);

static int counting;
static unsigned long n_alloc, n_free;

void *malloc(size_t n)
{
  n_alloc += (unsigned long)counting;
  return __libc_malloc(n);
}

void *calloc(size_t k, size_t n)
{
  n_alloc += (unsigned long)counting;
  return __libc_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
  n_alloc += (unsigned long)counting;
  return __libc_realloc(p, n);
}

void free(void *p)
{
  n_free += (unsigned long)(counting && p != NULL);
  __libc_free(p);
}

void heap_count_start(void)
{
  n_alloc = 0;
  n_free = 0;
  counting = 1;
}

void heap_count_stop(unsigned long *allocs, unsigned long *frees)
{
  counting = 0;
  *allocs = n_alloc;
  *frees = n_free;
}
