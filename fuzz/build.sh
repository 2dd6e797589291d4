#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script: compiles the core and every
# fuzz/fuzz_<name>.c harness with the engine's $CC/$CFLAGS, links each with
# $LIB_FUZZING_ENGINE, and puts binaries, seed corpora and dictionaries in $OUT.
SRC_DIR="${SRC:-$(cd "$(dirname "$0")/.." && pwd)}"
[ -d "$SRC_DIR/src/core" ] || SRC_DIR="$SRC_DIR/mefc"
cd "$SRC_DIR"
objdir="${WORK:-$OUT}/mefc-fuzz-obj"
mkdir -p "$objdir" "$OUT"
objs=()
for f in src/core/*.c; do
  o="$objdir/$(basename "${f%.c}").o"
  $CC $CFLAGS -std=c11 -Iinclude -c "$f" -o "$o"
  objs+=("$o")
done
for h in fuzz/fuzz_*.c; do
  name=$(basename "${h%.c}")
  name="${name#fuzz_}"
  $CC $CFLAGS -std=c11 -Iinclude -Ifuzz -c "$h" -o "$objdir/h_$name.o"
  $CXX $CXXFLAGS "$objdir/h_$name.o" "${objs[@]}" $LIB_FUZZING_ENGINE -o "$OUT/mefc_$name"
  if [ -d "fuzz/corpus/$name" ]; then
    (cd "fuzz/corpus/$name" && zip -q -r "$OUT/mefc_${name}_seed_corpus.zip" .)
  fi
  if [ -f "fuzz/$name.dict" ]; then
    cp "fuzz/$name.dict" "$OUT/mefc_$name.dict"
  fi
done
