#!/usr/bin/env bash
# mefd against a CoAP client nobody here wrote: libcoap's coap-client-openssl
# over DTLS-PSK on 127.0.0.1. Registration, Retrieve (ISSUED then REISSUED),
# a discarded Update, an unparseable Update (BAD_REQUEST), a matching Update
# that advances the campaign, NO_MORE_COMMANDS at the end, the From option
# bound to the PSK identity, and the results file after each Update.
# MEF-side rows exercised: MCC-2-2, MCC-2-3, MCC-2-4, MCC-3-2a, MCC-3-2b,
# MCC-3-3, MCC-3-4.
#
# coap-client-openssl exits 0 whatever happens and drops any response that
# carries a critical option it does not know (oneM2M-RSC 307, RQI 283), so
# this script reads the response it printed with -v 7 before dropping it.
# Environment: MEFD (default build/mefd), COAP_CLIENT (coap-client-openssl).
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
MEFD=${MEFD:-$root/build/mefd}
COAP_CLIENT=${COAP_CLIENT:-coap-client-openssl}
for tool in "$COAP_CLIENT" jq perl; do
  command -v "$tool" >/dev/null || { echo "mefd_coap_client: $tool is not installed" >&2; exit 1; }
done
[ -x "$MEFD" ] || { echo "mefd_coap_client: $MEFD is not built" >&2; exit 1; }

work=$(mktemp -d)
mefd_pid=""
cleanup() {
  if [ -n "$mefd_pid" ]; then kill "$mefd_pid" 2>/dev/null || true; wait "$mefd_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fails=0
passes=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    passes=$((passes + 1)); echo "ok   $1"
  else
    fails=$((fails + 1)); echo "FAIL $1: expected [$2], got [$3]"
  fi
}

ID=CAE-smoke-1
KEY=smoke-secret-1
printf '%s,hex:%s\nCAE-no-campaign,other-secret\n' "$ID" "$(printf %s "$KEY" | od -An -tx1 | tr -d ' \n')" >"$work/psk.txt"
chmod 600 "$work/psk.txt"
cat >"$work/campaign.json" <<JSON
{"clients": {"$ID": {"retry_duration": "PT45S", "commands": [
  {"id": "c-1", "class": 1, "expect": 20,
   "args": {"cpca": {"cppi": 1, "uri": "https://localhost/.well-known/est", "cst": 1, "csi": "urn:dev:ops:smoke-1"}}},
  {"id": "c-2", "mccd": {"ccid": 7}, "expect": 41}
]}}}
JSON
results="$work/results.jsonl"

# Start mefd on a free port: try a few random ones, as a port may be taken.
port=""
for _ in 1 2 3 4 5; do
  p=$((20000 + RANDOM % 40000))
  : >"$work/mefd.log"
  "$MEFD" --coaps-port "$p" --psk-file "$work/psk.txt" --campaign "$work/campaign.json" \
    --results "$results" --max-seconds 300 2>"$work/mefd.log" &
  mefd_pid=$!
  for _ in $(seq 50); do
    grep -q ' ready ' "$work/mefd.log" && break
    kill -0 "$mefd_pid" 2>/dev/null || break
    sleep 0.1
  done
  if grep -q ' ready ' "$work/mefd.log"; then port=$p; break; fi
  wait "$mefd_pid" 2>/dev/null || true
  mefd_pid=""
done
[ -n "$port" ] || { echo "mefd did not start:" >&2; cat "$work/mefd.log" >&2; exit 1; }
base="coaps://127.0.0.1:$port"

# coap METHOD URI [coap-client args...]: sets CODE, RSC, RQI and BODY from the
# response coap-client printed (the last response PDU in its -v 7 trace).
coap() {
  local method=$1 uri=$2 trace line hex
  shift 2
  trace=$(timeout 10 "$COAP_CLIENT" -v 7 -B 1 -u "${PSK_ID:-$ID}" -k "${PSK_KEY:-$KEY}" -m "$method" "$@" "$uri" 2>&1 || true)
  line=$(printf '%s\n' "$trace" | grep -E '^v:1 t:(ACK|CON|NON) c:[245]\.' | tail -n 1 || true)
  CODE=$(printf '%s\n' "$line" | sed -E 's/^v:1 t:[A-Z]+ c:([0-9.]+) .*/\1/')
  RSC=$(printf '%s\n' "$line" | grep -oE '307:(\\x[0-9A-Fa-f]{2})+' | sed -e 's/307://' -e 's/\\x//g' || true)
  RSC=${RSC:+$((16#$RSC))}
  RQI=$(printf '%s\n' "$line" | grep -oE '283:(\\x[0-9A-Fa-f]{2})+' | sed -e 's/283://' -e 's/\\x//g' || true)
  RQI=$(printf '%s' "$RQI" | perl -pe 's/([0-9a-fA-F]{2})/chr(hex($1))/ge')
  hex=$(printf '%s\n' "$trace" | grep -A3 -F -- "$line" | grep -oE '^<<[0-9a-f]+>>$' | head -n 1 | tr -d '<>' || true)
  BODY=$(printf '%s' "$hex" | perl -pe 's/([0-9a-f]{2})/chr(hex($1))/ge')
}
lines() { if [ -f "$results" ]; then wc -l <"$results" | tr -d ' '; else echo 0; fi; }

# MEF Client Registration: CREATE of <mefClientReg> with FR and RQI.
coap post "$base/mef" -t 10001 -O 279,$ID -O 283,rq-1 -e '{"sec:mecr":{"lbl":["mefc"]}}'
check "register: 2.01" "2.01" "$CODE"
check "register: RSC 2001" "2001" "$RSC"
check "register: RQI echoed" "rq-1" "$RQI"
check "register: client ID" "$ID" "$(printf '%s' "$BODY" | jq -r '."sec:mecr".mci')"
cmd=$(printf '%s' "$BODY" | jq -r '."sec:mecr".ch[0].val')
check "register: child <mefClientCmd> path" "/mef/reg-1/cmd" "$cmd"

# Retrieve (MCC-2-3, MCC-2-4): ISSUED the first time, REISSUED after.
coap get "$base$cmd" -O 279,$ID -O 283,rq-2
check "retrieve: 2.05 RSC 2000" "2.05 2000" "$CODE $RSC"
check "retrieve: c-1 ISSUED" "c-1 10 1" "$(printf '%s' "$BODY" | jq -r '."sec:mcc" | "\(.mcci) \(.mccs) \(.mccd.ccid)"')"
check "retrieve: certSubjectID" "urn:dev:ops:smoke-1" "$(printf '%s' "$BODY" | jq -r '."sec:mcc".mccd.cma.cpca.csi')"
coap get "$base$cmd" -A 10001 -O 279,$ID -O 283,rq-3
check "retrieve again: c-1 REISSUED" "c-1 11" "$(printf '%s' "$BODY" | jq -r '."sec:mcc" | "\(.mcci) \(.mccs)"')"
coap get "$base$cmd" -A 0 -O 279,$ID -O 283,rq-3a
check "retrieve accepting text/plain only: 4.06 RSC 5207" "4.06 5207" "$CODE $RSC"

# An Update for another cmdID is discarded (MCC-3-2b); the current command comes back.
coap put "$base$cmd" -t 10001 -O 279,$ID -O 283,rq-4 -e '{"sec:mcc":{"mcci":"c-0","mccs":20}}'
check "update other cmdID: 2.04 RSC 2004" "2.04 2004" "$CODE $RSC"
check "update other cmdID: c-1 again" "c-1 11" "$(printf '%s' "$BODY" | jq -r '."sec:mcc" | "\(.mcci) \(.mccs)"')"
check "update other cmdID: results line" "1" "$(lines)"
check "update other cmdID: discarded" "c-0 20 true c-1" "$(tail -n 1 "$results" | jq -r '"\(.cmd_id) \(.status) \(.discarded) \(.current_cmd_id)"')"

# An Update that does not parse: BAD_REQUEST and no body (MCC-3-2a).
coap put "$base$cmd" -t 10001 -O 279,$ID -O 283,rq-5 -e '{"sec:mcc":{"mcci":"c-1"}}'
check "update unparseable: 4.00 RSC 4000" "4.00 4000" "$CODE $RSC"
check "update unparseable: no body" "" "$BODY"
check "update unparseable: nothing recorded" "1" "$(lines)"

# The matching Update is recorded and the next command issued (MCC-3-3, MCC-3-4).
coap put "$base$cmd" -t 10001 -O 279,$ID -O 283,rq-6 -e '{"sec:mcc":{"mcci":"c-1","mccs":20}}'
check "update c-1: 2.04 RSC 2004" "2.04 2004" "$CODE $RSC"
check "update c-1: next is c-2 ISSUED, class 7" "c-2 10 7" "$(printf '%s' "$BODY" | jq -r '."sec:mcc" | "\(.mcci) \(.mccs) \(.mccd.ccid)"')"
check "update c-1: recorded" "$ID c-1 20 1 20 null" "$(tail -n 1 "$results" | jq -r '"\(.client) \(.cmd_id) \(.status) \(.class) \(.expect) \(.discarded)"')"

# From must be the PSK identity (MCC-2-2).
coap get "$base$cmd" -O 279,CAE-someone-else -O 283,rq-7
check "retrieve with another From: 4.03 RSC 4103" "4.03 4103" "$CODE $RSC"

# After the last command: NO_MORE_COMMANDS with the campaign's retryDuration.
coap put "$base$cmd" -t 10001 -O 279,$ID -O 283,rq-8 -e '{"sec:mcc":{"mcci":"c-2","mccs":41}}'
check "update c-2: NO_MORE_COMMANDS" "nomore 10 0 PT45S" "$(printf '%s' "$BODY" | jq -r '."sec:mcc" | "\(.mcci) \(.mccs) \(.mccd.ccid) \(.mccd.cma.nmca.rdu)"')"
check "update c-2: recorded" "c-2 41 7 41" "$(tail -n 1 "$results" | jq -r '"\(.cmd_id) \(.status) \(.class) \(.expect)"')"

# A client with a PSK but no campaign may not register.
PSK_ID=CAE-no-campaign PSK_KEY=other-secret coap post "$base/mef" -t 10001 -O 279,CAE-no-campaign -O 283,rq-9 -e '{"sec:mecr":{}}'
check "register without a campaign: 4.03 RSC 4103" "4.03 4103" "$CODE $RSC"

check "results file: 3 lines" "3" "$(lines)"
if ! grep -q 'MCC-3-2a' "$work/mefd.log" || ! grep -q 'MCC-3-2b' "$work/mefd.log"; then
  fails=$((fails + 1)); echo "FAIL mefd log names the requirement IDs"
fi
if grep -qi -e "$KEY" -e 'other-secret' "$work/mefd.log"; then
  fails=$((fails + 1)); echo "FAIL mefd log shows a key"
fi
if [ "$fails" -ne 0 ]; then
  echo "--- mefd log"; cat "$work/mefd.log"
fi
echo "mefd_coap_client: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
