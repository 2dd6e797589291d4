#!/usr/bin/env bash
# The demo campaign (examples/campaign-demo.json) over the oneM2M HTTP binding
# (TS-0009) on TLS 1.2 with a PSK: the MEF Handshake with the KpmID as PSK
# identity and TLS_PSK_WITH_AES_128_CBC_SHA256 (TS-0003 10.2.2), registration
# by POST with ty=10020, Retrieve by GET, Update by PUT, X-M2M-RSC read; every
# status mefd records is the campaign's. Then a wrong PSK is refused with a
# clear error and no key in the log.
set -eu
. "$(dirname "$0")/lib/client.sh"

ID=urn:dev:ops:mefc-demo-1
make_pki "$ID"
pki="$work/pki"
KEYHEX=$(openssl rand -hex 16)
printf '%s,hex:%s\n' "$ID" "$KEYHEX" >"$work/psk.txt"
printf 'hex:%s\n' "$KEYHEX" >"$work/kpm.key"
printf 'hex:%s\n' "$(openssl rand -hex 16)" >"$work/wrong.key"
chmod 600 "$work/psk.txt" "$work/kpm.key" "$work/wrong.key"
TA_FP=$(fingerprint "$pki/ta/ta1.pem")
OWN_FP=$(fingerprint "$pki/client.pem")

# The demo campaign without its DEV_CFG and MAF commands: this test is about
# the HTTP binding alone (no CoAP at all, checked below); client_https_pki and
# the demo run the whole campaign.
mefd_prepare() {
  "$root/scripts/demo-campaign" "$HTTPS_PORT" "$COAPS_PORT" "$MAF_PORT" |
    jq 'del(.clients[].commands[] | select(.class == 2 or
          ((.args.nnca.ajop // "") | startswith("/dm/reg1/ap-maf"))))' >"$work/campaign.json"
}
# A PSK client has no certificate for EST's TLS client authentication.
start_mefd --coaps-port auto-coaps --https-port auto-https --psk-file "$work/psk.txt" \
  --cert "$pki/mef.pem" --key "$pki/mef.key" --ca "$pki/ca.pem" --ca-key "$pki/ca.key" \
  --ta-dir "$pki/ta" --est-auth none --campaign "$work/campaign.json"

config() { # config KEYFILE: the demo's client configuration over https:// with a PSK
  jq --arg addr "https://127.0.0.1:$HTTPS_PORT" --arg https "https://mef.example.com:$HTTPS_PORT" \
     --arg id "$ID" --arg key "$1" --arg tafp "$TA_FP" --arg cfp "$OWN_FP" '
    .mef.address = $addr
    | del(.identity)
    | .credentials = {psk: {identity: $id, key_file: $key}}
    | .https.trust_anchors = "pki/ca.pem"
    | .state_dir = "state"
    | .http = {response_timeout_ms: 4000}
    | .run.once_max_backoffs = 2
    | .client.certs = [$cfp]
    | .mo = [ .mo[] | if .path == "/dm/reg1/ta1"
                      then .attrs.cfp = $tafp | .attrs.uri = ($https + "/ta/ta1.pem") else . end ]
    | .mo += [ {path: "/dm/reg1/ap-cert", parent: "/dm/reg1", mgd: 1022,
                attrs: {suid: 42, mcfp: $cfp, tlcs: [49187, 49326]}},
               {path: "/dm/reg1/ap-cert/ta", parent: "/dm/reg1/ap-cert", mgd: 1024,
                attrs: {cfp: $tafp, uri: ($https + "/ta/ta1.pem")}} ]
    | del(.comment)' "$root/examples/mefc-demo.json"
}
config kpm.key >"$work/mefc.json"
config wrong.key >"$work/wrong.json"

run_mefc run run --once -v --config "$work/mefc.json"
check "run --once over https: exit 0" 0 "$RC"
n=0
while IFS=$'\t' read -r id expect; do
  check "status of $id recorded by mefd" "$expect" "$(result_of "$id")"
  n=$((n + 1))
done < <(jq -r '.clients[].commands[] | [.id, (.expect|tostring)] | @tsv' "$work/campaign.json")
check "every command of the demo campaign checked" 6 "$n"
log="$work/run.log"
check_grep "binding chosen from the address" '^mefc: connecting to https://127\.0\.0\.1:[0-9]+ \(TLS PSK, From '"$ID"'\)' "$log"
check_grep "TLS 1.2 with the PSK suite of TS-0003 10.2.2" \
  'tls handshake with mef\.example\.com: TLSv1\.2, cipher PSK-AES128-CBC-SHA256 \(0x00ae\)' "$log"
check_grep "registration is a POST with ty=10020" '^mefc: http: POST /mef rqi=mefc-[0-9a-f]{16} origin='"$ID"' ty=10020' "$log"
check_grep "registered" '^mefc: registered: ri=reg-1 .*cmd=/mef/reg-1/cmd' "$log"
check_grep "Retrieve is a GET answered 200 / 2000" '^mefc: retrieve -> 200 rsc=2000 cf=10001' "$log"
check_grep "Update is a PUT answered 200 / 2004" '^mefc: update -> 200 rsc=2004 cf=10001' "$log"
check_grep "NO_MORE_COMMANDS reached" 'retry timer armed: Retrieve in 30000 ms \(MCC-6-5\)' "$log"
check_grep "mefd: registration 201 / 2001 over https" 'https: POST /mef from 127\.0\.0\.1:[0-9]+ -> 201 rsc=2001' "$work/mefd.log"
# MCC-2-1, MCC-3-1: Retrieve and Update address the registration's <mefClientCmd>.
check_grep "mefd: Retrieve of the registration's command resource" 'https: GET /mef/reg-1/cmd from 127\.0\.0\.1:[0-9]+ -> 200 rsc=2000' "$work/mefd.log"
check_grep "mefd: Update 200 / 2004 over https" 'https: PUT /mef/reg-1/cmd from 127\.0\.0\.1:[0-9]+ -> 200 rsc=2004' "$work/mefd.log"
check_no_grep "mefd: no CoAP request" 'register: .* over plain CoAP|coap: 127' "$work/mefd.log"
check_no_grep "no key in the log" "$KEYHEX" "$log"
out=$("$MEFC" status --config "$work/mefc.json" 2>/dev/null)
check "status: the https address" "yes" \
  "$(printf '%s\n' "$out" | grep -qE '^mef: +https://127\.0\.0\.1:[0-9]+ \(FQDN mef\.example\.com\)' && echo yes)"
check "status: TLS PSK" "credentials:   TLS PSK, From $ID" "$(printf '%s\n' "$out" | grep '^credentials:')"

# A wrong PSK: the handshake fails, the client says why and exits 1.
rm -rf "$work/state"
run_mefc wrong run --once --config "$work/wrong.json"
check "wrong PSK: exit 1" 1 "$RC"
check_grep "wrong PSK: a clear error" "error: registration: .*TLS-PSK handshake refused: the MEF does not hold this Kpm for KpmID $ID" "$work/wrong.log"
check_no_grep "wrong PSK: no key in the log" "$KEYHEX|$(cut -c5- "$work/wrong.key")" "$work/wrong.log"
finish
