// llama.cpp's tokenizer on the same corpus, through node-llama-cpp's prebuilt libllama (the
// oracle's pinned version). Loads the GGUF vocabulary only and times model.tokenize() on the
// whole corpus, one call per rep, after one warm-up, with special tokens parsed as ours are.
// Usage: node llama_tokenize.mjs ORACLE_DIR MODEL.gguf CORPUS.txt REPS
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [oracleDir, modelPath, corpusPath, repsArg] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(oracleDir), "package.json"));
const { getLlama, LlamaLogLevel } = await import(pathToFileURL(require.resolve("node-llama-cpp")).href);
const llama = await getLlama({ gpu: false, build: "never", usePrebuiltBinaries: true, skipDownload: true,
                               logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath, gpuLayers: 0, vocabOnly: true });
const text = fs.readFileSync(corpusPath, "utf8");
const bytes = Buffer.byteLength(text, "utf8");
const reps = Number(repsArg || 5);
let tokens = model.tokenize(text, true);  // warm-up
const rates = [];
for (let r = 0; r < reps; r++) {
  const t0 = process.hrtime.bigint();
  tokens = model.tokenize(text, true);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  rates.push(bytes / 1e6 / s);
}
const sorted = [...rates].sort((a, b) => a - b);
fs.writeFileSync(corpusPath + ".llama_ids.json", JSON.stringify(Array.from(tokens)));
console.log(JSON.stringify({ engine: "llama.cpp", bytes, tokens: tokens.length, reps,
  encode_mb_s: +sorted[Math.floor(reps / 2)].toFixed(2), encode_mb_s_min: +sorted[0].toFixed(2),
  encode_mb_s_max: +sorted[reps - 1].toFixed(2) }));
await model.dispose();
await llama.dispose();
