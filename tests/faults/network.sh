#!/usr/bin/env bash
# Network faults between mefc and mefd (CoAP): a UDP proxy
# (udp_fault_proxy.py) with a seeded schedule drops 10 %, 30 % and 50 % of
# the datagrams in both directions, or duplicates, delays and reorders them;
# mefd is restarted in the middle of a campaign (--resume), and is away for
# several seconds. Every campaign must end with the statuses of a clean run,
# one final status per command at mefd, the DEV_CFG command executed once,
# and, while the MEF is away, a bounded exponential backoff with jitter in the
# client's log. At 10 %, 30 % and with duplication the campaign must complete
# over the faulty path within the deadline (90 s); at 50 % a run of failures
# can grow the backoff to its 60 s cap, so completion there is reported, and a
# campaign still open at the deadline is finished over a clean path before
# the same checks. FAULTS_SOAK=1 runs every schedule with five seeds (300 s).
set -eu
. "$(dirname "$0")/../integration/lib/client.sh"
command -v python3 >/dev/null || { echo "$name: python3 is not installed" >&2; exit 1; }
proxy_py="$(dirname "$0")/udp_fault_proxy.py"
soak=${FAULTS_SOAK:-0}

KEY=net-secret-1
printf '%s\n' "$KEY" >"$work/kpm.key"
: >"$work/psk.txt"
for i in $(seq 1 40); do printf 'net-dtls-%s,%s\n' "$i" "$KEY" >>"$work/psk.txt"; done
chmod 600 "$work/psk.txt" "$work/kpm.key"
# c-2 is a body the client cannot parse: one backoff in every run.
raw=$(printf '{"sec:mcc":{"mcci":"c-2","mccs":10,"mccd":{"ccid":1' | base64 -w0)
cat >"$work/campaign.json" <<JSON
{"clients": {"*": {"retry_duration": "PT30S", "commands": [
  {"id": "c-1", "mccd": {"ccid": 7}},
  {"id": "c-2", "raw_b64": "$raw"},
  {"id": "c-3", "class": 3, "args": {"nnca": {"ajop": "/dm/nowhere", "otyp": 2}}},
  {"id": "c-4", "class": 3, "args": {"nnca": {"ajop": "/dm/reg1/ap", "otyp": 1, "otsa": {"suid": 12}}}},
  {"id": "c-5", "class": 1, "args": {"nnca": {}}},
  {"id": "c-6", "class": 2, "args": {"dcca": {"dcu": "3:coaps://mef.example.com/dm"}}},
  {"id": "c-7", "class": 1, "args": {"cpca": {"cppi": 1, "uri": "https://elsewhere.example.net/est", "cst": 1, "csi": "urn:dev:ops:n"}}}
]}}}
JSON
MEFD_MAX_SECONDS=600 start_mefd --coaps-port auto-coaps --coap-port auto-https --psk-file "$work/psk.txt" \
  --campaign "$work/campaign.json" --resume
COAP_PORT=$HTTPS_PORT # the plain CoAP port (start_mefd's second free port)
restart_mefd() { # the same ports and files, registrations and positions resumed
  "$MEFD" --coaps-port "$COAPS_PORT" --coap-port "$COAP_PORT" --psk-file "$work/psk.txt" \
    --campaign "$work/campaign.json" --resume --results "$work/results.jsonl" --max-seconds 600 \
    2>>"$work/mefd.log" &
  mefd_pid=$!
  for _ in $(seq 50); do [ "$(grep -c ' ready ' "$work/mefd.log")" -gt "$1" ] && return 0; sleep 0.1; done
  echo "$name: mefd did not come back" >&2
  exit 1
}

config() { # config ID ADDRESS
  cat <<JSON
{
  "mef": {"address": "$2", "fqdn": "mef.example.com"},
  "identity": "$1",
  "credentials": {"psk": {"identity": "$1", "key_file": "$work/kpm.key"}},
  "state_dir": "$work/st-$1",
  "coap": {"ack_timeout_ms": 1000, "max_retransmit": 2, "response_timeout_ms": 2500},
  "run": {"once_max_backoffs": 12},
  "client": {"role": "node", "acts_for": ["urn:dev:ops:n", "/CSE01"], "classes": [0, 1, 2, 3],
             "cert_prov_protocols": [1], "dev_mgmt_ids": [3], "symm_keys": ["key-1"]},
  "mo": [
    {"path": "/dm/reg1", "mgd": 1020, "attrs": {"csi": "/CSE01"}},
    {"path": "/dm/reg1/ap", "parent": "/dm/reg1", "mgd": 1022, "attrs": {"suid": 12, "aski": "key-1", "tlcs": [174, 49320]}}
  ]
}
JSON
}
outcome() { # outcome ID: "c-1=41 c-3=300 ..." - each command's final statuses at mefd
  jq -rs --arg id "$1" '[.[] | select(.client == $id and (.discarded // false) == false)] |
    group_by(.cmd_id) | map("\(.[0].cmd_id)=\(map(.status) | map(tostring) | join("+"))") | join(" ")' \
    "$work/results.jsonl"
}
consistent() { # consistent ID: every line for a cmdID, discarded or not, has the same status
  jq -rs --arg id "$1" '[.[] | select(.client == $id)] | group_by(.cmd_id) |
    map(select((map(.status) | unique | length) > 1) | .[0].cmd_id) | join(" ")' "$work/results.jsonl"
}
# mefc as a daemon (registration retried), stopped with SIGTERM once mefd has
# recorded the last command, or after $deadline s; sets RC and DONE (yes when
# the campaign completed).
deadline=${NET_DEADLINE:-90}
[ "$soak" = 1 ] && deadline=300
run_client() { # run_client ID ADDRESS [CONFIG_EXISTS]
  [ -n "${3:-}" ] || config "$1" "$2" >"$work/$1.json"
  [ -z "${3:-}" ] || sed -i "s#\"address\": \"[^\"]*\"#\"address\": \"$2\"#" "$work/$1.json"
  t0=$(date +%s)
  "$MEFC" run --config "$work/$1.json" >/dev/null 2>>"$work/$1.log" &
  local cpid=$! end=$(($(date +%s) + deadline))
  DONE=no
  while [ "$(date +%s)" -lt "$end" ]; do
    if [ -n "$(jq -r --arg id "$1" 'select(.client == $id and .cmd_id == "c-7") | .status' "$work/results.jsonl")" ]; then
      DONE=yes
      break
    fi
    kill -0 "$cpid" 2>/dev/null || break
    sleep 0.2
  done
  sleep 0.3 # the Update's response reaches the client, which then Retrieves NO_MORE_COMMANDS
  kill -TERM "$cpid" 2>/dev/null || true
  set +e
  wait "$cpid"
  RC=$?
  set -e
}
verify() { # verify ID LABEL
  check "$2: exit 0" 0 "$RC"
  check "$2: the statuses of the clean run" "$clean" "$(outcome "$1")"
  check "$2: one status per command, resends included" "" "$(consistent "$1")"
  check "$2: DEV_CFG executed once" 1 "$(grep -c '^mefc: execute dev_cfg' "$work/$1.log" || true)"
}

# The clean run.
run_client net-clean "coap://127.0.0.1:$COAP_PORT"
clean=$(outcome net-clean)
check "clean run: exit 0" 0 "$RC"
check "clean run: the expected statuses" "c-1=41 c-3=300 c-4=20 c-5=42 c-6=202 c-7=43" "$clean"
check_grep "clean run: the unparseable body backed off" 'backoff: resend in [0-9]+ ms \(I-10\) of an engine backoff of 1000 ms' \
  "$work/net-clean.log"

# Lossy, duplicating and reordering networks, each schedule with its seed.
proxy_run() { # proxy_run ID SEED ARGS... (proxy options): the campaign through the proxy;
  # when it has not completed by the deadline (the backoff may have grown to
  # its 60 s cap), the same client finishes it over a clean path, so that what
  # the lossy part did is still checked: nothing lost, nothing repeated.
  local id=$1 seed=$2
  shift 2
  rm -f "$work/$id.port"
  python3 "$proxy_py" --port-file "$work/$id.port" --server "$COAP_PORT" --seed "$seed" --stats "$work/$id.stats" \
    --max-seconds "$((deadline + 30))" "$@" &
  local ppid=$!
  for _ in $(seq 50); do [ -s "$work/$id.port" ] && break; sleep 0.1; done
  pport=$(cat "$work/$id.port")
  run_client "$id" "coap://127.0.0.1:$pport"
  local done=$DONE secs=$(($(date +%s) - t0))
  kill "$ppid" 2>/dev/null || true
  wait "$ppid" 2>/dev/null || true
  [ "$done" = yes ] || run_client "$id" "coap://127.0.0.1:$COAP_PORT" existing
  echo "$RC $secs $done" >"$work/$id.rc"
}
# The schedules run side by side (each its own proxy and client identity);
# their waits overlap, which keeps the whole within the time of the slowest.
seeds="11"
[ "$soak" = 1 ] && seeds="11 12 13 14 15"
runs=""
pids=""
for seed in $seeds; do
  for loss in 10 30 50; do
    id="net-loss$loss-s$seed"
    runs="$runs $id"
    proxy_run "$id" "$seed" --loss "0.$loss" &
    pids="$pids $!"
  done
  id="net-dup-s$seed"
  runs="$runs $id"
  proxy_run "$id" "$seed" --dup 0.3 --reorder 0.3 --delay-ms 40 &
  pids="$pids $!"
done
for p in $pids; do wait "$p" || true; done
for id in $runs; do
  read -r RC secs done <"$work/$id.rc" || { RC=none; secs=0; done=no; }
  seed=${id##*-s}
  case $id in
    net-loss*)
      loss=${id#net-loss}; loss=${loss%%-*}
      echo "     $loss % loss (seed $seed): completed over the lossy path: $done, $secs s, $(jq -c '{to_server, to_client}' "$work/$id.stats")"
      verify "$id" "$loss % loss (seed $seed)"
      # At 50 % a run of failures can grow the backoff to its cap: completion
      # over the lossy path is reported (above), not required.
      [ "$loss" = 50 ] || check "$loss % loss (seed $seed): completed over the lossy path within $deadline s" yes "$done"
      check "$loss % loss (seed $seed): datagrams were dropped" yes \
        "$(jq -r 'if .to_server.dropped + .to_client.dropped > 0 then "yes" else "no" end' "$work/$id.stats")" ;;
    net-dup*)
      echo "     duplication and reordering (seed $seed): $secs s, $(jq -c '{to_server, to_client}' "$work/$id.stats")"
      verify "$id" "duplication and reordering (seed $seed)"
      check "duplication and reordering (seed $seed): completed within $deadline s" yes "$done"
      check "duplication and reordering (seed $seed): datagrams duplicated and reordered" yes \
        "$(jq -r 'if (.to_server.duplicated + .to_client.duplicated > 0) and (.to_server.reordered + .to_client.reordered > 0) then "yes" else "no" end' "$work/$id.stats")" ;;
  esac
done
# mefd restarted in the middle of a campaign: stopped once c-1 is recorded,
# started again at once with --resume.
wait_result() { # wait_result ID CMD: until mefd has recorded it (10 s at most)
  for _ in $(seq 100); do
    [ -n "$(jq -r --arg id "$1" --arg c "$2" 'select(.client == $id and .cmd_id == $c) | .status' "$work/results.jsonl")" ] && return 0
    sleep 0.1
  done
  return 1
}
config net-restart "coap://127.0.0.1:$COAP_PORT" >"$work/net-restart.json"
timeout 150 "$MEFC" run --once --config "$work/net-restart.json" >/dev/null 2>"$work/net-restart.log" &
cpid=$!
t0=$(date +%s)
wait_result net-restart c-1 || true
readies=$(grep -c ' ready ' "$work/mefd.log")
stop_mefd
restart_mefd "$readies"
set +e; wait "$cpid"; RC=$?; set -e
echo "     mefd restarted mid-campaign: $(($(date +%s) - t0)) s"
verify net-restart "mefd restarted mid-campaign"
check_grep "mefd restarted mid-campaign: positions resumed" 'resume: client=net-restart reg=reg-[0-9]+ campaign position 2/8' "$work/mefd.log"

# The MEF away for a while (about 7 s) once c-1 is recorded.
config net-down "coap://127.0.0.1:$COAP_PORT" >"$work/net-down.json"
timeout 150 "$MEFC" run --once --config "$work/net-down.json" >/dev/null 2>"$work/net-down.log" &
cpid=$!
t0=$(date +%s)
wait_result net-down c-1 || true
readies=$(grep -c ' ready ' "$work/mefd.log")
stop_mefd
sleep 7
restart_mefd "$readies"
set +e; wait "$cpid"; RC=$?; set -e
echo "     MEF away for 7 s: $(($(date +%s) - t0)) s"
verify net-down "MEF away for 7 s"
grep -oE 'backoff: resend in [0-9]+ ms \(I-10\) of an engine backoff of [0-9]+ ms' "$work/net-down.log" |
  awk '{print $4, $12}' >"$work/backoffs.txt"
check "MEF away: the engine backoff doubles (1, 2, 4 s seen)" yes \
  "$(awk '$2==1000{a=1} $2==2000{b=1} $2==4000{c=1} END{print (a&&b&&c) ? "yes" : "no"}' "$work/backoffs.txt")"
check "MEF away: every wait within [backoff/2, backoff], backoff at most 60 s" yes \
  "$(awk '$1 < $2/2 || $1 > $2 || $2 > 60000 {bad=1} END{print bad ? "no" : "yes"}' "$work/backoffs.txt")"
check "MEF away: the waits are jittered (not all exactly the backoff)" yes \
  "$(awk '$1 != $2 {j=1} END{print j ? "yes" : "no"}' "$work/backoffs.txt")"
echo "     waits (ms) / engine backoffs (ms): $(tr '\n' ';' <"$work/backoffs.txt")"
finish
