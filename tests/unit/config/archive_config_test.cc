// Tests of the "archive" key (README "Archive retention"): the bool of old
// configs, the object with retention keys, and their checks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

#include "config/config.h"

namespace config {
namespace {

using ::testing::HasSubstr;

TEST(ArchiveConfigTest, DefaultsKeepThreeVersionsWithoutAnAgeLimit) {
  auto c = ParseConfig("{}", "test");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->archive.enabled);
  EXPECT_EQ(c->archive.keep_versions, 3);
  EXPECT_EQ(c->archive.max_age_ms, std::nullopt);
}

// Configs written before retention existed keep working.
TEST(ArchiveConfigTest, ABoolStillTurnsTheArchiveOnOrOff) {
  auto c = ParseConfig(R"({"archive": false})", "test");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_FALSE(c->archive.enabled);
  EXPECT_EQ(c->archive.keep_versions, 3);
}

TEST(ArchiveConfigTest, AnObjectSetsRetention) {
  auto c = ParseConfig(
      R"({"archive": {"enabled": true, "keep_versions": 5, "max_age": "90d"}})",
      "test");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->archive.enabled);
  EXPECT_EQ(c->archive.keep_versions, 5);
  EXPECT_EQ(c->archive.max_age_ms, int64_t{90} * 86'400'000);
  EXPECT_TRUE(Validate(*c));
}

TEST(ArchiveConfigTest, BadValuesNameTheirKey) {
  auto unknown = ParseConfig(R"({"archive": {"keep": 5}})", "c.json");
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message, HasSubstr("archive.keep: unknown key"));
  auto age = ParseConfig(R"({"archive": {"max_age": 90}})", "c.json");
  ASSERT_FALSE(age);
  EXPECT_THAT(age.error().message, HasSubstr("archive.max_age"));
  auto bad_age = ParseConfig(R"({"archive": {"max_age": "90 days"}})", "c");
  ASSERT_FALSE(bad_age);
  EXPECT_THAT(bad_age.error().message, HasSubstr("archive.max_age"));
  auto type = ParseConfig(R"({"archive": "yes"})", "c.json");
  ASSERT_FALSE(type);
  EXPECT_THAT(type.error().message, HasSubstr("archive: expected true, false"));
  auto negative = ParseConfig(R"({"archive": {"keep_versions": -1}})", "c");
  ASSERT_TRUE(negative);
  auto status = Validate(*negative);
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("archive.keep_versions"));
}

}  // namespace
}  // namespace config
