#!/usr/bin/env bash
# Configures and builds Switchyard into build/ (Release). Executables land in build/bin/.
# Extra arguments go to cmake's configure step, e.g. -DSWITCHYARD_CUDA=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${SWITCHYARD_JOBS:-$(nproc)}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j "$jobs"
