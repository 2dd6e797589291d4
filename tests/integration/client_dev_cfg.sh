#!/usr/bin/env bash
# DEV_CFG over OMA LwM2M (devMgmtID 3) against mefd as the Bootstrap-Server,
# on the MEF's CoAPS listener (DTLS with the client's MEF certificate; one
# client with DTLS-PSK): POST /bs?ep=, Bootstrap-Delete/Write in TLV and
# SenML JSON, Bootstrap-Finish, the objects in lwm2m.json (MCC-8-5,
# MCC-8-6-OK). A [trustAnchorCred] written over LwM2M is fetched by the next
# MO_NODE command of the same run, and a bootstrapped [authenticationProfile]
# replaces the configured one (I-46). Each failure outcome (MCC-8-6-SRV 201,
# MCC-8-6-CLI 202, I-36, I-47): /bs refused, malformed TLV, no Finish, an
# inconsistent configuration, hostile TLV and SenML, an unreachable server,
# an unsupported scheme, the client's own limits; nothing of a failed
# bootstrap is stored. Then the store merged at load (status, and a new
# process processing a bootstrapped node), a tampered store refused, raw
# POST /bs requests from libcoap's coap-client, and campaigns whose
# bootstrap member mefd refuses.
set -eu
. "$(dirname "$0")/lib/client.sh"

ID=urn:dev:ops:test-lw-1
PID=kpm-lw-2
make_pki "$ID"
pki="$work/pki"
TA_FP=$(fingerprint "$pki/ta/ta1.pem")
OWN_FP=$(fingerprint "$pki/client.pem")
printf '%s,%s\n' "$PID" "psk-lw-secret-2" >"$work/psk.txt"
printf 'psk-lw-secret-2\n' >"$work/kpm.key"
chmod 600 "$work/psk.txt" "$work/kpm.key"

# Nine object instances in one Write: past the client's limit of 8.
NINE=""
for i in 0 1 2 3 4 5 6 7 8; do NINE="${NINE}030${i}c10078"; done
# 30 SenML records: past the core JSON reader's 96 tokens.
MANY=$(for i in $(seq 0 29); do printf '{"n":"/0/3/%d","v":1},' "$i"; done)
MANY="[${MANY%,}]"
MANY_JSON=$(printf '%s' "$MANY" | jq -Rs .)

mefd_prepare() {
  DM="coaps://mef.example.com:$COAPS_PORT"
  cat >"$work/campaign.json" <<JSON
{"clients": {
 "$ID": {"retry_duration": "PT30S", "commands": [
  {"id": "d-1", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 20,
   "bootstrap": {"format": "tlv", "write": [
     {"path": "/0/1", "values": {"0": "coaps://lwm2m.example.com:5684", "1": false, "2": 0,
                                "3": {"hex": "6b706d2d31"}, "5": {"hex": "00112233445566778899"},
                                "10": 101, "16": [49320, 174]}},
     {"path": "/1/0", "values": {"0": 101, "1": 86400, "6": true, "7": "U"}},
     {"path": "/26242/0", "values": {"0": "/dm/reg1/ap/ta9", "1": "/dm/reg1/ap",
                                    "2": {"hex": "$TA_FP"},
                                    "3": "https://mef.example.com:$HTTPS_PORT/ta/ta1.pem"}}]}},
  {"id": "m-1", "class": 3, "args": {"nnca": {"ajop": "/dm/reg1/ap/ta9", "otyp": 2}}, "expect": 20},
  {"id": "d-2", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 201,
   "bootstrap": {"fault": "refuse", "write": [{"path": "/1/5", "values": {"0": 5, "1": 99991, "7": "U"}}]}},
  {"id": "d-3", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 201,
   "bootstrap": {"fault": "malformed", "write": [{"path": "/1/5", "values": {"0": 5, "1": 99992, "7": "U"}}]}},
  {"id": "d-4", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 201,
   "bootstrap": {"fault": "never_finish", "write": [
     {"path": "/0/5", "values": {"0": "coap://x.example.com", "1": false, "2": 3, "10": 5}},
     {"path": "/1/5", "values": {"0": 5, "1": 99993, "7": "U"}}]}},
  {"id": "d-5", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 201,
   "bootstrap": {"fault": "inconsistent", "write": [
     {"path": "/0/5", "values": {"0": "coap://x.example.com", "1": false, "2": 3, "10": 5}},
     {"path": "/1/5", "values": {"0": 5, "1": 99994, "7": "U"}}]}},
  {"id": "d-6", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 201,
   "bootstrap": {"delete": [], "write": [{"path": "/0/2", "raw_hex": "8510054800c86162"}]}},
  {"id": "d-7", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 201,
   "bootstrap": {"format": "senml", "delete": [], "write": [{"path": "/0/2", "raw": "[{\"bn\":\"/0/2/\",\"n\":\"5\",\"vd\":\"!!!!\"}]"}]}},
  {"id": "d-8", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 201,
   "bootstrap": {"format": "senml", "delete": [], "write": [{"path": "/0/2", "raw": "[{\"n\":\"/1/0/1\",\"v\":99995}]"}]}},
  {"id": "d-9", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 201,
   "bootstrap": {"delete": [], "write": [{"path": "/3/0", "values": {"0": "not an object of this client"}}]}},
  {"id": "d-10", "class": 2, "args": {"dcca": {"dcu": "3:coaps://mef.example.com:1"}}, "expect": 201},
  {"id": "d-11", "class": 2, "args": {"dcca": {"dcu": "3:http://mef.example.com:$COAPS_PORT"}}, "expect": 202},
  {"id": "d-12", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 202,
   "bootstrap": {"delete": [], "write": [{"path": "/0", "raw_hex": "$NINE"}]}},
  {"id": "d-13", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 202,
   "bootstrap": {"format": "senml", "delete": [], "write": [{"path": "/0/3", "raw": $MANY_JSON}]}},
  {"id": "d-14", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 20,
   "bootstrap": {"format": "senml", "delete": ["/1"], "write": [
     {"path": "/0/0", "values": {"0": "coaps://lwm2m2.example.com", "1": false, "2": 0,
                                "5": {"hex": "fffe00017f"}, "10": 102}},
     {"path": "/1/1", "values": {"0": 102, "1": 3600, "7": "UQ"}},
     {"path": "/26241/0", "values": {"0": "/dm/reg1/ap", "1": "/dm/reg1", "2": 12, "3": "key-1",
                                    "5": [174, 49320]}}]}},
  {"id": "m-2", "class": 3, "args": {"nnca": {"ajop": "/dm/reg1/ap", "otyp": 1, "otsa": {"suid": 12}}}, "expect": 20}
 ]},
 "$PID": {"retry_duration": "PT30S", "commands": [
  {"id": "p-1", "class": 2, "args": {"dcca": {"dcu": "3:$DM"}}, "expect": 20,
   "bootstrap": {"format": "senml", "write": [
     {"path": "/0/0", "values": {"0": "coaps://lwm2m.example.com", "1": false, "2": 0, "10": 7}},
     {"path": "/1/0", "values": {"0": 7, "1": 60, "7": "U"}},
     {"path": "/26241/3", "values": {"0": "/dm/reg1/ap-psk", "1": "/dm/reg1", "2": 12, "3": "key-1",
                                    "5": [174, 49320]}}]}}
 ]}}}
JSON
}
start_mefd --coaps-port auto-coaps --https-port auto-https --cert "$pki/mef.pem" --key "$pki/mef.key" \
  --ca "$pki/ca.pem" --ca-key "$pki/ca.key" --ta-dir "$pki/ta" --psk-file "$work/psk.txt" \
  --campaign "$work/campaign.json"

cat >"$work/mefc.json" <<JSON
{
  "mef": {"address": "coaps://127.0.0.1:$COAPS_PORT", "fqdn": "mef.example.com",
          "hosts": {"mef.example.com": "127.0.0.1"}},
  "identity": "$ID",
  "credentials": {"cert": {"cert_file": "pki/client.pem", "key_file": "pki/client.key", "trust_anchors": "pki/ca.pem"}},
  "https": {"trust_anchors": "pki/ca.pem"},
  "state_dir": "state",
  "coap": {"ack_timeout_ms": 500, "max_retransmit": 1, "response_timeout_ms": 4000},
  "lwm2m": {"timeout_ms": 2500},
  "client": {"role": "node", "acts_for": ["$ID", "/CSE01"], "classes": [0, 1, 2, 3],
             "cert_prov_protocols": [1], "dev_mgmt_ids": [3], "symm_keys": ["key-1"]},
  "mo": [
    {"path": "/dm/reg1", "mgd": 1020, "attrs": {"csi": "/CSE01"}},
    {"path": "/dm/reg1/ap", "parent": "/dm/reg1", "mgd": 1022,
     "attrs": {"suid": 42, "mcfp": "$OWN_FP", "tlcs": [49187, 49326]}}
  ]
}
JSON

MEFD_RUN_START=$(date +%s)
run_mefc run run --once --config "$work/mefc.json"
check "run --once: exit 0" 0 "$RC"
for c in d-1:20 m-1:20 d-2:201 d-3:201 d-4:201 d-5:201 d-6:201 d-7:201 d-8:201 d-9:201 d-10:201 \
         d-11:202 d-12:202 d-13:202 d-14:20 m-2:20; do
  check "status of ${c%%:*} recorded by mefd" "${c#*:}" "$(result_of "${c%%:*}")"
done
log="$work/run.log"
ml="$work/mefd.log"
check_grep "client: Bootstrap-Request with the endpoint name" "dev_cfg: Bootstrap-Request POST coaps://mef.example.com:[0-9]+/bs\?ep=$ID" "$log"
check_grep "client: TLV write with a multiple resource" 'dev_cfg: write /0/1 \(TLV, 8 values\) -> 2.04' "$log"
check_grep "client: SenML write" 'dev_cfg: write /1/1 \(SenML JSON, 3 values\) -> 2.04' "$log"
check_grep "client: Finish accepted and stored" 'dev_cfg: Bootstrap-Finish accepted: 1 delete\(s\), 3 write\(s\), 1 MO node\(s\) bootstrapped, stored in lwm2m.json -> 2.04' "$log"
check_grep "bootstrapped [trustAnchorCred] fetched by the next MO_NODE" "trust anchor: stored, sha256 $TA_FP, bound to /dm/reg1/ap/ta9" "$log"
check_grep "refused /bs is server-side" 'dev_cfg: Bootstrap-Request answered 4.03 \(2.04 expected\): refused' "$log"
check_grep "malformed TLV refused with 4.00" 'dev_cfg: write /1/5: TLV payload malformed -> 4.00' "$log"
check_grep "no Finish: the deadline" 'dev_cfg: no Bootstrap-Finish within 2500 ms: nothing stored' "$log"
check_grep "inconsistent configuration: 4.06" 'dev_cfg: Bootstrap-Finish on an inconsistent configuration: no LwM2M Server account .* -> 4.06' "$log"
check_grep "hostile TLV (nested length overflow) refused" 'dev_cfg: write /0/2: TLV payload malformed -> 4.00' "$log"
check_grep "hostile SenML (bad base64) refused" 'dev_cfg: write /0/2: SenML payload malformed -> 4.00' "$log"
check_grep "SenML naming another path refused" 'dev_cfg: write /0/2: SenML payload names another path -> 4.00' "$log"
check_grep "object this client lacks: 4.04" 'dev_cfg: write /3/0: no object 3 -> 4.04' "$log"
check_grep "unreachable server" 'dev_cfg: Bootstrap-Request failed: ' "$log"
check_grep "unsupported scheme is client-side" 'dev_cfg: DM server URI http://mef.example.com:[0-9]+: unsupported URI scheme' "$log"
check_grep "nine instances: the client's limit (4.13)" 'dev_cfg: write /0: /0: more than 8 instances -> 4.13' "$log"
check_grep "30 SenML records: the client's limit (4.13)" "dev_cfg: write /0/3: SenML payload past this client's limits -> 4.13" "$log"
check_grep "outcome ok" 'outcome dev_cfg: ok' "$log"
check_grep "outcome server_error" 'outcome dev_cfg: server_error' "$log"
check_grep "outcome client_error" 'outcome dev_cfg: client_error' "$log"
check_grep "mefd: finished" "bootstrap: client=$ID outcome=finished" "$ml"
check_grep "mefd: refused" "bootstrap: client=$ID outcome=refused" "$ml"
check_grep "mefd: client rejected the malformed write" "bootstrap: client=$ID outcome=client_rejected" "$ml"
check_grep "mefd: Finish withheld" "bootstrap: client=$ID outcome=finish_withheld" "$ml"
check_grep "mefd: client refused Finish" "bootstrap: client=$ID outcome=finish_refused" "$ml"
check_grep "mefd: TLV write sent" "bootstrap: client=$ID: PUT /0/1 \(TLV, [0-9]+ bytes\) -> 2.04" "$ml"
check_grep "mefd: SenML write sent" "bootstrap: client=$ID: PUT /1/1 \(SenML JSON, [0-9]+ bytes\) -> 2.04" "$ml"

st="$work/state/lwm2m.json"
check "store: mode 0600" "600" "$(stat -c %a "$st")"
check "store: version, endpoint" "1 $ID" "$(jq -r '"\(.version) \(.endpoint)"' "$st")"
check "store: TLV Security instance kept" 'coaps://lwm2m.example.com:5684 false 0 6b706d2d31 101' \
  "$(jq -r '.objects["0"]["1"] | "\(.["0"]) \(.["1"]) \(.["2"]) \(.["3"]) \(.["10"])"' "$st")"
check "store: TLV multiple resource" '{"0":49320,"1":174}' "$(jq -c '.objects["0"]["1"]["16"]' "$st")"
check "store: SenML opaque (vd) decoded" 'fffe00017f' "$(jq -r '.objects["0"]["0"]["5"]' "$st")"
check "store: /1 deleted, then /1/1 written" '["1"] 102 3600 UQ' \
  "$(jq -c -r '.objects["1"] | "\(keys) \(.["1"]["0"]) \(.["1"]["1"]) \(.["1"]["7"])"' "$st")"
check "store: MO nodes of both bootstraps" '/dm/reg1/ap/ta9:1024 /dm/reg1/ap:1022:12:key-1:[174,49320]' \
  "$(jq -c -r '[.mo[] | [.path, .mgd, .attrs.suid, .attrs.aski, (.attrs.tlcs|tojson)] | map(select(. != null and . != "null")) | map(tostring) | join(":")] | sort | join(" ")' "$st")"
check "store: nothing of a failed bootstrap (9999x)" "0" "$(grep -c 9999 "$st" || true)"
check "store: nothing of a failed bootstrap (/0/5, /1/5)" "null null" \
  "$(jq -c -r '"\(.objects["0"]["5"]) \(.objects["1"]["5"])"' "$st")"
check "no temp file left" "" "$(find "$work/state" -name '.*tmp*' | head -n 1)"

# The store merged at load: status loads the configuration with lwm2m.json.
run_mefc status status --config "$work/mefc.json"
check "status with the store: exit 0" 0 "$RC"
# A tampered store is refused with the MO checks of configured nodes.
cp "$st" "$work/lwm2m.good"
jq '.mo[0].parent = "/dm/nowhere"' "$work/lwm2m.good" >"$st"
run_mefc tampered status --config "$work/mefc.json"
check "tampered store: exit 2 or 1" "yes" "$([ "$RC" -ne 0 ] && echo yes)"
check_grep "tampered store: named" 'no MO node "/dm/nowhere" listed before this one \(in the MO tree with the bootstrapped nodes of lwm2m.json\)' "$work/tampered.log"
cp "$work/lwm2m.good" "$st"

# The PSK client: DTLS-PSK with the KpmID, SenML.
psk_config() {
cat >"$work/psk.json" <<JSON
{
  "mef": {"address": "coaps://127.0.0.1:$COAPS_PORT", "fqdn": "mef.example.com",
          "hosts": {"mef.example.com": "127.0.0.1"}},
  "credentials": {"psk": {"identity": "$PID", "key_file": "kpm.key"}},
  "state_dir": "pstate",
  "coap": {"ack_timeout_ms": 500, "max_retransmit": 1, "response_timeout_ms": 4000},
  "client": {"role": "node", "acts_for": ["$PID", "/CSE01"], "classes": [0, 2, 3], "dev_mgmt_ids": [3],
             "symm_keys": ["key-1"]},
  "mo": [{"path": "/dm/reg1", "mgd": 1020, "attrs": {"csi": "/CSE01"}}]
}
JSON
}
psk_config
run_mefc psk run --once --config "$work/psk.json"
check "PSK client: exit 0" 0 "$RC"
check "PSK client: p-1 recorded 20" 20 "$(result_of p-1)"
check "PSK client: store" "7 7 $PID" \
  "$(jq -r '"\(.objects["0"]["0"]["10"]) \(.objects["1"]["0"]["0"]) \(.endpoint)"' "$work/pstate/lwm2m.json")"
check_no_grep "PSK client: no key in the log" 'psk-lw-secret-2' "$work/psk.log"

# Raw peers: libcoap's coap-client against mefd's /bs.
if command -v coap-client-openssl >/dev/null; then
  raw() { timeout 10 coap-client-openssl -B 5 -m post -u "$PID" -k psk-lw-secret-2 "$@" 2>&1 | tr -d '\n' || true; }
  check "raw: POST /bs without ep -> 4.00" "yes" \
    "$(raw "coaps://127.0.0.1:$COAPS_PORT/bs" | grep -q '4.00' && echo yes)"
  check "raw: ep not the DTLS identity -> 4.03" "yes" \
    "$(raw "coaps://127.0.0.1:$COAPS_PORT/bs?ep=$ID" | grep -q '4.03' && echo yes)"
  check "raw: no DEV_CFG current -> 4.04" "yes" \
    "$(raw "coaps://127.0.0.1:$COAPS_PORT/bs?ep=$PID" | grep -q '4.04' && echo yes)"
fi
# A new client process (and a new mefd): the bootstrapped [authenticationProfile]
# is in the tree merged at load, and an MO_NODE command processes it.
stop_mefd
mefd_prepare() {
  cat >"$work/campaign.json" <<JSON
{"clients": {"$PID": {"commands": [
  {"id": "p-2", "class": 3, "args": {"nnca": {"ajop": "/dm/reg1/ap-psk", "otyp": 1, "otsa": {"suid": 12}}}, "expect": 20}]}}}
JSON
}
start_mefd --coaps-port auto-coaps --psk-file "$work/psk.txt" --campaign "$work/campaign.json"
psk_config
run_mefc psk2 run --once --config "$work/psk.json"
check "restart: exit 0" 0 "$RC"
check "restart: the bootstrapped node processed (p-2 recorded 20)" 20 "$(result_of p-2)"

# mefd refuses a campaign whose bootstrap member it cannot carry out.
bad_campaign() { # bad_campaign NAME BOOTSTRAP_JSON LOG_PATTERN
  printf '{"clients": {"x": {"commands": [{"id": "d", "class": 2, "bootstrap": %s}]}}}\n' "$2" \
    >"$work/bad.json"
  set +e
  timeout 10 "$MEFD" --campaign "$work/bad.json" --results "$work/bad.jsonl" --coaps-port 0 \
    --coap-port 9 --max-seconds 1 2>"$work/bad-$1.log"
  local rc=$?
  set -e
  check "campaign refused: $1" "yes" "$([ "$rc" -ne 0 ] && grep -qE "$3" "$work/bad-$1.log" && echo yes)"
}
bad_campaign fault '{"fault": "explode"}' 'bootstrap: "fault" must be'
bad_campaign delete '{"delete": ["/0/1/2"]}' 'a "delete" path must be'
bad_campaign write-path '{"write": [{"path": "/0", "values": {"0": 1}}]}' 'a "write" path must be'
bad_campaign value '{"write": [{"path": "/0/0", "values": {"0": [[1]]}}]}' 'a value must be'
bad_campaign hex '{"write": [{"path": "/0/0", "values": {"3": {"hex": "abc"}}}]}' 'a value must be'
bad_campaign hex-digits '{"write": [{"path": "/0/0", "values": {"3": {"hex": "zz"}}}]}' 'a value must be'
bad_campaign malformed-alone '{"fault": "malformed"}' 'needs at least one write'
finish
