/* libFuzzer harness for the LwM2M TLV decoder of the bootstrap client
 * (src/shell/lwm2m_tlv.c, built here with the core only). The first byte
 * picks the written path (depth 1..4, low identifiers), the rest is the
 * payload. Aborts when a decoded record breaks an invariant: values inside
 * the payload, records under the written path, at most LW_RECS_MAX, each
 * resource named once, and no records at all after an error. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../src/shell/lwm2m_data.c"
#include "../src/shell/lwm2m_tlv.c"
#include "lwm2m_fuzz_path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lw_recs recs;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  lw_path p = lwm2m_fuzz_path(data[0]);
  const uint8_t *b = data + 1;
  size_t n = size - 1;
  int r = lw_tlv_decode(b, n, &p, &recs);
  if (r != LW_OK) {
    if (recs.n != 0 || (r != LW_E_MALFORMED && r != LW_E_LIMIT && r != LW_E_PATH))
      abort();
    return 0;
  }
  if (recs.n == 0 || recs.n > LW_RECS_MAX || lw_recs_unique(&recs) != LW_OK)
    abort();
  for (uint32_t i = 0; i < recs.n; i++) {
    const lw_rec *v = &recs.v[i];
    if (v->kind != LW_K_RAW || v->p < b || v->n > n || v->p + v->n > b + n)
      abort();
    if (v->obj != p.id[0] || v->res > LW_ID_MAX || v->inst > LW_ID_MAX)
      abort();
    if (p.depth >= 2 && v->inst != p.id[1])
      abort();
    if (p.depth >= 3 && v->res != p.id[2])
      abort();
    if (p.depth == 4 && v->riid != p.id[3])
      abort();
    if (v->riid != LW_NONE && v->riid > LW_ID_MAX)
      abort();
  }
  return 0;
}
