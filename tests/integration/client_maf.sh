#!/usr/bin/env bash
# The MAF procedures end to end: mefc takes MO_NODE commands over CoAP/DTLS
# from mefd and runs MAF Client Registration (TS-0003 8.3.9.9.8 calling 8.8.2.3)
# and MAF Key Registration (8.3.9.9.5 calling 8.8.2.7) against mefd's MAF role
# on its own HTTPS port (and, for a node offering CoAP only, on its own CoAPS
# port, the request typed by its body's root), first with a pre-provisioned
# Km/KmID (TLS-PSK and DTLS-PSK MAF Handshakes), then with certificates. Both ends must hold the same 32-byte key
# under RelativeKeyID@MAF-FQDN (compared with cmp, never printed). Every
# element the client verifies is taken away or changed by the MAF in turn;
# refusals, an unreachable MAF, an untrusted MAF certificate, a wrong Km, a
# KmID of another MAF, a node without a port, a key registration without a
# registration, with an expired one and with SUID 31, and over CoAP a rejected
# RelativeKeyID and a refusal each end in 305.
# Requirements: MCC-9-8-REQ, MCC-9-8-PROTO, MCC-9-8-VERIFY, MCC-9-8-OK, MCC-9-8-FAIL,
# MCC-9-5-PA (I-32), MCC-9-5-PB, MCC-9-5-REQ, MCC-9-5-TGTS, MCC-9-5-PROTO, MCC-9-5-VERIFY,
# MCC-9-5-OK, MCC-9-5-FAIL; rulings I-41, I-42, I-43.
set -eu
. "$(dirname "$0")/lib/client.sh"

ID=urn:dev:ops:mefc-maf-1
KMID=km-0001@maf.example.com
KEYHEX=$(openssl rand -hex 16)
KMHEX=$(openssl rand -hex 16)
printf '%s,hex:%s\n' "$ID" "$KEYHEX" >"$work/psk.txt"
printf 'hex:%s\n' "$KEYHEX" >"$work/kpm.key"
printf '%s,%s,hex:%s\n' "$KMID" "$ID" "$KMHEX" >"$work/km.txt"
printf 'hex:%s\n' "$KMHEX" >"$work/km.key"
chmod 600 "$work/psk.txt" "$work/kpm.key" "$work/km.txt" "$work/km.key"
make_pki "$ID"
pki="$work/pki"
make_maf_cert
mkdir -m 700 "$work/mafkeys"
cp "$root/examples/campaign-maf.json" "$work/campaign.json"

start_mefd --coaps-port auto-coaps --psk-file "$work/psk.txt" \
  --maf-https-port auto-maf --maf-coaps-port auto-maf-coaps --maf-fqdn maf.example.com \
  --maf-cert "$pki/maf.pem" --maf-key "$pki/maf.key" --maf-psk-file "$work/km.txt" \
  --key-dir "$work/mafkeys" --campaign "$work/campaign.json"

ts() { date -u -d "@$(($(date -u +%s) + $1))" +%Y%m%dT%H%M%S; }
maf() { # maf ADFQ [EXTRA-ATTRS-JSON]: a [MAFClientRegCfg]'s attributes
  jq -cn --arg a "$1" --argjson p "$MAF_PORT" --argjson x "${2:-{\}}" \
    '{fq: "maf.example.com", adfq: $a, hpt: $p} + $x'
}
ET_DAY=$(ts 86400)
# Registered within 8 s (m-20), expired by the time m-22 runs: m-21's dropped
# Update costs coap.response_timeout_ms (9 s) and a backoff.
ET_SHORT=$(ts 8)
jq -n --arg addr "coaps://127.0.0.1:$COAPS_PORT" --arg id "$ID" --arg kmid "$KMID" \
  --argjson reg "$(maf admin.example.com "{\"et\": \"$ET_DAY\", \"lbl\": [\"maf\", \"t1\"]}")" \
  --argjson child "$(maf admin.example.com)" --argjson other "$(maf other-admin.example.com)" \
  --argjson short "$(maf short-admin.example.com "{\"et\": \"$ET_SHORT\"}")" \
  --argjson shortc "$(maf short-admin.example.com)" --arg et "$ET_DAY" \
  --argjson cpt "$MAF_COAPS_PORT" '{
  mef: {address: $addr, fqdn: "mef.example.com",
        hosts: {"mef.example.com": "127.0.0.1", "maf.example.com": "127.0.0.1"}},
  credentials: {psk: {identity: $id, key_file: "kpm.key"}},
  maf: {psk: {identity: $kmid, key_file: "km.key"}},
  state_dir: "state",
  coap: {ack_timeout_ms: 1000, max_retransmit: 2, response_timeout_ms: 9000},
  http: {response_timeout_ms: 5000},
  run: {once_max_backoffs: 2},
  client: {role: "node", acts_for: [$id], classes: [0, 1, 2, 3]},
  mo: [
    {path: "/dm/maf1", mgd: 1025, attrs: $reg},
    {path: "/dm/maf1/ap31", parent: "/dm/maf1", mgd: 1022, attrs: {suid: 31, tlcs: [174], mkrd: "P1D"}},
    {path: "/dm/maf1/ap31/maf", parent: "/dm/maf1/ap31", mgd: 1025, attrs: $child},
    {path: "/dm/reg1", mgd: 1020, attrs: {csi: "/CSE01"}},
    {path: "/dm/reg1/ap-maf", parent: "/dm/reg1", mgd: 1022,
     attrs: {suid: 32, tlcs: [174, 49320], mkrd: "P1D", mkrl: ["mk", "reg1"]}},
    {path: "/dm/reg1/ap-maf/maf", parent: "/dm/reg1/ap-maf", mgd: 1025, attrs: $child},
    {path: "/dm/dc1", mgd: 1021, attrs: {cntp: "//sp.example.com/CSE02/cnt1"}},
    {path: "/dm/dc1/ap-maf", parent: "/dm/dc1", mgd: 1022, attrs: {suid: 33, mkrd: "PT10M"}},
    {path: "/dm/dc1/ap-maf/maf", parent: "/dm/dc1/ap-maf", mgd: 1025,
     attrs: {fq: "maf.example.com", adfq: "admin.example.com", coapPort: $cpt}},
    {path: "/dm/reg1/ap-other", parent: "/dm/reg1", mgd: 1022, attrs: {suid: 32, tlcs: [174], mkrd: "P1D"}},
    {path: "/dm/reg1/ap-other/maf", parent: "/dm/reg1/ap-other", mgd: 1025, attrs: $other},
    {path: "/dm/reg1/ap-short", parent: "/dm/reg1", mgd: 1022, attrs: {suid: 32, tlcs: [174], mkrd: "P1D"}},
    {path: "/dm/reg1/ap-short/maf", parent: "/dm/reg1/ap-short", mgd: 1025, attrs: $shortc},
    {path: "/dm/maf-short", mgd: 1025, attrs: $short},
    {path: "/dm/maf-down", mgd: 1025,
     attrs: {fq: "maf.example.com", adfq: "admin.example.com", et: $et, hpt: 1}},
    {path: "/dm/maf-coap", mgd: 1025,
     attrs: {fq: "maf.example.com", adfq: "admin.example.com", et: $et, coapPort: $cpt}}
  ]}' >"$work/mefc.json"

# The configuration refuses a KmID without its MAF-FQDN and an unknown maf key.
jq '.maf.psk.identity = "km-0001"' "$work/mefc.json" >"$work/bad-kmid.json"
jq '.maf.cert = "x.pem"' "$work/mefc.json" >"$work/bad-key.json"
run_mefc bad-kmid status --config "$work/bad-kmid.json"
check_grep "configuration: a KmID is MAF_RELATIVE_KmID@MAF-FQDN" 'maf\.psk\.identity: a KmID' "$work/bad-kmid.log"
run_mefc bad-key status --config "$work/bad-key.json"
check_grep "configuration: unknown maf key refused" 'maf.*cert' "$work/bad-key.log"

run_mefc run run --once -v --config "$work/mefc.json"
check "run --once: exit 0" 0 "$RC"
check_campaign "$work/campaign.json" 24

log="$work/run.log"
reg="$work/state/mafreg.json"
idx="$work/state/keyreg.json"
check "MCC-9-8-OK: three registrations stored, bound to their nodes" "/dm/maf-coap /dm/maf-short /dm/maf1" \
  "$(jq -r '[.regs[].node] | sort | join(" ")' "$reg")"
check "MCC-9-8-OK: the stored one is m-1's (rejected responses changed nothing)" "macr-1" \
  "$(jq -r '.regs[] | select(.node == "/dm/maf1") | .ri' "$reg")"
check "MCC-9-8-REQ: labels and expirationTime of the node sent and granted" "[\"maf\",\"t1\"] $ET_DAY" \
  "$(jq -r '.regs[] | select(.node == "/dm/maf1") | "\(.lbl|tojson) \(.et)"' "$reg")"
check "MCC-9-8-VERIFY: MAF Client ID and adminFQDN" "$ID admin.example.com maf.example.com" \
  "$(jq -r '.regs[] | select(.node == "/dm/maf1") | "\(.mci) \(.adfq) \(.fq)"' "$reg")"
check "MCC-9-5-OK: two key registrations stored, one per profile" "/dm/dc1/ap-maf /dm/reg1/ap-maf" \
  "$(jq -r '[.keys[].node] | sort | join(" ")' "$idx")"
check "MCC-9-5-TGTS: [registration] parent gives its CSE-ID" '["/CSE01"]' \
  "$(jq -c '.keys[] | select(.node == "/dm/reg1/ap-maf") | .tgis' "$idx")"
check "MCC-9-5-TGTS: [dataCollection] parent gives the CSE-ID of its containerPath" '["//sp.example.com/CSE02"]' \
  "$(jq -c '.keys[] | select(.node == "/dm/dc1/ap-maf") | .tgis' "$idx")"
check "MCC-9-5-REQ: labels are the profile's MAFKeyRegLabels, SUIDs the profiles'" '["mk","reg1"] 32 33' \
  "$(jq -r '"\(.keys[] | select(.node == "/dm/reg1/ap-maf") | .lbl | tojson) \([.keys[].suid] | sort | map(tostring) | join(" "))"' "$idx")"
check "MCC-9-5-VERIFY: Source MAF Client ID is the client" "$ID $ID" "$(jq -r '[.keys[].mci] | join(" ")' "$idx")"
et=$(jq -r '.keys[] | select(.node == "/dm/dc1/ap-maf") | .et' "$idx")
now=$(date -u +%s)
et_s=$(date -u -d "${et:0:4}-${et:4:2}-${et:6:2} ${et:9:2}:${et:11:2}:${et:13:2}" +%s)
check "MCC-9-5-REQ: expirationTime is now + MAFKeyRegDuration (PT10M)" yes \
  "$([ $((et_s - now)) -gt 500 ] && [ $((et_s - now)) -le 600 ] && echo yes)"

same=0
for kid in $(jq -r '.keys[].key_id' "$idx"); do
  case $kid in
    [0-9a-f]*@maf.example.com) ;;
    *) check "key identifier $kid is RelativeKeyID@MAF-FQDN" ok bad ;;
  esac
  if check_key_pair "$kid" "$work/state/keys/$kid.key" "$work/mafkeys/$kid.key" "$log" \
    "$work/mefd.log"; then same=$((same + 1)); fi
done
# One over HTTPS (m-2, /dm/reg1/ap-maf), one over CoAP/DTLS (m-3, /dm/dc1/ap-maf).
check "both ends hold the same key for each registration (HTTPS and CoAP)" 2 "$same"
# m-9..m-14 and m-23 were registered by the MAF and rejected by the client;
# m-15 was refused.
check "the MAF registered nine keys (seven rejected by the client)" 9 \
  "$(find "$work/mafkeys" -name '*@maf.example.com.key' | wc -l)"

check_grep "MCC-9-8-PROTO: the registration goes over HTTPS on the node's httpPort" \
  "maf client reg: /dm/maf1 with maf\.example\.com \(adminFQDN admin\.example\.com\) over https port $MAF_PORT" "$log"
check_grep "I-41: a MAF Handshake with the pre-provisioned Km" \
  'tls handshake with maf\.example\.com: TLSv1\.2, cipher PSK-AES128-CBC-SHA256' "$log"
check_grep "I-42: CREATE of <mafClientReg> at /maf with ty=10023, From the client" \
  "^mefc: http: POST /maf rqi=mefc-[0-9a-f]{16} origin=$ID ty=10023" "$log"
check_grep "I-42: CREATE of <symmKeyReg> at /maf with ty=10022" \
  "^mefc: http: POST /maf rqi=mefc-[0-9a-f]{16} origin=$ID ty=10022" "$log"
check_grep "MCC-9-8-OK: registered" \
  "maf client reg: /dm/maf1 registered with maf\.example\.com as $ID, mafClientRegID macr-1" "$log"
check_grep "MCC-9-5-OK: the key from the MAF export label" \
  'maf key reg: key [0-9a-f]{32}@maf\.example\.com registered for /dm/reg1/ap-maf, from the TLS exporter \(EXPORTER-oneM2M-Connection, 48 bytes\)' "$log"
for why in 'mafClientRegID \(ri\) missing' 'MAF Client ID \(mci\) missing or not this client' \
  'adminFQDN \(adfq\) missing or not the one sent' 'expirationTime \(et\) is already past'; do
  check_grep "MCC-9-8-VERIFY: $why" "maf client reg: verification failed: $why" "$log"
done
for why in 'Source MAF Client ID \(mci\)' 'targetIDs \(tgis\)' 'SUID \(suid\)' 'adminFQDN \(adfq\)' \
  'RelativeKeyID \(rkid\) is not hexBinary\(KcID\)' 'expirationTime \(et\) is already past'; do
  check_grep "MCC-9-5-VERIFY: $why" "maf key reg: verification failed: $why" "$log"
done
check_grep "MAF refusal of the registration" 'maf client reg: the MAF refused the request \(server side\)' "$log"
check_grep "MAF refusal of the key registration" 'maf key reg: MAF answered 403 rsc=4103' "$log"
check_grep "MCC-9-5-PB: no registration with that stakeholder, nothing sent" \
  'maf key reg: /dm/reg1/ap-other: precondition B fails: no MAF Client Registration with maf\.example\.com for other-admin\.example\.com' "$log"
check_grep "MCC-9-5-PB: an expired registration" \
  "maf key reg: /dm/reg1/ap-short: precondition B fails: the MAF Client Registration with maf\.example\.com for short-admin\.example\.com expired at $ET_SHORT" "$log"
check_grep "MCC-9-5-PA: SUID 31 (I-32)" 'maf key reg: /dm/maf1/ap31: precondition A fails' "$log"
check_grep "unreachable MAF, classified server side" \
  'maf client reg: .*(Could not connect|Couldn.t connect).*\(server side\)' "$log"
# MCC-9-8-PROTO, MCC-9-5-PROTO over CoAP (I-43): m-3, m-19, m-23, m-24.
for c in m-3:20 m-19:20 m-23:305 m-24:305; do
  check "CoAP: ${c%%:*} status ${c#*:}" "${c#*:}" "$(result_of "${c%%:*}")"
done
check_grep "CoAP: the registration goes over CoAP/DTLS on the node's coapPort" \
  "maf client reg: /dm/maf-coap with maf\.example\.com \(adminFQDN admin\.example\.com\) over coaps port $MAF_COAPS_PORT" "$log"
check_grep "CoAP: the key registration goes over CoAP/DTLS on the child's coapPort" \
  "maf key reg: /dm/dc1/ap-maf suid=33 with maf\.example\.com over coaps port $MAF_COAPS_PORT" "$log"
check_grep "CoAP: a DTLS-PSK MAF Handshake with the pre-provisioned Km" \
  'dtls connected to maf\.example\.com: DTLSv1\.2, cipher PSK-' "$log"
check_grep "CoAP: CREATEs typed by the body's root, no oneM2M-TY" \
  'coap: POST /maf is a CREATE of ty=10023 \(told by the body.s root, no oneM2M-TY\)' "$log"
check_grep "CoAP: registered" \
  "maf client reg: /dm/maf-coap registered with maf\.example\.com as $ID, mafClientRegID macr-" "$log"
check_grep "CoAP: MAF answered 2.01" 'maf client reg: MAF answered 2\.01 rsc=2001 over CoAP' "$log"
check_grep "CoAP: the key from the MAF export label" \
  'maf key reg: key [0-9a-f]{32}@maf\.example\.com registered for /dm/dc1/ap-maf, from the TLS exporter \(EXPORTER-oneM2M-Connection, 48 bytes\)' "$log"
check "CoAP: RelativeKeyID not KcID rejected (m-23, as m-13 over HTTPS)" 2 \
  "$(grep -c 'maf key reg: verification failed: RelativeKeyID (rkid) is not hexBinary(KcID)' "$log")"
check_grep "CoAP: refusal seen" 'maf client reg: MAF answered 4\.03 rsc=4103 over CoAP' "$log"
check_grep "mefd MAF: listening on its CoAPS port" \
  "maf: maf\.example\.com listening on 127\.0\.0\.1:$MAF_COAPS_PORT \(DTLS 1\.2" "$work/mefd.log"
check_grep "MCC-9-8-FAIL: outcome mapped to 305" 'status=305' "$log"
check_grep "mefd MAF: registration" "maf client-reg: client=$ID adfq=admin\.example\.com registered as macr-1" "$work/mefd.log"
check_grep "mefd MAF: key registered" "maf key-reg: client=$ID suid=32 key [0-9a-f]{32}@maf\.example\.com registered \(TLS exporter EXPORTER-oneM2M-Connection" "$work/mefd.log"
check "mefd MAF: no request for the precondition failures (only m-1..m-15, m-19, m-20, m-23, m-24 reached it)" 19 \
  "$(grep -cE 'maf (client-reg|key-reg): client=' "$work/mefd.log")"
check_no_grep "no PSK in the client log" "$KEYHEX|$KMHEX" "$log"
check_no_grep "no Km in the mefd log" "$KMHEX" "$work/mefd.log"

# With certificates: the client presents credentials.cert, the MAF certificate
# must chain to maf.trust_anchors and name the MAF FQDN. The restarted MAF
# has forgotten the registration the client still holds (its copied state):
# it refuses the key registration; a new registration, then the key; then the
# same two over CoAP/DTLS with certificates (c-4, c-5).
stop_mefd
cat >"$work/campaign.json" <<'JSON'
{"clients": {"*": {"retry_duration": "PT30S", "final_id": "c-end", "commands": [
  {"id": "c-1", "class": 3, "expect": 305, "comment": "the MAF holds no registration for this client",
   "args": {"nnca": {"ajop": "/dm/reg1/ap-maf", "otyp": 1, "otsa": {"suid": 32}}}},
  {"id": "c-2", "class": 3, "expect": 20, "args": {"nnca": {"ajop": "/dm/maf1", "otyp": 3}}},
  {"id": "c-3", "class": 3, "expect": 20,
   "args": {"nnca": {"ajop": "/dm/reg1/ap-maf", "otyp": 1, "otsa": {"suid": 32}}}},
  {"id": "c-4", "class": 3, "expect": 20, "args": {"nnca": {"ajop": "/dm/maf-coap", "otyp": 3}}},
  {"id": "c-5", "class": 3, "expect": 20,
   "args": {"nnca": {"ajop": "/dm/dc1/ap-maf", "otyp": 1, "otsa": {"suid": 33}}}}]}}}
JSON
: >"$work/results.jsonl"
start_mefd --https-port auto-https --coaps-port auto-coaps --cert "$pki/mef.pem" --key "$pki/mef.key" \
  --ca "$pki/ca.pem" --maf-https-port auto-maf --maf-coaps-port auto-maf-coaps \
  --maf-fqdn maf.example.com --maf-cert "$pki/maf.pem" \
  --maf-key "$pki/maf.key" --key-dir "$work/mafkeys" --campaign "$work/campaign.json"
mkdir -m 700 "$work/state-cert"
cp "$reg" "$work/state-cert/mafreg.json"
jq --arg addr "https://127.0.0.1:$HTTPS_PORT" --arg id "$ID" --argjson p "$MAF_PORT" \
  --argjson cp "$MAF_COAPS_PORT" '
  .mef.address = $addr | .identity = $id | .state_dir = "state-cert"
  | .credentials = {cert: {cert_file: "pki/client.pem", key_file: "pki/client.key",
                           trust_anchors: "pki/ca.pem"}}
  | .maf = {trust_anchors: "pki/ca.pem"}
  | .mo |= map(if .attrs.hpt then .attrs.hpt = $p else . end)
  | .mo |= map(if .attrs.coapPort then .attrs.coapPort = $cp else . end)
  | .mo |= map(if .path == "/dm/reg1/ap-maf" then .attrs.tlcs = [174, 49187] else . end)' \
  "$work/mefc.json" >"$work/mefc-cert.json"
run_mefc cert run --once -v --config "$work/mefc-cert.json"
check "certificates: run --once exit 0" 0 "$RC"
for c in c-1:305 c-2:20 c-3:20 c-4:20 c-5:20; do
  check "certificates: ${c%%:*} status ${c#*:}" "${c#*:}" "$(result_of "${c%%:*}")"
done
check_grep "certificates: the MAF refused a key registration without its registration" \
  "maf key-reg: client=$ID: no MAF Client Registration for this adminFQDN -> 4103" "$work/mefd.log"
check_grep "certificates: MAF Handshake with certificates" \
  'tls handshake with maf\.example\.com: TLSv1\.2, cipher ECDHE-ECDSA-AES128-SHA256' "$work/cert.log"
for node in /dm/reg1/ap-maf /dm/dc1/ap-maf; do
  kid=$(jq -r --arg n "$node" '.keys[] | select(.node == $n) | .key_id' "$work/state-cert/keyreg.json")
  check "certificates: $node: both ends hold the same key" same \
    "$(cmp -s "$work/state-cert/keys/$kid.key" "$work/mafkeys/$kid.key" && echo same)"
done
check "certificates: two MAF Handshakes over DTLS with certificates (c-4, c-5)" 2 \
  "$(grep -c 'dtls connected to maf\.example\.com: DTLSv1\.2, cipher ECDHE-ECDSA-' "$work/cert.log")"

# A MAF whose certificate does not chain to maf.trust_anchors is not talked to.
: >"$work/results.jsonl"
stop_mefd
jq '.clients["*"].commands |= [.[1] | .expect = 305]' "$work/campaign.json" >"$work/campaign-ta.json"
start_mefd --https-port auto-https --coaps-port auto-coaps --cert "$pki/mef.pem" --key "$pki/mef.key" \
  --ca "$pki/ca.pem" --maf-https-port auto-maf --maf-fqdn maf.example.com --maf-cert "$pki/maf.pem" \
  --maf-key "$pki/maf.key" --campaign "$work/campaign-ta.json"
jq --arg addr "https://127.0.0.1:$HTTPS_PORT" --argjson p "$MAF_PORT" '
  .mef.address = $addr | .state_dir = "state-ta" | .maf = {trust_anchors: "pki/ta/ta1.pem"}
  | .mo |= map(if .attrs.hpt then .attrs.hpt = $p else . end)' \
  "$work/mefc-cert.json" >"$work/mefc-ta.json"
run_mefc ta run --once -v --config "$work/mefc-ta.json"
check "untrusted MAF certificate: c-2 status 305" 305 "$(result_of c-2)"
check_grep "untrusted MAF certificate: refused before any request, server side" \
  'maf client reg: .*(certificate|SSL).*\(server side\)' "$work/ta.log"
check_no_grep "untrusted MAF certificate: nothing stored" 'registered with maf' "$work/ta.log"

# A Km the MAF does not hold for the KmID, and a node naming a MAF the KmID
# is not for (10.6: the KmID carries its MAF's FQDN).
: >"$work/results.jsonl"
stop_mefd
cat >"$work/campaign-km.json" <<'JSON'
{"clients": {"*": {"retry_duration": "PT30S", "final_id": "w-end", "commands": [
  {"id": "w-1", "class": 3, "expect": 305, "args": {"nnca": {"ajop": "/dm/maf1", "otyp": 3}}},
  {"id": "w-2", "class": 3, "expect": 305, "args": {"nnca": {"ajop": "/dm/maf-short", "otyp": 3}}}]}}}
JSON
start_mefd --coaps-port auto-coaps --psk-file "$work/psk.txt" \
  --maf-https-port auto-maf --maf-fqdn maf.example.com --maf-cert "$pki/maf.pem" \
  --maf-key "$pki/maf.key" --maf-psk-file "$work/km.txt" --campaign "$work/campaign-km.json"
printf 'hex:%s\n' "$(openssl rand -hex 16)" >"$work/km-wrong.key"
chmod 600 "$work/km-wrong.key"
jq --arg addr "coaps://127.0.0.1:$COAPS_PORT" --argjson p "$MAF_PORT" '
  .mef.address = $addr | .state_dir = "state-km" | .maf.psk.key_file = "km-wrong.key"
  | .mo |= map(if .attrs.hpt then .attrs.hpt = $p else . end)
  | .mo |= map(if .path == "/dm/maf-short" then .attrs.fq = "maf2.example.com" else . end)' \
  "$work/mefc.json" >"$work/mefc-km.json"
run_mefc km run --once -v --config "$work/mefc-km.json"
check "wrong Km: w-1 status 305" 305 "$(result_of w-1)"
check_grep "wrong Km: the TLS-PSK handshake is refused, server side" \
  "maf client reg: .*TLS-PSK handshake refused: the MAF does not hold this Km for KmID $KMID\\) \\(server side\\)" "$work/km.log"
check "KmID of another MAF: w-2 status 305" 305 "$(result_of w-2)"
check_grep "KmID of another MAF: nothing sent, client side" \
  "maf client reg: maf\.psk\.identity $KMID is a KmID of another MAF than maf2\.example\.com \(client side\)" "$work/km.log"
check "wrong Km, KmID of another MAF: the MAF registered nothing" 0 \
  "$(grep -c 'maf client-reg: client=' "$work/mefd.log")"
finish
