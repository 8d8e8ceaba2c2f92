// End-to-end tests of `podcrawl parse` and `podcrawl fetch`: the built binary,
// run as a user runs it, against a loopback server started by the test
// (DESIGN.md "The command line": exit codes 0 / 2 / 3 / 4, records on stdout,
// one clear line on stderr, nothing stored on failure).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
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
using Json = nlohmann::json;

// Returns the single integer a query yields, or -1.

int64_t CountRows(const std::string& db_path, const std::string& table) {
  return QueryInt(db_path, "SELECT count(*) FROM " + table);
}

class FetchCliTest : public testing::Test {
 protected:
  void SetUp() override {
    server_.ServeDirectory(std::string(PODCRAWL_SOURCE_DIR) + "/demo/site");
  }

  // Expects exit code `code`, an empty stdout and exactly one line on stderr.
  static void ExpectFailure(const testsupport::CommandResult& r, int code) {
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_EQ(r.out, "");
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1)
        << "more than one line: " << r.err;
  }

  testsupport::TestHttpServer server_;
  testsupport::TempDir dir_;
};

TEST_F(FetchCliTest, FetchPrintsTheRecord) {
  auto r = RunPodcrawl({"fetch", "--compact",
                        server_.url("/podcasts/harbour-lights/pilots.html")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json record = Json::parse(r.out);
  EXPECT_EQ(record["kind"], "episode");
  EXPECT_EQ(record["show_name"], "Harbour Lights");
  EXPECT_EQ(record["episode_title"], "The Pilots");
  EXPECT_EQ(record["description"],
            "Harbour pilots climb rope ladders onto moving ships in any "
            "weather. Two of them "
            "take us along on a night shift.");
  EXPECT_DOUBLE_EQ(record["rating"]["value"].get<double>(), 4.7);
  EXPECT_EQ(record["rating"]["count"], 312);
  ASSERT_EQ(record["related_shows"].size(), 3u);
  EXPECT_EQ(record["related_shows"][0]["name"], "Tidewater Tales");
  EXPECT_EQ(record["related_shows"][0]["url"],
            server_.url("/podcasts/tidewater-tales/"));
  EXPECT_EQ(record["related_shows"][1]["listeners"], 12400);
  EXPECT_EQ(record["related_shows"][2]["name"], "Salt & Signal");
  EXPECT_EQ(record["related_shows"][2]["listeners"], 87);
  // The User-Agent names podcrawl and a contact URL.
  auto ua =
      server_.last_header("/podcasts/harbour-lights/pilots.html", "User-Agent");
  ASSERT_TRUE(ua);
  EXPECT_EQ(ua->rfind("podcrawl/", 0), 0u) << *ua;
  EXPECT_NE(ua->find("(+http"), std::string::npos) << *ua;
}

// Dedupe rule (DESIGN.md "Storage"): one row per episode and per show, keyed by
// canonical URL.
TEST_F(FetchCliTest, FetchingTwiceStoresOneEpisodeAndOneShow) {
  const std::string db = dir_.File("p.db");
  const std::string url = server_.url("/podcasts/harbour-lights/pilots.html");
  for (int i = 0; i < 2; ++i) {
    auto r = RunPodcrawl({"fetch", "--db", db, "--quiet", url});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(CountRows(db, "episodes"), 1);
  // The show and its three related shows, once each.
  EXPECT_EQ(CountRows(db, "shows"), 4);
  EXPECT_EQ(CountRows(db, "related_shows"), 3);
  EXPECT_EQ(
      QueryInt(db, "SELECT count(*) FROM shows WHERE name = 'Harbour Lights'"),
      1);
  EXPECT_EQ(
      QueryInt(db,
               "SELECT rating_count FROM shows WHERE name = 'Harbour Lights'"),
      312);

  // The show page itself lands on the same show row.
  auto r = RunPodcrawl({"fetch", "--db", db, "--quiet",
                        server_.url("/podcasts/harbour-lights/")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      QueryInt(db, "SELECT count(*) FROM shows WHERE name = 'Harbour Lights'"),
      1);
  EXPECT_EQ(CountRows(db, "episodes"), 1);
}

TEST_F(FetchCliTest, FollowsRedirects) {
  server_.Redirect("/old", "/moved", 301);
  server_.Redirect("/moved", "/podcasts/night-ferry/", 302);
  auto r = RunPodcrawl({"fetch", "--compact", server_.url("/old")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json record = Json::parse(r.out);
  EXPECT_EQ(record["show_name"], "Night Ferry");
  EXPECT_EQ(record["url"], server_.url("/podcasts/night-ferry/"));
}

TEST_F(FetchCliTest, RefusedConnectionExits3AndStoresNothing) {
  const std::string db = dir_.File("p.db");
  const std::string url =
      "http://127.0.0.1:" + std::to_string(testsupport::ClosedPort()) + "/x";
  auto r = RunPodcrawl({"fetch", "--db", db, url});
  ExpectFailure(r, 3);
  EXPECT_EQ(CountRows(db, "shows"), 0);
  EXPECT_EQ(CountRows(db, "episodes"), 0);
  EXPECT_EQ(CountRows(db, "related_shows"), 0);
  // The failure is logged in the fetch log.
  EXPECT_EQ(
      QueryInt(db, "SELECT count(*) FROM fetches WHERE error_code = 'network'"),
      1);
}

TEST_F(FetchCliTest, HttpErrorsExit3) {
  const std::string db = dir_.File("p.db");
  server_.Status("/gone", 404, "<html><body><h1>Not found</h1></body></html>");
  server_.Status("/boom", 500, "<html><body>Internal error</body></html>");
  auto r404 = RunPodcrawl({"fetch", "--db", db, server_.url("/gone")});
  ExpectFailure(r404, 3);
  EXPECT_NE(r404.err.find("404"), std::string::npos) << r404.err;
  auto r500 = RunPodcrawl({"fetch", "--db", db, server_.url("/boom")});
  ExpectFailure(r500, 3);
  EXPECT_NE(r500.err.find("500"), std::string::npos) << r500.err;
  EXPECT_EQ(CountRows(db, "shows"), 0);
  EXPECT_EQ(CountRows(db, "episodes"), 0);
}

TEST_F(FetchCliTest, NonHtmlExits3) {
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  server_.Serve("/cover.png", png, "image/png");
  server_.Serve("/disguised", png, "text/html");
  ExpectFailure(RunPodcrawl({"fetch", server_.url("/cover.png")}), 3);
  ExpectFailure(RunPodcrawl({"fetch", server_.url("/disguised")}), 3);
}

TEST_F(FetchCliTest, OversizeBodyExits3) {
  server_.ServeHtml(
      "/big", "<html><body>" + std::string(200'000, 'x') + "</body></html>");
  auto r =
      RunPodcrawl({"fetch", "--max-body-bytes", "10000", server_.url("/big")});
  ExpectFailure(r, 3);
}

TEST_F(FetchCliTest, SlowServerTimesOutWithExit3) {
  server_.Delay("/slow", std::chrono::milliseconds(3000), "<html></html>");
  auto r = RunPodcrawl({"fetch", "--timeout", "300ms", server_.url("/slow")});
  ExpectFailure(r, 3);
}

TEST_F(FetchCliTest, UnsupportedSchemeIsAUsageError) {
  ExpectFailure(RunPodcrawl({"fetch", "ftp://127.0.0.1/x"}), 2);
  ExpectFailure(RunPodcrawl({"fetch", "not a url"}), 2);
}

TEST_F(FetchCliTest, UnopenableDatabaseExits4BeforeFetching) {
  // A directory is not a database file.
  auto r = RunPodcrawl({"fetch", "--db", dir_.path().string(),
                        server_.url("/podcasts/night-ferry/")});
  ExpectFailure(r, 4);
  EXPECT_EQ(server_.requests("/podcasts/night-ferry/"), 0);
}

TEST_F(FetchCliTest, ConfigFileIsMergedUnderFlags) {
  const std::string config = dir_.File("c.json");
  std::ofstream(config) << R"({
    // comments are allowed
    "fetch": {"max_body_bytes": 100}
  })";
  // The config's cap rejects the page...
  ExpectFailure(RunPodcrawl({"fetch", "--config", config,
                             server_.url("/podcasts/night-ferry/")}),
                3);
  // ... and the flag overrides the config.
  auto r = RunPodcrawl({"fetch", "--config", config, "--max-body-bytes",
                        "1000000", server_.url("/podcasts/night-ferry/")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(ParseCliTest, ParsesASavedPage) {
  auto r = RunPodcrawl(
      {"parse", "--compact", "--url",
       "https://goodpods.com/podcasts/deep-current-274105",
       testsupport::DataDir() + "/corpus/sites/goodpods-show-1.html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json record = Json::parse(r.out);
  EXPECT_EQ(record["show_name"], "Deep Current");
  EXPECT_EQ(record["rating"]["count"], 1234);
  EXPECT_EQ(record["related_shows"][0]["listeners"], 1187);
}

// Without --url a page's own canonical is its address: the record is the one
// --url gives; a page with no canonical says so, on stderr and in errors.
TEST(ParseCliTest, WithoutUrlThePagesCanonicalIsItsAddress) {
  const std::string page =
      testsupport::DataDir() + "/corpus/real/castalio-episode-1.html";
  auto with = RunPodcrawl(
      {"parse", "--compact", "--url",
       "https://castalio.info/alexandre-gaigalas-yahoo.html", page});
  auto without = RunPodcrawl({"parse", "--compact", page});
  ASSERT_EQ(with.exit_code, 0) << with.err;
  ASSERT_EQ(without.exit_code, 0) << without.err;
  EXPECT_EQ(Json::parse(without.out), Json::parse(with.out));
  EXPECT_THAT(without.err, ::testing::Not(HasSubstr("no address")));

  testsupport::TempDir dir;
  const std::string bare = dir.File("bare.html");
  std::ofstream(bare) << "<html><head><title>T</title></head><body>"
                         "<a href=\"/x\">x</a></body></html>";
  auto r = RunPodcrawl({"parse", "--compact", bare});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("the page has no address"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  Json record = Json::parse(r.out);
  ASSERT_EQ(record["errors"].size(), 1U);
  EXPECT_THAT(record["errors"][0].get<std::string>(), HasSubstr("no address"));
}

// `parse --explain` prints each field's candidates and the winner's reason
// before the record.
TEST(ParseCliTest, ExplainShowsCandidatesAndTheWinnersReason) {
  auto r = RunPodcrawl(
      {"parse", "--explain", "--compact", "--url",
       "https://www.telegraph.co.uk/tennis/2019/11/19/"
       "tennis-podcast-davis-cup-finals-launch-madrid-feelings-mixed/",
       testsupport::DataDir() + "/corpus/real/telegraph-episode-1.html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("show_name: highest score"));
  EXPECT_THAT(r.out, HasSubstr("\"The Telegraph\"  meta, og:site_name"));
  EXPECT_THAT(r.out, HasSubstr("owner person"));
  EXPECT_THAT(r.out, HasSubstr("  * "));
  EXPECT_THAT(r.out, HasSubstr("description: "));
  // The record is the last line, as without --explain.
  const std::string last =
      r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
  EXPECT_EQ(Json::parse(last)["show_name"], "Tennis Podcast");
}

TEST(ParseCliTest, AnyBytesGiveARecord) {
  testsupport::TempDir dir;
  const std::string file = dir.File("junk.html");
  std::ofstream(file, std::ios::binary)
      << std::string("\0\xff\xfe<<<\x80</div>", 12);
  auto r = RunPodcrawl({"parse", "--compact", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json record = Json::parse(r.out);
  EXPECT_EQ(record["kind"], "unknown");
  EXPECT_TRUE(record["show_name"].is_null());
  EXPECT_EQ(record["related_shows"], Json::array());
}

TEST(ParseCliTest, MissingFileExits2) {
  auto r = RunPodcrawl({"parse", "/nonexistent/page.html"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("/nonexistent/page.html"), std::string::npos) << r.err;
}

TEST(ParseCliTest, UnknownFlagExits2) {
  auto r = RunPodcrawl({"parse", "--bogus", "x.html"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("--bogus"), std::string::npos) << r.err;
  EXPECT_EQ(RunPodcrawl({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunPodcrawl({}).exit_code, 2);
}

TEST(ParseCliTest, MalformedConfigExits2) {
  testsupport::TempDir dir;
  const std::string config = dir.File("bad.json");
  std::ofstream(config) << R"({"fetch": {"timeout_ms": )";
  const std::string page =
      testsupport::DataDir() + "/corpus/sites/notfound-1.html";
  auto r = RunPodcrawl({"parse", "--config", config, page});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.json"), std::string::npos) << r.err;

  std::ofstream(config) << R"({"fetch": {"timeout": 5}})";
  auto unknown = RunPodcrawl({"parse", "--config", config, page});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("fetch.timeout"), std::string::npos)
      << unknown.err;

  EXPECT_EQ(RunPodcrawl({"parse", "--config", dir.File("missing.json"), page})
                .exit_code,
            2);
}

TEST(ParseCliTest, HelpAndVersionExit0) {
  auto help = RunPodcrawl({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("fetch"), std::string::npos);
  auto version = RunPodcrawl({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("podcrawl"), std::string::npos);
}

}  // namespace

namespace {

// A profile selector outside the selector language is a config error naming the
// key.
TEST(ParseCliTest, InvalidProfileSelectorExits2) {
  testsupport::TempDir dir;
  const std::string config = dir.File("c.json");
  std::ofstream(config) << R"json({"profiles": [{"name": "x", "host": "x.org",
      "fields": {"show_name": "h1[unclosed"}}]})json";
  auto r =
      RunPodcrawl({"parse", "--config", config,
                   testsupport::DataDir() + "/corpus/sites/notfound-1.html"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("profiles[0].fields.show_name.selector"),
            std::string::npos)
      << r.err;
}

// README "Adding a site": a user's profile fills fields no generic strategy
// finds.
TEST(ParseCliTest, UserProfileExtractsFields) {
  testsupport::TempDir dir;
  const std::string config = dir.File("c.json");
  std::ofstream(config)
      << R"json({"profiles": [{"name": "mysite", "host": "pods.example.org",
      "fields": {"show_name": "div.masthead > span.t",
                 "rating_count": {"selector": "div.score", "attribute": "data-votes"},
                 "rating_value": {"selector": "div.score", "regex": "([0-9.]+) stars"}}}]})json";
  const std::string page = dir.File("p.html");
  std::ofstream(page)
      << "<html><body><div class=masthead><span class=t>Quiet "
         "Hours</span></div>"
         "<div class=score data-votes=\"1,204\">4.4 stars</div></body></html>";
  auto r = RunPodcrawl({"parse", "--compact", "--config", config, "--url",
                        "https://pods.example.org/shows/quiet-hours", page});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json record = nlohmann::json::parse(r.out);
  EXPECT_EQ(record["show_name"], "Quiet Hours");
  EXPECT_EQ(record["sources"]["show_name"], "profile:mysite");
  EXPECT_DOUBLE_EQ(record["rating"]["value"].get<double>(), 4.4);
  EXPECT_EQ(record["rating"]["count"], 1204);
}

}  // namespace
