/* The target path of an LwM2M fuzz input: its first byte picks the depth and
 * small object, instance and resource IDs, so that both decoders are driven
 * through every path shape with the rest of the input as the payload. */
#ifndef MEFC_FUZZ_LWM2M_FUZZ_PATH_H
#define MEFC_FUZZ_LWM2M_FUZZ_PATH_H

#include <stdint.h>

#include "../src/shell/lwm2m_data.h"

static inline lw_path lwm2m_fuzz_path(uint8_t b)
{
  lw_path p;
  p.depth = 1u + (b & 3u);
  p.id[0] = (b >> 2) & 1u;
  p.id[1] = (b >> 3) & 3u;
  p.id[2] = (b >> 5) & 7u;
  p.id[3] = 0;
  return p;
}

#endif
