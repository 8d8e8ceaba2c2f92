// app/seeds.h: seed URLs normalised, and a seeds file read batch by batch
// (README "Crawling": one URL a line, '#' comments and blank lines skipped; a
// bad line is an error naming the file and line, before anything of its batch
// is queued).
#include "app/seeds.h"

#include <gtest/gtest.h>

#include <fstream>
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

TEST(SeedsTest, CheckSeedsFileReadsToTheEnd) {
  testsupport::TempDir dir;
  const std::string path = dir.File("seeds.txt");
  std::ofstream(path) << "https://a.example/1\nnot a url\n";
  core::Status checked = app::CheckSeedsFile(path);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find(":2: "), std::string::npos);
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
