#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what is missing (scripts/setup.sh,
# idempotent), builds, and runs every test with ctest.
#
# A test that cannot run here says so: tests that need ../shared (fixtures, oracle), node or the
# tokenizer files skip with a message and ctest reports them as skipped, not passed. Under
# CI=true (CI always has ../shared, node and the tokenizer files) any skipped test fails the
# run. The tests labelled gpu need a CUDA device: without one (nvidia-smi finds none) they are
# left out, and the run says so.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh

extra=()
if ! nvidia-smi -L 2>/dev/null | grep -q '^GPU '; then
  echo "test: no CUDA device here: the tests labelled gpu are left out (scripts/gpu_check/ runs them on a GPU machine)"
  extra+=(-LE gpu)
fi
log=build/ctest.log
set +e
ctest --test-dir build --output-on-failure -j "$(nproc)" "${extra[@]}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
skipped=$(grep -E '^[[:space:]]*[0-9]+ - .* \(Skipped\)$' "$log" | sed -E 's/^[[:space:]]*[0-9]+ - //; s/ \(Skipped\)$//' || true)
if [ -n "$skipped" ]; then
  echo "test: skipped (run the binary under build/tests/ to read why): $(echo $skipped)"
  if [ "${CI:-}" = "true" ]; then
    echo "test: CI=true and tests were skipped: CI has ../shared, node and the tokenizer files, so nothing may skip" >&2
    [ "$status" -ne 0 ] || status=1
  fi
fi
exit "$status"
