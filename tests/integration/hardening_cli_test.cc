// Issue 10 (hardening), end to end with the built binary on a loopback server:
// a poison page (a ~20 KB link) against a deny regex; a page of one host
// naming another site's show as its canonical URL or its show; numeric flags
// out of range.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/db_query.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_http_server.h"

namespace {

using Json = nlohmann::json;
using testsupport::QueryInt;
using testsupport::QueryText;
using testsupport::RunPodcrawl;

// --- a poison page against user regexes

// Runs podcrawl with `args` for at most `limit`; returns its exit status
// (128+signal when it crashed), or -1 when it had to be killed at the limit.
int RunWithin(const std::vector<std::string>& args, const std::string& log,
              std::chrono::seconds limit) {
  const int pid = testsupport::StartPodcrawl(args, log);
  if (pid <= 0) return -2;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -2;
}

// The issue's poison page: a ~20 KB link on a page, with crawl.deny patterns
// configured, crashed the crawl (SIGSEGV: std::regex recursed per character)
// and every resume crashed again on the same page; a link took ~9 s to match.
TEST(PoisonPageTest, HugeLinkAgainstDenyRegexesIsCrawledTwiceCleanly) {
  testsupport::TestHttpServer server;
  testsupport::TempDir dir;
  const std::string followed = "/" + std::string(20'000, 'x');
  const std::string denied = "/" + std::string(20'000, 'a') + "c";
  server.ServeHtml("/index.html",
                   "<html><head><title>Index</title></head><body><a href=\"" +
                       followed + "\">long</a><a href=\"" + denied +
                       "\">denied</a><a href=\"/next.html\">next</a>"
                       "</body></html>");
  server.ServeHtml("/next.html", "<html><body><p>next</p></body></html>");
  const std::string config = dir.File("c.json");
  std::ofstream(config)
      << R"json({"crawl": {"deny": ["(a|b)*c", ".*(x+)+y", "^(a|aa)+$"]}})json";
  const std::string db = dir.File("poison.db");
  const std::vector<std::string> args = {"crawl",    server.url("/index.html"),
                                         "--db",     db,
                                         "--config", config,
                                         "--delay",  "0",
                                         "--quiet"};
  // Run twice, as a resume after a crash did: each exits cleanly in far less
  // than the seconds one match took on std::regex (-1: killed at the limit).
  for (int run = 0; run < 2; ++run) {
    const int status =
        RunWithin(args, dir.File("log.txt"), std::chrono::seconds(10));
    std::ifstream log(dir.File("log.txt"));
    const std::string output((std::istreambuf_iterator<char>(log)),
                             std::istreambuf_iterator<char>());
    ASSERT_EQ(status, 0) << "run " << run << ": " << output;
  }
  EXPECT_GE(server.requests("/next.html"), 1);
  // The long link was considered (fetched, whatever the server said); the
  // denied one never left the page.
  EXPECT_GE(QueryInt(db,
                     "SELECT count(*) FROM fetches WHERE url LIKE "
                     "'%/xxxxxxxxxx%'"),
            1);
  EXPECT_EQ(QueryInt(db,
                     "SELECT count(*) FROM fetches WHERE url LIKE "
                     "'%/aaaaaaaaaa%'"),
            0);
  EXPECT_EQ(QueryInt(db,
                     "SELECT count(*) FROM frontier WHERE url LIKE "
                     "'%/aaaaaaaaaa%'"),
            0);
}

// A pattern only ECMAScript knows is a config error (exit 2) naming the key.
TEST(PoisonPageTest, NonRe2PatternIsAConfigError) {
  testsupport::TempDir dir;
  const std::string config = dir.File("c.json");
  std::ofstream(config) << R"json({"crawl": {"deny": ["/(?!public)"]}})json";
  auto r = RunPodcrawl({"crawl", "http://127.0.0.1:9/", "--db",
                        dir.File("x.db"), "--config", config});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("crawl.deny[0]: invalid regex (RE2 syntax)"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("x.db")));
}

// --- a canonical URL of another site

std::string ShowPage(const std::string& name, double rating, int count,
                     const std::string& canonical) {
  std::string head;
  if (!canonical.empty()) {
    head = R"(<link rel="canonical" href=")" + canonical +
           R"("><meta property="og:url" content=")" + canonical + R"(">)";
  }
  return "<!DOCTYPE html><html><head><title>" + name + "</title>" + head +
         R"(<script type="application/ld+json">{"@context": "https://schema.org",
         "@type": "PodcastSeries", "name": ")" +
         name + R"(", "aggregateRating": {"@type": "AggregateRating",
         "ratingValue": )" +
         std::to_string(rating) +
         ", \"ratingCount\": " + std::to_string(count) +
         "}}</script></head><body><h1>" + name + "</h1></body></html>";
}

class ForeignCanonicalTest : public testing::Test {
 protected:
  // Host B is "localhost", host A "127.0.0.1": two sites on one loopback
  // server (an IP address is a site of its own).
  std::string UrlB(const std::string& path) const {
    return "http://localhost:" + std::to_string(server_.port()) + path;
  }

  // B's show as stored: name, rating and its number of rating snapshots.
  std::string ShowB() const {
    return QueryText(
        db_,
        "SELECT s.name || ' ' || s.rating_value || ' ' || s.rating_count || "
        "' ' || (SELECT count(*) FROM rating_snapshots r WHERE r.show_id = "
        "s.id) FROM shows s WHERE s.url = '" +
            UrlB("/b/show") + "'");
  }

  void SetUp() override {
    server_.ServeHtml("/b/show",
                      ShowPage("Real Show", 4.5, 100, UrlB("/b/show")));
    auto r = RunPodcrawl({"fetch", "--db", db_, "--quiet", UrlB("/b/show")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(ShowB(), "Real Show 4.5 100 1\n");
  }

  testsupport::TestHttpServer server_;
  testsupport::TempDir dir_;
  const std::string db_ = dir_.File("sites.db");
};

TEST_F(ForeignCanonicalTest, ShowPageOfAnotherHostChangesNothingOfB) {
  server_.ServeHtml("/a/evil", ShowPage("Hijacked", 1.0, 5, UrlB("/b/show")));
  auto r = RunPodcrawl(
      {"fetch", "--compact", "--db", db_, "--quiet", server_.url("/a/evil")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json record = Json::parse(r.out);
  EXPECT_TRUE(record["canonical_url"].is_null());
  EXPECT_EQ(record["url"], server_.url("/a/evil"));
  ASSERT_EQ(record["errors"].size(), 1U) << record.dump();
  EXPECT_EQ(record["errors"][0], "canonical " + UrlB("/b/show") +
                                     " refused: another site than 127.0.0.1");
  EXPECT_EQ(ShowB(), "Real Show 4.5 100 1\n");
  // A's page is stored under its own URL.
  EXPECT_EQ(QueryText(db_, "SELECT name FROM shows WHERE url = '" +
                               server_.url("/a/evil") + "'"),
            "Hijacked\n");

  // `parse --url` applies the same rule.
  const std::string saved = dir_.File("evil.html");
  std::ofstream(saved) << ShowPage("Hijacked", 1.0, 5, UrlB("/b/show"));
  auto parsed = RunPodcrawl({"parse", "--compact", "--quiet", "--url",
                             server_.url("/a/evil"), saved});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_TRUE(Json::parse(parsed.out)["canonical_url"].is_null());
}

TEST_F(ForeignCanonicalTest, EpisodePageNamingBsShowChangesNothingOfB) {
  server_.ServeHtml(
      "/a/episode",
      R"(<!DOCTYPE html><html><head><title>Ep</title><script type="application/ld+json">
      {"@context": "https://schema.org", "@type": "PodcastEpisode", "name": "Ep",
       "partOfSeries": {"@type": "PodcastSeries", "name": "Hijacked Too", "url": ")" +
          UrlB("/b/show") + R"("},
       "aggregateRating": {"@type": "AggregateRating", "ratingValue": 1.5, "ratingCount": 7}}
      </script></head><body><h1>Ep</h1></body></html>)");
  auto r = RunPodcrawl({"fetch", "--compact", "--db", db_, "--quiet",
                        server_.url("/a/episode")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json record = Json::parse(r.out);
  EXPECT_EQ(record["kind"], "episode");
  EXPECT_TRUE(record["show_url"].is_null()) << record.dump();
  EXPECT_EQ(record["errors"][0], "show_url " + UrlB("/b/show") +
                                     " refused: another site than 127.0.0.1");
  EXPECT_EQ(ShowB(), "Real Show 4.5 100 1\n");
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM episodes"), 1);
}

// A host the request was redirected through counts as the page's own site.
TEST_F(ForeignCanonicalTest, RedirectedFromBThePageMayNameB) {
  server_.ServeHtml("/a/moved",
                    ShowPage("Real Show", 4.6, 120, UrlB("/b/show")));
  server_.Redirect("/b/old", server_.url("/a/moved"), 301);
  auto r = RunPodcrawl(
      {"fetch", "--compact", "--db", db_, "--quiet", UrlB("/b/old")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json record = Json::parse(r.out);
  EXPECT_EQ(record["url"], server_.url("/a/moved"));
  EXPECT_EQ(record["canonical_url"], UrlB("/b/show"));
  EXPECT_TRUE(record["errors"].empty()) << record.dump();
  EXPECT_EQ(ShowB(), "Real Show 4.6 120 2\n");
}

// --- numeric flags out of range

TEST(NumericFlagTest, EveryNumericFlagRefusesOverflowWithOneLine) {
  testsupport::TempDir dir;
  const std::string db = dir.File("n.db");
  const std::vector<std::pair<std::string, std::string>> flags = {
      {"crawl", "--max-pages"},     {"crawl", "--concurrency"},
      {"crawl", "--per-host"},      {"crawl", "--max-depth"},
      {"crawl", "--workers"},       {"crawl", "--max-body-bytes"},
      {"crawl", "--max-redirects"}, {"fetch", "--max-body-bytes"},
      {"fetch", "--max-redirects"}};
  auto expect_refused = [&db](const std::string& command,
                              const std::string& flag,
                              const std::string& value) {
    auto r =
        RunPodcrawl({command, "http://127.0.0.1:9/", "--db", db, flag, value});
    EXPECT_EQ(r.exit_code, 2) << command << " " << flag << " " << value;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(flag + ": must be a whole number"), std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1)
        << "more than one line: " << r.err;
  };
  for (const auto& [command, flag] : flags)
    expect_refused(command, flag, "99999999999999999999");
  // Not decimal whole numbers, or below the range.
  for (const char* value :
       {"-99999999999999999999", "0x10", "12abc", "1e3", "", "+-1"}) {
    expect_refused("crawl", "--max-pages", value);
  }
  // int flags: one past INT_MAX is refused too.
  auto r = RunPodcrawl({"crawl", "http://127.0.0.1:9/", "--db", db,
                        "--concurrency", "2147483648"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--concurrency: must be a whole number from "
                       "-2147483648 to 2147483647, got \"2147483648\""),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(db));
}

// A value in range still reaches the config check as written ("010" is ten,
// not octal eight).
TEST(NumericFlagTest, InRangeValuesAreReadAsDecimal) {
  testsupport::TempDir dir;
  auto r = RunPodcrawl({"crawl", "http://127.0.0.1:9/", "--db",
                        dir.File("n.db"), "--per-host", "0257"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("crawl.per_host: must be between 1 and 256, got 257"),
            std::string::npos)
      << r.err;
}

// Time flags take durations, as schedules do: a unit is required (but for
// 0), and a bare number is refused with a hint; an out-of-range value names
// the flag and the config key.
TEST(DurationFlagTest, TimeFlagsTakeDurations) {
  testsupport::TempDir dir;
  const std::string db = dir.File("n.db");
  for (const auto& [command, flag] :
       std::vector<std::pair<std::string, std::string>>{
           {"crawl", "--delay"},
           {"crawl", "--timeout"},
           {"crawl", "--connect-timeout"},
           {"fetch", "--timeout"},
           {"fetch", "--connect-timeout"}}) {
    auto bare =
        RunPodcrawl({command, "http://127.0.0.1:9/", "--db", db, flag, "500"});
    EXPECT_EQ(bare.exit_code, 2) << flag;
    EXPECT_NE(bare.err.find(flag + ": \"500\": give a unit: 500ms, 500s"),
              std::string::npos)
        << bare.err;
    EXPECT_EQ(bare.err.find('\n'), bare.err.size() - 1) << bare.err;
    auto junk = RunPodcrawl(
        {command, "http://127.0.0.1:9/", "--db", db, flag, "1h30m"});
    EXPECT_EQ(junk.exit_code, 2) << flag;
    EXPECT_NE(junk.err.find("expected a number followed by ms, s, m, h or d"),
              std::string::npos)
        << junk.err;
  }
  auto big = RunPodcrawl(
      {"crawl", "http://127.0.0.1:9/", "--db", db, "--delay", "2d"});
  EXPECT_EQ(big.exit_code, 2);
  EXPECT_NE(big.err.find("podcrawl: error: --delay: crawl.delay_ms: must be "
                         "between 0 and 86400000, got 172800000"),
            std::string::npos)
      << big.err;
  EXPECT_FALSE(std::filesystem::exists(db));

  auto help = RunPodcrawl({"crawl", "--help"});
  EXPECT_NE(help.out.find("--delay DURATION=1s"), std::string::npos)
      << help.out;
  EXPECT_NE(help.out.find("--timeout DURATION=30s"), std::string::npos)
      << help.out;
}

}  // namespace
