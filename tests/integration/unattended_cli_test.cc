// End-to-end tests of issue 13 "unattended runs tell the truth", items 1, 3,
// 4 and 11: a site that is down exits 3 with one line naming it and fails its
// round; robots.txt exclusions are skips; log lines outside a terminal carry
// an ISO 8601 time, and a status line comes every --status-interval; --log-
// format json gives one JSON object a line. The tests' stderr is a pipe, as
// under cron, systemd or nohup.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/db_query.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_http_server.h"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testsupport::QueryInt;
using testsupport::QueryText;
using testsupport::RunPodcrawl;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Returns the lines of `text` that contain `part`.
std::vector<std::string> LinesWith(const std::string& text,
                                   const std::string& part) {
  std::vector<std::string> out;
  for (const std::string& line : Lines(text)) {
    if (line.find(part) != std::string::npos) out.push_back(line);
  }
  return out;
}

std::string ClosedSite() {
  return "http://127.0.0.1:" + std::to_string(testsupport::ClosedPort());
}

class UnattendedCliTest : public testing::Test {
 protected:
  void SetUp() override {
    server_.Status("/robots.txt", 404);
    server_.ServeHtml("/", "<html><body><a href=\"/p1\">1</a></body></html>");
    server_.ServeHtml("/p1", "<html><body>one</body></html>");
  }

  // `localhost` on the server: a host of its own besides 127.0.0.1.
  std::string LocalhostUrl(const std::string& path) const {
    return "http://localhost:" + std::to_string(server_.port()) + path;
  }

  testsupport::TempDir dir_;
  testsupport::TestHttpServer server_;
  const std::string db_ = dir_.File("u.db");
};

// Issue 13 item 1, the issue's own command: exit 3, one error line naming the
// host, the reason and what waits, and a fetches row for the robots.txt
// attempt.
TEST_F(UnattendedCliTest, CrawlOfASiteThatIsDownExits3WithOneLine) {
  const std::string site = ClosedSite();
  auto r = RunPodcrawl({"crawl", site + "/", "--db", db_});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const std::vector<std::string> errors = LinesWith(r.err, ": error: ");
  ASSERT_EQ(errors.size(), 1U) << r.err;
  EXPECT_THAT(errors[0],
              HasSubstr("podcrawl: error: robots.txt of 127.0.0.1 "
                        "unreachable: connection refused; 1 URL waits until "));
  EXPECT_EQ(QueryText(db_, "SELECT url || ' ' || error_code FROM fetches"),
            site + "/robots.txt network\n");
  EXPECT_EQ(QueryText(db_, "SELECT state FROM frontier"), "queued\n");

  // --quiet keeps the error line and the exit code.
  auto quiet = RunPodcrawl({"crawl", site + "/", "--db", db_, "--quiet"});
  EXPECT_EQ(quiet.exit_code, 3);
  EXPECT_EQ(Lines(quiet.err).size(), 1U) << quiet.err;
}

// README "Exit codes": one host down among hosts that answered is still a
// failure (exit 3); the other hosts are crawled all the same.
TEST_F(UnattendedCliTest, OneHostDownAmongGoodOnesExits3) {
  auto r = RunPodcrawl(
      {"crawl", LocalhostUrl("/"), ClosedSite() + "/", "--db", db_, "--quiet"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("robots.txt of 127.0.0.1 unreachable"));
  EXPECT_THAT(r.err, Not(HasSubstr("localhost")));
  EXPECT_EQ(server_.requests("/p1"), 1);
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM pages"), 2);
}

// A host that answers, even with a 404 for one of its pages, is not down.
TEST_F(UnattendedCliTest, AFailedPageOfAHostThatAnswersExits0) {
  server_.ServeHtml("/",
                    "<html><body><a href=\"/p1\">1</a>"
                    "<a href=\"/gone\">x</a></body></html>");
  server_.Status("/gone", 404);
  auto r = RunPodcrawl({"crawl", server_.url("/"), "--db", db_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("  failed                1\n"));
  EXPECT_THAT(r.err, Not(HasSubstr(": error: ")));
}

// Issue 13 item 3: URLs robots.txt excludes are skips with a summary line of
// their own, not failures, and the crawl exits 0.
TEST_F(UnattendedCliTest, RobotsExclusionsAreSkipsNotFailures) {
  server_.Serve("/robots.txt", "User-agent: *\nDisallow: /p1\n", "text/plain");
  auto r = RunPodcrawl({"crawl", server_.url("/"), "--db", db_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.requests("/p1"), 0);
  EXPECT_THAT(r.err, HasSubstr("  failed                0\n"));
  EXPECT_THAT(r.err, HasSubstr("  skipped (robots.txt)  1\n"));
  EXPECT_THAT(r.err, Not(HasSubstr("robots_disallowed")));
}

// Issue 13 item 1 for schedules: the round of a site that is down ends
// `failed`, `run --due` exits 3, and `schedule list` shows it.
TEST_F(UnattendedCliTest, RoundOfASiteThatIsDownFails) {
  const std::string config = dir_.File("podcrawl.json");
  std::ofstream(config) << R"({"db": ")" << db_ << R"(", "schedules": [)"
                        << R"({"name": "down", "seeds": [")" << ClosedSite()
                        << R"(/"], "every": "1h"}]})";
  auto r = RunPodcrawl({"run", "--due", "--config", config});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("schedule down: round failed"));
  EXPECT_THAT(r.err, HasSubstr("robots.txt of 127.0.0.1 unreachable: "
                               "connection refused; 1 URL waits until "));
  EXPECT_EQ(QueryText(db_, "SELECT outcome FROM schedule_runs"), "failed\n");
  auto list = RunPodcrawl({"schedule", "list", "--config", config});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("failed: 0 pages"));
  EXPECT_THAT(list.out, HasSubstr("robots.txt of 127.0.0.1 unreachable"));
}

// Issue 13 item 11: outside a terminal every log line starts with its time in
// ISO 8601 UTC with milliseconds.
TEST_F(UnattendedCliTest, LogLinesCarryAnIsoTimeOutsideATerminal) {
  auto r = RunPodcrawl({"crawl", server_.url("/"), "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::regex stamped(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z podcrawl: \w+: .*)");
  int stamped_lines = 0;
  for (const std::string& line : Lines(r.err)) {
    // The summary's lines after its first are part of one log message.
    if (line.starts_with("  ")) continue;
    EXPECT_TRUE(std::regex_match(line, stamped)) << line;
    ++stamped_lines;
  }
  EXPECT_GE(stamped_lines, 1);
}

// Issue 13 item 11: --log-format json gives one JSON object a line.
TEST_F(UnattendedCliTest, LogFormatJsonGivesOneObjectALine) {
  auto r = RunPodcrawl({"crawl", ClosedSite() + "/", LocalhostUrl("/"), "--db",
                        db_, "--log-format", "json"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const std::vector<std::string> lines = Lines(r.err);
  ASSERT_GE(lines.size(), 2U) << r.err;
  bool summary = false;
  bool error = false;
  for (const std::string& line : lines) {
    const nlohmann::json j = nlohmann::json::parse(line);  // throws if not
    EXPECT_TRUE(std::regex_match(
        j.at("time").get<std::string>(),
        std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << line;
    const std::string message = j.at("message");
    if (message.starts_with("crawl summary")) summary = true;
    if (j.at("level") == "error" &&
        message.starts_with("robots.txt of 127.0.0.1 unreachable")) {
      error = true;
    }
  }
  EXPECT_TRUE(summary) << r.err;
  EXPECT_TRUE(error) << r.err;

  auto bad = RunPodcrawl(
      {"crawl", server_.url("/"), "--db", db_, "--log-format", "xml"});
  EXPECT_EQ(bad.exit_code, 2);
}

// Issue 13 items 4 and 11 (Scrapy's LogStats): a crawl that is not watched
// from a terminal logs a status line every --status-interval.
TEST_F(UnattendedCliTest, StatusLineEveryIntervalOutsideATerminal) {
  std::string index = "<html><body>";
  for (int i = 0; i < 8; ++i) {
    const std::string path = "/slow" + std::to_string(i);
    index += "<a href=\"" + path + "\">x</a>";
    server_.Get(path, [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      res.set_content("<html><body>slow</body></html>", "text/html");
    });
  }
  server_.ServeHtml("/", index + "</body></html>");
  auto r = RunPodcrawl({"crawl", server_.url("/"), "--db", db_, "--per-host",
                        "1", "--delay", "0", "--status-interval", "1s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> status = LinesWith(r.err, "status: ");
  ASSERT_GE(status.size(), 2U) << r.err;
  EXPECT_TRUE(std::regex_match(
      status[0],
      std::regex(R"(\d{4}-\d\d-\d\dT\S+Z podcrawl: info: status: \d+ pages )"
                 R"(\(\d+\.\d pages/s\), 0 errors, \d+ queued, \d+ fetching, )"
                 R"(\d+ waiting.*)")))
      << status[0];

  auto bad = RunPodcrawl(
      {"crawl", server_.url("/"), "--db", db_, "--status-interval", "60"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--status-interval"));
}

}  // namespace
