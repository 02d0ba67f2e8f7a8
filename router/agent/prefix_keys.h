// PrefixKeys: the names the router gives to the cuts of a conversation at message boundaries
// (GenerateRequest.prefix_keys), computed without the engine, so that a worker can say which
// conversations it holds the KV blocks of and the router can send a conversation back to the
// replica that holds most of it (issue #13 picks by them).
//
// Definition (version 1; every integer little-endian, lp(s) = u64 length of s, then s):
//
//   key_{-1} = SHA-256("switchyard/prefix-keys/v1" 0x00 || lp(cache_salt) || u32 n
//                       || for each of the n tools shown to the model: lp(name) lp(description)
//                                                                     lp(parameters_json_schema))
//   key_i    = SHA-256(key_{i-1} || u32 role || lp(content) || lp(reasoning_content)
//                       || u32 #tool_calls || for each: lp(id) lp(name) lp(arguments_json)
//                       || lp(tool_call_id) || lp(name))                       i = 0 .. n-1
//
// 32 bytes each; prefix_keys[i] names the conversation cut after messages[i]. Why these parts:
//   - the salt: keys of different tenants never agree, and nobody without the router's secret
//     can compute a tenant's keys (see router/service/cache_salt.h);
//   - the tools: the chat template writes them into the system block before the first message,
//     so they change every token after; tools are "shown" unless tool_choice is NONE (the
//     worker then hides them, and so does the key);
//   - every field of each message, in proto field order, with lengths, so no two different
//     messages encode alike; unknown fields a client may have smuggled in are not encoded.
//   - not enable_thinking: Qwen3's templates write it only into the generation prompt, after
//     the last message, which no key covers; a conversation that toggles it keeps its keys.
//   - not sampling, response_format or tool_choice's other modes: they change decoding, not
//     the prompt.
// The keys are hints for picking a replica, not a promise of equal tokens: the engine's own
// block hashes decide what is reused (Qwen3 drops the reasoning of turns before the last user
// query, so a new user turn re-renders earlier assistant turns under unchanged keys).
//
// Cost: one pass of SHA-256 over the conversation (a 1 MB conversation: a few ms).
// Thread safety: pure functions.
#ifndef SWITCHYARD_ROUTER_AGENT_PREFIX_KEYS_H_
#define SWITCHYARD_ROUTER_AGENT_PREFIX_KEYS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "switchyard/v1/worker.pb.h"

namespace switchyard {

inline constexpr size_t kPrefixKeyBytes = 32;

// One key per message of `request` (none for a raw prompt or token ids), as defined above.
std::vector<std::string> PrefixKeys(const v1::GenerateRequest& request);
// Replaces request->prefix_keys with PrefixKeys(*request).
void SetPrefixKeys(v1::GenerateRequest* request);

// The bytes hashed after the version tag for key_{-1}, and after key_{i-1} for key_i (tests,
// and anyone reimplementing the keys).
std::string PrefixHeaderBytes(const v1::GenerateRequest& request);
std::string PrefixMessageBytes(const v1::ChatMessage& message);

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_PREFIX_KEYS_H_
