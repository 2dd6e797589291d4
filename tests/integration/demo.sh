#!/usr/bin/env bash
# `make demo` as a test: scripts/demo runs the demo campaign (EST, trust anchor,
# symmetric-key and certificate profiles, DEV_CFG over LwM2M, MAF Client and
# MAF Key Registration) against mefd over CoAPS, and must report every status
# the campaign expects and the same MAF key on both ends.
# Requirements: MCC-8-5, MCC-8-6-OK, MCC-9-8-OK, MCC-9-5-OK (end to end).
set -eu
. "$(dirname "$0")/lib/client.sh"
cd "$root"
set +e
scripts/demo >"$work/demo.log" 2>&1
RC=$?
set -e
check "make demo: exit 0" 0 "$RC"
for id in c-1 c-2 c-3 c-4 c-7 c-8 c-9; do
  check_grep "demo: $id reported 20 as expected" "^$id +[0-9]+ +20 +20 +ok" "$work/demo.log"
done
check_grep "demo: DEV_CFG bootstrap finished" 'outcome dev_cfg: ok' "$work/demo.log"
check_grep "demo: MAF key on both ends" '^demo: the client and the MAF hold the same key [0-9a-f]+@maf\.example\.com' \
  "$work/demo.log"
check_grep "demo: every status matches" '^demo: every status matches the campaign' "$work/demo.log"
finish
