// `switchyard classify`: labels prompts from a JSON lines file without any server.
//
//   switchyard classify [--model FILE] [--explain N] FILE.jsonl      one JSON line per input:
//       {"label": "coder", "confidence": 0.9731}   (+ "id" when the input has one,
//                                                  + "features" with --explain N)
//   switchyard classify --eval [--json] [--model FILE] FILE.jsonl    accuracy, per-label
//       precision and recall, confusion matrix; every line must carry "label"
//
// FILE "-" reads standard input. The default model is the one shipped in the repository
// (router/classify/model/classifier.bin, see shipped_model.h).
//
// Thread safety: runs on the calling thread; writes only to `out` and `err`.
// Failure modes (exit codes): 0 success; 2 bad usage or bad input (unreadable file, a line that
// is not a JSON object with a string "prompt", --eval on a line without a known "label"), with
// a message naming the file and line; 1 the model cannot be loaded (message names the model).
#ifndef SWITCHYARD_ROUTER_CLI_CLASSIFY_COMMAND_H_
#define SWITCHYARD_ROUTER_CLI_CLASSIFY_COMMAND_H_

#include <cstdio>

namespace switchyard::cli {

inline constexpr char kClassifySummary[] =
    "label prompts (reasoning / coder / translation) from a JSON lines file; --eval scores them";

// argv[0] is "classify"; the flags follow.
int RunClassify(int argc, const char* const* argv, std::FILE* out, std::FILE* err);

}  // namespace switchyard::cli

#endif  // SWITCHYARD_ROUTER_CLI_CLASSIFY_COMMAND_H_
