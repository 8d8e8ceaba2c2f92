// Tests of the config's "schedules" and "recrawl" sections (issue 6): every
// key read, overrides merged over the crawl section, and each invalid
// schedule an error naming the schedule and the key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace config {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;

// Returns the error message of parsing then validating `json`, or "" when both
// succeed.
std::string ErrorOf(const std::string& json) {
  auto c = ParseConfig(json, "test.json");
  if (!c) {
    EXPECT_EQ(c.error().code, core::ErrorCode::kConfig);
    return c.error().message;
  }
  auto valid = Validate(*c);
  if (!valid) {
    EXPECT_EQ(valid.error().code, core::ErrorCode::kConfig);
    return valid.error().message;
  }
  return "";
}

TEST(ScheduleConfigTest, ReadsEverySchedulesKeys) {
  auto c = ParseConfig(R"json({
    "crawl": {"max_depth": 4, "per_host": 3, "delay_ms": 500},
    "recrawl": {"show": "2h", "episode": "3d", "other": "12h", "failed": "2d",
                "min": "30m", "max": "10d", "changed_factor": 0.25,
                "unchanged_factor": 2},
    "schedules": [
      {"name": "french-news", "seeds": ["HTTPS://Pods.Example.org/show/1"],
       "every": "6h"},
      {"name": "nightly", "seeds": ["http://127.0.0.1:8080/"],
       "cron": "30 2 * * mon-fri", "max_depth": 1, "per_host": 1,
       "concurrency": 4, "delay_ms": 0, "max_pages": 100,
       "allow": ["^https://cdn\\.example\\.org/"], "deny": ["/login"],
       "recrawl": {"show": "1h", "unchanged_factor": 3}}
    ]
  })json",
                       "test.json");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(Validate(*c)) << Validate(*c).error().message;
  EXPECT_EQ(c->recrawl.show_ms, 2 * kHour);
  EXPECT_EQ(c->recrawl.episode_ms, 3 * kDay);
  EXPECT_EQ(c->recrawl.other_ms, 12 * kHour);
  EXPECT_EQ(c->recrawl.failed_ms, 2 * kDay);
  EXPECT_EQ(c->recrawl.min_ms, kHour / 2);
  EXPECT_EQ(c->recrawl.max_ms, 10 * kDay);
  EXPECT_DOUBLE_EQ(c->recrawl.changed_factor, 0.25);
  EXPECT_DOUBLE_EQ(c->recrawl.unchanged_factor, 2.0);
  ASSERT_EQ(c->schedules.size(), 2u);

  const ScheduleConfig& news = c->schedules[0];
  EXPECT_EQ(news.name, "french-news");
  EXPECT_EQ(news.seeds,
            std::vector<std::string>{"https://pods.example.org/show/1"});
  EXPECT_EQ(news.timing.every_ms, 6 * kHour);
  EXPECT_FALSE(news.timing.cron.has_value());
  EXPECT_EQ(news.recrawl.show_ms, 2 * kHour);  // the global policy
  const core::CrawlSettings& news_crawl = news.crawl;
  EXPECT_EQ(news_crawl.scope.max_depth, 4);  // from the crawl section
  EXPECT_EQ(news_crawl.politeness.per_host, 3);
  EXPECT_EQ(news_crawl.seeds, news.seeds);

  const ScheduleConfig& nightly = c->schedules[1];
  ASSERT_TRUE(nightly.timing.cron.has_value());
  EXPECT_EQ(nightly.timing.cron->text(), "30 2 * * mon-fri");
  EXPECT_FALSE(nightly.timing.every_ms.has_value());
  EXPECT_EQ(nightly.recrawl.show_ms, kHour);                // its own
  EXPECT_DOUBLE_EQ(nightly.recrawl.unchanged_factor, 3.0);  // its own
  EXPECT_EQ(nightly.recrawl.episode_ms, 3 * kDay);          // the global one
  const core::CrawlSettings& nightly_crawl = nightly.crawl;
  EXPECT_EQ(nightly_crawl.scope.max_depth, 1);
  EXPECT_EQ(nightly_crawl.politeness.per_host, 1);
  EXPECT_EQ(nightly_crawl.concurrency, 4);
  EXPECT_EQ(nightly_crawl.politeness.delay_ms, 0);
  EXPECT_EQ(nightly_crawl.max_pages, 100);
  EXPECT_EQ(nightly_crawl.scope.allow,
            std::vector<std::string>{"^https://cdn\\.example\\.org/"});
  EXPECT_EQ(nightly_crawl.scope.deny, std::vector<std::string>{"/login"});
}

TEST(ScheduleConfigTest, NoSchedulesByDefault) {
  auto c = ParseConfig("{}", "test.json");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->schedules.empty());
  EXPECT_EQ(c->recrawl.show_ms, core::RecrawlPolicy{}.show_ms);
}

// Every crawl key is a schedule key too (the crawl section's key list is
// shared): one the schedule sets is its own, the others come from "crawl",
// whichever order the sections come in.
TEST(ScheduleConfigTest, ASchedulesCrawlKeysOverTheCrawlSection) {
  auto c = ParseConfig(R"json({
    "schedules": [
      {"name": "strict", "seeds": ["https://example.org/"], "every": "1h",
       "max_attempts": 5, "obey_robots": false, "workers": 2,
       "max_retry_after_ms": 60000},
      {"name": "plain", "seeds": ["https://example.org/"], "every": "1h"}
    ],
    "crawl": {"max_attempts": 4, "workers": 1, "concurrency": 7}
  })json",
                       "test.json");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(Validate(*c)) << Validate(*c).error().message;
  const core::CrawlSettings& strict = c->schedules[0].crawl;
  EXPECT_EQ(strict.retry.max_attempts, 5);
  EXPECT_FALSE(strict.obey_robots);
  EXPECT_EQ(strict.workers, 2);
  EXPECT_EQ(strict.politeness.max_retry_after_ms, 60'000);
  EXPECT_EQ(strict.concurrency, 7);  // the crawl section's
  EXPECT_EQ(strict.seeds, c->schedules[0].seeds);
  const core::CrawlSettings& plain = c->schedules[1].crawl;
  EXPECT_EQ(plain.retry.max_attempts, 4);
  EXPECT_TRUE(plain.obey_robots);
  EXPECT_EQ(plain.workers, 1);
  EXPECT_EQ(plain.politeness.max_retry_after_ms,
            core::PolitenessSettings{}.max_retry_after_ms);

  EXPECT_THAT(ErrorOf(R"({"schedules": [{"name": "a", "every": "1h",
      "seeds": ["https://example.org/"], "workers": "two"}]})"),
              HasSubstr(R"(schedules[0] "a".workers: expected an integer)"));
  EXPECT_THAT(ErrorOf(R"({"schedules": [{"name": "a", "every": "1h",
      "seeds": ["https://example.org/"], "max_attempts": 0}]})"),
              HasSubstr(R"(schedules[0] "a".max_attempts: must be between)"));
}

TEST(ScheduleConfigTest, InvalidSchedulesNameTheScheduleAndTheKey) {
  const std::string seeds = R"("seeds": ["https://example.org/"])";
  struct Case {
    std::string schedule;  // the schedule object's keys
    std::string expected;  // a part of the message
  };
  const Case cases[] = {
      {R"("name": "a", )" + seeds + R"(, "every": "6x")",
       R"(schedules[0] "a".every: )"},
      {R"("name": "a", )" + seeds + R"(, "every": "0s")",
       R"(schedules[0] "a".every: )"},
      {R"("name": "a", )" + seeds + R"(, "every": 6)",
       R"(schedules[0] "a".every: expected a string)"},
      {R"("name": "a", )" + seeds + R"(, "cron": "61 * * * *")",
       R"(schedules[0] "a".cron: )"},
      {R"("name": "a", )" + seeds + R"(, "cron": "* * * *")",
       R"(schedules[0] "a".cron: )"},
      {R"("name": "a", )" + seeds, R"(schedules[0] "a": give exactly one)"},
      {R"("name": "a", )" + seeds + R"(, "every": "1h", "cron": "@daily")",
       R"(schedules[0] "a": give exactly one)"},
      {R"("name": "a", "every": "1h")", R"(schedules[0] "a".seeds: )"},
      {R"("name": "a", "seeds": ["ftp://x/"], "every": "1h")",
       R"(schedules[0] "a".seeds[0]: )"},
      {R"("name": "a", )" + seeds + R"(, "every": "1h", "max_depth": -1)",
       R"(schedules[0] "a".max_depth: must be between)"},
      {R"("name": "a", )" + seeds + R"(, "every": "1h", "per_host": 0)",
       R"(schedules[0] "a".per_host: must be between)"},
      {R"("name": "a", )" + seeds + R"(, "every": "1h", "deny": ["("])",
       R"(schedules[0] "a".deny[0]: invalid regex)"},
      {R"("name": "a", )" + seeds + R"(, "every": "1h", "depth": 2)",
       R"(schedules[0] "a".depth: unknown key)"},
      {R"("name": "a", )" + seeds +
           R"(, "every": "1h", "recrawl": {"min": "2d", "max": "1d"})",
       R"(schedules[0] "a".recrawl.)"},
      {R"("name": "a", )" + seeds +
           R"(, "every": "1h", "recrawl": {"show": "often"})",
       R"(schedules[0] "a".recrawl.show: )"},
      {R"("name": "no spaces", )" + seeds + R"(, "every": "1h")",
       R"(schedules[0] "no spaces".name: use letters)"},
      {seeds + R"(, "every": "1h")", "schedules[0].name: missing"},
  };
  for (const Case& c : cases) {
    const std::string json = R"({"schedules": [{)" + c.schedule + "}]}";
    EXPECT_THAT(ErrorOf(json), HasSubstr(c.expected)) << json;
  }
}

TEST(ScheduleConfigTest, ScheduleNamesAreUnique) {
  EXPECT_THAT(ErrorOf(R"({"schedules": [
    {"name": "a", "seeds": ["https://example.org/"], "every": "1h"},
    {"name": "a", "seeds": ["https://example.net/"], "every": "2h"}]})"),
              HasSubstr(R"(schedules[1] "a".name: another schedule)"));
}

TEST(ScheduleConfigTest, GlobalRecrawlIsChecked) {
  EXPECT_THAT(ErrorOf(R"({"recrawl": {"changed_factor": 2}})"),
              HasSubstr("recrawl.changed_factor"));
  EXPECT_THAT(ErrorOf(R"({"recrawl": {"min": "1d", "max": "1h"}})"),
              HasSubstr("recrawl."));
  EXPECT_THAT(ErrorOf(R"({"recrawl": {"often": "1h"}})"),
              HasSubstr("recrawl.often: unknown key"));
  EXPECT_EQ(ErrorOf(R"({"recrawl": {"show": "90m"}})"), "");
}

// The example shipped for contrib/'s cron line and systemd units is valid.
TEST(ScheduleConfigTest, ShippedExampleIsValid) {
  auto c = LoadConfigFile(std::string(PODCRAWL_SOURCE_DIR) +
                          "/contrib/podcrawl.example.json");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(Validate(*c)) << Validate(*c).error().message;
  ASSERT_EQ(c->schedules.size(), 2u);
  EXPECT_EQ(c->schedules[1].recrawl.show_ms, 3 * kHour);
  EXPECT_EQ(c->schedules[1].recrawl.episode_ms, 7 * kDay);
}

}  // namespace
}  // namespace config
