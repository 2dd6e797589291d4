#!/bin/sh
# make bench / make bench-smoke: every benchmark of bench/ in one table, headed
# by the machine it ran on. --smoke runs each for a fraction of a second and
# fails when a figure is not sane. Run from the repository root.
set -u
smoke=""
[ "${1:-}" = "--smoke" ] && smoke="--smoke"
status=0
section() { # section COMMAND...: run one benchmark; its failure is shown, the rest still runs
  echo
  "$@" || { status=1; echo "bench: FAILED: $*"; }
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "mefc benchmarks${smoke:+ (smoke run: figures not meaningful)}"
echo "machine: ${cpu:-unknown CPU}, $(nproc) cores, $(uname -sr), $(gcc -dumpfullversion -dumpversion | head -n 1 | sed 's/^/gcc /')"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

targets=$(ls fuzz/fuzz_*.c | sed 's|fuzz/fuzz_||; s|\.c$||')
if [ -n "$smoke" ]; then
  section build/bench/core_bench --smoke spec/vectors/*.json
  section python3 bench/footprint.py --smoke build
  section bench/fuzz_rate.sh 1 json
  section bench/e2e.sh 0.3 20 "1 10"
else
  section build/bench/core_bench spec/vectors/*.json
  section python3 bench/footprint.py build
  # shellcheck disable=SC2086
  section bench/fuzz_rate.sh "${FUZZ_BENCH_SECONDS:-10}" $targets
  section bench/e2e.sh "${E2E_SECONDS:-10}" "${E2E_CYCLES:-500}" "${E2E_CLIENTS:-1 100 1000}"
fi
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
