/* libFuzzer differential harness: the core's JSON reader against a grammar
 * oracle written from RFC 8259 (json_grammar_oracle.h). abort() when one
 * accepts what the other rejects, on an error code other than the one the
 * oracle derives from json.h's precedence, or when accepted documents differ
 * in any token field or string value. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mefc/json.h"
#include "json_grammar_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok) {
  if (!ok) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mefc_json_doc doc;
  static jg_result want;
  static uint8_t got_str[MEFC_PAYLOAD_MAX], want_str[MEFC_PAYLOAD_MAX];
  int rc = mefc_json_parse(data, size, &doc);
  jg_json_text(data, size, &want);
  if (!want.ok) {
    check(rc == want.code);
    return 0;
  }
  check(rc == MEFC_JSON_OK);
  check(doc.ntok == want.ntok);
  for (uint32_t i = 0; i < doc.ntok; i++) {
    const mefc_json_tok *g = &doc.tok[i];
    const jg_tok *w = &want.tok[i];
    check(g->type == w->type && g->start == w->start && g->end == w->end);
    check(g->parent == w->parent && g->next == w->next && g->count == w->count);
    check(g->ival == w->ival);
    if (g->type == MEFC_JSON_STRING) {
      /* The value: the reader's unescaping against the oracle's. */
      size_t got = 0, exp = jg_unescape(data, w->start, w->end, want_str);
      check(mefc_json_str_copy(data, size, g, got_str, sizeof got_str, &got));
      check(got == exp && memcmp(got_str, want_str, exp) == 0);
    }
  }
  return 0;
}
