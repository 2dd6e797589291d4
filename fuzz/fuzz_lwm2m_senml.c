/* libFuzzer harness for the LwM2M SenML JSON decoder of the bootstrap client
 * (src/shell/lwm2m_senml.c on the core's JSON reader). The first byte picks
 * the written path (depth 1..4), the rest is the payload. Aborts when a
 * decoded record breaks an invariant: string and data values inside the
 * decoder's buffer, records under the written path at resource depth, at
 * most LW_RECS_MAX, each resource named once, nothing after an error; and
 * base64 decoding never writes past its buffer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../src/shell/lwm2m_data.c"
#include "../src/shell/lwm2m_senml.c"
#include "lwm2m_fuzz_path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lw_recs recs;
static mefc_json_doc doc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  uint8_t small[8];
  if (size < 1)
    return 0;
  lw_path p = lwm2m_fuzz_path(data[0]);
  const uint8_t *b = data + 1;
  size_t n = size - 1;
  long bl = lw_base64_decode(b, n, small, sizeof small);
  if (bl > (long)sizeof small || bl < -1)
    abort();
  int r = lw_senml_decode(b, n, &p, &recs, &doc);
  if (r != LW_OK) {
    if (recs.n != 0 || (r != LW_E_MALFORMED && r != LW_E_LIMIT && r != LW_E_PATH))
      abort();
    return 0;
  }
  if (recs.n == 0 || recs.n > LW_RECS_MAX || recs.used > LW_BODY_MAX ||
      lw_recs_unique(&recs) != LW_OK)
    abort();
  for (uint32_t i = 0; i < recs.n; i++) {
    const lw_rec *v = &recs.v[i];
    if (v->kind == LW_K_STR || v->kind == LW_K_DATA) {
      if (v->p < recs.buf || v->p + v->n > recs.buf + recs.used)
        abort();
    } else if (v->kind != LW_K_INT && v->kind != LW_K_FLOAT && v->kind != LW_K_BOOL) {
      abort();
    }
    if (v->kind == LW_K_BOOL && v->i != 0 && v->i != 1)
      abort();
    for (uint32_t d = 0; d < p.depth; d++) {
      uint32_t got = d == 0 ? v->obj : d == 1 ? v->inst : d == 2 ? v->res : v->riid;
      if (got != p.id[d])
        abort();
    }
  }
  return 0;
}
