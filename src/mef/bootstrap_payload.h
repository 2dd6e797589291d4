/* Payloads of mefd's LwM2M Bootstrap-Writes: a campaign write entry
 * ({"path", "values" | "raw" | "raw_hex"}, docs/mefd.md) as TLV or SenML JSON. */
#ifndef MEFD_BOOTSTRAP_PAYLOAD_H
#define MEFD_BOOTSTRAP_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define MEFD_BS_PAYLOAD_MAX 4096u

struct mefd_bs_buf {
  uint8_t b[MEFD_BS_PAYLOAD_MAX];
  size_t n;
  bool over; /* the payload did not fit */
};

/* Build the payload of write entry w (checked by mefd_bs_check): its raw
 * bytes, or its values in SenML JSON (senml) or TLV, or with malformed the
 * fault knob's broken payload. Returns 0, or -1 when it exceeds the buffer. */
int mefd_bs_payload(const json_t *w, bool senml, bool malformed, struct mefd_bs_buf *out);

#endif
