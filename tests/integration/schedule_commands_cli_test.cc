// End-to-end tests of issue 13 item 13 through the podcrawl binary:
// `schedule run NAME` runs a round now, due or not; `schedule history NAME`
// lists the schedule_runs rows; `run --due --json` prints the rounds and the
// next due time; `schedule list` shows when the seeds are due (cron / every)
// apart from when the pages fall due (the recrawl policy).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/db_query.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_http_server.h"

namespace {

using ::testing::HasSubstr;
using testsupport::QueryInt;
using testsupport::RunPodcrawl;

// Returns the JSON objects of `text`, one a line.
std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

class ScheduleCommandsCliTest : public testing::Test {
 protected:
  void SetUp() override {
    server_.Status("/robots.txt", 404);
    server_.ServeHtml("/show",
                      "<html><head><title>Harbour Lights</title></head><body>"
                      "<h1>Harbour Lights</h1><a href=\"/ep1\">Episode 1</a>"
                      "</body></html>");
    server_.ServeHtml("/ep1",
                      "<html><head><title>Episode 1</title></head><body>"
                      "<h1>Episode 1</h1></body></html>");
    db_ = dir_.File("podcasts.db");
    config_ = dir_.File("podcrawl.json");
    std::ofstream(config_)
        << "{\"db\": \"" << db_ << "\",\n"
        << " \"crawl\": {\"delay_ms\": 0, \"max_depth\": 1},\n"
        << " \"recrawl\": {\"other\": \"2h\", \"show\": \"2h\", \"episode\": "
           "\"2h\"},\n"
        << " \"schedules\": [{\"name\": \"harbour\", \"seeds\": [\""
        << server_.url("/show") << "\"], \"every\": \"6h\"}]}\n";
  }

  testsupport::TempDir dir_;
  testsupport::TestHttpServer server_;
  std::string db_;
  std::string config_;
};

// `run --due --json`: one object, the rounds run and what is due next; with
// nothing due, no round and still the next due time.
TEST_F(ScheduleCommandsCliTest, RunDueJsonPrintsTheRoundsAndTheNextDueTime) {
  auto r = RunPodcrawl({"run", "--due", "--json", "--config", config_, "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["rounds"].size(), 1U) << r.out;
  const auto& round = j["rounds"][0];
  EXPECT_EQ(round["schedule"], "harbour");
  EXPECT_EQ(round["outcome"], "ok");
  EXPECT_EQ(round["seeds_due"], true);
  EXPECT_EQ(round["pages"], 2);
  EXPECT_FALSE(round["ended"].is_null());
  EXPECT_EQ(j["next_schedule"], "harbour");
  EXPECT_FALSE(j["next_due"].is_null());

  auto again = RunPodcrawl({"run", "--due", "--json", "--config", config_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto k = nlohmann::json::parse(again.out);
  EXPECT_TRUE(k["rounds"].empty());
  EXPECT_EQ(k["next_schedule"], "harbour");
  EXPECT_EQ(k["next_due"], j["next_due"]);
  EXPECT_EQ(server_.requests("/show"), 1);  // nothing was due
}

// `schedule run NAME` crawls at once although the schedule is not due, and
// the round is a schedule_runs row like any other; `schedule history` lists
// them newest first.
TEST_F(ScheduleCommandsCliTest, ScheduleRunRunsARoundNowAndHistoryListsIt) {
  ASSERT_EQ(RunPodcrawl({"run", "--due", "--config", config_, "-q"}).exit_code,
            0);
  ASSERT_EQ(server_.requests("/show"), 1);

  auto run = RunPodcrawl(
      {"schedule", "run", "harbour", "--json", "--config", config_, "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(server_.requests("/show"), 2);  // not due, run anyway
  const auto round = nlohmann::json::parse(run.out);
  EXPECT_EQ(round["schedule"], "harbour");
  EXPECT_EQ(round["outcome"], "ok");
  EXPECT_EQ(round["seeds_due"], true);
  EXPECT_EQ(QueryInt(db_,
                     "SELECT count(*) FROM schedule_runs WHERE schedule "
                     "= 'harbour' AND outcome = 'ok'"),
            2);

  auto history = RunPodcrawl(
      {"schedule", "history", "harbour", "--json", "--config", config_});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  const std::vector<nlohmann::json> rows = JsonLines(history.out);
  ASSERT_EQ(rows.size(), 2U) << history.out;
  EXPECT_EQ(rows[0]["started"], round["started"]);  // newest first
  EXPECT_EQ(rows[1]["pages"], 2);                   // the first round
  EXPECT_GE(rows[0]["started"].get<std::string>(),
            rows[1]["started"].get<std::string>());

  auto limited = RunPodcrawl({"schedule", "history", "harbour", "--limit", "1",
                              "--json", "--config", config_});
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  EXPECT_EQ(JsonLines(limited.out).size(), 1U);

  auto table =
      RunPodcrawl({"schedule", "history", "harbour", "--config", config_});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("STARTED"));
  EXPECT_THAT(table.out, HasSubstr("OUTCOME"));
  EXPECT_THAT(table.out, HasSubstr("ok: 2 pages"));
}

TEST_F(ScheduleCommandsCliTest, UnknownScheduleNamesAreUsageErrors) {
  auto run = RunPodcrawl({"schedule", "run", "nope", "--config", config_});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("no schedule named \"nope\""));
  EXPECT_THAT(run.err, HasSubstr("harbour"));
  EXPECT_EQ(server_.total_requests(), 0);
  auto history =
      RunPodcrawl({"schedule", "history", "nope", "--config", config_});
  EXPECT_EQ(history.exit_code, 2);
  auto never =
      RunPodcrawl({"schedule", "history", "harbour", "--config", config_});
  EXPECT_EQ(never.exit_code, 0) << never.err;
  EXPECT_EQ(never.out, "no rounds yet\n");
}

// `schedule list`: the seeds are due by `every` (6h after the round), the
// pages by the recrawl policy (2h here), shown apart.
TEST_F(ScheduleCommandsCliTest, ScheduleListShowsSeedsAndPagesDueApart) {
  auto before =
      RunPodcrawl({"schedule", "list", "--json", "--config", config_});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  const auto b = nlohmann::json::parse(before.out);
  EXPECT_FALSE(b["seeds_due"].is_null());  // never ran: due now
  EXPECT_TRUE(b["pages_due"].is_null());   // no page yet
  EXPECT_EQ(b["due_now"], true);

  ASSERT_EQ(RunPodcrawl({"run", "--due", "--config", config_, "-q"}).exit_code,
            0);
  auto after = RunPodcrawl({"schedule", "list", "--json", "--config", config_});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  const auto a = nlohmann::json::parse(after.out);
  ASSERT_FALSE(a["seeds_due"].is_null());
  ASSERT_FALSE(a["pages_due"].is_null());
  // ISO 8601 UTC strings compare as times: pages (2h) before seeds (6h).
  EXPECT_LT(a["pages_due"].get<std::string>(),
            a["seeds_due"].get<std::string>());
  EXPECT_EQ(a["next_due"], a["pages_due"]);
  EXPECT_EQ(a["due_now"], false);

  auto table = RunPodcrawl({"schedule", "list", "--config", config_});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("SEEDS DUE"));
  EXPECT_THAT(table.out, HasSubstr("PAGES DUE"));
  EXPECT_THAT(table.out, HasSubstr(a["seeds_due"].get<std::string>()));
  EXPECT_THAT(table.out, HasSubstr(a["pages_due"].get<std::string>()));
}

}  // namespace
