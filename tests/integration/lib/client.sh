# Helpers for the tests/integration/client_*.sh scripts (sourced, not run):
# binaries, a scratch directory cleaned on exit, a throw-away PKI, mefd on
# free loopback ports, mefc configuration files, and the pass/fail tally.
# Environment: MEFC (default build/mefc), MEFD (default build/mefd).

root=$(cd "$(dirname "$0")/../.." && pwd)
MEFC=${MEFC:-$root/build/mefc}
MEFD=${MEFD:-$root/build/mefd}
name=$(basename "$0" .sh)
[ -x "$MEFC" ] || { echo "$name: $MEFC is not built" >&2; exit 1; }
for tool in jq openssl; do
  command -v "$tool" >/dev/null || { echo "$name: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
mefd_pid=""
bg_pids=""
stop_mefd() {
  if [ -n "$mefd_pid" ]; then
    kill "$mefd_pid" 2>/dev/null || true
    wait "$mefd_pid" 2>/dev/null || true
    mefd_pid=""
  fi
}
cleanup() {
  stop_mefd
  for p in $bg_pids; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

passes=0
fails=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    passes=$((passes + 1)); echo "ok   $1"
  else
    fails=$((fails + 1)); echo "FAIL $1: expected [$2], got [$3]"
  fi
}
check_grep() { # check_grep NAME PATTERN FILE: the file has a line matching the ERE
  if grep -qE -- "$2" "$3"; then
    passes=$((passes + 1)); echo "ok   $1"
  else
    fails=$((fails + 1)); echo "FAIL $1: no line matching [$2] in $(basename "$3")"
  fi
}
check_no_grep() { # check_no_grep NAME PATTERN FILE
  if grep -qE -- "$2" "$3"; then
    fails=$((fails + 1)); echo "FAIL $1: found [$2] in $(basename "$3")"
  else
    passes=$((passes + 1)); echo "ok   $1"
  fi
}
finish() { # print logs on failure, the tally, and exit non-zero on any failure
  if [ "$fails" -ne 0 ]; then
    for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- $(basename "$f")"; cat "$f"; }; done
  fi
  echo "$name: $passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}

# Status a results file recorded for a cmdID (the last line for it).
result_of() { # result_of CMD_ID
  if [ -f "$work/results.jsonl" ]; then
    jq -r --arg id "$1" 'select(.cmd_id == $id and (.discarded // false) == false) | .status' \
      "$work/results.jsonl" | tail -n 1
  fi
}

# Every command of a campaign file reached mefd's results with its "expect".
check_campaign() { # check_campaign CAMPAIGN COUNT
  local n=0 id expect
  while IFS=$'\t' read -r id expect; do
    check "status of $id recorded by mefd" "$expect" "$(result_of "$id")"
    n=$((n + 1))
  done < <(jq -r '.clients[].commands[] | [.id, (.expect|tostring)] | @tsv' "$1")
  check "every command of the campaign checked" "$2" "$n"
}

# The two ends' files of one registered key: 32 bytes, mode 600 each, the
# value in none of the logs; succeeds when they hold the same key (compared,
# never printed).
check_key_pair() { # check_key_pair KEY_ID CLIENT_FILE SERVER_FILE LOG...
  local kid=$1 c=$2 s=$3 hex l
  shift 3
  check "client key $kid: 32 bytes, mode 600" "32 600" "$(stat -c '%s %a' "$c")"
  check "server key $kid: 32 bytes, mode 600" "32 600" "$(stat -c '%s %a' "$s")"
  hex=$(od -An -tx1 "$c" | tr -d ' \n')
  for l in "$@"; do check_no_grep "key $kid not in $(basename "$l")" "$hex" "$l"; done
  cmp -s "$c" "$s"
}

# A throw-away PKI in $work/pki: CA, MEF certificate for mef.example.com,
# a client certificate whose SAN URI is $1, and another root served as a
# trust anchor (ta/ta1.pem).
make_pki() { # make_pki CLIENT_ID
  local d="$work/pki"
  mkdir -p "$d/ta"
  (
    cd "$d"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
      -days 2 -subj "/CN=Test MEF CA" -addext "basicConstraints=critical,CA:true" \
      -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout mef.key -out mef.csr \
      -subj "/CN=mef.example.com"
    printf 'subjectAltName=DNS:mef.example.com\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:false\n' >mef.ext
    openssl x509 -req -in mef.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out mef.pem -days 2 -extfile mef.ext
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client.key -out client.csr \
      -subj "/CN=test device"
    printf 'subjectAltName=URI:%s\nextendedKeyUsage=clientAuth\nbasicConstraints=CA:false\n' "$1" >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2 \
      -extfile client.ext
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ta1.key -out ta/ta1.pem \
      -days 2 -subj "/CN=Other Root" -addext "basicConstraints=critical,CA:true"
    chmod 600 ./*.key
  ) >/dev/null 2>&1
}
make_maf_cert() { # the MAF's certificate (maf.example.com) from make_pki's CA
  (
    cd "$work/pki"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout maf.key -out maf.csr \
      -subj "/CN=maf.example.com"
    printf 'subjectAltName=DNS:maf.example.com\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:false\n' >maf.ext
    openssl x509 -req -in maf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out maf.pem -days 2 -extfile maf.ext
    chmod 600 maf.key
  ) >/dev/null 2>&1
}
fingerprint() { # SHA-256 of a PEM certificate's DER, lowercase hex
  openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1
}

# Start mefd with the given arguments on free ports: the words auto-coaps,
# auto-https and auto-maf stand for ports chosen here (COAPS_PORT, HTTPS_PORT,
# MAF_PORT), auto-maf-coaps for the MAF's UDP port (MAF_COAPS_PORT, the same
# number as its TCP one, MAF_PORT), tried again
# with others when mefd cannot bind them; a function mefd_prepare, when
# defined, is called once the ports are known. Logs to $work/mefd.log,
# results to $work/results.jsonl.
start_mefd() {
  [ -x "$MEFD" ] || { echo "$name: $MEFD is not built" >&2; exit 1; }
  local args=("$@") a i
  COAPS_PORT=""
  for _ in 1 2 3 4 5 6; do
    local cp=$((20000 + RANDOM % 40000)) hp=$((20000 + RANDOM % 40000)) mp=$((20000 + RANDOM % 40000))
    local run=()
    for a in "${args[@]}"; do
      case $a in auto-coaps) run+=("$cp") ;; auto-https) run+=("$hp") ;; auto-maf) run+=("$mp") ;;
        auto-maf-coaps) run+=("$mp") ;; *) run+=("$a") ;; esac
    done
    COAPS_PORT=$cp HTTPS_PORT=$hp MAF_PORT=$mp MAF_COAPS_PORT=$mp
    # A test whose files name the ports writes them in its mefd_prepare.
    if declare -F mefd_prepare >/dev/null; then mefd_prepare; fi
    : >"$work/mefd.log"
    # mefd is stopped when the test ends (cleanup); its own limit only
    # catches a test that dies without cleaning up, so it must outlast the
    # slowest test on a machine busy with the proof gate (a minute did not).
    "$MEFD" "${run[@]}" --results "$work/results.jsonl" --max-seconds "${MEFD_MAX_SECONDS:-300}" 2>>"$work/mefd.log" &
    mefd_pid=$!
    for i in $(seq 50); do
      grep -q ' ready ' "$work/mefd.log" && break
      kill -0 "$mefd_pid" 2>/dev/null || break
      sleep 0.1
    done
    if grep -q ' ready ' "$work/mefd.log"; then
      return 0
    fi
    wait "$mefd_pid" 2>/dev/null || true
    mefd_pid=""
  done
  echo "$name: mefd did not start:" >&2
  cat "$work/mefd.log" >&2
  exit 1
}

# Run mefc, stderr to $work/NAME.log; sets RC.
run_mefc() { # run_mefc LOGNAME ARGS...
  local log=$1
  shift
  set +e
  timeout 25 "$MEFC" "$@" >"$work/$log.out" 2>"$work/$log.log"
  RC=$?
  set -e
}
