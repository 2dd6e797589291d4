/* libFuzzer differential harness: the core's JSON reader against a grammar
 * oracle written from RFC 8259 (json_grammar_oracle.h). abort() when one
 * accepts what the other rejects, on an error code the oracle does not allow,
 * or when accepted documents differ in tokens (type, count, integer value). */
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
  int rc = mefc_json_parse(data, size, &doc);
  jg_json_text(data, size, &want);
  if (!want.ok) {
    check(rc != MEFC_JSON_OK);
    check(rc > MEFC_JSON_OK && rc <= MEFC_JSON_E_TOO_LARGE);
    check((want.codes & JG_BIT(rc)) != 0);
    return 0;
  }
  check(rc == MEFC_JSON_OK);
  check(doc.ntok == want.ntok);
  check(doc.tok[0].type == want.type[0]);
  for (uint32_t i = 0; i < doc.ntok; i++) {
    check(doc.tok[i].type == want.type[i]);
    check(doc.tok[i].count == want.count[i]);
    check(doc.tok[i].ival == want.ival[i]);
  }
  return 0;
}
