// search_documents and its parts: word tokenizer (Unicode, case-folded, byte offsets), chunker
// (overlapping windows with exact offsets), BM25 ranking on a hand-made corpus, and the tool.
#include "tools/search_documents_tool.h"

#include <atomic>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/bm25_index.h"
#include "tools/document_chunker.h"
#include "tools/tool_registry.h"
#include "tools/word_tokenizer.h"

namespace switchyard::tools {
namespace {

TEST(WordTokenizerTest, SplitsFoldsAndKeepsByteOffsets) {
  const std::string text = "Hello, WORLD! caf\xC3\xA9-au-lait 42x \xC3\x84RGER\xFF\xE6\x97\xA5\xE6\x9C\xAC";
  std::vector<WordToken> t = TokenizeWords(text);
  std::vector<std::string> terms;
  for (const WordToken& w : t) terms.push_back(w.term);
  EXPECT_THAT(terms, ::testing::ElementsAre("hello", "world", "caf\xC3\xA9", "au", "lait", "42x", "\xC3\xA4rger",
                                            "\xE6\x97\xA5\xE6\x9C\xAC"));
  const std::vector<std::pair<size_t, size_t>> expected = {{0, 5},   {7, 12},  {14, 19}, {20, 22},
                                                           {23, 27}, {28, 31}, {32, 38}, {39, 45}};
  ASSERT_EQ(t.size(), expected.size());
  for (size_t i = 0; i < t.size(); ++i) {
    EXPECT_EQ(t[i].begin, expected[i].first) << i;
    EXPECT_EQ(t[i].end, expected[i].second) << i;
  }
  EXPECT_TRUE(TokenizeWords("  ,;- ").empty());
}

TEST(DocumentChunkerTest, OverlappingWindowsWithExactOffsets) {
  const std::string text = "  one two\tthree four five six seven ";
  std::vector<DocumentChunk> chunks = DocumentChunker(4, 1).Chunk({{"d", text}, {"empty", " \n "}, {"short", "only"}});
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].begin, 2u);
  EXPECT_EQ(chunks[0].end, 20u);
  EXPECT_EQ(chunks[0].text, "one two\tthree four");
  EXPECT_EQ(chunks[1].begin, 16u);
  EXPECT_EQ(chunks[1].end, 35u);
  EXPECT_EQ(chunks[1].text, "four five six seven");
  EXPECT_EQ(chunks[2].document, 2u);
  EXPECT_EQ(chunks[2].document_name, "short");
  EXPECT_EQ(chunks[2].text, "only");
  for (const DocumentChunk& c : chunks) {
    if (c.document == 0) {
      EXPECT_EQ(text.substr(c.begin, c.end - c.begin), c.text);
    }
  }
}

// BM25 of one query term in one chunk, written out independently of the index.
double Bm25(double tf, double df, double n, double length, double average) {
  const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
  return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / average));
}

TEST(Bm25IndexTest, RanksAHandMadeCorpus) {
  Bm25Index index(DocumentChunker().Chunk({
      {"a", "The cat sat on the mat."},                    // 6 terms, cat x1
      {"b", "The dog chased the cat, and the cat ran."},  // 9 terms, cat x2, dog x1
      {"c", "Dogs and cats are pets."},                    // 5 terms, no exact match
  }));
  const double avg = (6 + 9 + 5) / 3.0;
  std::vector<Bm25Hit> hits = index.Search("CAT", 10);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].chunk, 1u);
  EXPECT_NEAR(hits[0].score, Bm25(2, 2, 3, 9, avg), 1e-12);
  EXPECT_EQ(hits[1].chunk, 0u);
  EXPECT_NEAR(hits[1].score, Bm25(1, 2, 3, 6, avg), 1e-12);

  // Rarer terms weigh more: "mat" (one chunk) beats a second "cat" occurrence.
  hits = index.Search("cat mat cat", 10);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].chunk, 0u);
  EXPECT_NEAR(hits[0].score, Bm25(1, 2, 3, 6, avg) + Bm25(1, 1, 3, 6, avg), 1e-12);
  EXPECT_EQ(hits[1].chunk, 1u);

  EXPECT_EQ(index.Search("cat", 1).size(), 1u);
  EXPECT_EQ(index.Search("cat", 1)[0].chunk, 1u);
  EXPECT_TRUE(index.Search("zebra", 5).empty());
  EXPECT_TRUE(index.Search("", 5).empty());
  ASSERT_EQ(index.Search("pets dogs", 5).size(), 1u);
  EXPECT_EQ(index.Search("pets dogs", 5)[0].chunk, 2u);
}

class SearchDocumentsToolTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(registry_.Register(*MakeSearchDocumentsTool()).ok()); }
  ToolRegistry registry_;
  ToolContext context_;
};

TEST_F(SearchDocumentsToolTest, ReturnsRankedChunksWithOffsets) {
  // 450 words: chunks cover words [0,200), [150,350), [300,450); "needle" is word 300.
  std::string contract;
  for (int i = 0; i < 450; ++i) absl::StrAppend(&contract, i == 300 ? "Needle" : absl::StrCat("w", i), i % 10 == 9 ? "\n" : " ");
  context_.documents = {{"contract.txt", contract}, {"memo.txt", "A short memo about a needle and a haystack."}};

  ToolResult r = registry_.Execute("search_documents", R"({"query":"needle","top_k":3})", context_);
  ASSERT_EQ(r.kind, ToolResultKind::kOutput) << r.error;
  EXPECT_EQ(nlohmann::json::parse(r.content), r.structured);
  const nlohmann::json& results = r.structured["results"];
  ASSERT_EQ(results.size(), 3u);
  // Shortest chunk first: the memo (9 terms), then the 150-word tail, then the middle window.
  EXPECT_EQ(results[0]["document"], "memo.txt");
  EXPECT_EQ(results[0]["start"], 0);
  EXPECT_EQ(results[0]["end"], 43);
  EXPECT_EQ(results[1]["document"], "contract.txt");
  EXPECT_EQ(results[2]["document"], "contract.txt");
  const size_t word150 = contract.find("w150 "), word300 = contract.find("Needle");
  EXPECT_EQ(results[1]["start"], word300);
  EXPECT_EQ(results[1]["end"], contract.size() - 1);  // the last word, without its newline
  EXPECT_EQ(results[2]["start"], word150);
  EXPECT_EQ(results[2]["end"], contract.find("w349") + 4);
  EXPECT_GT(results[0]["score"].get<double>(), results[1]["score"].get<double>());
  EXPECT_GT(results[1]["score"].get<double>(), results[2]["score"].get<double>());
  for (const nlohmann::json& hit : results) {
    const std::string& text = hit["document"] == "memo.txt" ? context_.documents[1].text : contract;
    const size_t start = hit["start"], end = hit["end"];
    EXPECT_EQ(text.substr(start, end - start), hit["text"].get<std::string>());
  }
}

TEST_F(SearchDocumentsToolTest, BuildsTheIndexOncePerRequest) {
  context_.documents = {{"d", "alpha beta gamma"}};
  EXPECT_EQ(context_.document_index->builds(), 0);
  ToolResult first = registry_.Execute("search_documents", R"({"query":"beta"})", context_);
  ToolResult second = registry_.Execute("search_documents", R"({"query":"gamma"})", context_);
  ASSERT_TRUE(first.ok && second.ok);
  EXPECT_EQ(context_.document_index->builds(), 1);
  EXPECT_EQ(second.structured["results"][0]["text"], "alpha beta gamma");
  ToolResult none = registry_.Execute("search_documents", R"({"query":"delta"})", context_);
  EXPECT_EQ(none.content, R"({"results":[]})");
}

TEST_F(SearchDocumentsToolTest, ConcurrentSearchesShareOneIndex) {
  context_.documents = {{"d", "alpha beta gamma"}, {"e", "beta delta"}};
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (registry_.Execute("search_documents", R"({"query":"beta"})", context_).structured["results"].size() == 2) ++ok;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(context_.document_index->builds(), 1);
}

TEST_F(SearchDocumentsToolTest, ErrorsForTheModel) {
  EXPECT_EQ(registry_.Execute("search_documents", R"({"query":"x"})", context_).content,
            "tool \"search_documents\" failed: no documents are attached to this request");
  context_.documents = {{"d", "text"}};
  EXPECT_EQ(registry_.Execute("search_documents", R"({"query":"x","top_k":0})", context_).content,
            "tool \"search_documents\" failed: top_k must be from 1 to 20");
  EXPECT_EQ(registry_.Execute("search_documents", R"({"query":"x","top_k":21})", context_).content,
            "tool \"search_documents\" failed: top_k must be from 1 to 20");
  EXPECT_EQ(registry_.Execute("search_documents", R"({"query":"x","top_k":2.5})", context_).content,
            "invalid arguments for tool \"search_documents\": /top_k: expected integer, got number");
  EXPECT_TRUE(registry_.Execute("search_documents", R"({"query":"text","top_k":20.0})", context_).ok);
}

}  // namespace
}  // namespace switchyard::tools
