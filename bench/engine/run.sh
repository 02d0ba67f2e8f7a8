#!/usr/bin/env bash
# CPU engine speed beside llama.cpp, same weights, same threads, same prompt length, one run:
#   - a random Qwen3-0.6B-shaped model (596M parameters, tied, bf16) made by ../shared/oracle as
#     a Hugging Face directory (for Switchyard) and a bf16 GGUF holding the same values (for
#     llama.cpp); cached in build/bench/qwen3-0.6b-shape;
#   - llama.cpp: the oracle's C shim over node-llama-cpp's prebuilt libllama (release v0.5.0),
#     512-token prompt in one batch then 128 decoded tokens, f16 KV cache (its default);
#   - Switchyard: switchyard-bench, the same counts, KV cache f32 (default) or f16 (as llama.cpp),
#     activations f32 (default) or bf16 (as llama.cpp computes bf16 weights' products);
#   - the paired roofline: switchyard-bench --roofline follows every decode step with one plain
#     read of all the weight pages, so each step has its own ceiling measured seconds apart on
#     the same memory (the fairest fraction on a host whose bandwidth drifts);
#   - the roofline: weight bytes read per decoded token / switchyard-membw's read bandwidth,
#     measured before each repetition and once after the last (this shared host's bandwidth
#     drifts between 40 and 80 GB/s over minutes), and decode as a fraction of the roofline of
#     its own repetition, whose bandwidth is the mean of the measurements just before and
#     just after it.
# The two engines run alternately, one process at a time, REPS repetitions each.
# Usage: bench/engine/run.sh [REPS] [THREADS] [KV f32|f16] [ACTIVATIONS f32|bf16]
#        (after scripts/setup.sh and scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=${1:-3}
threads=${2:-2}
kv=${3:-f32}
activations=${4:-f32}
oracle=build/oracle
model=build/bench/qwen3-0.6b-shape
[ -d "$oracle/node_modules/node-llama-cpp" ] || { echo "build/oracle is missing: run scripts/setup.sh" >&2; exit 1; }
for b in switchyard-bench switchyard-membw; do
  [ -x build/bin/$b ] || { echo "build first: scripts/build.sh" >&2; exit 1; }
done
if [ ! -f "$model/qwen3-0.6b-shape-bf16.gguf" ] || [ ! -f "$model/hf/model.safetensors" ]; then
  echo "making the Qwen3-0.6B-shaped model (about a minute, 2.4 GB)" >&2
  (cd "$oracle" && node make_tiny_qwen3.mjs --out "../../$model" --hidden 1024 --layers 28 --heads 16 --kv-heads 8 \
     --head-dim 128 --ffn 3072 --tied --dtype bf16 --gguf-dtype bf16 --seed 0.6 --name qwen3-0.6b-shape-bf16 >/dev/null)
fi
# Rebuilt when missing or when it cannot find its libllama (a stale run path after the oracle's
# node_modules moved: the loader would make every llama.cpp run exit 127).
if [ ! -x "$oracle/out/bin/llama_shim" ] || ldd "$oracle/out/bin/llama_shim" | grep -q "not found"; then
  (cd "$oracle" && bash tools/build_shim.sh >/dev/null)
fi

out=build/bench/engine-$(date +%Y%m%d-%H%M%S).jsonl
for r in $(seq 1 "$reps"); do
  build/bin/switchyard-membw --threads "$threads" | tee -a "$out"
  build/bin/switchyard-bench --model "$model/hf" --prompt-tokens 512 --gen-tokens 128 --threads "$threads" --reps 1 --kv "$kv" \
    --activations "$activations" --roofline | tee -a "$out"
  "$oracle/out/bin/llama_shim" bench "$model/qwen3-0.6b-shape-bf16.gguf" 512 128 "$threads" 1 f16 2>/dev/null | tee -a "$out"
done
build/bin/switchyard-membw --threads "$threads" | tee -a "$out"
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const bws = lines.filter((l) => l.tool === "switchyard-membw").map((l) => l.read_gb_s);
const ours = lines.filter((l) => l.engine === "switchyard"), theirs = lines.filter((l) => l.harness);
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const bw = med(bws);
const pp = med(ours.map((l) => l.prefill_tok_s)), tg = med(ours.map((l) => l.decode_tok_s));
const lpp = med(theirs.map((l) => l.pp_tok_s[0])), ltg = med(theirs.map((l) => l.tg_tok_s[0]));
const bytes = ours[0].weight_bytes, roof = bw * 1e9 / bytes;
// Each repetition against the mean of the bandwidths measured just before and just after it.
const around = (i) => (bws[i] + bws[Math.min(i + 1, bws.length - 1)]) / 2;
const fracs = ours.map((l, i) => l.decode_tok_s / (around(i) * 1e9 / bytes));
const frac = med(fracs);
const lfrac = med(theirs.map((l, i) => l.tg_tok_s[0] / (around(i) * 1e9 / bytes)));
const rss = Math.max(...ours.map((l) => l.peak_rss_mib)), lrss = Math.max(...theirs.map((l) => l.peak_rss_mib));
console.log(`read bandwidth ${bw} GB/s (median; per rep ${bws.join(" ")}), weights ${(bytes / 1e9).toFixed(3)} GB/token -> decode roofline ${roof.toFixed(1)} tok/s`);
console.log(`switchyard KV cache ${ours[0].kv}, activations ${ours[0].activations}; llama.cpp KV cache f16, bf16 activations`);
console.log(`prefill pp512  Qwen3-0.6B-shape bf16  ${ours[0].threads} thr  switchyard ${pp.toFixed(1)} tok/s   llama.cpp ${lpp.toFixed(1)} tok/s   ratio ${(pp / lpp).toFixed(2)}`);
console.log(`decode  tg128  Qwen3-0.6B-shape bf16  ${ours[0].threads} thr  switchyard ${tg.toFixed(1)} tok/s   llama.cpp ${ltg.toFixed(1)} tok/s   ratio ${(tg / ltg).toFixed(2)}   roofline ${(100 * frac).toFixed(0)}% (llama.cpp ${(100 * lfrac).toFixed(0)}%), median over reps of decode over the roofline of its rep (bandwidth before and after)`);
// The ceiling measured beside every decode step on the weight pages themselves (--roofline).
const paired = ours.map((l) => l.roofline.decode_fraction_median);
const insitu = ours.map((l) => l.roofline.read_gb_s_median);
const lpaired = theirs.map((l, i) => l.tg_tok_s[0] / (insitu[i] * 1e9 / bytes));
console.log(`paired roofline  read of the weight pages beside each decode step: median ${med(insitu).toFixed(2)} GB/s (per rep ${insitu.join(" ")}; best passes ${ours.map((l) => l.roofline.read_gb_s_best).join(" ")})`);
console.log(`                 decode at ${(100 * med(paired)).toFixed(1)}% of it (median of per-step fractions, per rep ${paired.map((f) => (100 * f).toFixed(1) + "%").join(" ")}); llama.cpp at ${(100 * med(lpaired)).toFixed(0)}% of the rate read in the same rep`);
console.log(`peak RSS  switchyard ${rss} MiB   llama.cpp ${lrss.toFixed(0)} MiB`);
console.log(`roofline per rep  ${fracs.map((f) => (100 * f).toFixed(1) + "%").join(" ")}`);
console.log(`per rep  switchyard pp ${ours.map((l) => l.prefill_tok_s).join(" ")} tg ${ours.map((l) => l.decode_tok_s).join(" ")} | llama.cpp pp ${theirs.map((l) => l.pp_tok_s[0]).join(" ")} tg ${theirs.map((l) => l.tg_tok_s[0]).join(" ")}`);
' "$out"
echo "raw results: $out"
