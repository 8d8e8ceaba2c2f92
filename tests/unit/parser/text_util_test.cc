// Numbers as people write them (DESIGN.md "The record": "1.2K", "1,234", "12
// 345", "4,6").
#include "parser/text_util.h"

#include <gtest/gtest.h>

namespace parser {
namespace {

TEST(ParseCountTest, ReadsPlainAndGroupedNumbers) {
  EXPECT_EQ(ParseCount("66"), 66);
  EXPECT_EQ(ParseCount("1,234"), 1234);
  EXPECT_EQ(ParseCount("12 345"), 12345);
  EXPECT_EQ(ParseCount("12\xC2\xA0"
                       "345"),
            12345);  // NBSP
  EXPECT_EQ(ParseCount("12\xE2\x80\xAF"
                       "345"),
            12345);  // narrow NBSP
  EXPECT_EQ(ParseCount("1.234.567"), 1234567);
  EXPECT_EQ(ParseCount("(979)"), 979);
  EXPECT_EQ(ParseCount("0"), 0);
}

TEST(ParseCountTest, ReadsSuffixes) {
  EXPECT_EQ(ParseCount("1.2K"), 1200);
  EXPECT_EQ(ParseCount("12.5k"), 12500);
  EXPECT_EQ(ParseCount("2M"), 2000000);
  EXPECT_EQ(ParseCount("1,5k"), 1500);
  EXPECT_EQ(ParseCount("41K"), 41000);
  EXPECT_EQ(ParseCount("3.4 K"), 3400);
}

TEST(ParseCountTest, RejectsWhatIsNotACount) {
  EXPECT_EQ(ParseCount(""), std::nullopt);
  EXPECT_EQ(ParseCount("abc"), std::nullopt);
  EXPECT_EQ(ParseCount("4.5"), std::nullopt);
  EXPECT_EQ(ParseCount("12,34"), std::nullopt);
  EXPECT_EQ(ParseCount("4.4 318"), std::nullopt);
}

TEST(ParseRatingValueTest, ReadsDecimalMarksAndScales) {
  EXPECT_DOUBLE_EQ(*ParseRatingValue("4.5"), 4.5);
  EXPECT_DOUBLE_EQ(*ParseRatingValue("4,6"), 4.6);
  EXPECT_DOUBLE_EQ(*ParseRatingValue("4,6/5"), 4.6);
  EXPECT_DOUBLE_EQ(*ParseRatingValue("4.5 out of 5"), 4.5);
  EXPECT_DOUBLE_EQ(*ParseRatingValue("4.0 \xE2\x98\x85"), 4.0);
  EXPECT_EQ(ParseRatingValue("no stars"), std::nullopt);
  EXPECT_EQ(ParseRatingValue("2843"), std::nullopt);
}

TEST(FindCountBeforeTest, FindsCountFollowedByWord) {
  auto m = FindCountBefore("By Show 4.7 (2,345 ratings)", "ratings|rating");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 2345);
  m = FindCountBefore("4.4 318 ratings", "ratings");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 318);
  m = FindCountBefore("1.2K Listeners", "listeners|listener");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 1200);
  m = FindCountBefore("1 Listener", "listeners|listener");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 1);
}

TEST(FindCountBeforeTest, IgnoresLabelsAndOtherWords) {
  // Apple's "Rating: Clean" under an episode number is not a rating count.
  EXPECT_FALSE(FindCountBefore("Episode 251\nRating: Clean", "ratings|rating"));
  EXPECT_FALSE(FindCountBefore("120 plays", "listeners|listener"));
  EXPECT_FALSE(FindCountBefore("12 ratingsystems", "ratings"));
}

// corpus/README.md: a copy cut short never beats a full one.
TEST(TruncationTest, RecognisesEllipsesAndMoreLinks) {
  EXPECT_TRUE(LooksTruncated("The quotidien\xE2\x80\xA6"));
  EXPECT_TRUE(LooksTruncated("Amara loved the first half and lost..."));
  EXPECT_TRUE(LooksTruncated("what they are\xE2\x80\xA6 Show more"));
  EXPECT_FALSE(LooksTruncated("A full sentence."));
  EXPECT_EQ(StripEllipsis("cut here\xE2\x80\xA6"), "cut here");
}

TEST(WhitespaceTest, CollapsesRunsIncludingNbsp) {
  EXPECT_EQ(CollapseWhitespace("  a \n\t b\xC2\xA0\xC2\xA0"
                               "c  "),
            "a b c");
  EXPECT_EQ(Trim(" \n x \t"), "x");
}

TEST(Utf8Test, ValidatesAndSanitizes) {
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9"));
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));  // overlong
  EXPECT_EQ(SanitizeUtf8("caf\xE9!"), "caf\xEF\xBF\xBD!");
}

}  // namespace
}  // namespace parser
