#!/usr/bin/env bash
# The durable record is trusted only when it is whole: a torn file, an
# unknown version or a record the engine cannot start from stops mefc with a
# clear error and leaves the file as it was (never a silent reset); stale
# temp files of an interrupted write are removed. Configuration errors name
# the field. No MEF is needed: mefc stops before any network I/O.
set -eu
. "$(dirname "$0")/lib/client.sh"

printf 'a-secret\n' >"$work/kpm.key"
chmod 600 "$work/kpm.key"
cat >"$work/mefc.json" <<'JSON'
{
  "mef": {"address": "coaps://127.0.0.1:9", "fqdn": "mef.example.com"},
  "credentials": {"psk": {"identity": "kpm-state-1", "key_file": "kpm.key"}},
  "state_dir": "state",
  "client": {"role": "node", "classes": [0, 1, 2, 3]}
}
JSON
mkdir -p "$work/state"
try() { # try NAME CONTENT PATTERN: the record file holds CONTENT; mefc must refuse it
  printf '%s' "$2" >"$work/state/record.json"
  local before
  before=$(sha256sum <"$work/state/record.json")
  run_mefc "$1" run --once --config "$work/mefc.json"
  check "$1: exit 1" 1 "$RC"
  check_grep "$1: clear error" "$3" "$work/$1.log"
  check "$1: file left as it was" "$before" "$(sha256sum <"$work/state/record.json")"
  run_mefc "$1-status" status --config "$work/mefc.json"
  check "$1: status reports it (exit 1)" 1 "$RC"
}
try torn '{"format":"mefc-record","version":1,"record":{"cmd_id":"c-1","pha' 'is damaged'
try version '{"format":"mefc-record","version":2,"record":{"phase":"none"}}' 'has version 2; this mefc reads version 1 only'
try invalid '{"format":"mefc-record","version":1,"record":{"cmd_id":"c-1","phase":"done"}}' 'record.status: missing'
try badstatus '{"format":"mefc-record","version":1,"record":{"cmd_id":"c-1","phase":"reported","status":11}}' 'not a status a client reports'
try empty '' 'is damaged'

# A whole record and a stale temp file: mefc starts (then fails to reach the
# MEF at a closed port), removing the temp file.
printf '%s' '{"format":"mefc-record","version":1,"record":{"cmd_id":"c-1","phase":"reported","status":20}}' \
  >"$work/state/record.json"
printf 'half' >"$work/state/.record.json.tmpAbC123"
sed -i 's/"client"/"coap": {"ack_timeout_ms": 200, "max_retransmit": 0, "response_timeout_ms": 500},\n  "client"/' \
  "$work/mefc.json"
run_mefc whole run --once --config "$work/mefc.json"
check_grep "whole record: loaded" 'state: record cmd=c-1 phase=reported status=20' "$work/whole.log"
check "whole record: stale temp file removed" "no" "$([ -e "$work/state/.record.json.tmpAbC123" ] && echo yes || echo no)"

# Configuration errors name the field and exit 2.
cfg_error() { # cfg_error NAME JSON PATTERN
  printf '%s' "$2" >"$work/bad.json"
  run_mefc "cfg-$1" run --once --config "$work/bad.json"
  check "config $1: exit 2" 2 "$RC"
  check_grep "config $1: names the field" "$3" "$work/cfg-$1.log"
}
base='"mef": {"address": "coaps://127.0.0.1:9", "fqdn": "mef.example.com"}, "state_dir": "s"'
cred='"credentials": {"psk": {"identity": "k", "key_file": "kpm.key"}}'
cfg_error unknown-key "{$base, $cred, \"client\": {\"role\": \"node\"}, \"colour\": 1}" 'unknown key "colour"'
cfg_error no-credentials "{$base, \"client\": {\"role\": \"node\"}}" 'credentials: missing'
cfg_error bad-scheme "{\"mef\": {\"address\": \"http://x\", \"fqdn\": \"x\"}, \"state_dir\": \"s\", $cred, \"client\": {\"role\": \"node\"}}" 'mef.address: must start with coaps://'
cfg_error bad-role "{$base, $cred, \"client\": {\"role\": \"robot\"}}" 'client.role'
cfg_error bad-fqdn "{$base, $cred, \"client\": {\"role\": \"node\", \"mef_fqdn\": \"other.example\"}}" 'client.mef_fqdn: differs from mef.fqdn'
cfg_error missing-key-file "{$base, \"credentials\": {\"psk\": {\"identity\": \"k\", \"key_file\": \"nope.key\"}}, \"client\": {\"role\": \"node\"}}" 'credentials.psk.key_file: cannot open'
finish
