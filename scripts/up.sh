#!/usr/bin/env bash
# The main job on embedded defaults: installs everything, builds, generates a tiny random-weight
# Qwen3 model with the real Qwen3 tokenizer, loads it and runs an example request through it.
# (Until the router and workers exist, the example is the engine's own: load, tokenize, inspect.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
model=build/models/qwen3-tiny
if [ ! -f "$model/config.json" ]; then
  build/bin/switchyard-mkmodel --out "$model" --shape tiny --seed 1
fi
build/bin/switchyard-inspect --model "$model" \
  --text "<|im_start|>user
Translate to English: Grüße aus München! 你好<|im_end|>
<|im_start|>assistant
"
