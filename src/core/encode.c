/* The MEF Client Command Update request body (8.3.9.3, DESIGN wire binding):
 * {"sec:mcc":{"mcci":"<cmdID>","mccs":<status>}}, the cmdID escaped as a JSON
 * string. The cmdID came from a UTF-8-validated string, so bytes >= 0x80 are
 * copied as they are. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/command.h"
#include "mefc/acsl.h"

/*@
  logic integer encode_byte_len(integer c) =
    (c == 34 || c == 92) ? 2 : (c < 32 ? 6 : 1);

  // Escaped length of the first n bytes of the cmdID.
  logic integer encode_esc_len{L}(mefc_cmd_id *id, integer n) =
    n <= 0 ? 0 : encode_esc_len(id, n - 1) + encode_byte_len(id->b[n - 1]);

  lemma encode_esc_len_step{L}:
    \forall mefc_cmd_id *id, integer n; n >= 0 ==>
      encode_esc_len(id, n + 1) == encode_esc_len(id, n) + encode_byte_len(id->b[n]);

  logic integer encode_digits(integer s) =
    s < 10 ? 1 : (s < 100 ? 2 : (s < 1000 ? 3 : (s < 10000 ? 4 : (s < 100000 ? 5 :
    (s < 1000000 ? 6 : (s < 10000000 ? 7 : (s < 100000000 ? 8 : (s < 1000000000 ? 9 : 10))))))));

  // Length of the whole body: 20 bytes before the cmdID, 9 between it and
  // the status, 2 after.
  logic integer encode_total{L}(mefc_cmd_id *id, integer s) =
    31 + encode_esc_len(id, id->len) + encode_digits(s);
*/

/* Writes c at pos when it fits; the position advances either way, so one
 * comparison at the end tells whether the body fit. */
/*@ requires \valid(out + (0 .. cap - 1)) && pos <= 100000;
    assigns out[0 .. cap - 1];
    ensures \result == pos + 1;
    ensures pos < cap ==> out[pos] == c;
    ensures \forall integer k; 0 <= k < cap && k != pos ==> out[k] == \old(out[k]);
*/
static size_t encode_put(uint8_t *out, size_t cap, size_t pos, uint8_t c) {
  if (pos < cap) {
    out[pos] = c;
  }
  return pos + 1u;
}

/*@ assigns \nothing;
    ensures \result == encode_digits(s);
    ensures 1 <= \result <= 10;
*/
static uint32_t encode_ndigits(uint32_t s) {
  uint32_t n = 10;
  if (s < 10u) {
    n = 1;
  } else if (s < 100u) {
    n = 2;
  } else if (s < 1000u) {
    n = 3;
  } else if (s < 10000u) {
    n = 4;
  } else if (s < 100000u) {
    n = 5;
  } else if (s < 1000000u) {
    n = 6;
  } else if (s < 10000000u) {
    n = 7;
  } else if (s < 100000000u) {
    n = 8;
  } else if (s < 1000000000u) {
    n = 9;
  }
  return n;
}

/*@ requires \valid_read(id) && id->len <= MEFC_CMD_ID_MAX;
    requires \valid(out + (0 .. cap - 1)) && \separated(id, out + (0 .. cap - 1));
    assigns out[0 .. cap - 1];
    ensures \result <= cap;
    behavior fits:
      assumes encode_total(id, status) <= cap;
      ensures \result == encode_total{Pre}(id, status);
    behavior too_small:
      assumes encode_total(id, status) > cap;
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
size_t mefc_encode_update(const mefc_cmd_id *id, uint32_t status, uint8_t *out, size_t cap) {
  /* The fixed text: 20 bytes before the cmdID, 9 between it and the status. */
  const uint8_t text[29] = {'{', '"', 's', 'e', 'c', ':', 'm', 'c', 'c', '"',
                            ':', '{', '"', 'm', 'c', 'c', 'i', '"', ':', '"',
                            '"', ',', '"', 'm', 'c', 'c', 's', '"', ':'};
  size_t pos = 0;
  uint32_t i = 0;
  uint32_t nd = encode_ndigits(status);
  uint32_t v = status;
  uint32_t j;
  /*@ loop invariant 0 <= i <= 20 && pos == i;
      loop assigns i, pos, out[0 .. cap - 1];
      loop variant 20 - i;
  */
  while (i < 20u) {
    pos = encode_put(out, cap, pos, text[i]);
    i++;
  }
  i = 0;
  /*@ loop invariant 0 <= i <= id->len;
      loop invariant pos == 20 + encode_esc_len{Pre}(id, i);
      loop invariant 20 + i <= pos <= 20 + 6 * i;
      loop assigns i, pos, out[0 .. cap - 1];
      loop variant id->len - i;
  */
  while (i < id->len) {
    uint8_t c = id->b[i];
    /*@ assert encode_esc_len{Pre}(id, i + 1) ==
               encode_esc_len{Pre}(id, i) + encode_byte_len(c); */
    if (c == (uint8_t)'"' || c == (uint8_t)'\\') {
      pos = encode_put(out, cap, pos, (uint8_t)'\\');
      pos = encode_put(out, cap, pos, c);
    } else if (c < 0x20u) {
      uint8_t lo = (uint8_t)(c % 16u);
      pos = encode_put(out, cap, pos, (uint8_t)'\\');
      pos = encode_put(out, cap, pos, (uint8_t)'u');
      pos = encode_put(out, cap, pos, (uint8_t)'0');
      pos = encode_put(out, cap, pos, (uint8_t)'0');
      pos = encode_put(out, cap, pos, (uint8_t)((uint32_t)'0' + c / 16u));
      pos = encode_put(out, cap, pos,
                       (uint8_t)(lo < 10u ? (uint32_t)'0' + lo : (uint32_t)'a' + lo - 10u));
    } else {
      pos = encode_put(out, cap, pos, c);
    }
    i++;
  }
  i = 20;
  /*@ loop invariant 20 <= i <= 29;
      loop invariant pos == encode_esc_len{Pre}(id, id->len) + i;
      loop invariant pos <= 6 * MEFC_CMD_ID_MAX + i;
      loop assigns i, pos, out[0 .. cap - 1];
      loop variant 29 - i;
  */
  while (i < 29u) {
    pos = encode_put(out, cap, pos, text[i]);
    i++;
  }
  j = nd;
  /* Digits from the last to the first, each at its final place. */
  /*@ loop invariant 0 <= j <= nd;
      loop invariant 1 <= nd <= 10 && pos <= 6 * MEFC_CMD_ID_MAX + 29;
      loop assigns j, v, out[0 .. cap - 1];
      loop variant j;
  */
  while (j > 0u) {
    if (pos + j - 1u < cap) {
      out[pos + j - 1u] = (uint8_t)((uint32_t)'0' + v % 10u);
    }
    v = v / 10u;
    j--;
  }
  pos += nd;
  pos = encode_put(out, cap, pos, (uint8_t)'}');
  pos = encode_put(out, cap, pos, (uint8_t)'}');
  return (pos <= cap) ? pos : 0u;
}
