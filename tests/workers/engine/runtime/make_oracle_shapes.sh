#!/usr/bin/env bash
# Makes two more Qwen3 shapes with the shared oracle (../shared/oracle, restored into
# build/oracle by scripts/setup.sh) and llama.cpp's reference outputs on them, for
# oracle_shapes_test: a dense model with other head counts, head_dim 32, 3 layers and an
# untied head, and an MoE model with 16 experts, top-4, GQA 4:1 and a tied head.
# Output: build/oracle/out/switchyard-shapes/<name>/{hf/,ref.json}. Cached: made once.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
oracle=${SWITCHYARD_ORACLE_DIR:-$root/build/oracle}
if [ ! -d "$oracle/node_modules/node-llama-cpp" ]; then
  echo "make_oracle_shapes: $oracle has no node_modules (run scripts/setup.sh); the oracle shape test will skip"
  exit 77  # ctest: skipped (SKIP_RETURN_CODE)
fi
out=$oracle/out/switchyard-shapes
cd "$oracle"
make_one() {  # name, make_tiny_qwen3 flags...
  local name=$1; shift
  if [ -f "$out/$name/ref.json" ]; then return 0; fi
  rm -rf "$out/$name"
  node make_tiny_qwen3.mjs --out "$out/$name" --name "$name" --dtype bf16 --gguf-dtype f32 "$@" >/dev/null
  node reference.mjs --model "$out/$name/$name.gguf" --out "$out/$name/ref.json.tmp" --prompt-logits --fast --quiet >/dev/null
  mv "$out/$name/ref.json.tmp" "$out/$name/ref.json"
  rm -f "$out/$name/$name.gguf"  # 40+ MB, not needed once the reference exists
  echo "make_oracle_shapes: made $name"
}
make_one extra-dense --hidden 96 --layers 3 --heads 6 --kv-heads 3 --head-dim 32 --ffn 160 --untied --seed 77
make_one extra-moe --hidden 48 --layers 3 --heads 8 --kv-heads 2 --head-dim 16 --ffn 96 --experts 16 --topk 4 \
  --moe-ffn 24 --tied --seed 78
