// Numbers as people write them (DESIGN.md "The record": "1.2K", "1,234", "12
// 345", "4,6").
#include "parser/text_util.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// Local forms: a comma decimal before a spaced "k", Spanish/Portuguese "mil"
// (thousand), German/Dutch/Italian "Mio." / "mln" (million).
TEST(ParseCountTest, ReadsLocalSuffixes) {
  EXPECT_EQ(ParseCount("1,2 k"), 1200);
  EXPECT_EQ(ParseCount("2 mil"), 2000);
  EXPECT_EQ(ParseCount("1,5 mil"), 1500);
  EXPECT_EQ(ParseCount("2 Mio."), 2000000);
  EXPECT_EQ(ParseCount("2,3 Mio"), 2300000);
  EXPECT_EQ(ParseCount("2 mln"), 2000000);
  EXPECT_EQ(ParseCount("1.234"), 1234);
  EXPECT_EQ(ParseCount("1 234"), 1234);
  EXPECT_EQ(ParseCount("1.2K+"), 1200);
  EXPECT_EQ(ParseCount("12 miles"), std::nullopt);
  EXPECT_EQ(ParseCount("mil"), std::nullopt);
}

TEST(ParseCountTest, RejectsWhatIsNotACount) {
  EXPECT_EQ(ParseCount(""), std::nullopt);
  EXPECT_EQ(ParseCount("abc"), std::nullopt);
  EXPECT_EQ(ParseCount("4.5"), std::nullopt);
  EXPECT_EQ(ParseCount("12,34"), std::nullopt);
  EXPECT_EQ(ParseCount("4.4 318"), std::nullopt);
  EXPECT_EQ(ParseCount("4,53"), std::nullopt);
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

std::optional<int64_t> CountIn(std::string_view text) {
  auto m = FindCountBefore(text, "ratings|rating|hörer|valoraciones");
  if (!m) return std::nullopt;
  return m->value;
}

TEST(FindCountBeforeTest, ReadsGroupsDecimalsAndSuffixesAsBefore) {
  EXPECT_EQ(CountIn("12 345 ratings"), 12345);
  EXPECT_EQ(CountIn("12\xC2\xA0"
                    "345 ratings"),
            12345);  // NBSP
  EXPECT_EQ(CountIn("12\xE2\x80\xAF"
                    "345\xC2\xA0ratings"),
            12345);  // narrow NBSP
  EXPECT_EQ(CountIn("1,234 ratings"), 1234);
  EXPECT_EQ(CountIn("1.234 ratings"), 1234);
  EXPECT_EQ(CountIn("1.234.567 ratings"), 1234567);
  EXPECT_EQ(CountIn("(979 ratings)"), 979);
  EXPECT_EQ(CountIn("12.5k ratings"), 12500);
  EXPECT_EQ(CountIn("1,5 k ratings"), 1500);
  EXPECT_EQ(CountIn("41K+ ratings"), 41000);
  EXPECT_EQ(CountIn("2,3 Mio. H\xC3\xB6rer"), 2300000);
  EXPECT_EQ(CountIn("2 mil valoraciones"), 2000);
  // "4,53" is an average, not a count; the one after it is the count.
  EXPECT_EQ(CountIn("4,53 ratings"), std::nullopt);
  EXPECT_EQ(CountIn("4,53 (1 234 ratings)"), 1234);
  EXPECT_EQ(CountIn("4.4 318 ratings"), 318);
  // A space before a group of other than three digits separates numbers.
  EXPECT_EQ(CountIn("1 2 ratings"), 2);
  EXPECT_EQ(CountIn("2024 12 ratings"), 12);
  EXPECT_EQ(CountIn("12 3456 ratings"), 3456);
  // More than 24 bytes of digits and separators is no count, nor any part.
  EXPECT_EQ(CountIn("100 200 300 400 500 600 700 800 ratings"), std::nullopt);
  EXPECT_EQ(CountIn("1234567890123456789012345 ratings"), std::nullopt);
}

// A page of 40k links whose texts are bare numbers ("0 1 2 3 ..."): every
// number used to scan to the end of the run, so one scan over the text was
// quadratic (about 7 s for 40k links in `podcrawl parse`; this 400 KB run took
// the old scan well over ten seconds). No timing assertion: the test just has
// to end within ctest's timeout, which only a linear scan does.
TEST(FindCountBeforeTest, ScansALongRunOfBareNumbersInOnePass) {
  std::string text;
  int64_t last = 0;
  for (int64_t k = 0; text.size() < 400'000; ++k) {
    text += std::to_string(k) + " ";
    last = k;
  }
  EXPECT_GT(last, 60000);
  EXPECT_FALSE(FindCountBefore(text, "ratings|rating"));
  const size_t begin = text.size();
  text += "7 ratings";
  auto m = FindCountBefore(text, "ratings|rating");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 7);
  EXPECT_EQ(m->begin, begin);
  EXPECT_EQ(m->end, text.size());
  // The loop callers run (text_patterns.cc): every match, from the last end.
  text += " 3,456 ratings";
  int matches = 0;
  size_t from = 0;
  while (auto found = FindCountBefore(text, "ratings|rating", from)) {
    ++matches;
    from = found->end;
  }
  EXPECT_EQ(matches, 2);
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
