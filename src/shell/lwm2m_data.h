/* LwM2M payloads as the bootstrap client sees them: paths (/obj/inst/res/riid)
 * and the flat list of values a Write carries, filled by the TLV (11542) and
 * SenML JSON (110) decoders. libc and the core's JSON reader only, so the fuzz
 * targets build these files without the rest of the shell. */
#ifndef MEFC_SHELL_LWM2M_DATA_H
#define MEFC_SHELL_LWM2M_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "mefc/json.h"

#define LW_NONE 0xFFFFFFFFu
#define LW_ID_MAX 65534u    /* 65535 is reserved by LwM2M (MAX_ID) */
#define LW_RECS_MAX 64u     /* values in one Write: the client's own limit */
#define LW_BODY_MAX 4096u   /* bytes of one Write payload: the client's own limit */

/* Decoder results. MALFORMED: the bytes break the format (the server's
 * fault); LIMIT: well-formed but past this client's capacity; PATH: a value
 * names a path outside the one the request targets. */
enum lw_err { LW_OK = 0, LW_E_MALFORMED = -1, LW_E_LIMIT = -2, LW_E_PATH = -3 };

enum lw_kind {
  LW_K_RAW = 1,   /* TLV: untyped bytes, typed by the object definition */
  LW_K_INT = 2,   /* SenML "v" integer */
  LW_K_FLOAT = 3, /* SenML "v" with a fraction or exponent */
  LW_K_STR = 4,   /* SenML "vs" */
  LW_K_BOOL = 5,  /* SenML "vb" */
  LW_K_DATA = 6   /* SenML "vd", base64-decoded */
};

typedef struct {
  uint32_t depth;   /* 0 for "/", else 1..4 segments */
  uint32_t id[4];   /* object, instance, resource, resource instance */
} lw_path;

typedef struct {
  uint32_t obj, inst, res, riid; /* riid LW_NONE for a single resource */
  uint32_t kind;                 /* enum lw_kind */
  const uint8_t *p;              /* RAW/STR/DATA bytes (in the payload or in lw_recs.buf) */
  uint32_t n;
  int64_t i;                     /* INT value, BOOL 0/1 */
} lw_rec;

typedef struct {
  lw_rec v[LW_RECS_MAX];
  uint32_t n;
  uint8_t buf[LW_BODY_MAX];      /* unescaped strings, decoded base64 */
  uint32_t used;
} lw_recs;

/* "0/1/2" or "/0/1/2" (at most 4 decimal segments 0..65534; "" and "/" are
 * the root). Returns LW_OK or LW_E_MALFORMED. */
int lw_path_parse(const uint8_t *s, size_t n, lw_path *p);

/* Append a record; LW_E_LIMIT when full. */
int lw_recs_add(lw_recs *r, const lw_rec *rec);

/* LW_E_MALFORMED when two records name the same resource (instance). */
int lw_recs_unique(const lw_recs *r);

/* Decode a TLV payload written to target (depth 1..4) into out (cleared first). */
int lw_tlv_decode(const uint8_t *b, size_t n, const lw_path *target, lw_recs *out);

/* Decode a SenML JSON payload written to target (depth 1..4) into out. Values
 * point into out->buf. Needs the core JSON reader's document as scratch. */
int lw_senml_decode(const uint8_t *b, size_t n, const lw_path *target, lw_recs *out,
                    mefc_json_doc *doc);

/* Decode base64 (standard or URL alphabet, padding optional) into out[0..cap).
 * Returns the length, or -1 for bad input or no room. */
long lw_base64_decode(const uint8_t *s, size_t n, uint8_t *out, size_t cap);

#endif
