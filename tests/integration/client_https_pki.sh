#!/usr/bin/env bash
# The demo campaign over the oneM2M HTTP binding on TLS 1.2 with
# certificates: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 (TS-0003 10.2.3), SNI
# and the MEF certificate verified against the client's trust anchors and
# mef.fqdn, the client certificate presented (mefd binds X-M2M-Origin to
# it); every status mefd records is the campaign's. Then a MEF whose
# certificate names another host, and one the client's trust anchors do not
# cover, are both refused before anything is sent.
set -eu
. "$(dirname "$0")/lib/client.sh"

ID=urn:dev:ops:mefc-demo-1
make_pki "$ID"
pki="$work/pki"
TA_FP=$(fingerprint "$pki/ta/ta1.pem")
OWN_FP=$(fingerprint "$pki/client.pem")

make_maf_cert
mkdir -m 700 "$work/mafkeys"
mefd_prepare() {
  "$root/scripts/demo-campaign" "$HTTPS_PORT" "$COAPS_PORT" "$MAF_PORT" >"$work/campaign.json"
}
# The whole demo campaign: its DEV_CFG bootstrap goes over CoAPS, its MAF
# procedures to mefd's MAF role over HTTPS.
start_mefd --coaps-port auto-coaps --https-port auto-https --cert "$pki/mef.pem" --key "$pki/mef.key" \
  --ca "$pki/ca.pem" --ca-key "$pki/ca.key" --ta-dir "$pki/ta" --campaign "$work/campaign.json" \
  --maf-https-port auto-maf --maf-fqdn maf.example.com --maf-cert "$pki/maf.pem" --maf-key "$pki/maf.key" \
  --key-dir "$work/mafkeys"

config() { # config FQDN TRUST_ANCHORS: the demo's client configuration over https://
  jq --arg addr "https://127.0.0.1:$HTTPS_PORT" --arg https "https://mef.example.com:$HTTPS_PORT" \
     --arg fqdn "$1" --arg ta "$2" --arg tafp "$TA_FP" --arg cfp "$OWN_FP" '
    .mef.address = $addr
    | .mef.fqdn = $fqdn
    | .mef.hosts = {($fqdn): "127.0.0.1", "mef.example.com": "127.0.0.1", "maf.example.com": "127.0.0.1"}
    | .maf.trust_anchors = "pki/ca.pem"
    | .credentials.cert = {cert_file: "pki/client.pem", key_file: "pki/client.key", trust_anchors: $ta}
    | .https.trust_anchors = "pki/ca.pem"
    | .state_dir = "state"
    | .http = {response_timeout_ms: 4000}
    | .run.once_max_backoffs = 2
    | .mo = [ .mo[] | if .path == "/dm/reg1/ta1"
                      then .attrs.cfp = $tafp | .attrs.uri = ($https + "/ta/ta1.pem") else . end ]
    | .mo += [ {path: "/dm/reg1/ap-cert", parent: "/dm/reg1", mgd: 1022,
                attrs: {suid: 42, mcfp: $cfp, tlcs: [49187, 49326]}},
               {path: "/dm/reg1/ap-cert/ta", parent: "/dm/reg1/ap-cert", mgd: 1024,
                attrs: {cfp: $tafp, uri: ($https + "/ta/ta1.pem")}} ]
    | del(.comment)' "$root/examples/mefc-demo.json"
}
config mef.example.com pki/ca.pem >"$work/mefc.json"
config other.example.com pki/ca.pem >"$work/wronghost.json"
config mef.example.com pki/ta/ta1.pem >"$work/otherca.json"

run_mefc run run --once -v --config "$work/mefc.json"
check "run --once over https: exit 0" 0 "$RC"
n=0
while IFS=$'\t' read -r id expect; do
  check "status of $id recorded by mefd" "$expect" "$(result_of "$id")"
  n=$((n + 1))
done < <(jq -r '.clients[].commands[] | [.id, (.expect|tostring)] | @tsv' "$work/campaign.json")
check "every command of the demo campaign checked" 9 "$n"
log="$work/run.log"
check_grep "binding chosen from the address" '^mefc: connecting to https://127\.0\.0\.1:[0-9]+ \(TLS certificates, From '"$ID"'\)' "$log"
check_grep "TLS 1.2 with the certificate suite of TS-0003 10.2.3" \
  'tls handshake with mef\.example\.com: TLSv1\.2, cipher ECDHE-ECDSA-AES128-SHA256 \(0xc023\)' "$log"
check_grep "registered" '^mefc: registered: ri=reg-1 .*cmd=/mef/reg-1/cmd' "$log"
check_grep "Retrieve answered 200 / 2000" '^mefc: retrieve -> 200 rsc=2000 cf=10001' "$log"
check_grep "Update answered 200 / 2004" '^mefc: update -> 200 rsc=2004 cf=10001' "$log"
check_grep "EST: certificate issued over the same HTTPS server" 'est: certificate issued and stored' "$log"
check_grep "mefd: registration 201 / 2001 over https" 'https: POST /mef from 127\.0\.0\.1:[0-9]+ -> 201 rsc=2001' "$work/mefd.log"
check_grep "mefd: the originator is the certificate's identity" "register: client=$ID reg=reg-1 created" "$work/mefd.log"
check_no_grep "no private key in the log" 'PRIVATE KEY' "$log"

# The MEF certificate names mef.example.com, the client expects other.example.com.
rm -rf "$work/state"
run_mefc wronghost run --once --config "$work/wronghost.json"
check "wrong host: exit 1" 1 "$RC"
check_grep "wrong host: refused, with the reason" \
  "error: registration: .*subject name matches target host name .other\.example\.com.*MEF certificate not accepted: it must chain to credentials\.cert\.trust_anchors and name other\.example\.com" \
  "$work/wronghost.log"
check_no_grep "wrong host: nothing registered" "registered: " "$work/wronghost.log"

# Trust anchors that do not cover the MEF's CA.
rm -rf "$work/state"
run_mefc otherca run --once --config "$work/otherca.json"
check "MEF certificate not trusted: exit 1" 1 "$RC"
check_grep "MEF certificate not trusted: refused" "error: registration: .*MEF certificate not accepted" "$work/otherca.log"
check "mefd registered only the good client, once" 1 "$(grep -c 'register: client=.* created' "$work/mefd.log")"
finish
