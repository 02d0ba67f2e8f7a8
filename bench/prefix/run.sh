#!/usr/bin/env bash
# Prefix reuse (issue #20), through the gateway, on one worker serving the Qwen3-0.6B-shaped
# bf16 model (2 threads), the prefix cache on and then off, in one run:
#   1. the contract (bench/prefix/make_contract.py, about 3,800 prompt tokens) and a question;
#      the same conversation plus one short turn; the identical first request again: time to
#      first token of each, the follow-up's and the repeat's against the first, cached_tokens;
#   2. a five-step client-driven agent run over the same document (a forced tool call per step,
#      its result appended): prompt tokens sent, found cached and computed, and the wall time.
# Usage: bench/prefix/run.sh   (after scripts/setup.sh and scripts/build.sh). THREADS=N, STEPS=N.
# Raw lines: build/bench/prefix-<time>/results.jsonl.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=build/bin
out=build/bench/prefix-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
threads=${THREADS:-2}
steps=${STEPS:-5}
model=build/bench/prefix/qwen3-0.6b-hf
if [ ! -f "$model/config.json" ]; then
  echo "making the Qwen3-0.6B-shaped bf16 model in $model (1.2 GB)" >&2
  "$bin/switchyard-mkmodel" --out "$model" --shape qwen3-0.6b --dtype bf16 --seed 6 >/dev/null
fi
python3 bench/prefix/make_contract.py 2 > "$out/contract.txt"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
trap cleanup EXIT

# Reads lines of the process behind fifo $1 until one starts with $2; prints the rest of it.
wait_line() {
  local line
  while read -r line <&3; do case "$line" in "$1"*) echo "${line#"$1"}"; return 0 ;; esac; done
  return 1
}

for cache in on off; do
  echo "== prefix cache $cache"
  fifo="$out/worker-$cache.fifo"
  mkfifo "$fifo"
  "$bin/switchyard-worker" --role reasoning --model "$model" --listen 127.0.0.1:0 --threads "$threads" \
    --kv-cache-tokens 32768 --prefix-cache "$cache" > "$fifo" 2>> "$out/worker-$cache.log" &
  pids+=($!)
  exec 3< "$fifo"
  worker=$(wait_line "ready ")
  exec 3<&-
  cat > "$out/router-$cache.yaml" <<YAML
listen: 127.0.0.1:0
pools:
  reasoning: {endpoints: ["$worker"]}
classifier: {fallback_route: reasoning}
http: {listen: 127.0.0.1:0}
defaults: {deadline_seconds: 3600}
YAML
  fifo="$out/router-$cache.fifo"
  mkfifo "$fifo"
  "$bin/switchyard-router" --config "$out/router-$cache.yaml" > "$fifo" 2>> "$out/router-$cache.log" &
  pids+=($!)
  exec 3< "$fifo"
  http=$(wait_line "http listening ")
  wait_line "ready " >/dev/null
  exec 3<&-
  python3 bench/prefix/client.py followup --url "http://$http/v1" --document "$out/contract.txt" \
    | sed "s/^{/{\"prefix_cache\": \"$cache\", /" | tee -a "$out/results.jsonl"
  python3 bench/prefix/client.py agent --url "http://$http/v1" --document "$out/contract.txt" --steps "$steps" \
    | sed "s/^{/{\"prefix_cache\": \"$cache\", /" | tee -a "$out/results.jsonl"
  cleanup
done
echo "results: $out/results.jsonl"
