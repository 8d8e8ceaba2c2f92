// End-to-end tests of the analysis side (issue 5 "How it will be checked"):
// `podcrawl export` and `stats` after a crawl of a generated site, the views,
// a page fetched twice unchanged and then with a new rating count, `reparse`
// from the archive, readers (sqlite3 CLI, export) polling beside a crawl, and
// a full disk (a small tmpfs) stopping podcrawl cleanly with exit code 4.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/db_query.h"
#include "tests/support/fixtures.h"
#include "tests/support/site_generator.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_http_server.h"

namespace {

using testsupport::QueryInt;
using testsupport::QueryText;
using testsupport::RunPodcrawl;

// Runs a command line through the shell, returning its exit status and its
// stdout + stderr.
std::pair<int, std::string> Shell(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::vector<std::string> Lines(const std::string& text,
                               const std::string& sep = "\n") {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + sep.size();
  }
  return lines;
}

std::vector<std::string> CrawlArgs(const std::string& seed,
                                   const std::string& db) {
  return {"crawl",      seed, "--db",          db,  "--delay", "0",
          "--per-host", "4",  "--concurrency", "8", "--quiet"};
}

class AnalysisCliTest : public testing::Test {
 protected:
  void Crawl(int shows, int episodes) {
    site_ = testsupport::GenerateSite(dir_.path() / "site", shows, episodes);
    server_.ServeDirectory(dir_.path() / "site");
    auto r = RunPodcrawl(CrawlArgs(server_.url("/index.html"), db_));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  testsupport::TempDir dir_;
  std::string db_ = dir_.File("podcasts.db");
  testsupport::TestHttpServer server_;
  testsupport::GeneratedSite site_;
};

TEST_F(AnalysisCliTest, ExportsEpisodesAsJsonLinesAndShowsAsCsv) {
  Crawl(4, 3);
  const int64_t episodes = QueryInt(db_, "SELECT count(*) FROM episodes");
  ASSERT_EQ(episodes, 12);
  auto jsonl = RunPodcrawl({"export", "--db", db_, "--format", "jsonl",
                            "--what", "episodes", "--quiet"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  std::vector<std::string> lines = Lines(jsonl.out);
  ASSERT_EQ(static_cast<int64_t>(lines.size()), episodes);
  for (const std::string& line : lines) {
    auto json =
        nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(json.is_discarded()) << line;
    EXPECT_TRUE(json["show_name"].is_string()) << line;
    EXPECT_TRUE(json["url"].is_string()) << line;
    EXPECT_TRUE(json.contains("episode_title")) << line;
  }

  const std::string csv_path = dir_.File("shows.csv");
  auto csv = RunPodcrawl({"export", "--db", db_, "--format", "csv", "--what",
                          "shows", "--output", csv_path, "--quiet"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, "");
  std::vector<std::string> rows =
      Lines(testsupport::ReadFile(csv_path), "\r\n");
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].rfind("url,show_name,", 0), 0u) << rows[0];
  EXPECT_EQ(static_cast<int64_t>(rows.size()) - 1,
            QueryInt(db_, "SELECT count(*) FROM shows"));

  EXPECT_GE(
      QueryInt(db_, "SELECT count(*) FROM sqlite_schema WHERE type = 'view'"),
      4);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM episode_latest"), episodes);
  EXPECT_GT(QueryInt(db_, "SELECT count(*) FROM related_graph"), 0);

  auto stats = RunPodcrawl({"stats", "--db", db_, "--json", "--quiet"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  auto json = nlohmann::json::parse(stats.out);
  EXPECT_EQ(json["episodes"], episodes);
  EXPECT_EQ(json["frontier"]["queued"], 0);
  EXPECT_GT(json["fetches_by_outcome"]["ok"].get<int64_t>(), 0);
  auto text = RunPodcrawl({"stats", "--db", db_});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("episodes            12"), std::string::npos)
      << text.out;
}

TEST_F(AnalysisCliTest, ExportUsageAndStorageErrors) {
  auto bad_format = RunPodcrawl({"export", "--db", db_, "--format", "xml"});
  EXPECT_EQ(bad_format.exit_code, 2);
  auto bad_since = RunPodcrawl({"export", "--db", db_, "--since", "yesterday"});
  EXPECT_EQ(bad_since.exit_code, 2) << bad_since.err;
  auto missing = RunPodcrawl({"export", "--db", dir_.File("none.db")});
  EXPECT_EQ(missing.exit_code, 4) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("none.db")));
}

TEST_F(AnalysisCliTest, ExportSinceTakesIsoAndUnixSeconds) {
  Crawl(2, 1);
  auto future =
      RunPodcrawl({"export", "--db", db_, "--since", "2999-01-01T00:00:00Z"});
  ASSERT_EQ(future.exit_code, 0) << future.err;
  EXPECT_EQ(future.out, "");
  auto past = RunPodcrawl({"export", "--db", db_, "--since", "86400"});
  ASSERT_EQ(past.exit_code, 0) << past.err;
  EXPECT_EQ(Lines(past.out).size(), 2u);
}

// The show page of the demo site with its rating count replaced.
std::string ShowPage(int rating_count) {
  std::string page =
      testsupport::ReadFile(std::string(PODCRAWL_SOURCE_DIR) +
                            "/demo/site/podcasts/harbour-lights/index.html");
  for (size_t at = page.find("312"); at != std::string::npos;
       at = page.find("312", at + 1)) {
    page.replace(at, 3, std::to_string(rating_count));
  }
  return page;
}

TEST_F(AnalysisCliTest, UnchangedPageAddsNoSnapshotChangedRatingAddsOne) {
  const std::string page_v1 = ShowPage(312);
  ASSERT_NE(page_v1.find("312"), std::string::npos);
  const std::string url = server_.url("/podcasts/harbour-lights/");
  server_.ServeHtml("/podcasts/harbour-lights/", page_v1);
  auto fetch = [&] {
    auto r = RunPodcrawl({"fetch", url, "--db", db_, "--quiet", "--compact"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  fetch();
  ASSERT_EQ(QueryInt(db_, "SELECT count(*) FROM rating_snapshots"), 1);
  const std::string seen = QueryText(db_, "SELECT last_seen_ms FROM shows");
  fetch();
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM rating_snapshots"), 1);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM page_archive"), 1);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM fetches"), 2);
  EXPECT_EQ(QueryText(db_, "SELECT last_seen_ms FROM shows"), seen);

  server_.ServeHtml("/podcasts/harbour-lights/", ShowPage(313));
  fetch();
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM rating_snapshots"), 2);
  EXPECT_EQ(QueryInt(db_,
                     "SELECT rating_count FROM shows WHERE name = "
                     "'Harbour Lights'"),
            313);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM page_archive"), 2);
  fetch();
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM rating_snapshots"), 2);
  auto ratings = RunPodcrawl(
      {"export", "--db", db_, "--what", "ratings", "--format", "csv"});
  ASSERT_EQ(ratings.exit_code, 0);
  EXPECT_NE(ratings.out.find(",4.7,313,1\r\n"), std::string::npos)
      << ratings.out;
}

TEST_F(AnalysisCliTest, ReparseRestoresRecordsFromTheArchiveWithoutNetwork) {
  Crawl(2, 2);
  const int64_t episodes = QueryInt(db_, "SELECT count(*) FROM episodes");
  ASSERT_EQ(episodes, 4);
  const int requests = server_.total_requests();
  // Simulate records written by an older parser: rows lost, hashes stale.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DELETE FROM episodes; UPDATE pages SET "
                           "record_hash = 'older-parser';",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  ASSERT_EQ(QueryInt(db_, "SELECT count(*) FROM episodes"), 0);
  auto r = RunPodcrawl({"reparse", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("records changed"), std::string::npos) << r.err;
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM episodes"), episodes);
  EXPECT_EQ(server_.total_requests(), requests);
  // A second reparse finds every record unchanged.
  auto again = RunPodcrawl({"reparse", "--db", db_});
  EXPECT_NE(again.err.find(": 0 records changed"), std::string::npos)
      << again.err;
}

TEST_F(AnalysisCliTest, ArchiveOffInConfigKeepsNoBytes) {
  const std::string config = dir_.File("config.json");
  std::ofstream(config) << R"({"archive": false})";
  site_ = testsupport::GenerateSite(dir_.path() / "site", 1, 1);
  server_.ServeDirectory(dir_.path() / "site");
  std::vector<std::string> args = CrawlArgs(server_.url("/index.html"), db_);
  args.push_back("--config");
  args.push_back(config);
  auto r = RunPodcrawl(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(QueryInt(db_, "SELECT count(*) FROM pages"), 0);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM page_archive"), 0);
}

TEST_F(AnalysisCliTest, ReadersBesideACrawlNeverSeeLockedOrBusy) {
  site_ = testsupport::GenerateSite(dir_.path() / "site", 40, 8);
  server_.ServeDirectory(dir_.path() / "site");
  const std::string log = dir_.File("crawl.log");
  const int pid = testsupport::StartPodcrawl(
      {"crawl", server_.url("/index.html"), "--db", db_, "--delay", "0",
       "--per-host", "4", "--concurrency", "8", "--quiet"},
      log);
  ASSERT_GT(pid, 0);
  std::atomic<bool> done{false};
  std::mutex mutex;
  std::vector<std::string> problems;
  int polls = 0;
  std::thread reader([&] {
    // Wait for the crawl to create and migrate the database (before that a
    // reader sees no tables, which is not what this test is about).
    while (!done && QueryInt(db_, "PRAGMA user_version") < 3)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    while (!done) {
      auto [code, out] =
          Shell("sqlite3 -readonly '" + db_ +
                "' 'SELECT count(*) FROM episodes; SELECT count(*) FROM "
                "show_summary; SELECT count(*) FROM related_graph;'");
      auto exported = RunPodcrawl({"export", "--db", db_, "--what", "shows",
                                   "--format", "csv", "--quiet"});
      std::lock_guard<std::mutex> lock(mutex);
      ++polls;
      for (const std::string& text : {out, exported.err}) {
        if (text.find("locked") != std::string::npos ||
            text.find("busy") != std::string::npos) {
          problems.push_back(text);
        }
      }
      if (code != 0)
        problems.push_back("sqlite3 exit " + std::to_string(code) + ": " + out);
      if (exported.exit_code != 0)
        problems.push_back("export exit " + std::to_string(exported.exit_code) +
                           ": " + exported.err);
    }
  });
  const int status = testsupport::WaitPodcrawl(pid);
  done = true;
  reader.join();
  EXPECT_EQ(status, 0) << testsupport::ReadFile(log);
  EXPECT_GT(polls, 0);
  EXPECT_TRUE(problems.empty())
      << problems.size()
      << " problems, first: " << (problems.empty() ? "" : problems[0]);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM episodes"), 320);
}

// A tmpfs of a given size mounted by the test (tests run as root), unmounted
// when the object goes.
class TmpfsMount {
 public:
  TmpfsMount(const std::filesystem::path& dir, const std::string& size)
      : dir_(dir) {
    std::filesystem::create_directories(dir_);
    const std::string options = "size=" + size;
    if (mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~TmpfsMount() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  // Grows (or shrinks) the file system in place.
  bool Resize(const std::string& size) {
    const std::string options = "size=" + size;
    return mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT, options.c_str()) ==
           0;
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
  std::string error_;
};

TEST_F(AnalysisCliTest, FullDiskStopsTheCrawlWithExitFourAndTheNextRunResumes) {
  TmpfsMount disk(dir_.path() / "disk", "512k");
  if (!disk.mounted()) {
    GTEST_SKIP() << "cannot mount a small tmpfs here (" << disk.error()
                 << "); the full-disk test needs root";
  }
  site_ = testsupport::GenerateSite(dir_.path() / "site", 60, 10);
  server_.ServeDirectory(dir_.path() / "site");
  const std::string db = (dir_.path() / "disk" / "podcasts.db").string();
  auto full =
      RunPodcrawl({"crawl", server_.url("/index.html"), "--db", db, "--delay",
                   "0", "--per-host", "4", "--concurrency", "8"});
  ASSERT_EQ(full.exit_code, 4) << full.err;
  EXPECT_NE(full.err.find("disk full"), std::string::npos) << full.err;
  EXPECT_EQ(QueryText(db, "PRAGMA integrity_check"), "ok\n");
  const int64_t stored = QueryInt(db, "SELECT count(*) FROM episodes");
  EXPECT_LT(stored, 600);

  ASSERT_TRUE(disk.Resize("64m"));
  auto resumed = RunPodcrawl({"crawl", "--db", db, "--delay", "0", "--per-host",
                              "4", "--concurrency", "8", "--quiet"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(QueryText(db, "PRAGMA integrity_check"), "ok\n");
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM episodes"), 600);
}

TEST_F(AnalysisCliTest, ReadOnlyDatabaseFailsWithExitFour) {
  Crawl(1, 1);
  std::filesystem::permissions(db_, std::filesystem::perms::owner_read |
                                        std::filesystem::perms::group_read);
  // Root ignores file permissions; open it read-only through a URI instead.
  const std::string url = server_.url("/shows/show-0/");
  auto r = RunPodcrawl(
      {"fetch", url, "--db", "file:" + db_ + "?mode=ro", "--quiet"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_FALSE(r.err.empty());
  EXPECT_EQ(QueryText(db_, "PRAGMA integrity_check"), "ok\n");
}

}  // namespace
