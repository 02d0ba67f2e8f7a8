#!/usr/bin/env bash
# The GPU check, run on a lent GPU machine from the repository root with .gpu/bundle.tar.xz
# (pack.sh) carried: the CUDA runner, MoE and engine tests on the real device (fixtures against
# llama.cpp and the CPU runner), switchyard-generate --device cuda against --device cpu, and
# switchyard-cuda-bench on Qwen3-0.6B, Qwen3-8B and a 6-layer cut of Qwen3-30B-A3B (random
# weights of their published shapes; the 0.6B's model also with an f16 KV cache). Each step has its own time limit so one failure leaves the
# others' results; logs and JSON lines go to $OUT (the device tool brings them back), a summary
# to stdout. SKIP_BENCH=1 runs the tests alone; BENCH=model skips the per-kernel half.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp/gpu-check-out}
mkdir -p "$out"
g=/tmp/switchyard-gpu
start=$(date +%s)
stamp() { echo "[$(( $(date +%s) - start ))s] $*"; }

rm -rf "$g" && mkdir -p "$g"
if ! tar -C /tmp -xJf .gpu/bundle.tar.xz 2>/dev/null; then
  python3 -c 'import tarfile; tarfile.open(".gpu/bundle.tar.xz").extractall("/tmp")' || { echo "cannot unpack the bundle"; exit 1; }
fi
mv /tmp/g/* "$g/" && rmdir /tmp/g
cublas=$(find /usr/local/cuda*/ /usr/lib /opt -name 'libcublas.so.13*' 2>/dev/null | head -1)
export LD_LIBRARY_PATH="$g/lib${cublas:+:$(dirname "$cublas")}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export SWITCHYARD_SHARED_DIR="$g/shared" TMPDIR=/tmp
stamp "unpacked; cuBLAS at ${cublas:-nowhere}"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,clocks.mem,power.draw,temperature.gpu \
  --format=csv 2>&1 | tee "$out/nvidia-smi.txt"

# 1. Tests on the device.
for t in cuda_runner_test_gpu cuda_runner_moe_test_gpu cuda_engine_test_gpu; do
  timeout 120 "$g/bin/$t" > "$out/$t.log" 2>&1
  rc=$?
  stamp "$t exit $rc"
  grep -E '^\[  PASSED  \] [0-9]|^\[  FAILED  \]|^\[  SKIPPED \] [0-9]|^\[       OK|^\[  FAILED|max \||max diff|Failure|Expected|Which is|error' "$out/$t.log" | head -40
done
cat "$out"/cuda_*_gpu.log > "$out/tests.log" && rm -f "$out"/cuda_*_gpu.log

# 2. switchyard-generate: greedy tokens on the GPU against the CPU.
dense="$g/shared/fixtures/qwen3-tiny-dense/hf"
for d in cpu cuda; do
  timeout 60 "$g/bin/switchyard-generate" --model "$dense" --device "$d" --prompt "The capital of France is" \
    --temperature 0 --max-tokens 24 --json > "$out/generate-$d.json" 2> "$out/generate-$d.err"
  stamp "generate --device $d exit $?"
done
python3 - "$out" <<'PY'
import json, sys
o = sys.argv[1]
try:
    a, b = (json.load(open(f"{o}/generate-{d}.json")) for d in ("cpu", "cuda"))
    ta, tb = [s["token"] for s in a["steps"]], [s["token"] for s in b["steps"]]
    print("generate: cpu and cuda tokens", "EQUAL" if ta == tb else f"DIFFER\n cpu  {ta}\n cuda {tb}", f"({len(ta)} tokens)")
except Exception as e:
    print("generate: comparison failed:", e, open(f"{o}/generate-cuda.err").read()[-2000:])
PY
cat "$out/generate-cuda.err" | tail -3
cat "$out"/generate-* > "$out/generate.log" 2>/dev/null; rm -f "$out"/generate-*

[[ ${SKIP_BENCH:-0} == 1 ]] && exit 0
# 3. switchyard-cuda-bench.
bench="$g/bin/switchyard-cuda-bench"
what=(--bench "${BENCH:-kernels,model}")
timeout 150 "$bench" --config bench/cuda/configs/Qwen3-0.6B "${what[@]}" --peak-gbs 4800 > "$out/bench.jsonl" 2> "$out/bench.err"
stamp "cuda-bench Qwen3-0.6B exit $?"
timeout 170 "$bench" --config bench/cuda/configs/Qwen3-8B "${what[@]}" --peak-gbs 4800 --contexts 1024,4096 --scratch /tmp >> "$out/bench.jsonl" 2>> "$out/bench.err"
stamp "cuda-bench Qwen3-8B exit $?"
python3 -c 'import json; c = json.load(open("bench/cuda/configs/Qwen3-30B-A3B/config.json")); c["num_hidden_layers"] = 6; import os; os.makedirs("/tmp/moe6", exist_ok=True); json.dump(c, open("/tmp/moe6/config.json", "w"))'
timeout 120 "$bench" --config /tmp/moe6 --bench model --peak-gbs 4800 --scratch /tmp >> "$out/bench.jsonl" 2>> "$out/bench.err"
stamp "cuda-bench Qwen3-30B-A3B (6 of 48 layers) exit $?"
timeout 60 "$bench" --config bench/cuda/configs/Qwen3-0.6B --bench model --kv-f16 --peak-gbs 4800 --scratch /tmp >> "$out/bench.jsonl" 2>> "$out/bench.err"
stamp "cuda-bench Qwen3-0.6B, f16 KV cache, exit $?"
tail -5 "$out/bench.err"
python3 - "${BENCH_JSONL:-$out/bench.jsonl}" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    k = r.get("kind")
    if k == "device":
        print(f"device {r.get('name')} cc {r.get('compute_capability')} copy {r.get('copy_gbs', 0):.0f} GB/s")
    elif k == "kernel":
        c = r.get("check", {})
        shape = ",".join(f"{a}={b}" for a, b in r.get("shape", {}).items())[:52]
        verdict = "skipped" if "skipped" in r else ("ok" if c.get("ok") else "CHECK FAILED")
        print(f"{r.get('model', '')[:12]:12} b{r.get('batch', '')!s:<3} {r.get('name', '')[:16]:16} {shape:52} "
              f"{r.get('median_us', 0):8.1f} us {r.get('gbs', 0):6.0f} GB/s {r.get('frac_copy_bw', 0):5.2f} {verdict}")
    elif k in ("prefill", "decode", "model"):
        drop = {"tool", "emulated", "kind", "flops_formula", "predicted_bytes_formula", "bytes_formula", "note"}
        print(k, json.dumps({x: v for x, v in r.items() if x not in drop}))
PY
stamp done
