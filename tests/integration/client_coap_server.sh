#!/usr/bin/env bash
# mefc's DTLS-PSK handshake against a server nobody here wrote: libcoap's
# coap-server-openssl with per-identity keys. The handshake succeeds with the
# KpmID and its key and negotiates the TS-0003 10.2.2 DTLS suite
# (TLS_PSK_WITH_AES_128_CCM_8); with a wrong key no session is established.
# coap-server knows no oneM2M option, so the registration that follows fails:
# only the handshake is checked here (the exchange is tested against mefd).
# Environment: COAP_SERVER (default coap-server-openssl).
set -eu
. "$(dirname "$0")/lib/client.sh"
COAP_SERVER=${COAP_SERVER:-coap-server-openssl}
command -v "$COAP_SERVER" >/dev/null || { echo "$name: $COAP_SERVER is not installed" >&2; exit 1; }

printf 'mef-hint,kpm-peer-1,peer-secret-1\n' >"$work/idmatch.txt"
printf 'peer-secret-1\n' >"$work/good.key"
printf 'peer-secret-2\n' >"$work/bad.key"
chmod 600 "$work/good.key" "$work/bad.key"

port=""
for _ in 1 2 3 4 5; do
  p=$((20000 + RANDOM % 40000))
  # coaps listens on the given port + 1
  timeout 20 "$COAP_SERVER" -A 127.0.0.1 -p "$p" -k default-secret -h mef-hint -i "$work/idmatch.txt" \
    >"$work/server.log" 2>&1 &
  mefd_pid=$!   # stopped by the library's cleanup
  sleep 0.3
  if kill -0 "$mefd_pid" 2>/dev/null; then port=$((p + 1)); break; fi
  wait "$mefd_pid" 2>/dev/null || true
  mefd_pid=""
done
[ -n "$port" ] || { echo "$name: coap-server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

config() { # config KEYFILE
  cat <<JSON
{
  "mef": {"address": "coaps://127.0.0.1:$port", "fqdn": "mef.example.com"},
  "credentials": {"psk": {"identity": "kpm-peer-1", "key_file": "$1"}},
  "state_dir": "state",
  "coap": {"ack_timeout_ms": 300, "max_retransmit": 1, "response_timeout_ms": 1500},
  "client": {"role": "node", "classes": [0, 1, 2, 3]}
}
JSON
}
config good.key >"$work/good.json"
config bad.key >"$work/bad.json"

run_mefc good run --once --config "$work/good.json"
check_grep "right key: DTLS 1.2 session with TLS_PSK_WITH_AES_128_CCM_8" \
  'dtls connected to mef.example.com: DTLSv1.2, cipher PSK-AES128-CCM8 \(0xc0a8\)' "$work/good.log"
check "right key: no registration from a server without oneM2M (exit 1)" 1 "$RC"

run_mefc bad run --once --config "$work/bad.json"
check_no_grep "wrong key: no session" 'dtls connected' "$work/bad.log"
check "wrong key: exit 1" 1 "$RC"
check_no_grep "no key in the logs" 'peer-secret' "$work/good.log"
finish
