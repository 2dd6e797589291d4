#!/usr/bin/env bash
# mefd's certificate side on 127.0.0.1: DTLS with client certificates (coap-
# client-openssl), EST over HTTPS (RFC 7030: cacerts, csrattrs, simpleenroll
# with TLS client certificate and with TLS-PSK), trust anchors, and the
# campaign's fault injection (est_pending -> 202 + Retry-After, est_fail,
# drop_updates -> no response to an Update). HTTPS requests go through
# `openssl s_client`, which verifies mefd's certificate and host name.
# A throw-away PKI is made here with the openssl command.
# Environment: MEFD (default build/mefd), COAP_CLIENT (coap-client-openssl).
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
MEFD=${MEFD:-$root/build/mefd}
COAP_CLIENT=${COAP_CLIENT:-coap-client-openssl}
for tool in "$COAP_CLIENT" openssl jq perl; do
  command -v "$tool" >/dev/null || { echo "mefd_est: $tool is not installed" >&2; exit 1; }
done
[ -x "$MEFD" ] || { echo "mefd_est: $MEFD is not built" >&2; exit 1; }

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

# --- throw-away PKI: CA, mef (localhost), client CAE-est-1 (SAN URI).
cd "$work"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key ca.key
openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/CN=mefd test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem
leaf() { # leaf NAME CN EXTENSIONS
  key "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
  printf '%s\n' "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -sha256 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
leaf mef localhost "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth,clientAuth"
leaf cli CAE-est-1 "subjectAltName=URI:CAE-est-1
extendedKeyUsage=clientAuth"
mkdir ta && cp ca.pem ta/mef-ca.pem
PSK_HEX=$(printf %s est-2-secret | od -An -tx1 | tr -d ' \n')
printf 'CAE-est-2,hex:%s\n' "$PSK_HEX" >psk.txt
chmod 600 psk.txt ./*.key
cat >campaign.json <<'JSON'
{"clients": {
  "CAE-est-1": {"commands": [
    {"id": "c-1", "class": 1, "est_pending": 1, "drop_updates": 1, "expect": 20,
     "args": {"cpca": {"cppi": 1, "uri": "https://localhost/.well-known/est", "cst": 1, "csi": "urn:dev:ops:est-1"}}},
    {"id": "c-2", "class": 1, "est_fail": 503, "expect": 100,
     "args": {"cpca": {"cppi": 1, "uri": "https://localhost/.well-known/est", "cst": 1, "csi": "urn:dev:ops:est-1"}}}]},
  "CAE-est-2": {"commands": [
    {"id": "e-1", "class": 1, "expect": 20,
     "args": {"cpca": {"cppi": 1, "uri": "https://localhost/.well-known/est", "cst": 1, "csi": "urn:dev:ops:est-2"}}}]}
}}
JSON

# --- mefd on free ports (a few random tries).
started=""
for _ in 1 2 3 4 5; do
  cport=$((20000 + RANDOM % 20000)); hport=$((40000 + RANDOM % 20000))
  : >mefd.log
  "$MEFD" --coaps-port "$cport" --https-port "$hport" --psk-file psk.txt --cert mef.pem --key mef.key \
    --ca ca.pem --ca-key ca.key --ta-dir ta --campaign campaign.json --results results.jsonl \
    --max-seconds 300 2>mefd.log &
  mefd_pid=$!
  for _ in $(seq 50); do
    grep -q ' ready ' mefd.log && break
    kill -0 "$mefd_pid" 2>/dev/null || break
    sleep 0.1
  done
  if grep -q ' ready ' mefd.log; then started=yes; break; fi
  wait "$mefd_pid" 2>/dev/null || true
  mefd_pid=""
done
[ -n "$started" ] || { echo "mefd did not start:" >&2; cat mefd.log >&2; exit 1; }

# coap METHOD URI ARGS...: CODE, RSC, BODY of the response coap-client printed.
coap() {
  local method=$1 uri=$2 trace line hex
  shift 2
  trace=$(timeout 10 "$COAP_CLIENT" -v 7 -B 1 -m "$method" "$@" "$uri" 2>&1 || true)
  line=$(printf '%s\n' "$trace" | grep -E '^v:1 t:(ACK|CON|NON) c:[0245]\.' | tail -n 1 || true)
  CODE=$(printf '%s\n' "$line" | sed -E 's/^v:1 t:[A-Z]+ c:([0-9.]+) .*/\1/')
  RSC=$(printf '%s\n' "$line" | grep -oE '307:(\\x[0-9A-Fa-f]{2})+' | sed -e 's/307://' -e 's/\\x//g' || true)
  RSC=${RSC:+$((16#$RSC))}
  hex=$(printf '%s\n' "$trace" | grep -A3 -F -- "$line" | grep -oE '^<<[0-9a-f]+>>$' | head -n 1 | tr -d '<>' || true)
  BODY=$(printf '%s' "$hex" | perl -pe 's/([0-9a-f]{2})/chr(hex($1))/ge')
}
PKI=(-c cli.pem -j cli.key -C ca.pem)

# https METHOD PATH BODYFILE|- S_CLIENT_ARGS...: STATUS, RETRY (Retry-After), BODY.
https() {
  local method=$1 path=$2 body=$3
  shift 3
  {
    if [ "$body" = - ]; then
      printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$method" "$path"
    else
      printf '%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/pkcs10\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' \
        "$method" "$path" "$(wc -c <"$body")"
      cat "$body"
    fi
  } | timeout 10 openssl s_client -connect "127.0.0.1:$hport" -servername localhost -verify_hostname localhost \
      -verify_return_error -CAfile ca.pem -tls1_2 -quiet "$@" >resp 2>/dev/null || true
  STATUS=$(head -n 1 resp | awk '{print $2}')
  RETRY=$(perl -0777 -ne 'print $1 if /\r\nRetry-After: *([^\r]*)\r\n/i' resp)
  perl -0777 -ne 'print $1 if /\r\n\r\n(.*)\z/s' resp >resp.body
  BODY=$(tr -d '\0' <resp.body)
}
csr() { # csr FILE SAN: base64 DER PKCS#10 with that SAN URI
  key "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=device" -addext "subjectAltName=URI:$2" -outform DER | openssl base64 >"$1"
}
EST=/.well-known/est
fp() { openssl x509 -noout -fingerprint -sha256 "$@" | cut -d= -f2; }

# --- DTLS with certificates: registration and Retrieve of a CERT_PROV command.
coap post "coaps://127.0.0.1:$cport/mef" "${PKI[@]}" -t 10001 -O 279,CAE-est-1 -e '{"sec:mecr":{}}'
check "dtls-pki register: 2.01 RSC 2001" "2.01 2001" "$CODE $RSC"
cmd=$(printf '%s' "$BODY" | jq -r '."sec:mecr".ch[0].val')
coap get "coaps://127.0.0.1:$cport$cmd" "${PKI[@]}" -O 279,CAE-est-1
check "dtls-pki retrieve: CERT_PROV c-1 ISSUED" "2.05 c-1 10 1" "$CODE $(printf '%s' "$BODY" | jq -r '."sec:mcc" | "\(.mcci) \(.mccs) \(.mccd.ccid)"')"

# --- EST.
https GET $EST/cacerts -
check "cacerts: 200" "200" "$STATUS"
openssl base64 -d -in resp.body | openssl pkcs7 -inform DER -print_certs >cacerts.pem
check "cacerts: the CA certificate" "$(fp -in ca.pem)" "$(fp -in cacerts.pem)"
https GET $EST/csrattrs -
check "csrattrs: ecdsa-with-SHA256" "200 1" "$STATUS $(openssl base64 -d -in resp.body | openssl asn1parse -inform DER | grep -c ecdsa-with-SHA256)"
csr good.b64 urn:dev:ops:est-1
https POST $EST/simpleenroll good.b64
check "simpleenroll without TLS client authentication: 401" "401" "$STATUS"
https POST $EST/simpleenroll good.b64 -cert cli.pem -key cli.key
check "simpleenroll pending (est_pending): 202 Retry-After 1" "202 1" "$STATUS $RETRY"
https POST $EST/simpleenroll good.b64 -cert cli.pem -key cli.key
check "simpleenroll: 200" "200" "$STATUS"
openssl base64 -d -in resp.body | openssl pkcs7 -inform DER -print_certs >issued.pem
check "simpleenroll: issued by the CA" "issued.pem: OK" "$(openssl verify -CAfile ca.pem issued.pem 2>&1)"
check "simpleenroll: SubjectAltName copied" "URI:urn:dev:ops:est-1" \
  "$(openssl x509 -in issued.pem -noout -ext subjectAltName | tail -n 1 | tr -d ' ')"
check "simpleenroll: the CSR's key" "$(openssl pkey -in good.b64.key -pubout)" "$(openssl x509 -in issued.pem -noout -pubkey)"
csr other.b64 urn:dev:ops:someone-else
https POST $EST/simpleenroll other.b64 -cert cli.pem -key cli.key
check "simpleenroll naming another subject: 400" "400" "$STATUS"

# TLS-PSK (certificate-less mutual authentication): refused before a CERT_PROV
# is issued to that client, accepted after.
PSK=(-psk_identity CAE-est-2 -psk "$PSK_HEX" -cipher PSK-AES128-CBC-SHA256)
csr psk.b64 urn:dev:ops:est-2
https POST $EST/simpleenroll psk.b64 "${PSK[@]}"
check "simpleenroll over TLS-PSK before any CERT_PROV: 403" "403" "$STATUS"
coap post "coaps://127.0.0.1:$cport/mef" -u CAE-est-2 -k est-2-secret -t 10001 -O 279,CAE-est-2 -e '{"sec:mecr":{}}'
coap get "coaps://127.0.0.1:$cport/mef/reg-2/cmd" -u CAE-est-2 -k est-2-secret -O 279,CAE-est-2
check "dtls-psk retrieve: e-1" "2.05 e-1" "$CODE $(printf '%s' "$BODY" | jq -r '."sec:mcc".mcci')"
https POST $EST/simpleenroll psk.b64 "${PSK[@]}"
check "simpleenroll over TLS-PSK: 200" "200" "$STATUS"

# --- Trust anchors.
https GET /ta/mef-ca.der -
check "trust anchor DER: the CA" "200 $(fp -in ca.pem)" "$STATUS $(fp -inform DER -in resp.body)"
https GET /ta/mef-ca.pem -
check "trust anchor PEM: the CA" "200 $(fp -in ca.pem)" "$STATUS $(printf '%s\n' "$BODY" | fp)"
https GET /ta/nothing.pem -
check "unknown trust anchor: 404" "404" "$STATUS"

# --- drop_updates: the first matching Update gets no response and is not recorded.
coap put "coaps://127.0.0.1:$cport$cmd" "${PKI[@]}" -t 10001 -O 279,CAE-est-1 -e '{"sec:mcc":{"mcci":"c-1","mccs":20}}'
check "dropped Update: empty ACK only" "0.00" "$CODE"
check "dropped Update: not recorded" "0" "$(grep -c CAE-est-1 results.jsonl || true)"
coap get "coaps://127.0.0.1:$cport$cmd" "${PKI[@]}" -O 279,CAE-est-1
check "Retrieve after a dropped Update: c-1 REISSUED" "c-1 11" "$(printf '%s' "$BODY" | jq -r '."sec:mcc" | "\(.mcci) \(.mccs)"')"
coap put "coaps://127.0.0.1:$cport$cmd" "${PKI[@]}" -t 10001 -O 279,CAE-est-1 -e '{"sec:mcc":{"mcci":"c-1","mccs":20}}'
check "Update sent again: recorded, c-2 issued" "2.04 c-2 | c-1 20" \
  "$CODE $(printf '%s' "$BODY" | jq -r '."sec:mcc".mcci') | $(grep CAE-est-1 results.jsonl | tail -n 1 | jq -r '"\(.cmd_id) \(.status)"')"

# --- est_fail: the campaign makes enrolment fail with a server error.
https POST $EST/simpleenroll good.b64 -cert cli.pem -key cli.key
check "simpleenroll refused by the campaign (est_fail): 503" "503" "$STATUS"

if grep -qi -e 'est-2-secret' -e "$PSK_HEX" mefd.log; then
  fails=$((fails + 1)); echo "FAIL mefd log shows a key"
fi
if [ "$fails" -ne 0 ]; then echo "--- mefd log"; cat mefd.log; fi
echo "mefd_est: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
