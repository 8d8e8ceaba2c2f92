// app/seeds.h: seed URLs normalised, a seeds file or standard input read batch
// by batch (README "podcrawl crawl": one URL a line, '#' comments and blank
// lines skipped; a bad line is an error naming the file and line, before
// anything of its batch is queued), and the spool that reads it once.
#include "app/seeds.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace {

using Batches = std::vector<std::vector<std::string>>;

// Reads `path` with ForEachSeedBatch into `batches`.
core::Status Collect(const std::string& path, size_t batch, Batches* batches) {
  return app::ForEachSeedBatch(path, batch,
                               [batches](const std::vector<std::string>& b) {
                                 batches->push_back(b);
                                 return core::Status();
                               });
}

TEST(SeedsTest, BatchesAreFullButTheLast) {
  testsupport::TempDir dir;
  const std::string path = dir.File("seeds.txt");
  std::ofstream(path) << "https://a.example/1\nhttps://a.example/2\n"
                         "https://a.example/3\nhttps://a.example/4\n"
                         "https://a.example/5\n";
  Batches batches;
  ASSERT_TRUE(Collect(path, 2, &batches));
  ASSERT_EQ(batches.size(), 3U);
  EXPECT_EQ(batches[0], (std::vector<std::string>{"https://a.example/1",
                                                  "https://a.example/2"}));
  EXPECT_EQ(batches[1].size(), 2U);
  EXPECT_EQ(batches[2], (std::vector<std::string>{"https://a.example/5"}));
}

TEST(SeedsTest, ExactMultipleEndsWithAFullBatch) {
  testsupport::TempDir dir;
  const std::string path = dir.File("seeds.txt");
  std::ofstream(path) << "https://a.example/1\nhttps://a.example/2\n";
  Batches batches;
  ASSERT_TRUE(Collect(path, 2, &batches));
  ASSERT_EQ(batches.size(), 1U);  // no empty trailing batch
  EXPECT_EQ(batches[0].size(), 2U);
}

TEST(SeedsTest, SkipsCommentsAndBlankLinesAndNormalises) {
  testsupport::TempDir dir;
  const std::string path = dir.File("seeds.txt");
  std::ofstream(path) << "# my seeds\n\n   \n  HTTPS://A.Example:443/x  \r\n"
                         "\t# indented comment\nhttp://b.example/y#frag\n";
  Batches batches;
  ASSERT_TRUE(Collect(path, 10, &batches));
  ASSERT_EQ(batches.size(), 1U);
  EXPECT_EQ(batches[0], (std::vector<std::string>{"https://a.example/x",
                                                  "http://b.example/y"}));
}

// A bad line stops the reading: the batches before it were delivered, the one
// holding it never is, and the error names the file and the line.
TEST(SeedsTest, BadLineNamesFileAndLine) {
  testsupport::TempDir dir;
  const std::string path = dir.File("seeds.txt");
  std::ofstream(path) << "https://a.example/1\nhttps://a.example/2\n"
                         "https://a.example/3\nftp://a.example/4\n";
  Batches batches;
  core::Status read = Collect(path, 2, &batches);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, core::ErrorCode::kConfig);
  EXPECT_NE(read.error().message.find(path + ":4: "), std::string::npos)
      << read.error().message;
  ASSERT_EQ(batches.size(), 1U);
  EXPECT_EQ(batches[0].size(), 2U);
}

// Replaces std::cin's buffer with `text` for its lifetime: what `--seeds -`
// reads.
class FakeStdin {
 public:
  explicit FakeStdin(const std::string& text)
      : in_(text), old_(std::cin.rdbuf(in_.rdbuf())) {}
  ~FakeStdin() {
    std::cin.rdbuf(old_);
    std::cin.clear();
  }
  FakeStdin(const FakeStdin&) = delete;
  FakeStdin& operator=(const FakeStdin&) = delete;

 private:
  std::istringstream in_;
  std::streambuf* old_;
};

// Reads `spool` back in batches of `batch`.
Batches ReadBack(const app::SeedSpool& spool, size_t batch) {
  Batches batches;
  EXPECT_TRUE(spool.ForEachBatch(batch, [&](const std::vector<std::string>& b) {
    batches.push_back(b);
    return core::Status();
  }));
  return batches;
}

// Issue 13 item 2: "-" is standard input, read once like a file.
TEST(SeedsTest, DashReadsStandardInput) {
  FakeStdin in("# piped\nhttps://A.example/1\n\nhttps://a.example/2\n");
  Batches batches;
  ASSERT_TRUE(Collect("-", 10, &batches));
  ASSERT_EQ(batches.size(), 1U);
  EXPECT_EQ(batches[0], (std::vector<std::string>{"https://a.example/1",
                                                  "https://a.example/2"}));
}

TEST(SeedsTest, BadLineOnStandardInputIsNamedStdin) {
  FakeStdin in("https://a.example/1\nnot a url\n");
  auto spool = app::SeedSpool::Read("-");
  ASSERT_FALSE(spool.has_value());
  EXPECT_EQ(spool.error().code, core::ErrorCode::kConfig);
  EXPECT_EQ(spool.error().message.rfind("stdin:2: ", 0), 0U)
      << spool.error().message;
}

// The spool reads its input once and gives the seeds back, normalised and in
// order, as often as asked, in batches full but the last.
TEST(SeedsTest, SpoolReadsTheInputOnceAndGivesItBackInBatches) {
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 25; ++i) {
    text += "  HTTPS://a.example/" + std::to_string(i) + "  \n";
    expected.push_back("https://a.example/" + std::to_string(i));
  }
  FakeStdin in(text + "# done\n");
  auto spool = app::SeedSpool::Read("-");
  ASSERT_TRUE(spool.has_value()) << spool.error().message;
  EXPECT_EQ(spool->size(), 25);
  // Standard input is used up: a second read would find nothing.
  EXPECT_TRUE(std::cin.eof() || std::cin.peek() == EOF);

  Batches batches = ReadBack(*spool, 10);
  ASSERT_EQ(batches.size(), 3U);
  EXPECT_EQ(batches[0].size(), 10U);
  EXPECT_EQ(batches[2].size(), 5U);
  std::vector<std::string> all;
  for (const auto& b : batches) all.insert(all.end(), b.begin(), b.end());
  EXPECT_EQ(all, expected);
  EXPECT_EQ(ReadBack(*spool, 100), (Batches{expected}));  // again, the same
}

// A spool of a file with a bad line is never made: the whole input is checked
// before anything is queued.
TEST(SeedsTest, SpoolOfAFileWithABadLineIsAnError) {
  testsupport::TempDir dir;
  const std::string path = dir.File("seeds.txt");
  std::ofstream(path) << "https://a.example/1\nnot a url\n";
  auto spool = app::SeedSpool::Read(path);
  ASSERT_FALSE(spool.has_value());
  EXPECT_NE(spool.error().message.find(path + ":2: "), std::string::npos);
}

TEST(SeedsTest, EmptyInputMakesAnEmptySpool) {
  FakeStdin in("# nothing here\n\n");
  auto spool = app::SeedSpool::Read("-");
  ASSERT_TRUE(spool.has_value()) << spool.error().message;
  EXPECT_EQ(spool->size(), 0);
  EXPECT_TRUE(ReadBack(*spool, 10).empty());
}

// The spool lives in $TMPDIR; one that cannot be made is a config error
// naming the folder.
TEST(SeedsTest, SpoolInAMissingTmpdirIsAnError) {
  testsupport::TempDir dir;
  const std::string missing = dir.File("no-such-dir");
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old != nullptr ? old : "";
  setenv("TMPDIR", missing.c_str(), 1);
  FakeStdin in("https://a.example/\n");
  auto spool = app::SeedSpool::Read("-");
  if (old != nullptr) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  ASSERT_FALSE(spool.has_value());
  EXPECT_EQ(spool.error().code, core::ErrorCode::kConfig);
  EXPECT_NE(spool.error().message.find(missing), std::string::npos)
      << spool.error().message;
}

TEST(SeedsTest, MissingFileIsAConfigError) {
  testsupport::TempDir dir;
  Batches batches;
  core::Status read = Collect(dir.File("none.txt"), 2, &batches);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, core::ErrorCode::kConfig);
  EXPECT_NE(read.error().message.find("cannot read seeds file"),
            std::string::npos);
  EXPECT_TRUE(batches.empty());
}

// An error from the callback (the frontier could not queue) ends the reading
// and comes back unchanged.
TEST(SeedsTest, CallbackErrorStopsTheReading) {
  testsupport::TempDir dir;
  const std::string path = dir.File("seeds.txt");
  std::ofstream(path) << "https://a.example/1\nhttps://a.example/2\n"
                         "https://a.example/3\n";
  int calls = 0;
  core::Status read = app::ForEachSeedBatch(
      path, 1, [&calls](const std::vector<std::string>&) -> core::Status {
        ++calls;
        return core::Error(core::ErrorCode::kStorage, "disk full");
      });
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, core::ErrorCode::kStorage);
  EXPECT_EQ(calls, 1);
}

TEST(SeedsTest, NormalizeSeedsNamesTheBadSeed) {
  auto ok = app::NormalizeSeeds({"HTTP://X.example", "https://y.example/a"});
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, (std::vector<std::string>{"http://x.example/",
                                           "https://y.example/a"}));
  auto bad = app::NormalizeSeeds({"https://y.example/", "mailto:a@b"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, core::ErrorCode::kConfig);
  EXPECT_EQ(bad.error().message.rfind("seed: ", 0), 0U);
}

}  // namespace

namespace {

// The inputs of a crawl: the config's seeds before the command line's, the
// sitemaps, and a seeds file spooled; empty() only when none holds a URL.
TEST(CrawlInputsTest, GathersConfigSeedsUrlsSitemapsAndFile) {
  testsupport::TempDir dir;
  const std::string path = dir.File("seeds.txt");
  std::ofstream(path) << "# one\nhttps://c.example/\n";
  core::CrawlSettings crawl;
  crawl.seeds = {"https://A.example"};
  crawl.sitemap.urls = {"https://a.example/sitemap.xml"};
  auto inputs = app::ReadCrawlInputs(crawl, {"https://b.example/x#frag"}, path);
  ASSERT_TRUE(inputs) << inputs.error().message;
  EXPECT_EQ(inputs->seeds, (std::vector<std::string>{"https://a.example/",
                                                     "https://b.example/x"}));
  EXPECT_EQ(inputs->sitemaps,
            (std::vector<std::string>{"https://a.example/sitemap.xml"}));
  ASSERT_TRUE(inputs->spool);
  EXPECT_EQ(inputs->spool->size(), 1);
  EXPECT_FALSE(inputs->empty());
}

TEST(CrawlInputsTest, NothingGivenIsEmpty) {
  testsupport::TempDir dir;
  const std::string path = dir.File("seeds.txt");
  std::ofstream(path) << "# only a comment\n";
  auto none = app::ReadCrawlInputs(core::CrawlSettings{}, {}, "");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(none->spool);
  auto empty_file = app::ReadCrawlInputs(core::CrawlSettings{}, {}, path);
  ASSERT_TRUE(empty_file);
  EXPECT_TRUE(empty_file->empty());
}

TEST(CrawlInputsTest, BadSitemapOrSeedIsAConfigError) {
  core::CrawlSettings crawl;
  crawl.sitemap.urls = {"ftp://a.example/sitemap.xml"};
  auto bad_sitemap = app::ReadCrawlInputs(crawl, {}, "");
  ASSERT_FALSE(bad_sitemap);
  EXPECT_EQ(bad_sitemap.error().code, core::ErrorCode::kConfig);
  auto bad_seed = app::ReadCrawlInputs(core::CrawlSettings{}, {"mailto:x"}, "");
  ASSERT_FALSE(bad_seed);
  EXPECT_EQ(bad_seed.error().code, core::ErrorCode::kConfig);
}

}  // namespace
