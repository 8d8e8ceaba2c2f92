// Through the built binary (issue 16): `podcrawl report` writes one
// self-contained HTML file with a chart per series whose points are the
// database's snapshots; `podcrawl export` follows the output file's extension,
// refuses to overwrite without --force, appends with --append, takes --fields,
// --since durations and --what listeners / fetches.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "storage/schema.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testsupport::ReadFile;
using testsupport::RunPodcrawl;

class ReportCliTest : public testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("r.db");
    auto db = storage::OpenDatabase(db_);
    ASSERT_TRUE(db) << db.error().message;
    // Two shows a few minutes ago, Harbour with four listener snapshots and
    // two ratings, listing Ferry.
    auto status = db->ExecScript(R"sql(
CREATE TEMP TABLE now AS SELECT unixepoch('now') * 1000 - 600000 AS t;
INSERT INTO shows (id, url, name, rating_value, rating_count, listeners, first_seen_ms,
                   last_seen_ms, last_page_ms)
  SELECT 1, 'http://127.0.0.1:1/harbour/', 'Harbour', 4.7, 341, 2440, t, t, t FROM now;
INSERT INTO shows (id, url, name, listeners, first_seen_ms, last_seen_ms)
  SELECT 2, 'http://127.0.0.1:1/ferry/', 'Ferry', 12610, t, t FROM now;
INSERT INTO listener_snapshots (show_id, observed_ms, listeners)
  SELECT 1, t + 1000 * n, 2200 + 60 * n FROM now, (SELECT 1 AS n UNION SELECT 2 UNION
                                                   SELECT 3 UNION SELECT 4);
INSERT INTO rating_snapshots (show_id, observed_ms, value, count)
  SELECT 1, t, 4.7, 312 FROM now UNION ALL SELECT 1, t + 5000, 4.7, 341 FROM now;
INSERT INTO related_shows (show_id, related_show_id, position, listeners, observed_ms)
  SELECT 1, 2, 1, 12610, t FROM now;
INSERT INTO related_events (show_id, related_show_id, observed_ms, change, position)
  SELECT 1, 2, t, 'added', 1 FROM now;
INSERT INTO fetches (url, fetched_at_ms, status, bytes, duration_ms, error_code)
  SELECT 'http://127.0.0.1:1/gone', t, 404, 0, 3, 'http_status' FROM now;
)sql");
    ASSERT_TRUE(status) << status.error().message;
  }

  testsupport::TempDir dir_;
  std::string db_;
};

TEST_F(ReportCliTest, WritesOneSelfContainedPage) {
  const std::string out = dir_.File("report.html");
  auto run = RunPodcrawl(
      {"report", "--db", db_, "--output", out, "--since", "7d", "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string html = ReadFile(out);
  EXPECT_THAT(html, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr(R"(data-series="listeners" data-points="4")"));
  EXPECT_THAT(html, HasSubstr(R"(data-series="ratings" data-points="2")"));
  EXPECT_THAT(html, HasSubstr("http_404"));
  EXPECT_THAT(html, HasSubstr(R"(class="graph")"));
  EXPECT_THAT(html, HasSubstr(">2,440<"));  // the chart's top value
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_FALSE(std::ifstream(out + ".part").good());

  auto one = RunPodcrawl(
      {"report", "--db", db_, "-o", out, "--show", "ferry", "--quiet"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(
      testsupport::CountOccurrences(ReadFile(out), R"(<div class="show")"), 1);
}

TEST_F(ReportCliTest, RefusesBadArguments) {
  const std::string out = dir_.File("report.html");
  EXPECT_EQ(RunPodcrawl({"report", "--db", db_, "-o", out, "--show", "nobody"})
                .exit_code,
            2);
  auto since = RunPodcrawl({"report", "--db", db_, "-o", out, "--since", "x"});
  EXPECT_EQ(since.exit_code, 2);
  EXPECT_THAT(since.err, HasSubstr("--since"));
  EXPECT_EQ(RunPodcrawl({"report", "--db", dir_.File("missing.db"), "-o", out})
                .exit_code,
            4);
}

TEST_F(ReportCliTest, ExportFollowsTheExtensionAndRefusesToOverwrite) {
  const std::string csv = dir_.File("listeners.csv");
  auto first =
      RunPodcrawl({"export", "--db", db_, "--what", "listeners", "--fields",
                   "show_name,listeners,change", "-o", csv, "--quiet"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(ReadFile(csv),
            "show_name,listeners,change\r\nHarbour,2260,\r\nHarbour,2320,60\r\n"
            "Harbour,2380,60\r\nHarbour,2440,60\r\n");

  auto again = RunPodcrawl(
      {"export", "--db", db_, "--what", "listeners", "-o", csv, "--quiet"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, HasSubstr("--force"));
  EXPECT_THAT(ReadFile(csv), HasSubstr("Harbour,2260,"));  // untouched

  auto appended =
      RunPodcrawl({"export", "--db", db_, "--what", "listeners", "--fields",
                   "show_name,listeners,change", "--since", "2999-01-01", "-o",
                   csv, "--append", "--quiet"});
  ASSERT_EQ(appended.exit_code, 0) << appended.err;
  EXPECT_EQ(testsupport::CountOccurrences(ReadFile(csv), "show_name"),
            1);  // no second header

  auto forced =
      RunPodcrawl({"export", "--db", db_, "--what", "fetches", "--fields",
                   "url,status", "-o", csv, "--force", "--quiet"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(ReadFile(csv), "url,status\r\nhttp://127.0.0.1:1/gone,404\r\n");

  const std::string json = dir_.File("shows.json");
  auto array = RunPodcrawl({"export", "--db", db_, "--what", "shows", "--since",
                            "1h", "-o", json, "--quiet"});
  ASSERT_EQ(array.exit_code, 0) << array.err;
  auto parsed = nlohmann::json::parse(ReadFile(json));
  ASSERT_TRUE(parsed.is_array());
  EXPECT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0]["rating"]["count"], 341);

  auto jsonl = RunPodcrawl({"export", "--db", db_, "--what", "shows",
                            "--format", "jsonl", "--fields", "show_name"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  EXPECT_EQ(jsonl.out,
            "{\"show_name\":\"Harbour\"}\n{\"show_name\":\"Ferry\"}\n");

  EXPECT_EQ(RunPodcrawl({"export", "--db", db_, "--fields", "nope"}).exit_code,
            2);
  EXPECT_EQ(RunPodcrawl({"export", "--db", db_, "--force"}).exit_code, 2);
  EXPECT_EQ(
      RunPodcrawl({"export", "--db", db_, "-o", json, "--append"}).exit_code,
      2);  // a JSON array cannot be appended to
}

}  // namespace
