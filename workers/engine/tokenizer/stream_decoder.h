// StreamDecoder: turns generated token ids into text as they arrive, never emitting half of a
// UTF-8 character. Bytes of an incomplete character wait for the next token; bytes that can no
// longer become a valid character become U+FFFD, so the concatenation of everything Push and
// Finish return equals Tokenizer::Decode of all the ids.
// Thread safety: one decoder per sequence; not for concurrent use.
#ifndef SWITCHYARD_WORKERS_ENGINE_TOKENIZER_STREAM_DECODER_H_
#define SWITCHYARD_WORKERS_ENGINE_TOKENIZER_STREAM_DECODER_H_

#include <cstdint>
#include <string>

#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {

class StreamDecoder {
 public:
  // `tokenizer` must outlive the decoder.
  explicit StreamDecoder(const Tokenizer& tokenizer, bool skip_special = false)
      : tokenizer_(tokenizer), skip_special_(skip_special) {}

  // Text completed by this token (often empty mid-character).
  std::string Push(int32_t id);
  // Whatever is still held, as U+FFFD if it never completed. The decoder is then empty.
  std::string Finish();
  // Bytes held back waiting for the rest of a character (at most 3).
  size_t pending_bytes() const { return pending_.size(); }

 private:
  const Tokenizer& tokenizer_;
  bool skip_special_;
  std::string pending_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_TOKENIZER_STREAM_DECODER_H_
