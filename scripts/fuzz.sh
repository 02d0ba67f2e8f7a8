#!/usr/bin/env bash
# Builds every fuzz target with clang + libFuzzer + ASan/UBSan in build-fuzz/ and runs each for
# SECONDS (default 60) from its seed corpus. New crash inputs land in build-fuzz/crashes/.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DSWITCHYARD_LIBFUZZER=ON -DSWITCHYARD_SANITIZE=ON -DSWITCHYARD_CUDA=OFF >/dev/null
targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(sed -n 's/^switchyard_add_fuzzer(\([a-z0-9_]*\).*/\1/p' tests/fuzz/*.cmake)
fi
cmake --build build-fuzz --target "${targets[@]}"
mkdir -p build-fuzz/crashes
for t in "${targets[@]}"; do
  work=build-fuzz/corpus/$t
  mkdir -p "$work"
  echo "== $t: ${secs}s"
  build-fuzz/fuzz/"$t" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/"$t"- \
    "$work" tests/fuzz/corpus/"$t" 2>&1 | grep -E "stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|Done" || true
done
