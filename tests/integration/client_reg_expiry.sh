#!/usr/bin/env bash
# The MEF Client Registration's expirationTime, on both sides (MCC-1-5,
# MCC-2-PB, MCC-3-PB, ruling I-49):
#  1. mefd grants 3 s (--registration-seconds 3) and the campaign makes the
#     client wait past that twice - a NO_MORE_COMMANDS of 4 s between two
#     commands, then a dropped Update of a command already executed: the
#     client registers again before the Retrieve and before the Update, each
#     command is executed once and reported once, and mefd never answers 4004;
#  2. mefd restarted (--resume) with a shorter grant than the client holds: the
#     client's clock says the registration is in force, mefd's says it expired;
#     the Retrieve gets 4004 (CoAP 4.04, HTTP 404), the client registers again
#     once and completes;
#  3. the registration expires while an Update is owed and mefd, restarted,
#     no longer has a campaign for the client: registering again is refused
#     (4103), the run stops with the registration error and the durable record
#     is unchanged; with mefd back, the owed Update is sent, nothing executed;
#  4. an expirationTime granted already past is a failed registration.
set -eu
. "$(dirname "$0")/lib/client.sh"

ID=kpm-regexp-1
KEY=regexp-secret-1
printf '%s,%s\n' "$ID" "$KEY" >"$work/psk.txt"
printf '%s\n' "$KEY" >"$work/kpm.key"
chmod 600 "$work/psk.txt" "$work/kpm.key"

# A NO_MORE_COMMANDS in the middle of a campaign: a raw entry served once, so
# the Retrieve after its retryDuration moves the campaign on.
wait_entry() { # wait_entry CMD_ID SECONDS
  printf '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":{"ccid":0,"cma":{"nmca":{"rdu":"PT%sS"}}}}}' "$1" "$2" |
    base64 -w0
}
# A command the shell executes (the core does not decide it alone): DEV_CFG
# whose LwM2M server URI has a path, which the executor refuses -> 202.
exec_cmd() { # exec_cmd CMD_ID
  printf '{"id": "%s", "class": 2, "args": {"dcca": {"dcu": "3:coaps://mef.example.com/dm"}}, "expect": 202' "$1"
}
config() { # config ADDRESS STATE_DIR
  cat <<JSON
{
  "mef": {"address": "$1", "fqdn": "mef.example.com"},
  "identity": "$ID",
  "credentials": {"psk": {"identity": "$ID", "key_file": "kpm.key"}},
  "state_dir": "$2",
  "coap": {"ack_timeout_ms": 500, "max_retransmit": 2, "response_timeout_ms": 4000},
  "run": {"once_max_backoffs": 3},
  "client": {"role": "node", "acts_for": ["urn:dev:ops:regexp-1", "/CSE01"], "classes": [0, 1, 2, 3],
             "dev_mgmt_ids": [3], "symm_keys": []},
  "mo": [{"path": "/dm/reg1", "mgd": 1020, "attrs": {"csi": "/CSE01"}}]
}
JSON
}
# mefd again on the ports of start_mefd, its log appended to mefd.log.
restart_mefd() { # restart_mefd ARGS...
  local readies
  readies=$(grep -c ' ready ' "$work/mefd.log" || true)
  "$MEFD" "$@" --results "$work/results.jsonl" --max-seconds 300 2>>"$work/mefd.log" &
  mefd_pid=$!
  for _ in $(seq 50); do [ "$(grep -c ' ready ' "$work/mefd.log")" -gt "$readies" ] && return 0; sleep 0.1; done
  echo "$name: mefd did not come back" >&2
  exit 1
}
wait_grep() { # wait_grep PATTERN FILE SECONDS: until the file has a matching line
  for _ in $(seq $(($3 * 10))); do grep -qE -- "$1" "$2" && return 0; sleep 0.1; done
  return 1
}
rec() { jq -r '"\(.record.cmd_id) \(.record.phase) \(.record.status // "-")"' "$1/record.json"; }
# mefc without --once (a NO_MORE_COMMANDS in the middle would stop it) in the
# background; stopped with SIGTERM once mefd recorded the last command and the
# client its acknowledgement (mefd records before it answers, so the first
# alone would stop the client while the 2.04 is on its way).
run_until() { # run_until LOGNAME CONFIG STATE_DIR CMD_ID SECONDS
  timeout 60 "$MEFC" run --config "$2" >/dev/null 2>"$work/$1.log" &
  local pid=$!
  wait_grep "\"cmd_id\":\"$4\"" "$work/results.jsonl" "$5" || true
  for _ in $(seq 50); do
    [[ "$(rec "$3" 2>/dev/null)" == "$4 reported "* ]] && break
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  set +e; wait "$pid"; RC=$?; set -e
}
count() { grep -cE -- "$1" "$2" || true; } # count PATTERN FILE
matched() { # times mefd recorded a cmdID as matched
  jq -r --arg id "$1" 'select(.cmd_id == $id and (.discarded // false) == false) | .cmd_id' \
    "$work/results.jsonl" | grep -c . || true
}

# 1. Expiry seen by the client first: it registers again before sending.
cat >"$work/campaign1.json" <<JSON
{"clients": {"$ID": {"retry_duration": "PT30S", "commands": [
  $(exec_cmd a-1)},
  {"id": "a-wait", "raw_b64": "$(wait_entry a-wait 4)"},
  $(exec_cmd a-2), "drop_updates": 1}
]}}}
JSON
start_mefd --coaps-port auto-coaps --psk-file "$work/psk.txt" --campaign "$work/campaign1.json" \
  --registration-seconds 3
config "coaps://127.0.0.1:$COAPS_PORT" state1 >"$work/mefc1.json"
run_until expiry "$work/mefc1.json" "$work/state1" a-2 30
log="$work/expiry.log"
check "expiry: stopped by SIGTERM, exit 0" 0 "$RC"
check "expiry: a-1 reported 202" 202 "$(result_of a-1)"
check "expiry: a-2 reported 202" 202 "$(result_of a-2)"
check_grep "MCC-1-5: mefd grants at most --registration-seconds" \
  'register: client=kpm-regexp-1 reg=reg-1 created, .* et=[0-9]{8}T[0-9]{6} \(at most --registration-seconds\) -> 2001' "$work/mefd.log"
check_grep "MCC-2-PB: expired registration replaced before the Retrieve" \
  '^mefc: registration expired at [0-9]{8}T[0-9]{6}: registering again before the retrieve \(MCC-2-PB, MCC-1-5, I-49\)' "$log"
check_grep "MCC-3-PB: expired registration replaced before the owed Update" \
  '^mefc: registration expired at [0-9]{8}T[0-9]{6}: registering again before the update \(MCC-3-PB, MCC-1-5, I-49\)' "$log"
check "mefd: registered once, then again twice with the campaign kept" "1 2" \
  "$(count 'reg=reg-1 created' "$work/mefd.log") $(count 'reg=reg-1 exists \(registered again, campaign kept\)' "$work/mefd.log")"
check "MCC-1-5: the client never sent on an expired registration (no 4004 from mefd)" 0 \
  "$(count '(-> 4004|4004 \[MCC-1-5\])' "$work/mefd.log")"
check "a-1 and a-2 executed once each" "1 1" \
  "$(count 'execute .* for cmd=a-1$' "$log") $(count 'execute .* for cmd=a-2$' "$log")"
check "the Update of a-2 sent twice, both with status 202 (dropped, then after registering again)" 2 \
  "$(count '^mefc: update cmd=a-2 status=202 ' "$log")"
check "mefd recorded a-1 and a-2 once each" "1 1" "$(matched a-1) $(matched a-2)"
check "expiry: record REPORTED for a-2" "a-2 reported 202" "$(rec "$work/state1")"
check "the last registration granted is the one stored" \
  "$(grep -oE 'reg=reg-1 exists .* et=[0-9]{8}T[0-9]{6}' "$work/mefd.log" | tail -n 1 | grep -oE '[0-9]{8}T[0-9]{6}$')" \
  "$(jq -r .et "$work/state1/registration.json")"
stop_mefd

# 2. Expiry seen by mefd first: the client holds a day, the restarted mefd a
#    two seconds. Over plain CoAP (4.04, the restart costs no DTLS session) and over
#    HTTPS with the PSK (404; libcurl opens a new connection to the new mefd).
forgotten() { # forgotten TAG SCHEME: cmdIDs TAG-1, TAG-2
  local tag=$1 scheme=$2 port listen log code held
  cat >"$work/campaign-$tag.json" <<JSON
{"clients": {"$ID": {"retry_duration": "PT30S", "commands": [
  $(exec_cmd "$tag-1")},
  {"id": "$tag-wait", "raw_b64": "$(wait_entry "$tag-wait" 4)"},
  $(exec_cmd "$tag-2")}
]}}}
JSON
  if [ "$scheme" = coap ]; then
    start_mefd --coaps-port 0 --coap-port auto-coaps --campaign "$work/campaign-$tag.json"
    port=$COAPS_PORT listen=(--coaps-port 0 --coap-port "$COAPS_PORT") code=4.04
  else
    start_mefd --coaps-port auto-coaps --https-port auto-https --psk-file "$work/psk.txt" \
      --cert "$work/pki/mef.pem" --key "$work/pki/mef.key" --campaign "$work/campaign-$tag.json"
    port=$HTTPS_PORT listen=(--coaps-port "$COAPS_PORT" --https-port "$HTTPS_PORT" --psk-file "$work/psk.txt"
      --cert "$work/pki/mef.pem" --key "$work/pki/mef.key") code=404
  fi
  config "$scheme://127.0.0.1:$port" "state-$tag" >"$work/mefc-$tag.json"
  timeout 60 "$MEFC" run --config "$work/mefc-$tag.json" >/dev/null 2>"$work/forgot-$tag.log" &
  local cpid=$!
  wait_grep "\"cmd_id\":\"$tag-1\"" "$work/results.jsonl" 10 || true
  stop_mefd
  restart_mefd "${listen[@]}" --campaign "$work/campaign-$tag.json" --resume --registration-seconds 2
  wait_grep "\"cmd_id\":\"$tag-2\"" "$work/results.jsonl" 30 || true
  kill -TERM "$cpid" 2>/dev/null || true
  set +e; wait "$cpid"; RC=$?; set -e
  log="$work/forgot-$tag.log"
  check "forgotten over $scheme: stopped by SIGTERM, exit 0" 0 "$RC"
  held=$(grep -m1 -oE '^mefc: registered: .* et=[0-9]{8}T[0-9]{6}' "$log" | grep -oE '[0-9]{8}T[0-9]{6}$' || true)
  check "forgotten over $scheme: the client held a registration of about a day" yes \
    "$([[ -n "$held" && "$held" > "$(date -u -d '+23 hours' +%Y%m%dT%H%M%S)" ]] && echo yes || echo no)"
  check_grep "MCC-1-5 over $scheme: mefd refuses a Retrieve under its expired registration" \
    'retrieve: client=kpm-regexp-1 reg=reg-1: registration expired at [0-9]{8}T[0-9]{6} \(now [0-9T]+\): no such resource -> 4004 \[MCC-1-5\]' "$work/mefd.log"
  check_grep "I-49 over $scheme: the $code makes the client register again and Retrieve once more" \
    "^mefc: retrieve -> ${code//./\\.} rsc=4004: the MEF does not know registration reg-1 .*registering again, then the retrieve once more \\(MCC-1-5, I-49\\)" "$log"
  check "over $scheme: one 4004 only, registering again once was enough" "1 0" \
    "$(count '4004 \[MCC-1-5\]' "$work/mefd.log") $(count 'not found again' "$log")"
  check "forgotten over $scheme: $tag-1 and $tag-2 reported 202" "202 202" "$(result_of "$tag-1") $(result_of "$tag-2")"
  check "forgotten over $scheme: $tag-2 executed once, recorded once" "1 1" \
    "$(count "execute .* for cmd=$tag-2\$" "$log") $(matched "$tag-2")"
  stop_mefd
}
make_pki "$ID"
forgotten b coap
forgotten h https

# 3. Registering again refused while an Update is owed.
cat >"$work/campaign3.json" <<JSON
{"clients": {"$ID": {"retry_duration": "PT30S", "commands": [
  $(exec_cmd e-1), "drop_updates": 1}
]}}}
JSON
printf '{"clients": {"someone-else": {"commands": []}}}\n' >"$work/campaign-other.json"
start_mefd --coaps-port auto-coaps --psk-file "$work/psk.txt" --campaign "$work/campaign3.json" \
  --registration-seconds 3
config "coaps://127.0.0.1:$COAPS_PORT" state3 >"$work/mefc3.json"
timeout 30 "$MEFC" run --once --config "$work/mefc3.json" >/dev/null 2>"$work/refused.log" &
cpid=$!
wait_grep 'cmd=e-1 status=202: dropped, no response' "$work/mefd.log" 10 || true
# Past the client's margin before its registration's et (3 s granted) before
# mefd goes: the Update the client sends again needs a new registration.
sleep 2.5
cp "$work/state3/record.json" "$work/record-before.json"
stop_mefd
restart_mefd --coaps-port "$COAPS_PORT" --psk-file "$work/psk.txt" --campaign "$work/campaign-other.json"
set +e; wait "$cpid"; RC=$?; set -e
log="$work/refused.log"
check "refused: the run stops with exit 1" 1 "$RC"
check "refused: e-1 executed once" 1 "$(count 'execute .* for cmd=e-1$' "$log")"
check_grep "MCC-3-PB: the expired registration is replaced before the owed Update" \
  '^mefc: registration expired at [0-9]{8}T[0-9]{6}: registering again before the update \(MCC-3-PB' "$log"
check_grep "refused: mefd has no campaign for the client" 'no campaign for this client -> 4103' "$work/mefd.log"
check_grep "refused: the registration error names the refusal" '^mefc: error: registration refused: 4\.03 rsc=4103' "$log"
check "refused: no Update of e-1 acknowledged" 0 "$(count '^mefc: update -> 2\.04' "$log")"
check "refused: the durable record is unchanged (DONE 202)" "e-1 done 202" "$(rec "$work/state3")"
check "refused: record file untouched" same \
  "$(cmp -s "$work/record-before.json" "$work/state3/record.json" && echo same || echo changed)"
check "refused: nothing recorded for e-1" "" "$(result_of e-1)"
stop_mefd
# mefd back with the client's campaign: the owed status goes out from the
# record and e-1 is not executed again. (This mefd never issued e-1, so it
# discards that Update and issues e-1, which the client answers with
# REPEATED_CMD_ID, I-2.)
restart_mefd --coaps-port "$COAPS_PORT" --psk-file "$work/psk.txt" --campaign "$work/campaign3.json"
run_mefc refused-after run --once --config "$work/mefc3.json"
check "after: exit 0" 0 "$RC"
check_grep "after: the owed Update from the record (I-2, I-23)" \
  '^mefc: update cmd=e-1 status=202 .*from the durable record at start, I-2, I-23' "$work/refused-after.log"
check "after: mefd received status 202 for e-1 once" 1 \
  "$(jq -r 'select(.cmd_id == "e-1" and .status == 202) | .cmd_id' "$work/results.jsonl" | grep -c . || true)"
check "after: e-1 not executed again" 0 "$(count 'execute ' "$work/refused-after.log")"
stop_mefd

# 4. A grant already past is a failed registration: the client proposes an
#    expirationTime in the past and mefd (which grants what it is asked) grants
#    it; nothing is retrieved on it.
printf '{"clients": {"%s": {"commands": []}}}\n' "$ID" >"$work/campaign4.json"
start_mefd --coaps-port auto-coaps --psk-file "$work/psk.txt" --campaign "$work/campaign4.json"
config "coaps://127.0.0.1:$COAPS_PORT" state4 | jq '.registration = {expiration: "20000101T000000"}' \
  >"$work/mefc4.json"
run_mefc past run --once --config "$work/mefc4.json"
check "past grant: exit 1" 1 "$RC"
check_grep "past grant: mefd granted the et proposed" 'reg=reg-1 created, .* et=20000101T000000 -> 2001' "$work/mefd.log"
check_grep "MCC-2-PB: a grant already past is a failed registration (I-49)" \
  '^mefc: error: registration: the MEF granted an expirationTime already past \(et=20000101T000000, I-49\)' "$work/past.log"
check "past grant: nothing retrieved" 0 "$(count 'retrieve ' "$work/past.log")"
finish
