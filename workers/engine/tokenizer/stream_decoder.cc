#include "workers/engine/tokenizer/stream_decoder.h"

#include "workers/engine/tokenizer/utf8.h"

namespace switchyard {

std::string StreamDecoder::Push(int32_t id) {
  if (skip_special_ && tokenizer_.IsSpecial(id)) return {};
  const absl::string_view bytes = tokenizer_.TokenBytes(id);
  pending_.append(bytes.data(), bytes.size());
  std::string out;
  const size_t used = utf8::AppendLossy(pending_, /*final=*/false, &out);
  pending_.erase(0, used);
  return out;
}

std::string StreamDecoder::Finish() {
  std::string out;
  utf8::AppendLossy(pending_, /*final=*/true, &out);
  pending_.clear();
  return out;
}

}  // namespace switchyard
