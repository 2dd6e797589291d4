#!/usr/bin/env bash
# mefc against mefd over DTLS-PSK: handshake with the KpmID as PSK identity
# (TS-0003 10.2.2 suite), MEF Client Registration, then a campaign of
# commands decided by the core - class not supported (41), MO node not found
# (300), pre-provisioned symmetric key (20), bad arguments (42), URI host not
# the MEF (43), a DM server URI with a path (202, client-side) - and NO_MORE_COMMANDS.
# Then `mefc status`, the retry timer without --once, a wrong PSK, and the
# log: one decision line per command with its requirement ID, no key.
set -eu
. "$(dirname "$0")/lib/client.sh"

ID=kpm-test-1
KEY=psk-test-secret-1
printf '%s,%s\n' "$ID" "$KEY" >"$work/psk.txt"
printf '%s\n' "$KEY" >"$work/kpm.key"
printf 'another-secret\n' >"$work/wrong.key"
chmod 600 "$work/psk.txt" "$work/kpm.key" "$work/wrong.key"

cat >"$work/campaign.json" <<JSON
{"clients": {"$ID": {"retry_duration": "PT1S", "commands": [
  {"id": "c-1", "mccd": {"ccid": 7}, "expect": 41},
  {"id": "c-2", "class": 3, "args": {"nnca": {"ajop": "/dm/nowhere", "otyp": 2}}, "expect": 300},
  {"id": "c-3", "class": 3, "args": {"nnca": {"ajop": "/dm/reg1/ap", "otyp": 1, "otsa": {"suid": 12}}}, "expect": 20},
  {"id": "c-4", "class": 1, "args": {"nnca": {}}, "expect": 42},
  {"id": "c-5", "class": 1, "args": {"cpca": {"cppi": 1, "uri": "https://elsewhere.example.net/.well-known/est", "cst": 1, "csi": "urn:dev:ops:test-1"}}, "expect": 43},
  {"id": "c-6", "class": 2, "args": {"dcca": {"dcu": "3:coaps://mef.example.com/dm"}}, "expect": 202}
]}}}
JSON
start_mefd --coaps-port auto-coaps --psk-file "$work/psk.txt" --campaign "$work/campaign.json"

config() { # config KEYFILE
  cat <<JSON
{
  "mef": {"address": "coaps://127.0.0.1:$COAPS_PORT", "fqdn": "mef.example.com"},
  "credentials": {"psk": {"identity": "$ID", "key_file": "$1"}},
  "state_dir": "state",
  "coap": {"ack_timeout_ms": 500, "max_retransmit": 2, "response_timeout_ms": 4000},
  "run": {"once_max_backoffs": 2},
  "client": {"role": "node", "acts_for": ["urn:dev:ops:test-1", "/CSE01"], "classes": [0, 1, 2, 3],
             "cert_prov_protocols": [1], "dev_mgmt_ids": [3], "symm_keys": ["key-1"]},
  "mo": [
    {"path": "/dm/reg1", "mgd": 1020, "attrs": {"csi": "/CSE01"}},
    {"path": "/dm/reg1/ap", "parent": "/dm/reg1", "mgd": 1022,
     "attrs": {"suid": 12, "aski": "key-1", "tlcs": [174, 49320]}}
  ]
}
JSON
}
config kpm.key >"$work/mefc.json"
config wrong.key >"$work/wrong.json"

run_mefc run run --once --config "$work/mefc.json"
check "run --once: exit 0" 0 "$RC"
for c in c-1:41 c-2:300 c-3:20 c-4:42 c-5:43 c-6:202; do
  check "status of ${c%%:*} recorded by mefd" "${c#*:}" "$(result_of "${c%%:*}")"
done
log="$work/run.log"
check_grep "PSK suite of TS-0003 10.2.2 negotiated" 'dtls connected .*PSK-AES128-CCM8' "$log"
check_grep "registered" '^mefc: registered: ri=reg-1 .*cmd=/mef/reg-1/cmd' "$log"
check_grep "decision 41 with its requirement ID" '^mefc: decide cmd=c-1 .*status=41 .*\(MCC-2-5c' "$log"
check_grep "decision 300 with its requirement ID" '^mefc: decide cmd=c-2 .*status=300 .*\(MCC-9-1-4a' "$log"
check_grep "decision 43 with its requirement ID" '^mefc: decide cmd=c-5 .*status=43 .*MCC-7-4-FAIL' "$log"
check_grep "DM server URI with a path: client-side" 'dev_cfg: DM server URI coaps://mef.example.com/dm: a path or query after the authority' "$log"
check_grep "NO_MORE_COMMANDS arms the retry timer" 'retry timer armed: Retrieve in 1000 ms \(MCC-6-5\)' "$log"
check_no_grep "no key in the log" "$KEY" "$log"

run_mefc status status --config "$work/mefc.json"
check "status: exit 0" 0 "$RC"
out=$("$MEFC" status --config "$work/mefc.json" 2>/dev/null)
check "status: last command" "last command:  cmd=c-6 phase=reported status=202 DEV_CFG_CLIENT_ERROR" \
  "$(printf '%s\n' "$out" | grep '^last command:')"
check "status: registration" "yes" "$(printf '%s\n' "$out" | grep -q '^registration:  ri=reg-1 rn=reg-1 cmd=/mef/reg-1/cmd' && echo yes)"
check "record file mode 0600" "600" "$(stat -c %a "$work/state/record.json")"
check "record file: version 1, phase reported" "1 reported c-6 202" \
  "$(jq -r '"\(.version) \(.record.phase) \(.record.cmd_id) \(.record.status)"' "$work/state/record.json")"

# Without --once the client keeps the retryDuration timer and Retrieves on expiry
# (MCC-6-5b) until it is stopped.
"$MEFC" run --config "$work/mefc.json" 2>"$work/daemon.log" &
pid=$!
bg_pids="$pid"
sleep 3.5
kill -TERM "$pid"
set +e; wait "$pid"; rc=$?; set -e
bg_pids=""
check "run without --once: stops on SIGTERM with 0" 0 "$rc"
check_grep "timer expiry retrieves again" 'timer expired \(retryDuration, MCC-6-5b\)' "$work/daemon.log"
check "several Retrieves while waiting" "yes" "$([ "$(grep -c '^mefc: retrieve /mef/' "$work/daemon.log")" -ge 2 ] && echo yes)"

# A wrong PSK: no session, so no registration, exit 1 - and no key in the log.
rm -rf "$work/state"
run_mefc wrong run --once --config "$work/wrong.json"
check "wrong PSK: exit 1" 1 "$RC"
check_grep "wrong PSK: registration fails" 'error: registration: ' "$work/wrong.log"
check_no_grep "wrong PSK: no key in the log" "another-secret|$KEY" "$work/wrong.log"
finish
