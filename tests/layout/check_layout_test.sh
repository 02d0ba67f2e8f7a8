#!/usr/bin/env bash
# scripts/check_layout.py catches what it must: a small tree with one violation of each rule
# fails naming each, and the same tree without them passes.
set -euo pipefail
check=$(cd "$(dirname "$0")/../.." && pwd)/scripts/check_layout.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{router/service,workers/engine/model,base,proto/switchyard/v1,tools}
printf '#include "workers/engine/model/model_writer.h"\n' > "$tmp/router/service/a.cc"
printf '#include "grpcpp/grpcpp.h"\n#include "common/json_log.h"\n' > "$tmp/workers/engine/model/b.cc"
printf '#include "router/x.h"\n' > "$tmp/base/c.cc"
seq 1 501 | sed 's/^/\/\/ /' > "$tmp/router/service/long.cc"
touch "$tmp/proto/switchyard/v1/router.proto" "$tmp/proto/metrics.cc"
cat > "$tmp/links.txt" <<'LINKS'
switchyard_router router/service switchyard_tools switchyard_engine absl::status
switchyard_engine workers/engine switchyard_base gRPC::grpc++
switchyard_base base absl::status yaml-cpp
switchyard_tools tools switchyard_base
LINKS
set +e
out=$(python3 "$check" --source "$tmp" --links "$tmp/links.txt")
rc=$?
set -e
expect() {
  if ! grep -qF -- "$1" <<<"$out"; then
    echo "missing: $1"; echo "--- output:"; echo "$out"; exit 1
  fi
}
[ "$rc" -eq 1 ] || { echo "expected exit 1, got $rc"; echo "$out"; exit 1; }
expect "switchyard_router (router/service) links switchyard_engine (workers/engine): the router side never links workers/"
expect "switchyard_engine (workers/engine) links gRPC::grpc++: the engine knows nothing of gRPC"
expect "switchyard_base (base) links yaml-cpp: base/ depends on the standard library, Abseil, CLI11 and libcrypto only"
expect "router/service/a.cc includes workers/engine/model/model_writer.h: the router side never includes workers/"
expect "workers/engine/model/b.cc includes grpcpp/grpcpp.h"
expect "workers/engine/model/b.cc includes common/json_log.h"
expect "base/c.cc includes router/x.h"
expect "router/service/long.cc has 501 lines"
expect "proto/metrics.cc: proto/ holds .proto files and their build only"
[ "$(grep -c '^layout: ' <<<"$out")" -eq 9 ] || { echo "expected 9 problems"; echo "$out"; exit 1; }

# The same tree, mended: passes.
rm "$tmp/router/service/a.cc" "$tmp/workers/engine/model/b.cc" "$tmp/base/c.cc" "$tmp/proto/metrics.cc"
seq 1 500 | sed 's/^/\/\/ /' > "$tmp/router/service/long.cc"
cat > "$tmp/links.txt" <<'LINKS'
switchyard_router router/service switchyard_tools absl::status
switchyard_engine workers/engine switchyard_base absl::status
switchyard_base base absl::status CLI11::CLI11
switchyard_tools tools switchyard_base
LINKS
python3 "$check" --source "$tmp" --links "$tmp/links.txt"
echo "check_layout_test: ok"
