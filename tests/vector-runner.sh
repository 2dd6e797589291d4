#!/usr/bin/env bash
# Checks `mefc vector` itself: exit codes, the summary line, the FAIL lines,
# and that every malformed file under tests/data/vectors-bad/ is refused
# with exit 2 and a message naming the file and the offending field.
# Usage: tests/vector-runner.sh [path/to/mefc]   (default: build/mefc)
set -u
cd "$(dirname "$0")/.." || exit 1
MEFC=${1:-build/mefc}
BAD=tests/data/vectors-bad
OK=tests/data/vectors-ok
failures=0
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

fail() { echo "vector-runner: FAIL: $*"; failures=$((failures + 1)); }

# run EXPECTED_RC ARGS...: runs mefc, captures stdout/stderr, checks the exit code.
run() {
  local want=$1; shift
  "$MEFC" "$@" >"$out" 2>"$err"
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "mefc $* exited $rc, expected $want: $(head -c 300 "$err")"
}
has() { grep -qF -- "$2" "$1" || fail "expected \"$2\" in $(basename "$1" | sed 's/tmp.*/output/'): $(head -c 300 "$1")"; }

[ -x "$MEFC" ] || { echo "vector-runner: $MEFC not built"; exit 1; }

# The program itself.
run 0 --version; has "$out" "mefc "
run 0 --help; has "$out" "vector"
run 2 no-such-command; has "$err" "unknown command"
run 2 vector; has "$err" "usage: mefc vector"

# Good files: pass, fail, and the summary line.
run 0 vector "$OK/pass.json"
grep -qx "vectors: 1 passed, 0 failed" "$out" || fail "summary for pass.json: $(cat "$out")"
run 1 vector "$OK/fail.json"
has "$out" "FAIL $OK/fail.json: runner-fails: expected wait 1000 ms, got wait 30000 ms"
grep -qx "vectors: 0 passed, 1 failed" "$out" || fail "summary for fail.json: $(cat "$out")"
run 1 vector "$OK/pass.json" "$OK/fail.json"
grep -qx "vectors: 1 passed, 1 failed" "$out" || fail "summary for two files: $(cat "$out")"

# Names are unique across files; an unreadable file is named; a malformed
# file does not stop the others from running, and the exit code is 2.
run 2 vector "$OK/same-name-a.json" "$OK/same-name-b.json"
has "$err" "$OK/same-name-b.json: case 0 (runner-same-name): name already used in $OK/same-name-a.json"
run 2 vector "$OK/pass.json" "$BAD/no-such-file.json"
has "$err" "$BAD/no-such-file.json"
grep -qx "vectors: 1 passed, 0 failed" "$out" || fail "summary next to an unreadable file: $(cat "$out")"

# Every malformed file, with a piece of the message that names what is wrong.
while IFS='|' read -r file msg; do
  [ -n "$file" ] || continue
  [ -f "$BAD/$file" ] || { fail "missing test file $BAD/$file"; continue; }
  run 2 vector "$BAD/$file"
  has "$err" "$BAD/$file"
  has "$err" "$msg"
done <<'TABLE'
not-json.json|line 2
top-level-string.json|line 1
empty-array.json|holds no case
duplicate-member.json|duplicate object key
case-not-object.json|a case must be an object
name-twice.json|case 1 (bad-twice): name already used
unknown-case-key.json|unknown key "expected"
missing-name.json|name: missing
rules-empty.json|rules: must be a non-empty array
client-missing.json|client: missing
client-unknown-key.json|client: unknown key "fqdn"
fqdn-missing.json|client.mef_fqdn: missing
fqdn-too-long.json|client.mef_fqdn: 255 bytes, more than the capacity of 254
role-bad.json|client.role: must be
acts-for-too-many.json|client.acts_for: 9 entries, more than the capacity of 8
acts-for-too-long.json|client.acts_for[0]: 129 bytes, more than the capacity of 128
acts-for-empty-string.json|client.acts_for[0]: must not be empty
classes-out-of-range.json|client.classes[1]: 4 is outside 0..3
classes-twice.json|client.classes[1]: 0 listed twice
classes-real.json|client.classes[0]: must be an integer
protocol-out-of-range.json|client.cert_prov_protocols[0]: 3 is outside 1..2
dev-mgmt-id-zero.json|client.dev_mgmt_ids[0]: 0 is outside 1..4
symm-keys-too-many.json|client.symm_keys: 9 entries
symm-key-too-long.json|client.symm_keys[0]: 65 bytes
cert-bad-hex.json|client.certs[0]: not a SHA-256 fingerprint
cert-short.json|client.certs[0]: not a SHA-256 fingerprint
ca-certs-too-many.json|client.ca_certs: 9 entries
mo-not-array.json|mo: must be an array
mo-too-many.json|mo: 17 entries, more than the capacity of 16
mo-path-missing.json|mo[0].path: missing
mo-path-too-long.json|mo[0].path: 129 bytes
mo-path-twice.json|mo[1].path: "/a" is listed twice
mo-parent-missing.json|mo[1].parent: no MO node "/x"
mo-parent-listed-later.json|mo[0].parent: no MO node "/a" listed before this one
mo-mgd-string.json|mo[0].mgd: must be an integer
mo-unknown-key.json|mo[0]: unknown key "type"
attr-unknown.json|mo[0].attrs: unknown key "foo"
attr-suid-real.json|mo[0].attrs.suid: must be an integer
attr-tlcs-real.json|mo[0].attrs.tlcs[0]: must be an integer
attr-tlcs-too-many.json|mo[0].attrs.tlcs: 9 entries
attr-tlcs-out-of-range.json|mo[0].attrs.tlcs[0]: 70000 is outside 0..65535
attr-aski-too-long.json|mo[0].attrs.aski: 65 bytes
attr-mcfp-bad-hex.json|mo[0].attrs.mcfp: not a SHA-256 fingerprint
attr-mcfp-and-cfp.json|mo[0].attrs: mcfp and cfp together
attr-uri-too-long.json|mo[0].attrs.uri: 385 bytes
attr-mkrl-not-array.json|mo[0].attrs.mkrl: must be an array
record-phase-bad.json|record.phase: must be
record-cmd-id-missing.json|record.cmd_id: missing
record-cmd-id-too-long.json|record.cmd_id: 65 bytes
record-status-not-client.json|record.status: 10 is not a status a client reports
record-status-missing.json|record.status: missing
record-status-with-started.json|record.status: only for phase done or reported
record-class-missing.json|record.class: missing
record-class-zero.json|record.class: 0 is outside 1..3
response-and-b64.json|exactly one of response and response_b64
response-missing.json|exactly one of response and response_b64
response-b64-bad.json|response_b64: not padded base64
expect-missing.json|expect: missing
expect-decision-bad.json|expect.decision: must be
expect-report-without-status.json|expect.status: missing
expect-key-of-other-decision.json|expect: unknown key "status"
expect-ms-negative.json|expect.ms: must be a non-negative integer
expect-procedure-bad.json|expect.procedure: must be one of
expect-args-unknown.json|expect.args: unknown key "url"
expect-args-fingerprint-bad.json|expect.args.fingerprint: not 64 hexadecimal digits
expect-effect-bad.json|expect.effect: must be
outcome-without-final-status.json|outcome and final_status go together
outcome-with-report.json|outcome: only with an execute expectation
outcome-bad.json|outcome: must be
TABLE

# Every file in the directory is in the table above.
listed=$(sed -n '/^TABLE$/,$d; /^[a-z0-9-]*\.json|/p' "$0" | cut -d'|' -f1 | sort)
present=$(cd "$BAD" && ls -1 ./*.json | sed 's|^\./||' | sort)
[ "$listed" = "$present" ] || fail "tests/data/vectors-bad/ and the table differ: $(diff <(echo "$listed") <(echo "$present") | grep '^[<>]' | tr '\n' ' ')"

if [ "$failures" -ne 0 ]; then
  echo "vector-runner: $failures check(s) failed"
  exit 1
fi
echo "vector-runner: all checks passed"
