#!/usr/bin/env bash
# The main job on embedded defaults: installs everything, builds, then `switchyard up` starts a
# router and one worker per role (reasoning, coder, translation) on tiny random-weight Qwen3
# models with the real Qwen3 tokenizer (made once, in build/models), and one example request
# per role goes through the router, then one through the OpenAI-compatible HTTP gateway with the
# official `openai` npm client. The weights are random, so the answers are noise; the
# routes, streams and timings are real. The cluster is stopped at the end; to keep one
# running, use: build/bin/switchyard up
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
port=${SWITCHYARD_GRPC_PORT:-7700}
http_port=${SWITCHYARD_HTTP_PORT:-7701}
log=build/models/up.out
mkdir -p build/models
build/bin/switchyard up --grpc-port "$port" --http-port "$http_port" > "$log" &
up=$!
trap 'kill -INT $up 2>/dev/null || true; wait $up 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q '^ready grpc=' "$log" 2>/dev/null && break
  kill -0 $up 2>/dev/null || { echo "switchyard up failed; see build/models/logs/" >&2; exit 1; }
  sleep 0.2
done
grep '^ready grpc=' "$log"
router=$(sed -n 's/^ready grpc=//p' "$log")
http=$(sed -n 's/^http //p' "$log")
for prompt in "Translate into German: The meeting moved to Thursday afternoon." \
              "Write a Python function that returns the n-th Fibonacci number." \
              "A train leaves at 3 pm at 60 km/h, another at 4 pm at 80 km/h. When does the second catch up?"; do
  echo
  echo "\$ switchyard chat \"$prompt\""
  build/bin/switchyard chat --router "$router" --max-tokens 24 --seed 1 "$prompt"
done
echo
echo "\$ node examples/openai/chat.mjs $http/v1    # the official openai client, model \"auto\""
node examples/openai/chat.mjs "$http/v1"
