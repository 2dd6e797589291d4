#!/usr/bin/env bash
# Handshake failures, each refused with a clear error and nothing stored
# (no registration or record file, no registration at mefd): an expired MEF
# certificate over DTLS and over HTTPS, a MEF certificate for another host
# over DTLS, a MEF certificate from a CA the client does not trust, a wrong
# PSK over DTLS and over HTTPS; and a trust anchor whose fingerprint is not
# the [trustAnchorCred]'s: 305, and no CA certificate added to the key store.
# (client_https_pki.sh covers wrong host and untrusted CA over HTTPS.)
# Requirements: MCC-2-PA and MCC-3-PA (no registration, Retrieve or Update
# without a completed handshake), MCC-9-7-2-FP (the fingerprint mismatch).
set -eu
. "$(dirname "$0")/lib/client.sh"

ID=urn:dev:ops:tls-fail-1
make_pki "$ID"
pki="$work/pki"
(
  cd "$pki"
  mkdir -p db && : >db/index.txt && echo 1000 >db/serial
  printf '[ca]\ndefault_ca = d\n[d]\ndatabase = db/index.txt\nserial = db/serial\nnew_certs_dir = db\ndefault_md = sha256\npolicy = p\ncopy_extensions = copy\nunique_subject = no\n[p]\ncommonName = supplied\n' >ca.cnf
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout expired.key -out expired.csr \
    -subj "/CN=mef.example.com" -addext "subjectAltName=DNS:mef.example.com" -addext "extendedKeyUsage=serverAuth,clientAuth"
  openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
    -startdate 20200101000000Z -enddate 20200201000000Z
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.key -out other.csr -subj "/CN=other.example.com"
  printf 'subjectAltName=DNS:other.example.com\nextendedKeyUsage=serverAuth,clientAuth\n' >other.ext
  openssl x509 -req -in other.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out other.pem -days 2 -extfile other.ext
  chmod 600 ./*.key
) >/dev/null 2>&1
check "expired MEF certificate made" yes \
  "$(openssl x509 -in "$pki/expired.pem" -noout -checkend 0 >/dev/null 2>&1 && echo no || echo yes)"
KEY=tls-fail-secret-1
printf '%s,%s\n' "$ID" "$KEY" >"$work/psk.txt"
printf '%s\n' "$KEY" >"$work/kpm.key"
printf 'not-the-key\n' >"$work/wrong.key"
chmod 600 "$work/psk.txt" "$work/kpm.key" "$work/wrong.key"
TA_FP=$(fingerprint "$pki/ta/ta1.pem")
ZERO_FP=$(printf '0%.0s' $(seq 64))
mefd_prepare() {
  cat >"$work/campaign.json" <<JSON
{"clients": {"$ID": {"commands": [
  {"id": "c-1", "class": 3, "args": {"nnca": {"ajop": "/reg/ta-bad", "otyp": 2}}, "expect": 305}
]}}}
JSON
}
config() { # config NAME ADDRESS CREDENTIALS_JSON
  cat >"$work/$1.json" <<JSON
{
  "mef": {"address": "$2", "fqdn": "mef.example.com", "hosts": {"mef.example.com": "127.0.0.1"}},
  "identity": "$ID",
  "credentials": $3,
  "https": {"trust_anchors": "pki/ca.pem"},
  "http": {"response_timeout_ms": 3000},
  "state_dir": "state-$1",
  "coap": {"ack_timeout_ms": 1000, "max_retransmit": 1, "response_timeout_ms": 3000},
  "client": {"role": "node", "acts_for": ["$ID"], "classes": [0, 1, 2, 3]},
  "mo": [{"path": "/reg", "mgd": 1020, "attrs": {"csi": "/CSE01"}},
         {"path": "/reg/ta-bad", "parent": "/reg", "mgd": 1024,
          "attrs": {"cfp": "$ZERO_FP", "uri": "https://mef.example.com:${HTTPS_PORT}/ta/ta1.pem"}}]
}
JSON
}
CERT='{"cert": {"cert_file": "pki/client.pem", "key_file": "pki/client.key", "trust_anchors": "pki/ca.pem"}}'
refused() { # refused NAME LABEL PATTERN: the run failed, said why, stored nothing
  run_mefc "$1" run --once --config "$work/$1.json"
  check "$2: exit 1" 1 "$RC"
  check_grep "$2: a clear error" "$3" "$work/$1.log"
  check "$2: nothing stored" "" "$(ls "$work/state-$1" 2>/dev/null | grep -E 'registration|record' || true)"
  check_no_grep "$2: not registered" '^mefc: registered: ' "$work/$1.log"
}
server_cert() { # server_cert CERT KEY: mefd with that MEF certificate, DTLS and HTTPS
  stop_mefd
  start_mefd --coaps-port auto-coaps --https-port auto-https --psk-file "$work/psk.txt" --cert "$pki/$1" \
    --key "$pki/$2" --ca "$pki/ca.pem" --ta-dir "$pki/ta" --campaign "$work/campaign.json"
}

server_cert expired.pem expired.key
config dtls-expired "coaps://127.0.0.1:$COAPS_PORT" "$CERT"
refused dtls-expired "DTLS, expired MEF certificate" 'DTLS: certificate has expired'
config https-expired "https://127.0.0.1:$HTTPS_PORT" "$CERT"
refused https-expired "HTTPS, expired MEF certificate" 'error: registration: .*certificate has expired'

server_cert other.pem other.key
config dtls-host "coaps://127.0.0.1:$COAPS_PORT" "$CERT"
refused dtls-host "DTLS, MEF certificate for another host" 'MEF certificate \(other.example.com\) does not name the MEF FQDN mef.example.com'

server_cert mef.pem mef.key
config dtls-untrusted "coaps://127.0.0.1:$COAPS_PORT" \
  '{"cert": {"cert_file": "pki/client.pem", "key_file": "pki/client.key", "trust_anchors": "pki/ta/ta1.pem"}}'
refused dtls-untrusted "DTLS, MEF certificate from an untrusted CA" 'DTLS: Unknown CA'
config dtls-wrongpsk "coaps://127.0.0.1:$COAPS_PORT" "{\"psk\": {\"identity\": \"$ID\", \"key_file\": \"wrong.key\"}}"
refused dtls-wrongpsk "DTLS, wrong PSK" 'error: registration: '
config https-wrongpsk "https://127.0.0.1:$HTTPS_PORT" "{\"psk\": {\"identity\": \"$ID\", \"key_file\": \"wrong.key\"}}"
refused https-wrongpsk "HTTPS, wrong PSK" 'error: registration: .*TLS-PSK handshake refused'
check "mefd registered none of the refused clients" 0 "$(grep -c 'register: client=.* created' "$work/mefd.log" || true)"

# A trust anchor whose fingerprint is not the [trustAnchorCred]'s.
config ta-mismatch "coaps://127.0.0.1:$COAPS_PORT" "{\"psk\": {\"identity\": \"$ID\", \"key_file\": \"kpm.key\"}}"
run_mefc ta-mismatch run --once --config "$work/ta-mismatch.json"
check "trust anchor fingerprint mismatch: run completes" 0 "$RC"
check "trust anchor fingerprint mismatch: 305 at the MEF" 305 "$(result_of c-1)"
check_grep "trust anchor fingerprint mismatch: the reason" \
  "trust anchor: fingerprint mismatch: expected $ZERO_FP, got $TA_FP" "$work/ta-mismatch.log"
check "trust anchor fingerprint mismatch: nothing added to the key store" \
  "key store:     0 enrolled certificate(s), 0 CA certificate(s)" \
  "$("$MEFC" status --config "$work/ta-mismatch.json" | grep '^key store:')"
check "trust anchor fingerprint mismatch: no certificate file in the state" "" \
  "$(find "$work/state-ta-mismatch" -name '*.pem' -o -name '*.der' | head -n 1)"
finish
