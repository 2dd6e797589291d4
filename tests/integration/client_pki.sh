#!/usr/bin/env bash
# mefc against mefd over DTLS with certificates (TS-0003 10.2.3 suite, the
# MEF's certificate verified against the client's trust anchors and its name
# against the MEF FQDN), then the executors over HTTPS (TLS 1.2):
# EST enrolment (20; 202 + Retry-After then 20; 401 -> 100), an
# [authenticationProfile] with a certificate SUID (20), a [trustAnchorCred]
# fetched and matched (20), one whose fingerprint does not match (305) and one
# the server does not have (404: 305).
# Checks the key store (files 0600, fingerprints, node binding) and that a
# client trusting another CA refuses the MEF.
set -eu
. "$(dirname "$0")/lib/client.sh"

ID=urn:dev:ops:test-pki-1
make_pki "$ID"
pki="$work/pki"
TA_FP=$(fingerprint "$pki/ta/ta1.pem")
OWN_FP=$(fingerprint "$pki/client.pem")
ZERO_FP=$(printf '0%.0s' $(seq 64))

mefd_prepare() {
  EST="https://mef.example.com:$HTTPS_PORT/.well-known/est"
  cat >"$work/campaign.json" <<JSON
{"clients": {"$ID": {"retry_duration": "PT30S", "commands": [
  {"id": "c-1", "class": 1, "args": {"cpca": {"cppi": 1, "uri": "$EST", "cst": 1, "csi": "$ID"}}, "expect": 20},
  {"id": "c-2", "class": 3, "args": {"nnca": {"ajop": "/dm/reg1/ap", "otyp": 1, "otsa": {"suid": 42}}}, "expect": 20},
  {"id": "c-3", "class": 3, "args": {"nnca": {"ajop": "/dm/reg1/ap/ta1", "otyp": 2}}, "expect": 20},
  {"id": "c-4", "class": 3, "args": {"nnca": {"ajop": "/dm/reg1/ap/ta2", "otyp": 2}}, "expect": 305},
  {"id": "c-5", "class": 1, "args": {"cpca": {"cppi": 1, "uri": "$EST", "cst": 2, "csi": "/CSE01"}}, "est_fail": 401, "expect": 100},
  {"id": "c-6", "class": 1, "args": {"cpca": {"cppi": 1, "uri": "$EST", "cst": 3, "csi": "Cae01"}}, "est_pending": 1, "expect": 20},
  {"id": "c-7", "class": 3, "args": {"nnca": {"ajop": "/dm/reg1/ap/ta3", "otyp": 2}}, "expect": 305}
]}}}
JSON
}
start_mefd --coaps-port auto-coaps --https-port auto-https --cert "$pki/mef.pem" --key "$pki/mef.key" \
  --ca "$pki/ca.pem" --ca-key "$pki/ca.key" --ta-dir "$pki/ta" --campaign "$work/campaign.json"

config() { # config TRUST_ANCHORS
  cat <<JSON
{
  "mef": {"address": "coaps://127.0.0.1:$COAPS_PORT", "fqdn": "mef.example.com",
          "hosts": {"mef.example.com": "127.0.0.1"}},
  "identity": "$ID",
  "credentials": {"cert": {"cert_file": "pki/client.pem", "key_file": "pki/client.key", "trust_anchors": "$1"}},
  "https": {"trust_anchors": "pki/ca.pem"},
  "state_dir": "state",
  "coap": {"ack_timeout_ms": 500, "max_retransmit": 2, "response_timeout_ms": 4000},
  "est": {"key": "ec-p256", "max_attempts": 3, "max_retry_after_s": 5},
  "client": {"role": "node", "acts_for": ["$ID", "/CSE01", "Cae01"], "classes": [0, 1, 2, 3],
             "cert_prov_protocols": [1], "dev_mgmt_ids": [3]},
  "mo": [
    {"path": "/dm/reg1", "mgd": 1020, "attrs": {"csi": "/CSE01"}},
    {"path": "/dm/reg1/ap", "parent": "/dm/reg1", "mgd": 1022,
     "attrs": {"suid": 42, "mcfp": "$OWN_FP", "tlcs": [49187, 49326]}},
    {"path": "/dm/reg1/ap/ta1", "parent": "/dm/reg1/ap", "mgd": 1024,
     "attrs": {"cfp": "$TA_FP", "uri": "https://mef.example.com:$HTTPS_PORT/ta/ta1.pem"}},
    {"path": "/dm/reg1/ap/ta2", "parent": "/dm/reg1/ap", "mgd": 1024,
     "attrs": {"cfp": "$ZERO_FP", "uri": "https://mef.example.com:$HTTPS_PORT/ta/ta1.der"}},
    {"path": "/dm/reg1/ap/ta3", "parent": "/dm/reg1/ap", "mgd": 1024,
     "attrs": {"cfp": "$ZERO_FP", "uri": "https://mef.example.com:$HTTPS_PORT/ta/none.pem"}}
  ]
}
JSON
}
config pki/ca.pem >"$work/mefc.json"
config pki/ta/ta1.pem >"$work/other-ca.json"

run_mefc run run --once -v --config "$work/mefc.json"
check "run --once: exit 0" 0 "$RC"
# MCC-9-7-2-GET: c-7 names a certificate the server does not have (404).
for c in c-1:20 c-2:20 c-3:20 c-4:305 c-5:100 c-6:20 c-7:305; do
  check "status of ${c%%:*} recorded by mefd" "${c#*:}" "$(result_of "${c%%:*}")"
done
log="$work/run.log"
check_grep "certificate suite of TS-0003 10.2.3 negotiated" 'dtls connected .*ECDHE-ECDSA-AES128-CCM8' "$log"
check_grep "EST: certificate issued" 'est: certificate issued and stored \(subject .*, sha256 [0-9a-f]{64}\)' "$log"
check_grep "EST: 202 + Retry-After honoured" 'est: enrolment pending \(202\): retrying in 1 s' "$log"
check_grep "EST: 401 is a server-side failure" 'est: /simpleenroll answered 401' "$log"
check_grep "EST 401: outcome server_error" 'outcome est_enroll: server_error' "$log"
check_grep "trust anchor: fingerprint mismatch" 'trust anchor: fingerprint mismatch: expected 0{64}, got '"$TA_FP" "$log"
check_grep "trust anchor: stored and bound" "trust anchor: stored, sha256 $TA_FP, bound to /dm/reg1/ap/ta1" "$log"
check_grep "mefd saw the SAN URI of the CSR" "issued .* for $ID" "$work/mefd.log"
check_no_grep "no private key in the log" 'PRIVATE KEY' "$log"

ks="$work/state/keystore.json"
check "key store: two enrolled certificates" "2" "$(jq '.certs | length' "$ks")"
check "key store: subjects as SAN URIs" "$ID Cae01" "$(jq -r '[.certs[].subject] | join(" ")' "$ks")"
check "key store: trust anchor bound to its node" "/dm/reg1/ap/ta1" \
  "$(jq -r --arg fp "$TA_FP" '.ca_certs[] | select(.fp == $fp) | .node' "$ks")"
modes=$(find "$work/state" -type f -exec stat -c %a {} + | sort -u | tr '\n' ' ')
check "every state and key file is 0600" "600 " "$modes"
cert=$(jq -r '.certs[0].cert' "$ks")
key=$(jq -r '.certs[0].key' "$ks")
check "enrolled certificate matches its key" \
  "$(openssl x509 -in "$work/state/$cert" -noout -pubkey)" "$(openssl pkey -in "$work/state/$key" -pubout)"
# MCC-7-5-SAN: the CSR, and so the certificate, names the certSubjectID.
check "enrolled certificate carries the SAN URI" "URI:$ID" \
  "$(openssl x509 -in "$work/state/$cert" -noout -ext subjectAltName | tail -n 1 | tr -d ' ')"
check "enrolled certificate chains to the EST CA" "$work/state/$cert: OK" \
  "$(openssl verify -CAfile "$pki/ca.pem" "$work/state/$cert")"
out=$("$MEFC" status --config "$work/mefc.json" 2>/dev/null)
check "status: key store summary" "key store:     2 enrolled certificate(s), 2 CA certificate(s)" \
  "$(printf '%s\n' "$out" | grep '^key store:')"

# A client whose trust anchors do not include the MEF's CA refuses the MEF.
rm -rf "$work/state"
run_mefc other run --once --config "$work/other-ca.json"
check "MEF certificate not trusted: exit 1" 1 "$RC"
check_grep "MEF certificate not trusted: no registration" 'error: registration: ' "$work/other.log"
finish
