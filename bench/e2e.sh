#!/usr/bin/env bash
# End to end over CoAP/DTLS-PSK on 127.0.0.1: latency of mefc's command cycle
# against mefd, the libcoap-only floor of the same exchanges, and mefd's
# throughput with many simulated clients (bench/coap_load.c).
# Usage: bench/e2e.sh SECONDS MEFC_CYCLES "CLIENT_COUNTS"  (from the repository root)
set -euo pipefail
secs=$1 n_cmd=$2 counts=$3
B=build/bench
work=$B/e2e
for b in build/mefc build/mefd $B/coap_load $B/stamp; do
  [ -x "$b" ] || { echo "e2e: $b is not built" >&2; exit 1; }
done
rm -rf "$work"; mkdir -p "$work"; chmod 700 "$work"
mefd_pid=""
cleanup() { if [ -n "$mefd_pid" ]; then kill "$mefd_pid" 2>/dev/null || true; wait "$mefd_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

max=1
for n in $counts; do [ "$n" -gt "$max" ] && max=$n; done
{ echo "bench-mefc,bench-mefc-secret"; echo "bench-mefc-mem,bench-mefc-secret"; for ((i = 0; i < max; i++)); do echo "load-$i,load-secret-$i"; done; } >"$work/psk.txt"
printf 'bench-mefc-secret\n' >"$work/mefc.key"
chmod 600 "$work/psk.txt" "$work/mefc.key"
# Every command is an MO_NODE [authenticationProfile] with a pre-provisioned
# key: the client decides it with a local check and reports 20.
jq -n --argjson k "$n_cmd" --argjson kl 20000 '
  def cmds(n): [range(1; n + 1) | {id: "c-\(.)", class: 3, expect: 20,
                 args: {nnca: {ajop: "/dm/reg1/ap", otyp: 1, otsa: {suid: 12}}}}];
  {retry_duration: "PT1S",
   clients: {"bench-mefc": {commands: cmds($k)}, "bench-mefc-mem": {commands: cmds($k)},
              "*": {commands: cmds($kl)}}}' >"$work/campaign.json"

for _ in 1 2 3 4 5 6; do
  port=$((20000 + RANDOM % 40000))
  : >"$work/mefd.log"
  build/mefd --coaps-port "$port" --psk-file "$work/psk.txt" --campaign "$work/campaign.json" \
    --results "$work/results.jsonl" --max-seconds 600 2>>"$work/mefd.log" &
  mefd_pid=$!
  for _ in $(seq 100); do
    grep -q ' ready ' "$work/mefd.log" && break
    kill -0 "$mefd_pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -q ' ready ' "$work/mefd.log" && break
  wait "$mefd_pid" 2>/dev/null || true
  mefd_pid=""
done
[ -n "$mefd_pid" ] || { echo "e2e: mefd did not start" >&2; cat "$work/mefd.log" >&2; exit 1; }

cat >"$work/mefc.json" <<JSON
{
  "mef": {"address": "coaps://127.0.0.1:$port", "fqdn": "mef.example.com"},
  "credentials": {"psk": {"identity": "bench-mefc", "key_file": "mefc.key"}},
  "state_dir": "state",
  "coap": {"ack_timeout_ms": 2000, "max_retransmit": 2, "response_timeout_ms": 10000},
  "run": {"once_max_backoffs": 2},
  "client": {"role": "node", "acts_for": ["urn:dev:ops:bench-1", "/CSE01"], "classes": [0, 1, 2, 3],
             "cert_prov_protocols": [1], "dev_mgmt_ids": [3], "symm_keys": ["key-1"]},
  "mo": [
    {"path": "/dm/reg1", "mgd": 1020, "attrs": {"csi": "/CSE01"}},
    {"path": "/dm/reg1/ap", "parent": "/dm/reg1", "mgd": 1022,
     "attrs": {"suid": 12, "aski": "key-1", "tlcs": [174, 49320]}}
  ]
}
JSON

field() { sed -n "s/.*[ ^]$1=\([^ ]*\).*/\1/p" <<<"$2"; }
# mefc: every "update -> 2.04" line ends one cycle (the Update's response
# carries the next command); the first interval, which holds the Retrieve, is skipped.
mefc_out=$(timeout 300 build/mefc run --once --config "$work/mefc.json" 2>&1 >/dev/null |
           tee "$work/mefc.log" | $B/stamp 'update -> 2.04' 1)
grep -q 'no more commands\|NO_MORE_COMMANDS\|MCC-6' "$work/mefc.log" ||
  { echo "e2e: mefc did not finish its campaign:" >&2; tail -5 "$work/mefc.log" >&2; exit 1; }
# The same mefc cycle with the client's state directory on a tmpfs, where
# fsync costs nothing: what the client spends apart from durability.
mefc_mem=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  sd=$(mktemp -d /dev/shm/mefc-bench.XXXXXX)
  jq --arg sd "$sd" '.state_dir = $sd | .credentials.psk.identity = "bench-mefc-mem"' \
    "$work/mefc.json" >"$work/mefc-mem.json"
  mefc_mem=$(timeout 300 build/mefc run --once --config "$work/mefc-mem.json" 2>&1 >/dev/null |
             $B/stamp 'update -> 2.04' 1) || true
  rm -rf "$sd"
fi
floor_put=$($B/coap_load "$port" 1 "$secs" --put-only)
floor_gp=$($B/coap_load "$port" 1 "$secs")

m50=$(field p50_us " $mefc_out") m99=$(field p99_us " $mefc_out")
f50=$(field p50_us "$floor_put") f99=$(field p99_us "$floor_put")
g50=$(field p50_us "$floor_gp") g99=$(field p99_us "$floor_gp")
echo "End to end, CoAP over DTLS 1.2 PSK on 127.0.0.1, mefd fsyncs each recorded status (microseconds)"
printf '%-64s %10s %10s\n' "exchange" p50 p99
printf '%-64s %10s %10s\n' "mefc, one command: decide + persist + Update (2.04 carries next)" "$m50" "$m99"
[ -n "$mefc_mem" ] && printf '%-64s %10s %10s\n' "mefc, the same with its state on tmpfs (no fsync cost)" \
  "$(field p50_us " $mefc_mem")" "$(field p99_us " $mefc_mem")"
printf '%-64s %10s %10s\n' "libcoap floor: Update alone, one DTLS session" "$f50" "$f99"
printf '%-64s %10s %10s\n' "libcoap floor: Retrieve + Update, one DTLS session" "$g50" "$g99"
awk -v m="$m50" -v f="$f50" -v g="$g50" 'BEGIN {
  r = m / f; printf "mefc/floor p50 (same exchange) %.2f (target <= 1.3: %s); mefc/(Retrieve+Update floor) %.2f\n",
    r, (r <= 1.3 ? "met" : "NOT MET"), m / g }'
echo "mefc cycles timed: $(field cycles " $mefc_out")"
echo
echo "mefd throughput: simulated clients, each its own DTLS session, Retrieve + Update cycles for ${secs}s"
printf '%8s %8s %12s %10s %10s %8s %12s\n' clients alive "cycles/s" "p50 us" "p99 us" errors "register s"
bad=0
for n in $counts; do
  out=$($B/coap_load "$port" "$n" "$secs") || bad=1
  printf '%8s %8s %12s %10s %10s %8s %12s\n' "$n" "$(field alive "$out")" "$(field rate "$out")" \
    "$(field p50_us "$out")" "$(field p99_us "$out")" "$(field errors "$out")" "$(field register_s "$out")"
done
exit "$bad"
