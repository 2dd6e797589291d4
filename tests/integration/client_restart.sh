#!/usr/bin/env bash
# Crash safety of the durable record (rulings I-2, I-23) and transport
# failures (I-21) over DTLS-PSK against mefd:
#  - the client stops while executing c-1 (record STARTED): restarted, it
#    reports the class's client-side failure (202) without executing again;
#  - it stops after deciding c-2 but before its Update (record DONE):
#    restarted, it reports the stored status (20) when c-2 comes again;
#  - mefd leaves the first Update of c-3 unanswered: the client times out,
#    backs off and the status still reaches mefd once.
set -eu
. "$(dirname "$0")/lib/client.sh"

ID=kpm-restart-1
KEY=restart-secret-1
printf '%s,%s\n' "$ID" "$KEY" >"$work/psk.txt"
printf '%s\n' "$KEY" >"$work/kpm.key"
chmod 600 "$work/psk.txt" "$work/kpm.key"
cat >"$work/campaign.json" <<JSON
{"clients": {"$ID": {"retry_duration": "PT30S", "commands": [
  {"id": "c-1", "class": 2, "args": {"dcca": {"dcu": "3:coaps://mef.example.com/dm"}}, "expect": 202},
  {"id": "c-2", "class": 3, "args": {"nnca": {"ajop": "/dm/reg1/ap", "otyp": 1, "otsa": {"suid": 12}}}, "expect": 20},
  {"id": "c-3", "mccd": {"ccid": 9}, "drop_updates": 1, "expect": 41}
]}}}
JSON
start_mefd --coaps-port auto-coaps --psk-file "$work/psk.txt" --campaign "$work/campaign.json"
cat >"$work/mefc.json" <<JSON
{
  "mef": {"address": "coaps://127.0.0.1:$COAPS_PORT", "fqdn": "mef.example.com"},
  "credentials": {"psk": {"identity": "$ID", "key_file": "kpm.key"}},
  "state_dir": "state",
  "coap": {"ack_timeout_ms": 300, "max_retransmit": 1, "response_timeout_ms": 1500},
  "client": {"role": "node", "acts_for": ["urn:dev:ops:restart-1"], "classes": [0, 1, 2, 3],
             "dev_mgmt_ids": [3], "symm_keys": ["key-1"]},
  "mo": [
    {"path": "/dm/reg1", "mgd": 1020, "attrs": {"csi": "/CSE01"}},
    {"path": "/dm/reg1/ap", "parent": "/dm/reg1", "mgd": 1022,
     "attrs": {"suid": 12, "aski": "key-1", "tlcs": [174, 49320]}}
  ]
}
JSON
rec() { jq -r '"\(.record.cmd_id) \(.record.phase) \(.record.status // "-") \(.record.class // "-")"' "$work/state/record.json"; }

# 1. Stop while executing c-1.
run_mefc crash1 run --once --fault exit-in-execute --config "$work/mefc.json"
check "crash in execution: exit 3" 3 "$RC"
check "crash in execution: record STARTED for c-1, class 2" "c-1 started - 2" "$(rec)"
check "crash in execution: nothing reported" "" "$(result_of c-1)"
check "status shows the interrupted command" "yes" \
  "$("$MEFC" status --config "$work/mefc.json" | grep -q '^last command:  cmd=c-1 phase=started class=2' && echo yes)"

# 2. Restart: c-1 comes again and is reported failed, not executed; then stop
#    before the Update of c-2.
run_mefc crash2 run --once --fault exit-before-update:2 --config "$work/mefc.json"
check "restart: exit 3 at the second Update" 3 "$RC"
check "restart: c-1 reported as failed (I-2)" "202" "$(result_of c-1)"
check_grep "restart: Update of c-1 from the record (I-2, I-23)" 'update cmd=c-1 status=202 .*I-2, I-23' "$work/crash2.log"
check_no_grep "restart: c-1 not executed again" 'execute dev_cfg' "$work/crash2.log"
check "restart: record DONE for c-2 with 20" "c-2 done 20 -" "$(rec)"

# 3. Restart: c-2 comes again (REISSUED) and its stored status is reported;
#    the first Update of c-3 is dropped by mefd.
run_mefc final run --once --config "$work/mefc.json"
check "final run: exit 0" 0 "$RC"
check "final run: c-2 reported with its stored status" "20" "$(result_of c-2)"
check_grep "final run: c-2 reported from the record (I-2, I-23)" 'update cmd=c-2 status=20 .*I-2, I-23' "$work/final.log"
check_grep "final run: dropped Update is a transport failure" 'update failed: .*transport failure \(I-21\)' "$work/final.log"
check_grep "final run: backoff after the failure" 'backoff: resend in [0-9]+ ms' "$work/final.log"
check "final run: c-3 reported once" "41" "$(result_of c-3)"
check "final run: record REPORTED for c-3" "c-3 reported 41 -" "$(rec)"
check "mefd recorded c-1, c-2, c-3 once each" "c-1 c-2 c-3" \
  "$(jq -r 'select((.discarded // false) == false) | .cmd_id' "$work/results.jsonl" | tr '\n' ' ' | sed 's/ $//')"
finish
