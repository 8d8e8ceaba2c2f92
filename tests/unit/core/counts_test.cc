// Tests of core/counts.h: when two displayed counts can be one count.
#include "core/counts.h"

#include <gtest/gtest.h>

namespace core {
namespace {

TEST(CountsTest, RoundingUnitComesFromTrailingZeros) {
  EXPECT_EQ(RoundingUnit(1234), 1);
  EXPECT_EQ(RoundingUnit(1230), 10);
  EXPECT_EQ(RoundingUnit(1200), 100);
  EXPECT_EQ(RoundingUnit(1000), 1000);
  EXPECT_EQ(RoundingUnit(0), 1);
  EXPECT_EQ(RoundingUnit(-100), 1);
}

// "1.2K" is 1,150 to 1,249 rounded to nearest, or 1,200 to 1,299 cut.
TEST(CountsTest, ARoundedCountAgreesWithTheCountsItCanShow) {
  EXPECT_TRUE(CountsAgree(1200, 1234));
  EXPECT_TRUE(CountsAgree(1234, 1200));
  EXPECT_TRUE(CountsAgree(1200, 1150));
  EXPECT_TRUE(CountsAgree(1200, 1299));
  EXPECT_FALSE(CountsAgree(1200, 1149));
  EXPECT_FALSE(CountsAgree(1200, 1300));
  EXPECT_TRUE(CountsAgree(1000, 1200));  // "1K" and "1.2K"
  EXPECT_FALSE(CountsAgree(2000, 1200));
  EXPECT_TRUE(CountsAgree(51000, 51000));
}

TEST(CountsTest, CountsOfTheSamePrecisionAgreeOnlyWhenEqual) {
  EXPECT_FALSE(CountsAgree(1234, 1235));
  EXPECT_FALSE(CountsAgree(51000, 52000));
  EXPECT_TRUE(CountsAgree(7, 7));
}

}  // namespace
}  // namespace core
