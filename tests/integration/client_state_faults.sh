#!/usr/bin/env bash
# The durable state under damage, beyond client_state.sh: a real record cut
# at every byte, a record from a future version and a full disk (a 64 KiB
# tmpfs in a user and mount namespace of its own, filled up): each is refused
# by `mefc run` with a clear error that names the file, leaves it as it was
# and reports nothing to the MEF - never a silent reset; once space is freed
# the same state directory completes the cycle. The registration file, which
# `mefc run` rewrites after registering again (mefd keeps the registration of
# an identity), is refused the same way by `mefc status` when cut or from a
# future version, and a run then rewrites it whole without touching the record.
set -eu
. "$(dirname "$0")/lib/client.sh"

ID=kpm-state-faults-1
KEY=state-faults-secret-1
printf '%s,%s\n' "$ID" "$KEY" >"$work/psk.txt"
printf '%s\n' "$KEY" >"$work/kpm.key"
chmod 600 "$work/psk.txt" "$work/kpm.key"
cat >"$work/campaign.json" <<JSON
{"clients": {"$ID": {"retry_duration": "PT30S", "commands": [
  {"id": "c-1", "class": 2, "args": {"dcca": {"dcu": "3:coaps://mef.example.com/dm"}}, "expect": 202},
  {"id": "c-2", "mccd": {"ccid": 7}, "expect": 41}
]}}}
JSON
start_mefd --coaps-port auto-coaps --psk-file "$work/psk.txt" --campaign "$work/campaign.json"
config() { # config STATE_DIR
  cat <<JSON
{
  "mef": {"address": "coaps://127.0.0.1:$COAPS_PORT", "fqdn": "mef.example.com"},
  "credentials": {"psk": {"identity": "$ID", "key_file": "$work/kpm.key"}},
  "state_dir": "$1",
  "coap": {"ack_timeout_ms": 300, "max_retransmit": 1, "response_timeout_ms": 2000},
  "client": {"role": "node", "classes": [0, 1, 2, 3], "dev_mgmt_ids": [3]}
}
JSON
}

# 1. Real files, written by a first run: then cut at every byte.
config "$work/st" >"$work/mefc.json"
run_mefc first run --once --config "$work/mefc.json"
check "first run: exit 0" 0 "$RC"
check "first run: c-2 reported" 41 "$(result_of c-2)"
cp "$work/st/record.json" "$work/record.good"
cp "$work/st/registration.json" "$work/registration.good"
lines_before=$(wc -l <"$work/results.jsonl")
for file in record registration; do
  size=$(wc -c <"$work/$file.good")
  cmd=run
  [ "$file" = registration ] && cmd=status
  refused=0 clear=0 kept=0
  for k in $(seq 0 $((size - 2))); do # every proper prefix but the one without the final newline
    head -c "$k" "$work/$file.good" >"$work/st/$file.json"
    sum=$(sha256sum <"$work/st/$file.json")
    set +e
    if [ "$cmd" = run ]; then
      timeout 20 "$MEFC" run --once --config "$work/mefc.json" >/dev/null 2>"$work/cut.log"
    else
      timeout 20 "$MEFC" status --config "$work/mefc.json" >"$work/cut.log" 2>&1
    fi
    rc=$?
    set -e
    [ "$rc" = 1 ] && refused=$((refused + 1))
    grep -qE "state file .*$file.json|$file.json" "$work/cut.log" && clear=$((clear + 1))
    [ "$sum" = "$(sha256sum <"$work/st/$file.json")" ] && kept=$((kept + 1))
  done
  cp "$work/$file.good" "$work/st/$file.json"
  check "$file.json cut at each of $((size - 1)) bytes: mefc $cmd refuses it (exit 1) every time" "$((size - 1))" "$refused"
  check "$file.json cut: the error names the file every time" "$((size - 1))" "$clear"
  check "$file.json cut: the file left as it was every time" "$((size - 1))" "$kept"
done
check "cut state files: nothing reported to the MEF" "$lines_before" "$(wc -l <"$work/results.jsonl")"
head -c 40 "$work/registration.good" >"$work/st/registration.json"
run_mefc rereg run --once --config "$work/mefc.json"
check "cut registration: mefc run registers again (exit 0)" 0 "$RC"
check "cut registration: rewritten whole" reg-1 "$(jq -r .reg_id "$work/st/registration.json")"
check "cut registration: record untouched" "$(sha256sum <"$work/record.good")" "$(sha256sum <"$work/st/record.json")"

# 2. Files from the future.
for file in record registration; do
  jq -c '.version = 2' "$work/$file.good" >"$work/st/$file.json"
  cmd=run
  [ "$file" = registration ] && cmd=status
  if [ "$cmd" = run ]; then
    run_mefc "future-$file" run --once --config "$work/mefc.json"
  else
    set +e; "$MEFC" status --config "$work/mefc.json" >"$work/future-$file.log" 2>&1; RC=$?; set -e
  fi
  check "$file.json of version 2: mefc $cmd exits 1" 1 "$RC"
  check_grep "$file.json of version 2: clear error" 'has version 2; this mefc reads version 1 only' "$work/future-$file.log"
  check "$file.json of version 2: kept" 2 "$(jq -r .version "$work/st/$file.json")"
  cp "$work/$file.good" "$work/st/$file.json"
done

# 3. A full disk: the state directory on a tmpfs with no space left.
if unshare -rm true 2>/dev/null; then
  mkdir -p "$work/full"
  cat >"$work/full.sh" <<SH
set -u
mount -t tmpfs -o size=64k,mode=0700 tmpfs "$work/full" || exit 99
cp "$work/record.good" "$work/full/record.json"
cp "$work/registration.good" "$work/full/registration.json"
chmod 600 "$work/full/"*.json
dd if=/dev/zero of="$work/full/filler" bs=4k count=100 2>/dev/null
timeout 20 "$MEFC" run --once --config "$work/full.json" 2>"$work/full1.log"
echo "rc1=\$?" >"$work/full.out"
sha256sum <"$work/full/record.json" | cut -d' ' -f1 >>"$work/full.out"
ls -a "$work/full" | grep -c '\.tmp' >>"$work/full.out"
rm -f "$work/full/filler"
timeout 20 "$MEFC" run --once --config "$work/full.json" 2>"$work/full2.log"
echo "rc2=\$?" >>"$work/full.out"
jq -r '"\(.record.cmd_id) \(.record.phase) \(.record.status)"' "$work/full/record.json" >>"$work/full.out"
SH
  config "$work/full" >"$work/full.json"
  # The new registration is another client to mefd: give it the same campaign again.
  unshare -rm bash "$work/full.sh" || true
  out=$(cat "$work/full.out" 2>/dev/null || true)
  check "full disk: mefc stops with exit 1" "rc1=1" "$(sed -n 1p <<<"$out")"
  check_grep "full disk: clear error" 'No space left on device' "$work/full1.log"
  check "full disk: record left as it was" "$(sha256sum <"$work/record.good" | cut -d' ' -f1)" "$(sed -n 2p <<<"$out")"
  check "full disk: no temp file left" 0 "$(sed -n 3p <<<"$out")"
  check_no_grep "full disk: nothing executed" '^mefc: execute ' "$work/full1.log"
  check "full disk: nothing reported" "$lines_before" "$(wc -l <"$work/results.jsonl")"
  check "space freed: the cycle completes" "rc2=0" "$(sed -n 4p <<<"$out")"
  check "space freed: record intact and current" "c-2 reported 41" "$(sed -n 5p <<<"$out")"
else
  echo "skip full disk: unshare -rm is not permitted here"
fi
finish
