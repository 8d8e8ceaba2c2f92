// End-to-end tests of issue 13 items 2, 5 and 12 through the podcrawl binary:
// seeds piped into `crawl --seeds -` (and /dev/stdin) are crawled; a second
// crawl says how many URLs were done already, and `crawl --recrawl` fetches
// them again with a conditional GET (If-None-Match / If-Modified-Since) the
// loopback server answers with 304; `stats --failures` lists a failed URL
// with its reason and the page that linked to it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/db_query.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_http_server.h"

namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using testsupport::QueryInt;
using testsupport::RunPodcrawl;

constexpr const char* kLastModified = "Tue, 01 Oct 2024 10:00:00 GMT";

// A small site whose pages carry an ETag and a Last-Modified and answer a
// matching conditional GET with 304, remembering what each request sent.
class SeedsRecrawlCliTest : public testing::Test {
 protected:
  void SetUp() override {
    server_.Status("/robots.txt", 404);
    Page("/", R"(<a href="/show">show</a> <a href="/ep">ep</a>)");
    Page("/show", R"(<h1>Harbour Lights</h1><a href="/ep">ep</a>)");
    Page("/ep", "<h1>Episode 1</h1>");
    db_ = dir_.File("crawl.db");
  }

  // Serves `body` at `path` with validators; a request whose If-None-Match
  // is the page's ETag gets a 304.
  void Page(const std::string& path, const std::string& body) {
    const std::string etag = "\"" + path + "-v1\"";
    const std::string html = "<html><head><title>" + path +
                             "</title></head><body>" + body + "</body></html>";
    server_.Get(path, [this, etag, html, path](const httplib::Request& req,
                                               httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        conditional_[path] = req.get_header_value("If-None-Match");
        since_[path] = req.get_header_value("If-Modified-Since");
      }
      res.set_header("ETag", etag);
      res.set_header("Last-Modified", kLastModified);
      if (req.get_header_value("If-None-Match") == etag) {
        res.status = 304;
        return;
      }
      res.set_content(html, "text/html; charset=utf-8");
    });
  }

  // The If-None-Match / If-Modified-Since of the last request for `path`.
  std::string IfNoneMatch(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    return conditional_[path];
  }
  std::string IfModifiedSince(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    return since_[path];
  }

  std::vector<std::string> Crawl(std::vector<std::string> args) const {
    args.insert(args.begin(), "crawl");
    args.insert(args.end(), {"--db", db_, "--delay", "0"});
    return args;
  }

  // Before the server: its handlers use them until it stops.
  std::mutex mutex_;
  std::map<std::string, std::string> conditional_;
  std::map<std::string, std::string> since_;
  testsupport::TempDir dir_;
  testsupport::TestHttpServer server_;
  std::string db_;
};

// Item 2: `cmd | podcrawl crawl --seeds -` crawls the seeds that came through
// the pipe (RunPodcrawl feeds the binary's stdin through a pipe(2)).
TEST_F(SeedsRecrawlCliTest, SeedsPipedIntoDashAreCrawled) {
  auto r = RunPodcrawl(Crawl({"--seeds", "-", "--quiet"}),
                       "# from a pipe\n" + server_.url("/show") + "\n" +
                           server_.url("/ep") + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.requests("/show"), 1);
  EXPECT_EQ(server_.requests("/ep"), 1);
  EXPECT_EQ(server_.requests("/"), 0);  // not a seed, linked from neither
  EXPECT_EQ(QueryInt(db_,
                     "SELECT count(*) FROM frontier WHERE depth = 0 AND "
                     "state = 'done'"),
            2);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM pages"), 2);
}

// The issue's failure: a path that can be read only once (/dev/stdin, <(cmd))
// was read twice, and the second read found nothing.
TEST_F(SeedsRecrawlCliTest, SeedsFromDevStdinAreCrawled) {
  auto r = RunPodcrawl(Crawl({"--seeds", "/dev/stdin", "--quiet"}),
                       server_.url("/") + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.requests("/"), 1);
  EXPECT_EQ(server_.requests("/show"), 1);
  EXPECT_EQ(server_.requests("/ep"), 1);
}

TEST_F(SeedsRecrawlCliTest, BadLineOnAPipeQueuesNothing) {
  auto r = RunPodcrawl(Crawl({"--seeds", "-"}),
                       server_.url("/") + "\nftp://example.org/feed\n");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("stdin:2: "));
  EXPECT_EQ(server_.total_requests(), 0);
}

TEST_F(SeedsRecrawlCliTest, AnEmptyPipeIsNothingToCrawl) {
  auto r = RunPodcrawl(Crawl({"--seeds", "-"}), "# no seeds today\n");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("nothing to crawl: stdin holds no seed URL"));
}

// Item 5: a second crawl fetches only the seed again (with a conditional GET)
// and says how many URLs were done already; --recrawl fetches them all again,
// each with If-None-Match and If-Modified-Since, and the 304s store nothing
// new.
TEST_F(SeedsRecrawlCliTest, RecrawlFetchesDoneUrlsAgainWithAConditionalGet) {
  auto first = RunPodcrawl(Crawl({server_.url("/"), "--quiet"}));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  for (const char* path : {"/", "/show", "/ep"}) {
    EXPECT_EQ(server_.requests(path), 1) << path;
    EXPECT_EQ(IfNoneMatch(path), "") << path;
  }

  auto second = RunPodcrawl(Crawl({server_.url("/")}));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(server_.requests("/"), 2);
  EXPECT_EQ(IfNoneMatch("/"), "\"/-v1\"");
  EXPECT_EQ(server_.requests("/show"), 1);
  EXPECT_EQ(server_.requests("/ep"), 1);
  EXPECT_THAT(second.err, ContainsRegex("not modified +1\n"));
  EXPECT_THAT(second.err,
              HasSubstr("2 URLs were done already and not fetched again "
                        "(podcrawl crawl --recrawl fetches them again)"));

  auto recrawl = RunPodcrawl(Crawl({"--recrawl"}));
  ASSERT_EQ(recrawl.exit_code, 0) << recrawl.err;
  EXPECT_THAT(recrawl.err, HasSubstr("--recrawl: 3 done URLs queued again"));
  EXPECT_THAT(recrawl.err, Not(HasSubstr("done already")));
  for (const char* path : {"/", "/show", "/ep"}) {
    EXPECT_EQ(server_.requests(path), path == std::string("/") ? 3 : 2) << path;
    EXPECT_EQ(IfNoneMatch(path), "\"" + std::string(path) + "-v1\"") << path;
    EXPECT_EQ(IfModifiedSince(path), kLastModified) << path;
  }
  // All three answered 304, and the fetch log has each 304 (with the 304
  // of "/" in the second run: four).
  EXPECT_THAT(recrawl.err, ContainsRegex("not modified +3\n"));
  EXPECT_THAT(recrawl.err, ContainsRegex("pages stored +0\n"));
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM frontier WHERE state = 'done'"),
            3);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM fetches WHERE status = 304"),
            4);
  EXPECT_EQ(QueryInt(db_,
                     "SELECT count(*) FROM fetches WHERE status = 304 "
                     "AND etag IS NOT NULL AND duration_ms >= 0"),
            4);
}

// Item 12: the failed URL, its reason, and the page that linked to it.
TEST_F(SeedsRecrawlCliTest, StatsFailuresListsFailedUrlsWithReferrer) {
  server_.ServeHtml("/list", R"(<html><body><a href="/gone">gone</a>
                                <a href="/show">show</a></body></html>)");
  server_.Status("/gone", 404);
  auto crawl = RunPodcrawl(Crawl({server_.url("/list"), "--quiet"}));
  ASSERT_EQ(crawl.exit_code, 0) << crawl.err;

  auto text = RunPodcrawl({"stats", "--failures", "--db", db_});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  std::istringstream lines(text.out);
  std::string header;
  std::string row;
  ASSERT_TRUE(std::getline(lines, header));
  EXPECT_THAT(header, HasSubstr("URL"));
  EXPECT_THAT(header, HasSubstr("REFERRER"));
  EXPECT_THAT(header, HasSubstr("REASON"));
  ASSERT_TRUE(std::getline(lines, row));
  EXPECT_THAT(row, HasSubstr(server_.url("/gone") + " "));
  EXPECT_THAT(row, HasSubstr(server_.url("/list") + " "));
  EXPECT_THAT(row, HasSubstr("http_404"));
  EXPECT_FALSE(std::getline(lines, row)) << "one failure only: " << text.out;

  auto json = RunPodcrawl({"stats", "--failures", "--json", "--db", db_});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["url"], server_.url("/gone"));
  EXPECT_EQ(j["referrer"], server_.url("/list"));
  EXPECT_THAT(j["reason"].get<std::string>(), HasSubstr("http_404"));
  EXPECT_TRUE(j["schedule"].is_null());
  EXPECT_FALSE(j["last_try"].is_null());

  // The counts point at the list.
  auto stats = RunPodcrawl({"stats", "--db", db_});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_THAT(stats.out, HasSubstr("failed=1 (stats --failures lists them)"));
}

TEST_F(SeedsRecrawlCliTest, StatsFailuresWithNoneSaysSo) {
  ASSERT_EQ(RunPodcrawl(Crawl({server_.url("/ep"), "--quiet"})).exit_code, 0);
  auto r = RunPodcrawl({"stats", "--failures", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "no failed URL\n");
}

}  // namespace
