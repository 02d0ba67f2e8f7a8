// Drives the gateway with the official `openai` npm client, as an application would.
//
//   node check.mjs BASE_URL NPM_DIR     e.g. http://127.0.0.1:8080/v1 scripts/npm
//
// Checks: a plain completion and a stream (deltas, finish_reason, usage with
// prompt_tokens_details.cached_tokens), a tool-call round trip
// (a named tool_choice forces the call; its result goes back as a tool message), json_schema
// output that parses and matches the schema, and an unknown model raising APIError 404. Prints
// "ok <check>" per check; exits 1 with the reason on the first failure. The models behind the
// gateway have random weights: only the shapes are checked, never the words.
import { createRequire } from 'node:module';
import path from 'node:path';

const [baseURL, npmDir] = process.argv.slice(2);
const require = createRequire(path.resolve(npmDir, 'package.json'));
const { OpenAI, APIError } = require('openai');

const client = new OpenAI({ baseURL, apiKey: 'no-key-on-an-open-router', maxRetries: 0, timeout: 60000 });

function check(cond, what) {
  if (!cond) throw new Error(what);
}

async function plain() {
  const r = await client.chat.completions.create({
    model: 'coder',
    messages: [{ role: 'user', content: 'Write a Python function that reverses a string.' }],
    max_tokens: 8,
    temperature: 0.7,
    seed: 7,
  });
  check(r.object === 'chat.completion', `object: ${r.object}`);
  check(r.id.startsWith('chatcmpl-'), `id: ${r.id}`);
  check(r.model === 'coder', `model: ${r.model}`);
  const c = r.choices[0];
  check(c.message.role === 'assistant', `role: ${c.message.role}`);
  check(typeof c.message.content === 'string', 'content is not a string');
  check(['length', 'stop'].includes(c.finish_reason), `finish_reason: ${c.finish_reason}`);
  check(r.usage.prompt_tokens > 0 && r.usage.completion_tokens > 0, `usage: ${JSON.stringify(r.usage)}`);
  check(r.usage.total_tokens === r.usage.prompt_tokens + r.usage.completion_tokens, 'total_tokens');
  const cached = r.usage.prompt_tokens_details?.cached_tokens;
  check(Number.isInteger(cached) && cached >= 0 && cached <= r.usage.prompt_tokens, `cached_tokens: ${cached}`);
  check(r.switchyard?.route?.role === 'coder', `switchyard.route: ${JSON.stringify(r.switchyard?.route)}`);
  console.log(`ok plain (${r.usage.completion_tokens} tokens, finish ${c.finish_reason})`);
}

async function streaming() {
  const stream = await client.chat.completions.create({
    model: 'auto',
    messages: [{ role: 'user', content: 'Translate into German: good morning' }],
    max_tokens: 12,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let reasoning = '';
  let finish = null;
  let usage = null;
  let chunks = 0;
  let route = null;
  for await (const chunk of stream) {
    ++chunks;
    check(chunk.object === 'chat.completion.chunk', `object: ${chunk.object}`);
    if (chunk.switchyard?.route) route = chunk.switchyard.route;
    if (chunk.usage) usage = chunk.usage;
    const c = chunk.choices[0];
    if (!c) continue;
    text += c.delta.content ?? '';
    reasoning += c.delta.reasoning_content ?? '';
    if (c.finish_reason) finish = c.finish_reason;
  }
  check(chunks >= 3, `only ${chunks} chunks`);
  check(route && route.role, 'no route in the first chunk');
  check(['length', 'stop'].includes(finish), `finish_reason: ${finish}`);
  check(usage && usage.completion_tokens > 0, `usage: ${JSON.stringify(usage)}`);
  check(Number.isInteger(usage.prompt_tokens_details?.cached_tokens), `usage: ${JSON.stringify(usage)}`);
  check(text.length + reasoning.length > 0, 'no text and no reasoning streamed');
  console.log(`ok stream (${chunks} chunks, route ${route.role}, finish ${finish}, ${usage.completion_tokens} tokens)`);
}

async function toolRoundTrip() {
  const tools = [{
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string', enum: ['Paris', 'Rome'] } },
        required: ['city'],
        additionalProperties: false,
      },
    },
  }];
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await client.chat.completions.create({
    model: 'reasoning',
    messages,
    tools,
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
    max_tokens: 64,
    chat_template_kwargs: { enable_thinking: false },
  });
  const c = first.choices[0];
  check(c.finish_reason === 'tool_calls', `finish_reason: ${c.finish_reason} (content ${JSON.stringify(c.message.content)})`);
  const calls = c.message.tool_calls ?? [];
  check(calls.length >= 1, 'no tool_calls');
  const call = calls[0];
  check(call.type === 'function' && call.function.name === 'get_weather', `call: ${JSON.stringify(call)}`);
  check(call.id, 'the call has no id');
  const args = JSON.parse(call.function.arguments);
  check(['Paris', 'Rome'].includes(args.city), `arguments: ${call.function.arguments}`);
  messages.push(c.message);
  messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify({ city: args.city, sky: 'sunny' }) });
  const second = await client.chat.completions.create({
    model: 'reasoning',
    messages,
    tools,
    tool_choice: 'none',
    max_tokens: 8,
    chat_template_kwargs: { enable_thinking: false },
  });
  const d = second.choices[0];
  check(['length', 'stop'].includes(d.finish_reason), `second finish_reason: ${d.finish_reason}`);
  check(typeof d.message.content === 'string', 'second answer has no content');
  check(!d.message.tool_calls || d.message.tool_calls.length === 0, 'tool_choice none still called a tool');
  console.log(`ok tool round trip (${call.function.name}(${call.function.arguments}) -> ${d.finish_reason})`);
}

async function jsonSchema() {
  const schema = {
    type: 'object',
    properties: { answer: { type: 'string', enum: ['yes', 'no'] }, sure: { type: 'boolean' } },
    required: ['answer', 'sure'],
    additionalProperties: false,
  };
  const r = await client.chat.completions.create({
    model: 'auto',
    messages: [{ role: 'user', content: 'Is the sky blue? Answer in JSON.' }],
    response_format: { type: 'json_schema', json_schema: { name: 'verdict', strict: true, schema } },
    max_tokens: 64,
    chat_template_kwargs: { enable_thinking: false },
  });
  const content = r.choices[0].message.content;
  check(r.choices[0].finish_reason === 'stop', `finish_reason: ${r.choices[0].finish_reason} (content ${content})`);
  let v;
  try {
    v = JSON.parse(content);
  } catch (e) {
    throw new Error(`content is not JSON: ${content}`);
  }
  check(['yes', 'no'].includes(v.answer) && typeof v.sure === 'boolean', `content does not match the schema: ${content}`);
  check(Object.keys(v).length === 2, `extra keys: ${content}`);
  console.log(`ok json_schema (${content})`);
}

async function unknownModel() {
  try {
    await client.chat.completions.create({ model: 'gpt-99', messages: [{ role: 'user', content: 'hi' }] });
  } catch (e) {
    check(e instanceof APIError, `not an APIError: ${e}`);
    check(e.status === 404, `status ${e.status}`);
    check(e.code === 'model_not_found', `code ${e.code}`);
    check(e.param === 'model', `param ${e.param}`);
    console.log(`ok unknown model (404: ${e.message})`);
    return;
  }
  throw new Error('an unknown model was accepted');
}

const checks = { plain, streaming, toolRoundTrip, jsonSchema, unknownModel };
let failed = 0;
for (const [name, fn] of Object.entries(checks)) {
  try {
    await fn();
  } catch (e) {
    ++failed;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
process.exit(failed ? 1 : 0);
