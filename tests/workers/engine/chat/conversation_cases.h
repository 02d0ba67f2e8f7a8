// Conversations that exercise every branch of the Qwen3, Qwen3 2507 and Qwen3-Coder chat
// templates: system prompts, empty and non-ASCII content, content parts and null content,
// reasoning kept and dropped, tools with nested JSON Schemas, multi-call turns, tool responses,
// arguments as objects and as JSON strings, thinking on and off, with and without the
// generation prompt. Each is a case for jinja_reference.h.
#ifndef SWITCHYARD_TESTS_ENGINE_CHAT_CONVERSATION_CASES_H_
#define SWITCHYARD_TESTS_ENGINE_CHAT_CONVERSATION_CASES_H_

#include <vector>

#include "tests/workers/engine/chat/jinja_reference.h"

namespace switchyard::testing {

std::vector<ojson> ConversationCases();

}  // namespace switchyard::testing

#endif  // SWITCHYARD_TESTS_ENGINE_CHAT_CONVERSATION_CASES_H_
