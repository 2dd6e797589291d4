#!/usr/bin/env bash
# Secrets stay secret: runs over DTLS-PSK (a text key and a hex key), HTTPS
# with a PSK, DTLS with certificates and an EST enrolment (a new private key),
# and a failing handshake, all at the highest log level; then every file the
# runs left - client and mefd logs, results, state directories, configuration
# - is searched for the PSKs (text, hex, raw bytes) and the private keys
# (private scalar, as bytes and as hex; PEM armour), the places meant to hold them excepted (the
# key files given, the key store's own key files). State files and
# directories must have no group or other permissions. A client killed with
# SIGSEGV must leave no core dump, where a process that does not protect
# itself leaves one (the control): and any core there is searched too.
set -eu
. "$(dirname "$0")/lib/client.sh"
command -v python3 >/dev/null || { echo "$name: python3 is not installed" >&2; exit 1; }

ID=urn:dev:ops:secrets-1
make_pki "$ID"
pki="$work/pki"
PSK_TEXT="psk-text-Zq8rV3mW1x"
PSK_HEX="5ec2e7a91b3d4f60718293a4b5c6d7e8"
printf '%s,%s\nkpm-hex-1,hex:%s\n%s,%s\n' kpm-text-1 "$PSK_TEXT" "$PSK_HEX" "$ID" "$PSK_TEXT" >"$work/psk.txt"
printf '%s\n' "$PSK_TEXT" >"$work/kpm-text.key"
printf 'hex:%s\n' "$PSK_HEX" >"$work/kpm-hex.key"
printf 'wrong-key-W7c2\n' >"$work/wrong.key"
chmod 600 "$work/psk.txt" "$work"/*.key
mefd_prepare() {
  EST="https://mef.example.com:$HTTPS_PORT/.well-known/est"
  cat >"$work/campaign.json" <<JSON
{"clients": {"*": {"retry_duration": "PT30S", "commands": [
  {"id": "c-1", "mccd": {"ccid": 7}, "expect": 41},
  {"id": "c-2", "class": 3, "args": {"nnca": {"ajop": "/dm/reg1/ap", "otyp": 1, "otsa": {"suid": 12}}}, "expect": 20}
]},
"$ID": {"commands": [
  {"id": "e-1", "class": 1, "args": {"cpca": {"cppi": 1, "uri": "$EST", "cst": 1, "csi": "$ID"}}, "expect": 20}
]}}}
JSON
}
start_mefd --coaps-port auto-coaps --https-port auto-https --psk-file "$work/psk.txt" --cert "$pki/mef.pem" \
  --key "$pki/mef.key" --ca "$pki/ca.pem" --ca-key "$pki/ca.key" --ta-dir "$pki/ta" --campaign "$work/campaign.json"
config() { # config NAME ADDRESS IDENTITY CREDENTIALS_JSON
  cat >"$work/$1.json" <<JSON
{
  "mef": {"address": "$2", "fqdn": "mef.example.com", "hosts": {"mef.example.com": "127.0.0.1"}},
  "identity": "$3",
  "credentials": $4,
  "https": {"trust_anchors": "pki/ca.pem"},
  "http": {"response_timeout_ms": 3000},
  "state_dir": "state-$1",
  "coap": {"ack_timeout_ms": 1000, "max_retransmit": 1, "response_timeout_ms": 3000},
  "est": {"key": "ec-p256", "max_attempts": 2, "max_retry_after_s": 2},
  "client": {"role": "node", "acts_for": ["$ID"], "classes": [0, 1, 2, 3], "cert_prov_protocols": [1],
             "symm_keys": ["key-1"]},
  "mo": [{"path": "/dm/reg1", "mgd": 1020, "attrs": {"csi": "/CSE01"}},
         {"path": "/dm/reg1/ap", "parent": "/dm/reg1", "mgd": 1022, "attrs": {"suid": 12, "aski": "key-1", "tlcs": [174, 49320]}}]
}
JSON
}
config dtls-text "coaps://127.0.0.1:$COAPS_PORT" kpm-text-1 '{"psk": {"identity": "kpm-text-1", "key_file": "kpm-text.key"}}'
config dtls-hex "coaps://127.0.0.1:$COAPS_PORT" kpm-hex-1 '{"psk": {"identity": "kpm-hex-1", "key_file": "kpm-hex.key"}}'
config https-psk "https://127.0.0.1:$HTTPS_PORT" kpm-text-1 '{"psk": {"identity": "kpm-text-1", "key_file": "kpm-text.key"}}'
config dtls-cert "coaps://127.0.0.1:$COAPS_PORT" "$ID" \
  '{"cert": {"cert_file": "pki/client.pem", "key_file": "pki/client.key", "trust_anchors": "pki/ca.pem"}}'
config dtls-wrong "coaps://127.0.0.1:$COAPS_PORT" kpm-text-1 '{"psk": {"identity": "kpm-text-1", "key_file": "wrong.key"}}'
for r in dtls-text dtls-hex https-psk dtls-cert; do
  run_mefc "$r" run --once -vv --config "$work/$r.json"
  check "$r: exit 0" 0 "$RC"
done
check_grep "EST enrolment made a new private key" 'est: certificate issued and stored' "$work/dtls-cert.log"
run_mefc dtls-wrong run --once -vv --config "$work/dtls-wrong.json"
check "wrong PSK: exit 1" 1 "$RC"

# Core dumps: a client killed by SIGSEGV once it is registered; the control,
# a process that does not protect itself, killed the same way.
mkdir -p "$work/cores"
cores=$(
  cd "$work/cores"
  ulimit -c unlimited 2>/dev/null || true
  "$MEFC" run -vv --config "$work/dtls-text.json" 2>"$work/daemon.log" &
  pid=$!
  for _ in $(seq 100); do grep -q 'registered: ' "$work/daemon.log" && break; sleep 0.1; done
  kill -SEGV "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  mine=$(ls | wc -l)
  bash -c 'kill -SEGV $$' 2>/dev/null
  echo "$mine $(ls | wc -l)"
)
read -r mefc_cores all_cores <<<"$cores"
check "core dump: none from the client killed by SIGSEGV" 0 "$mefc_cores"
if [ "$all_cores" -gt "$mefc_cores" ]; then
  check "core dump: the control did dump (so the check above means something)" yes yes
else
  echo "note: this system writes no core files at all (core_pattern $(cat /proc/sys/kernel/core_pattern)): the core check is vacuous here"
fi

# The secrets, and every file that is not meant to hold one.
private_hex() { # the private scalar of a key file, in hex
  openssl pkey -in "$1" -text -noout 2>/dev/null | sed -n '/^priv:/,/^pub:/{/^priv:/d;/^pub:/d;p}' | tr -d ' :\n'
}
enrolled=$(find "$work/state-dtls-cert/keys" -type f -name 'own-*.key' 2>/dev/null | head -n 1)
check "the enrolled private key is in the key store" yes "$([ -n "$enrolled" ] && echo yes || echo no)"
{
  echo "text $PSK_TEXT"
  echo "text wrong-key-W7c2"
  echo "text $PSK_HEX"
  echo "hex $PSK_HEX"
  for k in "$pki/client.key" "$pki/mef.key" "$pki/ca.key" $enrolled; do
    echo "hex $(private_hex "$k")"
  done
  echo "text PRIVATE KEY" # the PEM armour of any private key
} >"$work/secrets.txt"
check "secrets listed: the hex PSK and four private scalars of 32 bytes" 5 \
  "$(grep -cE '^hex [0-9a-f]{32}([0-9a-f]{32})?$' "$work/secrets.txt")"
find "$work" -type f ! -name 'psk.txt' ! -name '*.key' ! -path "$work/state-*/keys/*" ! -name secrets.txt \
  ! -path "$work/pki/db/*" >"$work/searched.txt"
leaks=$(python3 - "$work/secrets.txt" "$work/searched.txt" <<'PY'
import sys
secrets = []
for line in open(sys.argv[1]):
    kind, value = line.rstrip("\n").split(" ", 1)
    if not value:
        continue
    secrets.append(bytes.fromhex(value) if kind == "hex" else value.encode())
    if kind == "hex":  # also as text, in either case
        secrets += [value.encode(), value.upper().encode()]
for path in open(sys.argv[2]).read().split("\n"):
    if not path:
        continue
    data = open(path, "rb").read()
    for s in secrets:
        if len(s) >= 8 and s in data:
            print("%s holds %r" % (path, s[:12]))
PY
)
check "no PSK or private key in logs, results, state files, configuration or cores ($(wc -l <"$work/searched.txt") files)" "" "$leaks"
check "logs searched include the client's and mefd's" yes \
  "$(grep -q 'dtls-cert.log$' "$work/searched.txt" && grep -q 'mefd.log$' "$work/searched.txt" && echo yes || echo no)"
check "state files and directories: no group or other permissions" "" \
  "$(find "$work"/state-* \( -type f -o -type d \) -perm /077 | sed "s#$work/##" | tr '\n' ' ')"
check "the key store's key files: mode 0600" "" \
  "$(find "$work"/state-*/keys -type f ! -perm 600 2>/dev/null | tr '\n' ' ')"
finish
