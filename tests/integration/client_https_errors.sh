#!/usr/bin/env bash
# Error paths of the oneM2M HTTP binding. mefd's side: the status of TS-0009
# table 6.3.2-1 with the Response Status Code in X-M2M-RSC for each error
# response (checked with the curl program, a client nobody here wrote), the
# request identifier echoed, no Reason-Phrase. mefc's side: an Update left
# unanswered is a transport failure that is resent (I-21), and a registration
# refused with 403 / 4103 is reported with both codes.
set -eu
. "$(dirname "$0")/lib/client.sh"
command -v curl >/dev/null || { echo "$name: curl is not installed" >&2; exit 1; }

ID=urn:dev:ops:test-http-1
make_pki "$ID"
pki="$work/pki"
cat >"$work/campaign.json" <<JSON
{"clients": {"$ID": {"retry_duration": "PT30S", "commands": [
  {"id": "c-1", "mccd": {"ccid": 7}, "expect": 41, "drop_updates": 1},
  {"id": "c-2", "class": 3, "args": {"nnca": {"ajop": "/dm/nowhere", "otyp": 2}}, "expect": 300}
]}}}
JSON
start_mefd --coaps-port auto-coaps --https-port auto-https --cert "$pki/mef.pem" --key "$pki/mef.key" \
  --ca "$pki/ca.pem" --campaign "$work/campaign.json"

config() { # config IDENTITY
  cat <<JSON
{
  "mef": {"address": "https://127.0.0.1:$HTTPS_PORT", "fqdn": "mef.example.com"},
  "identity": "$1",
  "credentials": {"cert": {"cert_file": "pki/client.pem", "key_file": "pki/client.key", "trust_anchors": "pki/ca.pem"}},
  "state_dir": "state",
  "http": {"response_timeout_ms": 1500},
  "run": {"once_max_backoffs": 3},
  "client": {"role": "node", "acts_for": ["$ID"], "classes": [0, 1, 2, 3],
             "cert_prov_protocols": [1], "dev_mgmt_ids": [3]}
}
JSON
}
config "$ID" >"$work/mefc.json"
config urn:dev:ops:someone-else >"$work/other.json"

# The first Update of c-1 gets no response: the client times out, backs off
# and resends it; mefd records it once and the campaign goes on.
run_mefc run run --once --config "$work/mefc.json"
check "run --once: exit 0" 0 "$RC"
check "status of c-1 recorded by mefd" 41 "$(result_of c-1)"
check "status of c-2 recorded by mefd" 300 "$(result_of c-2)"
check "c-1 recorded once" 1 "$(jq -r 'select(.cmd_id == "c-1") | .status' "$work/results.jsonl" | wc -l)"
check_grep "mefd dropped the first Update" 'https: PUT /mef/reg-1/cmd from .* -> no response \(dropped\)' "$work/mefd.log"
check_grep "no response is a transport failure" '^mefc: update failed: Timeout was reached.*no response within 1500 ms.*transport failure \(I-21\)' "$work/run.log"
check_grep "the Update is resent after backoff" 'backoff: resend in [0-9]+ ms \(I-10\)' "$work/run.log"

# A From that is not the identity of the client certificate: 403 with 4103.
rm -rf "$work/state"
run_mefc other run --once --config "$work/other.json"
check "From not the TLS identity: exit 1" 1 "$RC"
check_grep "registration refused with the HTTP status and the RSC" \
  '^mefc: error: registration refused: HTTP 403 rsc=4103' "$work/other.log"
check_grep "mefd says why" "register: client=urn:dev:ops:someone-else: From differs from the TLS certificate identity $ID -> 4103" "$work/mefd.log"

# Requests by curl: STATUS RSC for each; headers and body of the last in
# $work/hdr and $work/body.
req() { # req METHOD PATH ORIGIN CONTENT-TYPE ACCEPT BODY: prints "STATUS RSC"
  rm -f "$work/hdr" "$work/body"
  local args=(-s -o "$work/body" -D "$work/hdr" -X "$1" --cacert "$pki/ca.pem" --cert "$pki/client.pem"
    --key "$pki/client.key" --tlsv1.2 --tls-max 1.2 --resolve "mef.example.com:$HTTPS_PORT:127.0.0.1"
    -H "X-M2M-RI: curl-ri-$1" -H "X-M2M-RVI: 3" -H "X-M2M-Origin: $3" -H "Accept: $5" -H "Expect:")
  [ -n "$4" ] && args+=(-H "Content-Type: $4")
  [ -n "$6" ] && args+=(--data-binary "$6")
  curl "${args[@]}" "https://mef.example.com:$HTTPS_PORT$2" || true
  printf '%s %s' "$(head -n 1 "$work/hdr" | cut -d' ' -f2)" "$(hdr x-m2m-rsc)"
}
hdr() { grep -i "^$1:" "$work/hdr" | tr -d '\r' | cut -d' ' -f2; }
RES=application/vnd.onem2m-res+json
HT_JSON=application/json
REG='{"sec:mecr":{"lbl":["curl"]}}'
check "registration: 201 / 2001" "201 2001" "$(req POST /mef "$ID" "$RES; ty=10020" "$RES" "$REG")"
check "registration: X-M2M-RI echoed" "curl-ri-POST" "$(hdr x-m2m-ri)"
check "registration: Content-Location of the created resource" "/mef/reg-1" \
  "$(hdr content-location)"
check "registration: no Reason-Phrase (TS-0009 6.3.3)" "HTTP/1.1 201 " "$(head -n 1 "$work/hdr" | tr -d '\r')"
check "registration: body in the oneM2M media type" "$RES" "$(hdr content-type)"
check "registration without ty= (a Notify): 400 / 4000" "400 4000" "$(req POST /mef "$ID" "$RES" "$RES" "$REG")"
check "registration in text/plain: 415 / 4015" "415 4015" "$(req POST /mef "$ID" "text/plain; ty=10020" "$RES" "$REG")"
check "From another than the certificate: 403 / 4103" "403 4103" "$(req POST /mef urn:dev:ops:x "$RES; ty=10020" "$RES" "$REG")"
check "GET of /mef: 405 / 4005" "405 4005" "$(req GET /mef "$ID" "" "$RES" "")"
check "Retrieve: 200 / 2000" "200 2000" "$(req GET /mef/reg-1/cmd "$ID" "" "$RES" "")"
check "Retrieve: the NO_MORE_COMMANDS command" "nomore 0" "$(jq -r '"\(.["sec:mcc"].mcci) \(.["sec:mcc"].mccd.ccid)"' "$work/body")"
check "Retrieve accepting only XML: 406 / 5207" "406 5207" "$(req GET /mef/reg-1/cmd "$ID" "" application/xml "")"
check "Retrieve accepting application/json: 200 / 2000" "200 2000" "$(req GET /mef/reg-1/cmd "$ID" "" application/json "")"
check "Retrieve accepting application/json: the body in that type" "$HT_JSON" "$(hdr content-type)"
check "DELETE of <mefClientCmd>: 405 / 4005" "405 4005" "$(req DELETE /mef/reg-1/cmd "$ID" "" "$RES" "")"
check "Update without cmdID: 400 / 4000" "400 4000" "$(req PUT /mef/reg-1/cmd "$ID" "$RES" "$RES" '{"sec:mcc":{"mccs":20}}')"
check "unknown registration: 404 / 4004" "404 4004" "$(req GET /mef/reg-9/cmd "$ID" "" "$RES" "")"
check "unknown path: 404 / 4004" "404 4004" "$(req GET /nowhere "$ID" "" "$RES" "")"
finish
