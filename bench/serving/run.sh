#!/usr/bin/env bash
# Serving benchmarks (issue #6), all processes on loopback, one run:
#   A. router-added latency: time to first token through switchyard-router minus directly to
#      the same worker (tiny model, 1 engine thread), p50 and p99, at 1 and 64 concurrent
#      streams; routed requests per second with max_tokens=1;
#   B. continuous batching on one worker serving the Qwen3-0.6B-shaped bf16 model (2 threads),
#      with the defaults (f32 activations and cache) and with llama.cpp's arithmetic
#      (--activations bf16 --kv-dtype f16):
#      N = 1, 4, 16 concurrent streams, one request each, 128 tokens per request; the steady
#      decode rate (all N sequences decoding together, see switchyard-bench-serving) and the
#      whole-run rate (prefill and ramps included) against one stream's. ROUNDS (default 3)
#      rounds of 1, 4, 16 streams: each round's ratios divide by the one stream measured
#      seconds before, so the host's drift between minutes does not enter them; the medians
#      over rounds are reported.
# Usage: bench/serving/run.sh   (after scripts/setup.sh, scripts/build.sh and bench/engine/run.sh,
# which makes the 0.6B-shaped model). PARTS=A (or B) runs one part only.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/bench/serving-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
bin=build/bin
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Not called in $(...): the worker's pid must reach `pids` in this shell so cleanup stops it.
start_worker() {  # model threads max_batch [activations kv-dtype] -> sets $worker to its address
  local fifo="$out/w$RANDOM"
  mkfifo "$fifo"
  "$bin/switchyard-worker" --role coder --model "$1" --listen 127.0.0.1:0 --threads "$2" --max-batch "$3" \
    --max-queue 4096 --activations "${4:-f32}" --kv-dtype "${5:-f32}" > "$fifo" 2>> "$out/worker.log" &
  pids+=($!)
  exec 3< "$fifo"
  local line
  while read -r line <&3; do case "$line" in ready\ *) worker="${line#ready }"; break ;; esac; done
  exec 3<&-
  rm -f "$fifo"
}

tiny=build/models/coder
[ -f "$tiny/config.json" ] || "$bin/switchyard-mkmodel" --out "$tiny" --shape tiny --seed 12 > /dev/null
start_worker "$tiny" 1 64
cat > "$out/router.yaml" <<YAML
listen: 127.0.0.1:0
pools:
  coder: {endpoints: ["$worker"]}
classifier: {fallback_route: coder}
YAML
fifo="$out/router.fifo"
mkfifo "$fifo"
"$bin/switchyard-router" --config "$out/router.yaml" > "$fifo" 2>> "$out/router.log" &
pids+=($!)
exec 4< "$fifo"
while read -r line <&4; do case "$line" in ready\ *) router="${line#ready }"; break ;; esac; done

run() { "$bin/switchyard-bench-serving" "$@" | tee -a "$out/results.jsonl"; }
if [[ "${PARTS:-AB}" == *A* ]]; then
echo "== A: router-added latency (tiny model)"
for c in 1 64; do
  n=$((c == 1 ? 300 : 1280))
  run --target "$worker" --mode worker --concurrency $c --requests $n --max-tokens 1
  run --target "$router" --mode router --route coder --concurrency $c --requests $n --max-tokens 1
done
echo "== A: routed requests per second, max_tokens=1, 64 streams"
run --target "$router" --mode router --route auto --concurrency 64 --requests 3000 --max-tokens 1
fi
cleanup
pids=()
[[ "${PARTS:-AB}" == *B* ]] || exit 0

echo "== B: continuous batching, Qwen3-0.6B-shaped bf16, 2 threads, 128 tokens per request"
echo "   (the worker's defaults, f32 activations and KV cache; then llama.cpp's arithmetic:"
echo "    --activations bf16 --kv-dtype f16)"
big=build/bench/qwen3-0.6b-shape/hf
[ -f "$big/config.json" ] || { echo "run bench/engine/run.sh first (it makes $big)" >&2; exit 1; }
rounds=${ROUNDS:-3}
for numerics in "f32 f32" "bf16 f16"; do
  start_worker "$big" 2 16 $numerics
  for r in $(seq 1 "$rounds"); do
    for c in 1 4 16; do
      run --target "$worker" --mode worker --concurrency $c --requests $c --max-tokens 128
    done
  done
  cleanup
  pids=()
done
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const a = lines.slice(0, 4), rps = lines[4];
for (const [w, r] of [[a[0], a[1]], [a[2], a[3]]]) {
  console.log(`router-added TTFT at ${w.concurrency} streams: p50 ${(r.ttft_ms_p50 - w.ttft_ms_p50).toFixed(3)} ms, p99 ${(r.ttft_ms_p99 - w.ttft_ms_p99).toFixed(3)} ms (direct p50 ${w.ttft_ms_p50.toFixed(3)} / p99 ${w.ttft_ms_p99.toFixed(3)}, routed p50 ${r.ttft_ms_p50.toFixed(3)} / p99 ${r.ttft_ms_p99.toFixed(3)})`);
}
console.log(`routed requests/s (max_tokens=1, 64 streams, classifier on): ${rps.requests_per_s}`);
const rounds = Number(process.argv[2]);
const med = (v) => { const s = [...v].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const names = ["f32 activations and KV cache", "bf16 activations, f16 KV cache"];
names.forEach((act, k) => {
  const b = lines.slice(5 + k * 3 * rounds, 5 + (k + 1) * 3 * rounds);  // rounds x (1, 4, 16 streams)
  for (let j = 0; j < 3; ++j) {
    const xs = [...Array(rounds).keys()].map((r) => b[3 * r + j]), ones = [...Array(rounds).keys()].map((r) => b[3 * r]);
    const ratio = med(xs.map((x, r) => x.steady_decode_tok_s / ones[r].steady_decode_tok_s));
    const ratioAll = med(xs.map((x, r) => x.generated_tok_s / ones[r].generated_tok_s));
    console.log(`continuous batching, ${act}, ${xs[0].concurrency} streams: decode ${med(xs.map((x) => x.steady_decode_tok_s))} tok/s ` +
                `(${ratio.toFixed(2)}x one stream); whole run ${med(xs.map((x) => x.generated_tok_s))} tok/s (${ratioAll.toFixed(2)}x), ` +
                `TTFT p50 ${med(xs.map((x) => x.ttft_ms_p50)).toFixed(1)} ms; per round ${xs.map((x) => x.steady_decode_tok_s).join(" ")} tok/s, ` +
                `${xs.map((x, r) => (x.steady_decode_tok_s / ones[r].steady_decode_tok_s).toFixed(2)).join(" ")}x`);
  }
});
' "$out/results.jsonl" "$rounds"
echo "raw results: $out/results.jsonl"
