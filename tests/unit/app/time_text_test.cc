#include "app/time_text.h"

#include <gtest/gtest.h>

namespace {

TEST(TimeTextTest, UnixSecondsAreReadAsSeconds) {
  EXPECT_EQ(app::ParseTimeArgument("1732800000"), int64_t{1732800000} * 1000);
  EXPECT_EQ(app::ParseTimeArgument("0"), 0);
  EXPECT_EQ(app::ParseTimeArgument("1234567890123"), std::nullopt);  // > 12
}

TEST(TimeTextTest, Iso8601DatesAndTimestampsInAnyOffset) {
  EXPECT_EQ(app::ParseTimeArgument("2026-11-28"), int64_t{1795824000} * 1000);
  EXPECT_EQ(app::ParseTimeArgument("2026-11-28T15:00:00Z"),
            int64_t{1795878000} * 1000);
  EXPECT_EQ(app::ParseTimeArgument("2026-11-28 16:00:00+01:00"),
            int64_t{1795878000} * 1000);
  EXPECT_EQ(app::ParseTimeArgument("2026-11-28T15:00:00.250Z"),
            int64_t{1795878000} * 1000 + 250);
}

TEST(TimeTextTest, AnythingElseIsRefused) {
  for (const char* bad : {"", "yesterday", "2026-02-30", "2026-11-28T25:00",
                          "2026-11-28T15:00:00Zjunk", "-5"}) {
    EXPECT_EQ(app::ParseTimeArgument(bad), std::nullopt) << bad;
  }
}

TEST(TimeTextTest, FormatsUtcToTheSecond) {
  EXPECT_EQ(app::FormatTimeMs(int64_t{1795878000} * 1000 + 999),
            "2026-11-28T15:00:00Z");
  EXPECT_EQ(app::FormatTimeMs(0), "1970-01-01T00:00:00Z");
}

}  // namespace
