// Fuzz targets for the request classifier, built twice from this file:
//  - classifier_model_fuzz (CLASSIFIER_FUZZ_MODEL): the model-file parser. Each input is parsed
//    as is and again with a valid checksum appended, so that mutations reach the fields behind
//    the checksum. Invariants: a parsed model serializes back to the same bytes, and a model
//    that parses classifies text without crashing.
//  - classifier_text_fuzz: classifies arbitrary bytes (invalid UTF-8 included) with the shipped
//    model. Invariants: a valid label, probabilities that sum to 1, explanations whose feature
//    names are valid UTF-8 (they are printed as JSON).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "router/classify/classifier.h"
#include "router/classify/classifier_model.h"

namespace {

using switchyard::classify::Classification;
using switchyard::classify::Classifier;
using switchyard::classify::ClassifierModel;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

bool ValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

void CheckClassifier(const Classifier& c, const std::string& text) {
  const Classification r = c.Classify(text);
  Check(r.label >= 0 && r.label < c.num_labels(), "label in range");
  float sum = 0;
  for (int k = 0; k < c.num_labels(); ++k) {
    Check(std::isfinite(r.probabilities[k]) && r.probabilities[k] >= 0, "finite probabilities");
    sum += r.probabilities[k];
  }
  Check(std::fabs(sum - 1.0f) < 1e-3f, "probabilities sum to 1");
  for (const auto& f : c.Explain(text, 5)) {
    Check(ValidUtf8(f.feature), "feature names are valid UTF-8");
    Check(std::isfinite(f.weight), "finite contributions");
  }
}

#ifdef CLASSIFIER_FUZZ_MODEL

void ParseOne(const std::string& bytes) {
  absl::StatusOr<ClassifierModel> m = ClassifierModel::Parse(bytes, "<fuzz>");
  if (!m.ok()) return;
  Check(m->Serialize() == bytes, "Serialize(Parse(x)) == x");
  absl::StatusOr<Classifier> c = Classifier::FromModel(*std::move(m));
  Check(c.ok(), "a parsed model is a valid classifier");
  CheckClassifier(*c, "Translate into French: good morning");
  static const char kJunk[] = "\xff\xfe\x00 def f(x): return x";
  CheckClassifier(*c, std::string(kJunk, sizeof(kJunk) - 1));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  ParseOne(in);
  std::string sealed = in;
  const uint64_t c = ClassifierModel::Checksum(in);
  for (int i = 0; i < 8; ++i) sealed += static_cast<char>((c >> (8 * i)) & 0xff);
  ParseOne(sealed);
  return 0;
}

#else  // classifier_text_fuzz

const Classifier* Shipped() {
  static const std::unique_ptr<Classifier> c = []() -> std::unique_ptr<Classifier> {
    const std::string path = std::string(SWITCHYARD_SOURCE_DIR) + "/router/classify/model/classifier.bin";
    absl::StatusOr<Classifier> loaded = Classifier::Load(path);
    if (!loaded.ok()) {
      std::fprintf(stderr, "classifier_text_fuzz: %s\n", std::string(loaded.status().message()).c_str());
      std::abort();
    }
    return std::make_unique<Classifier>(*std::move(loaded));
  }();
  return c.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckClassifier(*Shipped(), std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}

#endif
