#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what is missing (scripts/setup.sh,
# idempotent), builds, and runs every test with ctest. Tests that need ../shared (fixtures,
# oracle) skip with a message when it is not beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
