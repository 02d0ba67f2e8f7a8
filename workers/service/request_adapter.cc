#include "workers/service/request_adapter.h"

#include "absl/strings/str_cat.h"

namespace switchyard {
namespace {

// Until the chat output parser is wired in, every byte is answer text.
class PlainText final : public OutputEvents {
 public:
  std::vector<v1::GenerateEvent> Push(const std::string& text) override {
    if (text.empty()) return {};
    v1::GenerateEvent e;
    e.set_text_delta(text);
    return {e};
  }
  std::vector<v1::GenerateEvent> Finish() override { return {}; }
};

}  // namespace

RequestAdapter::RequestAdapter(const LoadedModel& model, const Tokenizer& tokenizer)
    : model_(model), tokenizer_(tokenizer), defaults_(SamplingParams::FromGenerationConfig(model.generation_config())) {}

absl::StatusOr<PreparedRequest> RequestAdapter::Build(const v1::GenerateRequest& r) const {
  PreparedRequest p;
  p.sampling = defaults_;
  const v1::SamplingParams& s = r.sampling();
  if (s.has_temperature()) p.sampling.temperature = s.temperature();
  if (s.has_top_p()) p.sampling.top_p = s.top_p();
  if (s.has_top_k()) p.sampling.top_k = s.top_k();
  if (s.has_min_p()) p.sampling.min_p = s.min_p();
  if (s.has_repetition_penalty()) p.sampling.repetition_penalty = s.repetition_penalty();
  if (s.has_presence_penalty()) p.sampling.presence_penalty = s.presence_penalty();
  if (s.has_frequency_penalty()) p.sampling.frequency_penalty = s.frequency_penalty();
  if (s.has_seed()) p.sampling.seed = s.seed();
  if (s.has_max_tokens()) p.sampling.max_tokens = s.max_tokens();
  for (const std::string& stop : s.stop()) p.sampling.stop_strings.push_back(stop);
  if (absl::Status st = p.sampling.Validate(); !st.ok()) return absl::InvalidArgumentError(absl::StrCat("sampling: ", st.message()));

  const int sources = (r.messages_size() > 0) + !r.prompt().empty() + (r.prompt_token_ids_size() > 0);
  if (sources != 1) {
    return absl::InvalidArgumentError("give exactly one of messages, prompt and prompt_token_ids");
  }
  if (r.prompt_token_ids_size() > 0) {
    p.prompt.assign(r.prompt_token_ids().begin(), r.prompt_token_ids().end());
    return p;
  }
  if (!r.prompt().empty()) {
    auto ids = tokenizer_.Encode(r.prompt());
    if (!ids.ok()) return absl::InvalidArgumentError(absl::StrCat("prompt: ", ids.status().message()));
    p.prompt = std::move(*ids);
    return p;
  }
  return absl::UnimplementedError("chat messages need the chat template (issue #3)");
}

std::unique_ptr<OutputEvents> RequestAdapter::NewOutput(const PreparedRequest& prepared, bool chat) const {
  return std::make_unique<PlainText>();
}

}  // namespace switchyard
