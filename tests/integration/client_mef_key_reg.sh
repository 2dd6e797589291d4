#!/usr/bin/env bash
# MEF Key Registration (TS-0003 8.3.9.9.4 calling 8.3.5.2.7) end to end: mefc
# takes commands over CoAP/DTLS with a PSK, and for each [authenticationProfile]
# with SUID 21, 22 or 23 opens a new MEF Handshake over HTTPS on the child
# [MEFClientRegCfg]'s httpPort (or, for a child with coapPort only, over
# CoAP/DTLS on that port, the request typed by its body's root), sends the
# request without a key value, verifies the response and derives the key from
# that session's TLS exporter; mefd does the same from its side. Both ends must
# hold the same 32-byte key under RelativeKeyID@MEF-FQDN (compared with cmp,
# never printed). A response missing or changing an element, a refusal (over
# either binding) and a child naming another MEF end in 305.
# Requirements: MCC-9-4-REQ and MCC-9-4-TGTS (the request), MCC-9-4-VERIFY (k-4..k-6,
# k-10: an element missing or changed), MCC-9-4-PROTO (k-8, k-10, k-11: a CoAP-only
# child), MCC-9-4-PB (k-9: a child naming another MEF), MCC-9-4-OK and MCC-9-4-FAIL
# (the statuses).
set -eu
. "$(dirname "$0")/lib/client.sh"

ID=urn:dev:ops:mefc-kr-1
KEYHEX=$(openssl rand -hex 16)
printf '%s,hex:%s\n' "$ID" "$KEYHEX" >"$work/psk.txt"
printf 'hex:%s\n' "$KEYHEX" >"$work/kpm.key"
chmod 600 "$work/psk.txt" "$work/kpm.key"
make_pki "$ID"
pki="$work/pki"
mkdir -m 700 "$work/mefkeys"
cp "$root/examples/campaign-key-reg.json" "$work/campaign.json"

start_mefd --coaps-port auto-coaps --https-port auto-https --psk-file "$work/psk.txt" \
  --cert "$pki/mef.pem" --key "$pki/mef.key" --key-dir "$work/mefkeys" \
  --campaign "$work/campaign.json"

jq -n --arg addr "coaps://127.0.0.1:$COAPS_PORT" --arg id "$ID" --argjson hpt "$HTTPS_PORT" \
  --argjson cpt "$COAPS_PORT" '{
  mef: {address: $addr, fqdn: "mef.example.com", hosts: {"mef.example.com": "127.0.0.1"}},
  credentials: {psk: {identity: $id, key_file: "kpm.key"}},
  state_dir: "state",
  coap: {ack_timeout_ms: 1000, max_retransmit: 2, response_timeout_ms: 5000},
  http: {response_timeout_ms: 5000},
  run: {once_max_backoffs: 2},
  client: {role: "node", acts_for: [$id], classes: [0, 1, 2, 3]},
  mo: [
    {path: "/dm/reg1", mgd: 1020, attrs: {csi: "/CSE01"}},
    {path: "/dm/reg1/ap-mef", parent: "/dm/reg1", mgd: 1022,
     attrs: {suid: 22, tlcs: [174, 49320], mkrd: "P1D", mkrl: ["kr", "reg1"]}},
    {path: "/dm/reg1/ap-mef/mef", parent: "/dm/reg1/ap-mef", mgd: 1026,
     attrs: {fq: "mef.example.com", adfq: "admin.example.com", hpt: $hpt}},
    {path: "/dm/dc1", mgd: 1021, attrs: {cntp: "//sp.example.com/CSE02/cnt1"}},
    {path: "/dm/dc1/ap-mef", parent: "/dm/dc1", mgd: 1022, attrs: {suid: 23, mkrd: "PT2H"}},
    {path: "/dm/dc1/ap-mef/mef", parent: "/dm/dc1/ap-mef", mgd: 1026,
     attrs: {fq: "mef.example.com", adfq: "admin.example.com", hpt: $hpt}},
    {path: "/dm/maf1", mgd: 1025, attrs: {fq: "maf.example.com", adfq: "admin.example.com"}},
    {path: "/dm/maf1/ap-mef", parent: "/dm/maf1", mgd: 1022,
     attrs: {suid: 21, tlcs: [174], mkrd: "PT10M"}},
    {path: "/dm/maf1/ap-mef/mef", parent: "/dm/maf1/ap-mef", mgd: 1026,
     attrs: {fq: "mef.example.com", adfq: "admin.example.com", hpt: $hpt}},
    {path: "/dm/reg1/ap-coap", parent: "/dm/reg1", mgd: 1022,
     attrs: {suid: 22, tlcs: [49320], mkrd: "P1D"}},
    {path: "/dm/reg1/ap-coap/mef", parent: "/dm/reg1/ap-coap", mgd: 1026,
     attrs: {fq: "mef.example.com", adfq: "admin.example.com", coapPort: $cpt}},
    {path: "/dm/reg1/ap-other", parent: "/dm/reg1", mgd: 1022,
     attrs: {suid: 22, tlcs: [174], mkrd: "P1D"}},
    {path: "/dm/reg1/ap-other/mef", parent: "/dm/reg1/ap-other", mgd: 1026,
     attrs: {fq: "other-mef.example.com", adfq: "admin.example.com", hpt: $hpt}}
  ]}' >"$work/mefc.json"

run_mefc run run --once -v --config "$work/mefc.json"
check "run --once: exit 0" 0 "$RC"
check_campaign "$work/campaign.json" 11

log="$work/run.log"
idx="$work/state/keyreg.json"
check "the client recorded four key registrations" 4 "$(jq '.keys | length' "$idx")"
check "one per profile node" "/dm/dc1/ap-mef /dm/maf1/ap-mef /dm/reg1/ap-coap /dm/reg1/ap-mef" \
  "$(jq -r '[.keys[].node] | sort | join(" ")' "$idx")"
check "MCC-9-4-TGTS: targetIDs by the parent: [registration] CSE-ID" '["/CSE01"]' \
  "$(jq -c '.keys[] | select(.node == "/dm/reg1/ap-mef") | .tgis' "$idx")"
check "MCC-9-4-TGTS: targetIDs by the parent: [dataCollection] CSE-ID of containerPath" '["//sp.example.com/CSE02"]' \
  "$(jq -c '.keys[] | select(.node == "/dm/dc1/ap-mef") | .tgis' "$idx")"
check "MCC-9-4-TGTS: targetIDs by the parent: [MAFClientRegCfg] fqdn" '["maf.example.com"]' \
  "$(jq -c '.keys[] | select(.node == "/dm/maf1/ap-mef") | .tgis' "$idx")"
check "MCC-9-4-REQ: labels are the profile's MAFKeyRegLabels" '["kr","reg1"]' \
  "$(jq -c '.keys[] | select(.node == "/dm/reg1/ap-mef") | .lbl' "$idx")"
check "MCC-9-4-VERIFY: Source MEF Client ID is the client" "$ID $ID $ID $ID" "$(jq -r '[.keys[].mci] | join(" ")' "$idx")"
check "MCC-9-4-REQ: adminFQDN kept" "admin.example.com" "$(jq -r '[.keys[].adfq] | unique | join(" ")' "$idx")"
# expirationTime = now + MAFKeyRegDuration: PT10M is within 9..11 minutes of now.
et=$(jq -r '.keys[] | select(.node == "/dm/maf1/ap-mef") | .et' "$idx")
now=$(date -u +%s)
et_s=$(date -u -d "${et:0:4}-${et:4:2}-${et:6:2} ${et:9:2}:${et:11:2}:${et:13:2}" +%s)
check "MCC-9-4-REQ: expirationTime is now + MAFKeyRegDuration (PT10M)" yes \
  "$([ $((et_s - now)) -gt 540 ] && [ $((et_s - now)) -le 600 ] && echo yes)"

same=0 distinct=""
for kid in $(jq -r '.keys[].key_id' "$idx"); do
  case $kid in
    [0-9a-f]*@mef.example.com) ;;
    *) check "key identifier $kid is hexBinary(RelativeKeyID)@MEF-FQDN" ok bad ;;
  esac
  c="$work/state/keys/$kid.key"
  if check_key_pair "$kid" "$c" "$work/mefkeys/$kid.key" "$log" "$work/mefd.log"; then
    same=$((same + 1))
  fi
  distinct="$distinct $(sha256sum <"$c" | cut -c1-64)"
done
check "both ends hold the same key for every registration" 4 "$same"
check "each registration has its own key (own TLS or DTLS session)" 4 \
  "$(printf '%s\n' $distinct | sort -u | wc -l)"
# mefd stored the keys of k-4..k-6 and k-10 too (the client rejected the
# responses); k-7 and k-11 were refused before a key was made.
check "mefd registered eight keys (four rejected by the client)" 8 "$(find "$work/mefkeys" -name '*.key' | wc -l)"

check_grep "the request goes over HTTPS on the child's httpPort" \
  "mef key reg: /dm/reg1/ap-mef suid=22 with mef.example.com over https port $HTTPS_PORT" "$log"
check_grep "a new MEF Handshake with the PSK for the key registration" \
  'tls handshake with mef\.example\.com: TLSv1\.2, cipher PSK-AES128-CBC-SHA256' "$log"
check_grep "CREATE with ty=10022" '^mefc: http: POST /mef rqi=mefc-[0-9a-f]{16} origin='"$ID"' ty=10022' "$log"
check_grep "the key registered and stored" \
  'mef key reg: key [0-9a-f]{32}@mef\.example\.com registered for /dm/reg1/ap-mef, from the TLS exporter \(EXPORTER-oneM2M-Bootstrap, 48 bytes\)' "$log"
check_grep "missing Source MEF Client ID rejected" \
  'mef key reg: verification failed: Source MEF Client ID \(mci\) missing' "$log"
check_grep "changed targetIDs rejected" 'mef key reg: verification failed: targetIDs \(tgis\)' "$log"
check_grep "past expirationTime rejected" 'mef key reg: verification failed: expirationTime \(et\) is already past' "$log"
check_grep "refusal seen" 'mef key reg: MEF answered 403 rsc=4103' "$log"
# MCC-9-4-PROTO over CoAP (k-8, k-10, k-11): a DTLS session of its own to the
# child's coapPort, a POST /mef without oneM2M-TY, the key from the DTLS exporter.
check "k-8 (CoAP-only child) status 20" 20 "$(result_of k-8)"
check "k-10 (CoAP, altered suid) status 305" 305 "$(result_of k-10)"
check "k-11 (CoAP, refused) status 305" 305 "$(result_of k-11)"
check_grep "the request goes over CoAP/DTLS on the child's coapPort" \
  "mef key reg: /dm/reg1/ap-coap suid=22 with mef.example.com over coaps port $COAPS_PORT" "$log"
check_grep "CREATE over CoAP typed by its body's root, no oneM2M-TY" \
  'coap: POST /mef is a CREATE of ty=10022 \(told by the body.s root, no oneM2M-TY\)' "$log"
check_grep "CoAP: 2.01 with RSC 2001" 'mef key reg: MEF answered 2\.01 rsc=2001 over CoAP' "$log"
check_grep "CoAP: the key registered and stored" \
  'mef key reg: key [0-9a-f]{32}@mef\.example\.com registered for /dm/reg1/ap-coap, from the TLS exporter \(EXPORTER-oneM2M-Bootstrap, 48 bytes\)' "$log"
check_grep "CoAP: changed SUID rejected" 'mef key reg: verification failed: SUID \(suid\)' "$log"
check_grep "CoAP: refusal seen" 'mef key reg: MEF answered 4\.03 rsc=4103 over CoAP' "$log"
check "CoAP: three DTLS sessions besides the command session" 4 \
  "$(grep -c 'dtls connected to mef\.example\.com: DTLSv1\.2' "$log")"
kid=$(jq -r '.keys[] | select(.node == "/dm/reg1/ap-coap") | .key_id' "$idx")
check "CoAP: both ends hold the same key" same \
  "$(cmp -s "$work/state/keys/$kid.key" "$work/mefkeys/$kid.key" && echo same)"
check_grep "mefd: key registered over CoAP" \
  'key-reg: client=urn:dev:ops:mefc-kr-1 suid=22 key '"${kid%@*}"'@mef\.example\.com registered' "$work/mefd.log"
check_grep "another MEF: no registration with it, nothing sent" \
  'mef key reg: /dm/reg1/ap-other: no MEF Client Registration with other-mef\.example\.com' "$log"
check_grep "outcome mapped to 305" 'status=305' "$log"
check_grep "mefd: key registered" 'key-reg: client=urn:dev:ops:mefc-kr-1 suid=22 key [0-9a-f]{32}@mef\.example\.com registered' "$work/mefd.log"
check "mefd: both refusals (HTTPS k-7, CoAP k-11)" 2 \
  "$(grep -c 'key-reg: client=urn:dev:ops:mefc-kr-1: not authorised by the campaign' "$work/mefd.log")"
check_no_grep "no PSK in the log" "$KEYHEX" "$log"

# With certificates, over the HTTPS binding for the commands too: the key
# registration is still a handshake of its own (the MEF checks the client
# certificate again), and both ends again hold the same key; k-8 does the same
# over CoAP/DTLS with certificates.
stop_mefd
jq '.clients["*"].commands |= [.[0], .[7]]' "$root/examples/campaign-key-reg.json" >"$work/campaign.json"
: >"$work/results.jsonl"
start_mefd --https-port auto-https --coaps-port auto-coaps --cert "$pki/mef.pem" --key "$pki/mef.key" \
  --ca "$pki/ca.pem" --key-dir "$work/mefkeys" --campaign "$work/campaign.json"
jq --arg addr "https://127.0.0.1:$HTTPS_PORT" --arg id "$ID" --argjson hpt "$HTTPS_PORT" \
  --argjson cpt "$COAPS_PORT" '
  .mef.address = $addr | .identity = $id | .state_dir = "state-cert"
  | .credentials = {cert: {cert_file: "pki/client.pem", key_file: "pki/client.key",
                           trust_anchors: "pki/ca.pem"}}
  | .mo |= map(if .mgd == 1026 and .attrs.hpt then .attrs.hpt = $hpt else . end)
  | .mo |= map(if .mgd == 1026 and .attrs.coapPort then .attrs.coapPort = $cpt else . end)
  | .mo |= map(if .path == "/dm/reg1/ap-mef" then .attrs.tlcs = [174, 49187] else . end)' \
  "$work/mefc.json" >"$work/mefc-cert.json"
run_mefc cert run --once -v --config "$work/mefc-cert.json"
check "certificates: run --once exit 0" 0 "$RC"
check "certificates: k-1 status 20" 20 "$(result_of k-1)"
check "certificates: k-8 (CoAP/DTLS) status 20" 20 "$(result_of k-8)"
for node in /dm/reg1/ap-mef /dm/reg1/ap-coap; do
  kid=$(jq -r --arg n "$node" '.keys[] | select(.node == $n) | .key_id' "$work/state-cert/keyreg.json")
  check "certificates: $node: both ends hold the same key" same \
    "$(cmp -s "$work/state-cert/keys/$kid.key" "$work/mefkeys/$kid.key" && echo same)"
done
check "certificates: the CoAP key registration's DTLS handshake used the client certificate" 1 \
  "$(grep -c 'dtls connected to mef\.example\.com: DTLSv1\.2, cipher ECDHE-ECDSA-AES128-CCM8' "$work/cert.log")"
check_grep "certificates: mefd verified the client certificate over DTLS" \
  "dtls: .*: client certificate verified, identity $ID" "$work/mefd.log"
check "certificates: two handshakes (commands, then key registration)" 2 \
  "$(grep -c 'tls handshake with mef\.example\.com: TLSv1\.2, cipher ECDHE-ECDSA-AES128-SHA256' "$work/cert.log")"
finish
