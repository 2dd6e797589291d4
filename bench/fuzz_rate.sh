#!/bin/sh
# Fuzz throughput: each fuzz target built with libFuzzer twice, with ASan+UBSan
# (as make fuzz-smoke runs it) and without sanitizers, both at -O2, run for
# SECONDS on a scratch copy of its seed corpus; prints exec/s of each.
# Usage: bench/fuzz_rate.sh SECONDS TARGET...   (from the repository root)
set -eu
secs=$1; shift
cc="${FUZZ_CC:-clang-14}"
out=build/bench/fuzz
mkdir -p "$out"
core=$(ls src/core/*.c)
rate() { # log -> exec/s
  grep -o 'stat::average_exec_per_sec: *[0-9]*' "$1" | grep -o '[0-9]*$' || echo 0
}
printf 'Fuzz throughput (libFuzzer, %ss per run, exec/s)\n' "$secs"
printf '%-13s %14s %14s %9s\n' target "no sanitizer" "ASan+UBSan" slowdown
for t in "$@"; do
  line=$(printf '%-13s' "$t")
  r_plain=0
  for v in plain san; do
    flags="-fsanitize=fuzzer"
    [ "$v" = san ] && flags="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
    bin="$out/${v}_$t"
    # shellcheck disable=SC2086
    [ "$bin" -nt "fuzz/fuzz_$t.c" ] && [ -z "$(find src/core include -newer "$bin" -name '*.[ch]')" ] ||
      "$cc" -g -O2 $flags -Iinclude -Ifuzz "fuzz/fuzz_$t.c" $core -o "$bin"
    work="$out/work_${v}_$t"
    rm -rf "$work"; mkdir -p "$work"
    cp fuzz/corpus/"$t"/* "$work"/
    dict=""
    [ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
    log="$out/${v}_$t.log"
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$secs" -max_len=4200 -timeout=10 -print_final_stats=1 \
      $dict "$work" >"$log" 2>&1 || { echo "fuzz_rate: $t ($v) failed, see $log" >&2; exit 1; }
    r=$(rate "$log")
    [ "$r" -gt 0 ] || { echo "fuzz_rate: $t ($v): no exec/s in $log" >&2; exit 1; }
    [ "$v" = plain ] && r_plain=$r
    line="$line$(printf ' %14s' "$r")"
  done
  printf "%s %7.1fx\n" "$line" "$(awk -v a="$r_plain" -v b="$r" 'BEGIN { print a / b }')"
done
