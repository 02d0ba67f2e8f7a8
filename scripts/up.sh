#!/usr/bin/env bash
# The main job on embedded defaults: installs everything, builds, generates a tiny random-weight
# Qwen3 model with the real Qwen3 tokenizer, and runs an example request through the engine.
# (Until the router and workers exist (issue #6), the example is the engine's own: inspect the
# model, then generate from a prompt. The weights are random, so the answer is noise.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
model=build/models/qwen3-tiny
if [ ! -f "$model/config.json" ]; then
  build/bin/switchyard-mkmodel --out "$model" --shape tiny --seed 1
fi
build/bin/switchyard-inspect --model "$model" --text "Translate to English: Grüße aus München! 你好"
echo
echo "== switchyard-generate --temperature 0 --max-tokens 24"
build/bin/switchyard-generate --model "$model" --temperature 0 --max-tokens 24 \
  --prompt "<|im_start|>user
Translate to English: Grüße aus München!<|im_end|>
<|im_start|>assistant
"
