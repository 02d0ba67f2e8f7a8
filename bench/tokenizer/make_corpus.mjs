// Builds the tokenizer benchmark corpus: real prompts in many languages (the routing
// evaluation prompts of ../shared/data/routing: text only, never used for training), English
// legal text (Debian's license files), C++ (libstdc++ headers of g++ 12) and JavaScript (the
// oracle's scripts). Deterministic for a given Debian 12 + ../shared; prints its composition
// and sha256. Usage: node make_corpus.mjs SHARED_DIR OUT.txt
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";

const [shared, out] = process.argv.slice(2);
const parts = [];
const add = (label, text) => parts.push({ label, text });

const prompts = fs.readFileSync(path.join(shared, "data/routing/dev.jsonl"), "utf8")
  .split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l).prompt);
add("routing prompts (multilingual)", prompts.join("\n\n"));
for (const f of ["GPL-3", "Apache-2.0", "LGPL-3", "GFDL-1.3", "MPL-2.0"]) {
  const p = path.join("/usr/share/common-licenses", f);
  if (fs.existsSync(p)) add(`license ${f}`, fs.readFileSync(p, "utf8"));
}
for (const f of ["stl_algo.h", "stl_tree.h", "basic_string.h", "stl_vector.h", "hashtable.h", "shared_ptr_base.h"]) {
  const p = path.join("/usr/include/c++/12/bits", f);
  if (fs.existsSync(p)) add(`c++ ${f}`, fs.readFileSync(p, "utf8"));
}
for (const f of ["make_tiny_qwen3.mjs", "reference.mjs", "hf_forward_check.mjs", "selfcheck.mjs", "bench.mjs"]) {
  add(`js ${f}`, fs.readFileSync(path.join(shared, "oracle", f), "utf8"));
}
const text = parts.map((p) => p.text).join("\n\n");
fs.writeFileSync(out, text);
const bytes = Buffer.byteLength(text, "utf8");
const nonAscii = [...text].filter((c) => c.codePointAt(0) > 127).length;
console.error(`corpus: ${bytes} bytes, ${nonAscii} non-ASCII chars, sha256 ${crypto.createHash("sha256").update(text).digest("hex").slice(0, 16)}`);
for (const p of parts) console.error(`  ${Buffer.byteLength(p.text, "utf8").toString().padStart(8)}  ${p.label}`);
if (bytes < 1_000_000) { console.error("corpus is smaller than 1 MB"); process.exit(1); }
