#include "config/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace config {
namespace {

TEST(ConfigTest, EmptyObjectKeepsDefaults) {
  auto c = ParseConfig("{}", "test");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->db, "podcasts.db");
  EXPECT_EQ(c->fetch.max_redirects, 10);
  EXPECT_EQ(c->parse.max_input_bytes, int64_t{8} << 20);
  EXPECT_TRUE(Validate(*c));
}

// DESIGN.md: the config is JSON with comments allowed.
TEST(ConfigTest, AcceptsCommentsAndReadsEveryKey) {
  auto c = ParseConfig(R"json({
    // where records go
    "db": "x.db", /* block comment */
    "log_level": "debug",
    "fetch": {"user_agent": "ua", "connect_timeout_ms": 5, "timeout_ms": 6,
              "max_body_bytes": 7000, "max_redirects": 3,
              "low_speed_bytes_per_s": 9, "low_speed_time_s": 10},
    "parse": {"max_input_bytes": 4096},
    "profiles": [{"name": "mysite", "host": "pods.example.org",
                  "show_url_pattern": "^/show/", "episode_url_pattern": "^/ep/",
                  "fields": {"show_name": "h1.title",
                             "rating_count": {"selector": ".stars", "attribute": "data-n",
                                              "regex": "([0-9]+)"
}
}
}]
})json",
                       "test");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->db, "x.db");
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_EQ(c->fetch.user_agent, "ua");
  EXPECT_EQ(c->fetch.connect_timeout_ms, 5);
  EXPECT_EQ(c->fetch.timeout_ms, 6);
  EXPECT_EQ(c->fetch.max_body_bytes, 7000);
  EXPECT_EQ(c->fetch.max_redirects, 3);
  EXPECT_EQ(c->fetch.low_speed_bytes_per_s, 9);
  EXPECT_EQ(c->fetch.low_speed_time_s, 10);
  EXPECT_EQ(c->parse.max_input_bytes, 4096);
  ASSERT_EQ(c->profiles.size(), 1u);
  const core::SiteProfile& p = c->profiles[0];
  EXPECT_EQ(p.name, "mysite");
  EXPECT_EQ(p.host, "pods.example.org");
  EXPECT_EQ(p.show_url_pattern, "^/show/");
  EXPECT_EQ(p.fields.at("show_name").selector, "h1.title");
  EXPECT_FALSE(p.fields.at("show_name").attribute.has_value());
  EXPECT_EQ(p.fields.at("rating_count").attribute, "data-n");
  EXPECT_EQ(p.fields.at("rating_count").regex, "([0-9]+)");
  EXPECT_TRUE(Validate(*c));
}

TEST(ConfigTest, UnknownKeyIsAnErrorNamingIt) {
  auto c = ParseConfig(R"json({"fetch": {"timeout": 5}})json", "my.json");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::ErrorCode::kConfig);
  EXPECT_NE(c.error().message.find("fetch.timeout"), std::string::npos)
      << c.error().message;
  EXPECT_NE(c.error().message.find("my.json"), std::string::npos);
}

// An unknown key names the nearest known one when there is one close by.
TEST(ConfigTest, UnknownKeySuggestsTheNearestKnownOne) {
  auto typo = ParseConfig(R"json({"crawl": {"per_hots": 2}})json", "t");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find(
                "crawl.per_hots: unknown key (did you mean \"per_host\"?)"),
            std::string::npos)
      << typo.error().message;
  auto cut = ParseConfig(R"json({"fetch": {"timeout": 5}})json", "t");
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("did you mean \"timeout_ms\"?"),
            std::string::npos)
      << cut.error().message;
  auto far = ParseConfig(R"json({"colour": 1})json", "t");
  ASSERT_FALSE(far);
  EXPECT_NE(far.error().message.find("colour: unknown key"), std::string::npos);
  EXPECT_EQ(far.error().message.find("did you mean"), std::string::npos)
      << far.error().message;
}

TEST(ConfigTest, WrongTypeIsAnErrorNamingTheKey) {
  auto c = ParseConfig(R"json({"fetch": {"max_redirects": "5"}})json", "t");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("fetch.max_redirects"), std::string::npos);
  EXPECT_NE(c.error().message.find("integer"), std::string::npos);
  // Milliseconds may also be written as a duration, not as any string.
  auto t = ParseConfig(R"json({"fetch": {"timeout_ms": true}})json", "t");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("fetch.timeout_ms: expected milliseconds "
                                   "or a duration such as \"30s\""),
            std::string::npos)
      << t.error().message;
  auto ok = ParseConfig(
      R"json({"fetch": {"timeout_ms": "5s"}, "crawl": {"delay_ms": "250ms",
        "max_retry_after_ms": 60000}})json",
      "t");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->fetch.timeout_ms, 5000);
  EXPECT_EQ(ok->crawl.politeness.delay_ms, 250);
  EXPECT_EQ(ok->crawl.politeness.max_retry_after_ms, 60'000);
  auto bad = ParseConfig(R"json({"crawl": {"delay_ms": "250"}})json", "t");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("crawl.delay_ms: \"250\": give a unit"),
            std::string::npos)
      << bad.error().message;

  auto d = ParseConfig(R"json({"db": 3})json", "t");
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("db"), std::string::npos);

  auto e = ParseConfig(
      R"json({"profiles": [{"name": "a", "host": "b", "fields": {"x": {"selektor": "p"}}}]})json",
      "t");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("profiles[0].fields.x.selektor"),
            std::string::npos)
      << e.error().message;
}

TEST(ConfigTest, MalformedJsonIsAnError) {
  auto c = ParseConfig(R"json({"db": )json", "broken.json");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::ErrorCode::kConfig);
  EXPECT_NE(c.error().message.find("broken.json"), std::string::npos);
  EXPECT_FALSE(ParseConfig("[]", "t"));
}

TEST(ConfigTest, ProfileNeedsNameAndHost) {
  EXPECT_FALSE(ParseConfig(R"json({"profiles": [{"host": "a.b"}]})json", "t"));
  EXPECT_FALSE(ParseConfig(R"json({"profiles": [{"name": "a"}]})json", "t"));
}

TEST(ConfigTest, IntegerOutOfRangeIsAnError) {
  EXPECT_FALSE(
      ParseConfig(R"json({"fetch": {"max_redirects": 99999999999}})json", "t"));
}

TEST(ConfigTest, ValidateChecksRanges) {
  Config c;
  c.fetch.timeout_ms = 0;
  auto s = Validate(c);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("fetch.timeout_ms"), std::string::npos);

  Config d;
  d.log_level = "loud";
  EXPECT_FALSE(Validate(d));

  Config e;
  e.fetch.max_redirects = 51;
  EXPECT_FALSE(Validate(e));
}

TEST(ConfigTest, ValidateRejectsBadProfileRegex) {
  Config c;
  core::SiteProfile p;
  p.name = "x";
  p.host = "x.org";
  p.fields["show_name"] =
      core::FieldRule{"h1", std::nullopt, std::string("([unclosed")};
  c.profiles.push_back(p);
  auto s = Validate(c);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("profiles[0].fields.show_name.regex"),
            std::string::npos);
}

TEST(ConfigTest, LoadsFileAndReportsMissingFile) {
  testsupport::TempDir dir;
  const std::string path = dir.File("c.json");
  std::ofstream(path) << R"json({"db": "from-file.db"})json";
  auto c = LoadConfigFile(path);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->db, "from-file.db");

  auto missing = LoadConfigFile(dir.File("nope.json"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kConfig);
  EXPECT_NE(missing.error().message.find("nope.json"), std::string::npos);
}

}  // namespace
}  // namespace config

namespace config {
namespace {

TEST(ConfigTest, ReadsCrawlSettings) {
  auto c = ParseConfig(R"json({"crawl": {
      "seeds": ["https://a.org/", "https://b.org/x"], "max_pages": 500, "concurrency": 8,
      "per_host": 3, "delay_ms": 250, "max_depth": 4, "allow": ["^https://c\\.org/"],
      "deny": ["/login"], "obey_robots": false, "max_crawl_delay_ms": 5000,
      "max_retry_after_ms": 60000, "max_attempts": 5, "workers": 2,
      "include_subdomains": true}})json",
                       "t");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->crawl.seeds.size(), 2u);
  EXPECT_EQ(c->crawl.max_pages, 500);
  EXPECT_EQ(c->crawl.concurrency, 8);
  EXPECT_EQ(c->crawl.politeness.per_host, 3);
  EXPECT_TRUE(c->crawl.scope.include_subdomains);
  EXPECT_EQ(c->crawl.politeness.delay_ms, 250);
  EXPECT_EQ(c->crawl.scope.max_depth, 4);
  EXPECT_EQ(c->crawl.scope.allow[0], "^https://c\\.org/");
  EXPECT_EQ(c->crawl.scope.deny[0], "/login");
  EXPECT_FALSE(c->crawl.obey_robots);
  EXPECT_EQ(c->crawl.retry.max_attempts, 5);
  EXPECT_EQ(c->crawl.workers, 2);
  EXPECT_TRUE(Validate(*c));
}

TEST(ConfigTest, CrawlSettingsAreChecked) {
  auto wrong = ParseConfig(R"json({"crawl": {"seeds": ["ok", 3]}})json", "t");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("crawl.seeds[1]"), std::string::npos);
  auto flag = ParseConfig(R"json({"crawl": {"obey_robots": "yes"}})json", "t");
  ASSERT_FALSE(flag);
  EXPECT_NE(flag.error().message.find("crawl.obey_robots"), std::string::npos);
  Config c;
  c.crawl.concurrency = 0;
  EXPECT_FALSE(Validate(c));
  Config d;
  d.crawl.scope.deny.push_back("(");
  auto s = Validate(d);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("crawl.deny[0]"), std::string::npos);
}

// Issue 10: user regexes are RE2 syntax. What only ECMAScript has (lookaround,
// backreferences) is a config error naming the key, with RE2's reason.
TEST(ConfigTest, RegexesAreRe2Syntax) {
  Config ok;
  ok.crawl.scope.allow = {R"(^https://[^/]+/podcasts?/\d+(?:\?.*)?$)",
                          "(?i)episode"};
  ok.crawl.scope.deny = {"(a|b)*c", R"(\.mp3$)"};
  EXPECT_TRUE(Validate(ok));

  Config lookahead;
  lookahead.crawl.scope.allow = {"x", "/show/(?!private)"};
  auto s = Validate(lookahead);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::ErrorCode::kConfig);
  EXPECT_NE(
      s.error().message.find("crawl.allow[1]: invalid regex (RE2 syntax)"),
      std::string::npos)
      << s.error().message;
  EXPECT_NE(s.error().message.find("(?!"), std::string::npos)
      << s.error().message;

  Config backreference;
  core::SiteProfile p;
  p.name = "x";
  p.host = "x.org";
  p.episode_url_pattern = R"(/(\w+)/\1)";
  backreference.profiles.push_back(p);
  auto b = Validate(backreference);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message.find("profiles[0].episode_url_pattern"),
            std::string::npos)
      << b.error().message;
}

}  // namespace
}  // namespace config
