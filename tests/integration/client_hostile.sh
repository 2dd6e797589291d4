#!/usr/bin/env bash
# A subset of the hostile-input catalogue (tests/hostile) served byte for
# byte by mefd (raw campaign entries) to the running client over DTLS-PSK,
# unparseable payloads alternating with ones the client must report:
# the client does not crash, executes nothing, reports exactly the expected
# status for each reportable payload and nothing for the others, which it
# answers with a Retrieve after a backoff (I-10, I-21, I-22).
set -eu
. "$(dirname "$0")/lib/client.sh"
command -v python3 >/dev/null || { echo "$name: python3 is not installed" >&2; exit 1; }

ID=kpm-hostile-1
KEY=hostile-secret-1
printf '%s,%s\n' "$ID" "$KEY" >"$work/psk.txt"
printf '%s\n' "$KEY" >"$work/kpm.key"
chmod 600 "$work/psk.txt" "$work/kpm.key"

# The campaign and the expectations, from the committed catalogue.
python3 - "$root/tests/hostile/catalogue.json" "$ID" "$work" <<'PY'
import base64, json, sys
cat, ident, work = sys.argv[1], sys.argv[2], sys.argv[3]
cases = {c["name"].split("-", 3)[3]: c for c in json.load(open(cat))}
retry = ["trunc-cert-prov-000", "trunc-cert-prov-050", "depth-unclosed-10000", "tokens-97", "size-ws-65536",
         "cmdid-len-65", "status-real", "class-real", "duplicate-cma", "duplicate-sec-and-m2m",
         "utf8-overlong-slash-in-uri", "escape-lone-high", "nul-between-tokens", "envelope-array-root"]
report = ["host-est-userinfo-evil", "host-est-suffix", "host-est-percent-all", "host-est-ipv6-zone",
          "host-dev-cfg-userinfo-evil", "host-scep-percent-dot", "class-1-two-cmdargs-members",
          "class-0-with-args-of-3", "class-2-cmdargs-missing", "class-unsupported-2pow32", "cppi-real",
          "cst-4", "suid-16", "dev-mgmt-id-huge", "duration-max-ms-plus-1", "target-past-capacity",
          "subject-id-past-capacity", "cert-uri-385", "nul-escaped-in-uri-host", "object-path-traversal"]
cmds, exp_r, exp_p = [], [], []
for i in range(max(len(retry), len(report))):
    if i < len(retry):
        c = cases[retry[i]]
        assert c["expect"] == {"decision": "retry"}, retry[i]
        cid = "raw-%02d" % i
        cmds.append({"id": cid, "raw_b64": c["response_b64"], "comment": retry[i]})
        exp_r.append("%s %s" % (cid, retry[i]))
    if i < len(report):
        c = cases[report[i]]
        assert c["expect"]["decision"] == "report", report[i]
        cid = json.loads(base64.b64decode(c["response_b64"]))["sec:mcc"]["mcci"]
        cmds.append({"id": cid, "raw_b64": c["response_b64"], "expect": c["expect"]["status"],
                     "comment": report[i]})
        exp_p.append("%s %d %s" % (cid, c["expect"]["status"], report[i]))
json.dump({"clients": {ident: {"retry_duration": "PT1S", "commands": cmds}}}, open(work + "/campaign.json", "w"))
open(work + "/expect-retry.txt", "w").write("\n".join(exp_r) + "\n")
open(work + "/expect-report.txt", "w").write("\n".join(exp_p) + "\n")
PY
start_mefd --coaps-port auto-coaps --psk-file "$work/psk.txt" --campaign "$work/campaign.json"
cat >"$work/mefc.json" <<JSON
{
  "mef": {"address": "coaps://127.0.0.1:$COAPS_PORT", "fqdn": "mef.example.com"},
  "credentials": {"psk": {"identity": "$ID", "key_file": "kpm.key"}},
  "state_dir": "state",
  "coap": {"ack_timeout_ms": 500, "max_retransmit": 2, "response_timeout_ms": 4000},
  "run": {"once_max_backoffs": 2},
  "client": {"role": "node", "acts_for": ["urn:dev:ops:1", "/CSE01", "Cae01", "/$(printf 'T%.0s' $(seq 127))"],
             "classes": [0, 1, 2, 3], "cert_prov_protocols": [1, 2], "dev_mgmt_ids": [3], "symm_keys": ["key-1"]},
  "mo": [
    {"path": "/reg", "mgd": 1020, "attrs": {"csi": "/CSE01"}},
    {"path": "/ap", "parent": "/reg", "mgd": 1022, "attrs": {"suid": 12, "aski": "key-1", "tlcs": [174]}}
  ]
}
JSON

set +e
timeout 120 "$MEFC" run --once --config "$work/mefc.json" >"$work/client.out" 2>"$work/client.log"
RC=$?
set -e
log="$work/client.log"
check "client ran to NO_MORE_COMMANDS (exit 0, no crash)" 0 "$RC"
check "mefd still running" yes "$(kill -0 "$mefd_pid" 2>/dev/null && echo yes || echo no)"
check_no_grep "nothing executed" '^mefc: execute ' "$log"
while read -r cid st label; do
  check "$label: reported $st once" "$st" \
    "$(jq -r --arg id "$cid" 'select(.cmd_id == $id) | .status' "$work/results.jsonl" | tr '\n' ' ' | sed 's/ $//')"
done <"$work/expect-report.txt"
nr=$(wc -l <"$work/expect-retry.txt")
while read -r cid label; do
  check_grep "$label: not reported, Retrieve sent again" "raw entry $cid served 1 times without a matching Update" \
    "$work/mefd.log"
done <"$work/expect-retry.txt"
check "results: only the reportable payloads (plus nothing discarded)" "$(wc -l <"$work/expect-report.txt")" \
  "$(wc -l <"$work/results.jsonl")"
check "a backoff for every unparseable payload" yes \
  "$([ "$(grep -c 'backoff: resend in' "$log")" -ge "$nr" ] && echo yes || echo no)"
run_mefc status status --config "$work/mefc.json"
check "durable record valid afterwards (mefc status exit 0)" 0 "$RC"
finish
