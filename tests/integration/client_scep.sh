#!/usr/bin/env bash
# mefc enrols over SCEP (RFC 8894) with Debian's micromdm scepserver, a peer
# written elsewhere, on loopback: success (20, the certificate checked with
# openssl), a wrong challenge password (FAILURE badRequest -> 100), the
# server unreachable (100), a CA fingerprint that differs from the configured
# one (100) and no way to authenticate the CA (101). mefd issues the
# CERT_PROV commands whose URI names the MEF FQDN and scepserver's port.
# scepserver listens on every interface and has no bind option, so the
# whole test runs in a network namespace of its own holding only loopback.
set -eu
if [ -z "${MEFC_TEST_NETNS:-}" ]; then
  # shellcheck disable=SC2016 # $0 is expanded by the inner bash
  exec unshare -rn env MEFC_TEST_NETNS=1 bash -c 'ip link set lo up && exec bash "$0"' "$0"
fi
. "$(dirname "$0")/lib/client.sh"
command -v scepserver >/dev/null || { echo "$name: scepserver is not installed (package scep)" >&2; exit 1; }

SCEP_PORT=8090
CHALLENGE='scep-challenge-1'
scep="$work/scep"
mkdir -p "$scep"
(cd "$scep" && scepserver ca -init -depot depot -keySize 2048 -organization "mefc test" >/dev/null 2>&1)
CA_FP=$(fingerprint "$scep/depot/ca.pem")
OTHER_FP=$(printf 'ab%.0s' $(seq 32))
timeout 90 scepserver -depot "$scep/depot" -port "$SCEP_PORT" -challenge "$CHALLENGE" -allowrenew 0 \
  2>"$work/scepserver.log" &
bg_pids="$bg_pids $!"
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$SCEP_PORT") 2>/dev/null && break
  sleep 0.1
done

URI="http://mef.example.com:$SCEP_PORT/scep"
DEAD="http://mef.example.com:1/scep"
NODE=urn:dev:ops:test-scep-1
: >"$work/psk.txt"
for c in ok badpw badca noca; do
  printf 'kpm-%s,psk-secret-%s\n' "$c" "$c" >>"$work/psk.txt"
  printf 'psk-secret-%s\n' "$c" >"$work/$c.key"
done
printf '%s\n' "$CHALLENGE" >"$work/challenge.txt"
printf 'not-the-challenge\n' >"$work/wrong-challenge.txt"
chmod 600 "$work"/*.key "$work"/*.txt

# Every command is the SCEP entry of examples/campaign-scep.json with its
# cmdID, URI and expected status changed.
scep_cmd() { # scep_cmd ID URI EXPECT
  jq -c --arg id "$1" --arg uri "$2" --argjson expect "$3" --arg csi "$NODE" \
    '.clients["*"].commands[0] | .id = $id | .args.cpca.uri = $uri | .expect = $expect
     | .args.cpca.csi = $csi | del(.comment)' "$root/examples/campaign-scep.json"
}
cat >"$work/campaign.json" <<JSON
{"clients": {
  "kpm-ok": {"commands": [$(scep_cmd c-1 "$URI" 20), $(scep_cmd c-2 "$DEAD" 100)]},
  "kpm-badpw": {"commands": [$(scep_cmd c-3 "$URI" 100)]},
  "kpm-badca": {"commands": [$(scep_cmd c-4 "$URI" 100)]},
  "kpm-noca": {"commands": [$(scep_cmd c-5 "$URI" 101)]}
}}
JSON
start_mefd --coaps-port auto-coaps --psk-file "$work/psk.txt" --campaign "$work/campaign.json"

config() { # config NAME SCEP_SECTION
  cat <<JSON
{
  "mef": {"address": "coaps://127.0.0.1:$COAPS_PORT", "fqdn": "mef.example.com",
          "hosts": {"mef.example.com": "127.0.0.1"}},
  "credentials": {"psk": {"identity": "kpm-$1", "key_file": "$1.key"}},
  "state_dir": "state-$1",
  "coap": {"ack_timeout_ms": 500, "max_retransmit": 2, "response_timeout_ms": 4000},
  "run": {"once_max_backoffs": 2},
  $2
  "client": {"role": "node", "acts_for": ["$NODE"], "classes": [0, 1, 2, 3],
             "cert_prov_protocols": [1, 2], "dev_mgmt_ids": [3]}
}
JSON
}
config ok "\"scep\": {\"challenge_file\": \"challenge.txt\", \"ca_fingerprint\": \"$CA_FP\"}," >"$work/ok.json"
config badpw "\"scep\": {\"challenge_file\": \"wrong-challenge.txt\", \"ca_fingerprint\": \"$CA_FP\"}," \
  >"$work/badpw.json"
config badca "\"scep\": {\"challenge_file\": \"challenge.txt\", \"ca_fingerprint\": \"$OTHER_FP\"}," \
  >"$work/badca.json"
config noca "\"scep\": {\"challenge_file\": \"challenge.txt\"}," >"$work/noca.json"

# Success, then the server unreachable.
run_mefc ok run --once -v --config "$work/ok.json"
check "ok: exit 0" 0 "$RC"
check "c-1 enrolled: 20 recorded by mefd" 20 "$(result_of c-1)"
check "c-2 server unreachable: 100 recorded by mefd" 100 "$(result_of c-2)"
log="$work/ok.log"
check_grep "the core decided scep_enroll" '^mefc: decide cmd=c-1 mccs=10 class=1 execute scep_enroll \(MCC-7-5\)' "$log"
check_grep "GetCACaps and GetCACert, CA authenticated by its fingerprint" \
  "scep: CA authenticated \(sha256 $CA_FP, scep.ca_fingerprint\)" "$log"
check_grep "PKCSReq with the challenge password" 'scep: PKCSReq transaction [0-9a-f]{16}\.\.\., envelope AES-128-CBC, signature SHA-256, with the challenge password' "$log"
check_grep "CertRep arrived chunked" 'scep: PKIOperation answered HTTP 200, application/x-pki-message, [0-9]+ bytes \(chunked\)' "$log"
check_grep "legacy provider loaded for the DES envelope, and said so" \
  'scep: the server encrypted its reply with single DES \(DES-CBC\): OpenSSL.s legacy provider loaded for this decryption only' "$log"
check_grep "certificate issued and stored" 'scep: certificate issued and stored \(subject .*, sha256 [0-9a-f]{64}\)' "$log"
check_grep "c-1 outcome ok" 'outcome scep_enroll: ok' "$log"
check_grep "c-2: connection refused is logged" 'scep: GetCACaps failed: .*(Couldn.t connect|Connection refused)' "$log"
check_grep "c-2 outcome server_error" 'outcome scep_enroll: server_error' "$log"
check_no_grep "no challenge password in the log" "$CHALLENGE" "$log"
check_no_grep "no private key in the log" 'PRIVATE KEY' "$log"

ks="$work/state-ok/keystore.json"
check "key store: one enrolled certificate for the Node-ID" "$NODE" "$(jq -r '[.certs[].subject] | join(" ")' "$ks")"
check "key store: the SCEP CA installed" "scep-cacert $CA_FP" \
  "$(jq -r '.ca_certs[] | "\(.source) \(.fp)"' "$ks")"
cert="$work/state-ok/$(jq -r '.certs[0].cert' "$ks")"
key="$work/state-ok/$(jq -r '.certs[0].key' "$ks")"
check "issued certificate matches the generated key" \
  "$(openssl x509 -in "$cert" -noout -pubkey)" "$(openssl pkey -in "$key" -pubout)"
# MCC-7-5-SAN over SCEP.
check "issued certificate carries the certSubjectID as SAN URI" "URI:$NODE" \
  "$(openssl x509 -in "$cert" -noout -ext subjectAltName | tail -n 1 | tr -d ' ')"
check "issued certificate chains to scepserver's CA" "$cert: OK" \
  "$(openssl verify -CAfile "$scep/depot/ca.pem" "$cert")"
check "issued certificate has an RSA key" "rsaEncryption" \
  "$(openssl x509 -in "$cert" -noout -text | sed -n 's/.*Public Key Algorithm: //p')"
check "key files are 0600" "600 " \
  "$(find "$work/state-ok" -type f -exec stat -c %a {} + | sort -u | tr '\n' ' ')"

# A wrong challenge password: scepserver answers FAILURE badRequest.
run_mefc badpw run --once -v --config "$work/badpw.json"
check "wrong challenge: exit 0" 0 "$RC"
check "c-3 wrong challenge: 100 recorded by mefd" 100 "$(result_of c-3)"
check_grep "wrong challenge: FAILURE badRequest" 'scep: the CA refused the request: FAILURE badRequest' \
  "$work/badpw.log"
check_no_grep "wrong challenge: nothing stored" 'certificate issued' "$work/badpw.log"

# The CA of GetCACert is not the one configured.
run_mefc badca run --once -v --config "$work/badca.json"
check "CA mismatch: exit 0" 0 "$RC"
check "c-4 CA fingerprint mismatch: 100 recorded by mefd" 100 "$(result_of c-4)"
check_grep "CA mismatch logged with both fingerprints" \
  "scep: CA fingerprint mismatch: expected $OTHER_FP, got $CA_FP" "$work/badca.log"
check_no_grep "CA mismatch: no PKCSReq sent" 'PKCSReq' "$work/badca.log"

# No fingerprint configured and no CA certificate held: the client cannot
# authenticate the CA (ruling I-39).
run_mefc noca run --once -v --config "$work/noca.json"
check "no CA: exit 0" 0 "$RC"
check "c-5 no way to authenticate the CA: 101 recorded by mefd" 101 "$(result_of c-5)"
check_grep "no CA: reason logged" 'scep: cannot authenticate the SCEP CA: no scep.ca_fingerprint' "$work/noca.log"

# Configuration errors name the key.
config ok '"scep": {"ca_fingerprint": "12ab"},' >"$work/badfp.json"
run_mefc badfp run --once --config "$work/badfp.json"
check "short scep.ca_fingerprint: configuration error (exit 2)" 2 "$RC"
check_grep "short scep.ca_fingerprint: the key is named" 'scep.ca_fingerprint: must be 64 hexadecimal digits' \
  "$work/badfp.log"
config ok '"scep": {"key": "ec-p256"},' >"$work/eckey.json"
run_mefc eckey run --once --config "$work/eckey.json"
check "scep.key ec-p256: configuration error (exit 2)" 2 "$RC"

check_grep "scepserver itself refused the wrong challenge" 'failed to sign CSR.*invalid challenge' \
  "$work/scepserver.log"
finish
