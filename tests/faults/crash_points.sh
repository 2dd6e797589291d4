#!/usr/bin/env bash
# Crash consistency (8.3.9.1, rulings I-2, I-23): the fault-injection build
# of mefc (MEFC_FAULT, src/shell/faultpoint.c) is killed with SIGKILL at
# fault point N - every durable write step, every send and receive, before
# and after each execution - for every N a full cycle reaches, during a
# campaign with one command of each class: CERT_PROV (EST enrolment at
# mefd), DEV_CFG, MO_NODE (trust-anchor fetch from mefd) and an unsupported
# class. The product build is then restarted and runs the campaign to its
# end. Checked for each N, from mefd's results file and log and the client's
# own records: every command executed at most once (EST enrolments and
# trust-anchor downloads counted at mefd, executions in the client's logs),
# exactly one final status per command at the MEF (the normal one, or the
# class's failure when the kill fell inside the execution), a valid record.
# FAULTS_SOAK=1 runs every point twice over (a second kill in the restart).
set -eu
. "$(dirname "$0")/../integration/lib/client.sh"
FAULT_MEFC=${MEFC_FAULT:-$root/build/fault/mefc}
[ -x "$FAULT_MEFC" ] || { echo "$name: $FAULT_MEFC is not built (make build/fault/mefc)" >&2; exit 1; }

make_pki urn:dev:ops:crash
pki="$work/pki"
TA_FP=$(fingerprint "$pki/ta/ta1.pem")
mefd_prepare() {
  cat >"$work/campaign.json" <<JSON
{"clients": {"*": {"retry_duration": "PT30S", "commands": [
  {"id": "c-1", "class": 1, "args": {"cpca": {"cppi": 1, "uri": "https://mef.example.com:$HTTPS_PORT/.well-known/est", "cst": 1, "csi": "urn:dev:ops:crash"}}},
  {"id": "c-2", "class": 2, "args": {"dcca": {"dcu": "3:coaps://mef.example.com/dm"}}},
  {"id": "c-3", "class": 3, "args": {"nnca": {"ajop": "/reg/ap/ta1", "otyp": 2}}},
  {"id": "c-4", "mccd": {"ccid": 7}}
]}}}
JSON
}
MEFD_MAX_SECONDS=600 start_mefd --coaps-port 0 --coap-port auto-coaps --https-port auto-https --cert "$pki/mef.pem" --key "$pki/mef.key" \
  --ca "$pki/ca.pem" --ca-key "$pki/ca.key" --ta-dir "$pki/ta" --est-auth none --campaign "$work/campaign.json"

config() { # config ID STATE_DIR
  cat <<JSON
{
  "mef": {"address": "coap://127.0.0.1:$COAPS_PORT", "fqdn": "mef.example.com",
          "hosts": {"mef.example.com": "127.0.0.1"}},
  "identity": "$1",
  "credentials": {"cert": {"cert_file": "$work/pki/client.pem", "key_file": "$work/pki/client.key", "trust_anchors": "$work/pki/ca.pem"}},
  "https": {"trust_anchors": "$work/pki/ca.pem"},
  "state_dir": "$2",
  "coap": {"ack_timeout_ms": 300, "max_retransmit": 2, "response_timeout_ms": 3000},
  "est": {"key": "ec-p256", "max_attempts": 1, "max_retry_after_s": 1},
  "client": {"role": "node", "acts_for": ["urn:dev:ops:crash", "/CSE01"], "classes": [0, 1, 2, 3],
             "cert_prov_protocols": [1], "dev_mgmt_ids": [3]},
  "mo": [
    {"path": "/reg", "mgd": 1020, "attrs": {"csi": "/CSE01"}},
    {"path": "/reg/ap", "parent": "/reg", "mgd": 1022, "attrs": {"suid": 12, "aski": "k", "tlcs": [174]}},
    {"path": "/reg/ap/ta1", "parent": "/reg/ap", "mgd": 1024,
     "attrs": {"cfp": "$TA_FP", "uri": "https://mef.example.com:$HTTPS_PORT/ta/ta1.pem"}}
  ]
}
JSON
}

# mefd's log lines of one client: its EST enrolments and trust-anchor downloads
# are the executors' effects at the MEF (the https log names no client, but
# the clients run one after the other, so the lines between two offsets are
# one client's).
seg() { tail -c +"$(($1 + 1))" "$work/mefd.log"; }

# The clean run: how many fault points a full cycle reaches, and their names.
ID=urn:dev:ops:crash-trace
config "$ID" "$work/st-trace" >"$work/trace.json"
set +e
MEFC_FAULT_TRACE="$work/points.txt" timeout 30 "$FAULT_MEFC" run --once --config "$work/trace.json" 2>"$work/trace.log"
RC=$?
set -e
check "clean run: exit 0" 0 "$RC"
for c in c-1:20 c-2:202 c-3:20 c-4:41; do
  check "clean run: ${c%%:*} -> ${c#*:}" "${c#*:}" \
    "$(jq -r --arg id "$ID" --arg c "${c%%:*}" 'select(.client == $id and .cmd_id == $c) | .status' "$work/results.jsonl")"
done
K=$(wc -l <"$work/points.txt")
echo "fault points in one cycle: $K ($(cut -d' ' -f2- "$work/points.txt" | sort -u | wc -l) distinct places)"
cut -d' ' -f2- "$work/points.txt" | sort | uniq -c | sed 's/^/  /'

bad=0
rounds=1
[ "${FAULTS_SOAK:-0}" = 1 ] && rounds=2
for n in $(seq 1 "$K"); do
  ID="urn:dev:ops:crash-$n"
  st="$work/st-$n"
  config "$ID" "$st" >"$work/c$n.json"
  off=$(wc -c <"$work/mefd.log")
  set +e
  { MEFC_FAULT_AT=$n timeout 30 "$FAULT_MEFC" run --once --config "$work/c$n.json" 2>"$work/k$n.log"; } 2>/dev/null
  rc1=$?
  if [ "$rounds" = 2 ]; then # a second kill, at the same point of the restart
    { MEFC_FAULT_AT=$n timeout 30 "$FAULT_MEFC" run --once --config "$work/c$n.json" 2>>"$work/k$n.log"; } 2>/dev/null
  fi
  timeout 30 "$MEFC" run --once --config "$work/c$n.json" 2>"$work/r$n.log"
  rc2=$?
  set -e
  where=$(grep -o 'faultpoint [0-9]* .*: SIGKILL' "$work/k$n.log" | head -n 1 | sed 's/: SIGKILL//')
  problems=""
  [ "$rc1" = 137 ] || problems="$problems killed-run-exit=$rc1"
  [ "$rc2" = 0 ] || problems="$problems restart-exit=$rc2"
  # Per command: "ID FINAL_LINES STATUS[,STATUS...]" over all of this client's lines.
  summary=$(jq -rs --arg id "$ID" '[.[] | select(.client == $id)] as $r | ["c-1","c-2","c-3","c-4"][] as $c |
    ($r | map(select(.cmd_id == $c))) as $l |
    "\($c) \($l | map(select((.discarded // false) == false)) | length) \($l | map(.status) | unique | map(tostring) | join(","))"' \
    "$work/results.jsonl")
  while read -r c final statuses; do
    [ "$final" = 1 ] || problems="$problems $c:final-statuses=$final"
    case "$c:$statuses" in
      c-1:20|c-1:101|c-2:202|c-3:20|c-3:305|c-4:41) ;;
      *) problems="$problems $c:statuses=[$statuses]" ;;
    esac
  done <<<"$summary"
  s1=$(awk '$1 == "c-1" {print $3}' <<<"$summary")
  s3=$(awk '$1 == "c-3" {print $3}' <<<"$summary")
  est=$(seg "$off" | grep -c 'POST /.well-known/est/simpleenroll .*-> 200' || true)
  ta=$(seg "$off" | grep -c 'GET /ta/ta1.pem .*-> 200' || true)
  dm=$(cat "$work/k$n.log" "$work/r$n.log" | grep -c '^mefc: execute dev_cfg' || true)
  [ "$est" -le 1 ] || problems="$problems est-enrolments=$est"
  [ "$ta" -le 1 ] || problems="$problems ta-downloads=$ta"
  [ "$dm" -le 1 ] || problems="$problems dev-cfg-executions=$dm"
  [ "$s1" != 20 ] || [ "$est" = 1 ] || problems="$problems c-1-reported-20-without-enrolment"
  [ "$s3" != 20 ] || [ "$ta" = 1 ] || problems="$problems c-3-reported-20-without-download"
  rec=$(jq -r '"\(.record.cmd_id) \(.record.phase) \(.record.status)"' "$st/record.json" 2>/dev/null || echo unreadable)
  [ "$rec" = "c-4 reported 41" ] || problems="$problems record=[$rec]"
  "$MEFC" status --config "$work/c$n.json" >/dev/null 2>&1 || problems="$problems status-refuses-record"
  ls "$st"/.*.tmp* >/dev/null 2>&1 && problems="$problems stale-temp-file"
  if [ -n "$problems" ]; then
    bad=$((bad + 1))
    echo "FAIL point $n ($where):$problems"
  else
    echo "ok   point $n ($where): c-1 $s1, c-3 $s3; EST $est, TA $ta, DEV_CFG $dm executions"
  fi
done
check "every fault point: at most once, one final status each, a valid record" 0 "$bad"
check "fault points exercised" yes "$([ "$K" -ge 20 ] && echo yes || echo no)"
finish
