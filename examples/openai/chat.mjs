// The official `openai` npm client against Switchyard's OpenAI-compatible gateway, unchanged
// except for baseURL: one streamed answer, routed by Switchyard's classifier (model "auto").
//
//   node examples/openai/chat.mjs [BASE_URL] ["prompt"]     (default http://127.0.0.1:7701/v1)
//
// The client comes from scripts/npm (installed by scripts/setup.sh). On `switchyard up` the
// router is open on loopback, so any API key works.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.resolve(here, '../../scripts/npm/package.json'));
const { OpenAI } = require('openai');

const baseURL = process.argv[2] ?? 'http://127.0.0.1:7701/v1';
const prompt = process.argv[3] ?? 'Translate into French: the library opens at nine.';
const client = new OpenAI({ baseURL, apiKey: process.env.SWITCHYARD_API_KEY ?? 'local', maxRetries: 0 });

const stream = await client.chat.completions.create({
  model: 'auto',
  messages: [{ role: 'user', content: prompt }],
  max_tokens: 24,
  seed: 1,
  stream: true,
  stream_options: { include_usage: true },
});
let usage = null;
for await (const chunk of stream) {
  // Switchyard's own field (ignored by OpenAI clients): the route decision, on the first chunk.
  if (chunk.switchyard?.route) {
    const r = chunk.switchyard.route;
    console.error(`[route ${r.role} via ${r.replica}, classifier confidence ${Number(r.confidence).toFixed(2)}]`);
  }
  const delta = chunk.choices[0]?.delta;
  if (delta?.reasoning_content) process.stdout.write(delta.reasoning_content);
  if (delta?.content) process.stdout.write(delta.content);
  if (chunk.usage) usage = chunk.usage;
}
process.stdout.write('\n');
if (usage) console.error(`[${usage.prompt_tokens} prompt + ${usage.completion_tokens} completion tokens]`);
