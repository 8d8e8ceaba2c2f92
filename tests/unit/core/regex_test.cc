// core::Regex (issue 10): user regexes run on RE2, linear in the text, so a
// 20 KB link or text node against a pattern that backtracks exponentially (or
// recursed per character in std::regex, overflowing the stack) is matched in
// milliseconds.
#include "core/regex.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace core {
namespace {

using std::chrono::steady_clock;

TEST(RegexTest, SearchesAnywhereUnlessAnchored) {
  auto re = Regex::Compile(R"(/episode/[0-9]+$)");
  ASSERT_TRUE(re) << re.error().message;
  EXPECT_TRUE(re->Search("https://x.test/episode/42"));
  EXPECT_FALSE(re->Search("https://x.test/episode/42/more"));
  EXPECT_FALSE(re->Search(""));
  EXPECT_EQ(re->pattern(), "/episode/[0-9]+$");
  EXPECT_EQ(re->group_count(), 0);
  // Copies share the compiled pattern.
  const Regex copy = *re;
  EXPECT_TRUE(copy.Search("/episode/7"));
}

TEST(RegexTest, FindReturnsTheGroupsOfTheLeftmostMatch) {
  auto re = Regex::Compile(R"(([0-9.]+) stars(?: \((\d+)\))?)");
  ASSERT_TRUE(re);
  EXPECT_EQ(re->group_count(), 2);
  auto m = re->Find("rated 4.5 stars, then 3 stars (12)");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->size(), 3U);
  EXPECT_EQ((*m)[0], "4.5 stars");
  EXPECT_EQ((*m)[1], "4.5");
  EXPECT_FALSE((*m)[2]);  // took no part
  EXPECT_FALSE(re->Find("no rating"));
  // An empty match is a match, with an empty (not absent) group.
  auto empty = Regex::Compile("(x*)");
  ASSERT_TRUE(empty);
  auto e = empty->Find("");
  ASSERT_TRUE(e);
  ASSERT_TRUE((*e)[1]);
  EXPECT_EQ(*(*e)[1], "");
}

TEST(RegexTest, InvalidPatternsAreConfigErrorsWithRe2sMessage) {
  auto unclosed = Regex::Compile("(a");
  ASSERT_FALSE(unclosed);
  EXPECT_EQ(unclosed.error().code, ErrorCode::kConfig);
  EXPECT_NE(unclosed.error().message.find("missing )"), std::string::npos)
      << unclosed.error().message;
  // ECMAScript features RE2 does not have: backreferences, lookaround.
  EXPECT_FALSE(Regex::Compile(R"((a)\1)"));
  EXPECT_FALSE(Regex::Compile("foo(?=bar)"));
  EXPECT_FALSE(Regex::Compile("(?<!x)y"));
}

// The issue's poison link: ~20 KB against patterns that backtrack
// exponentially. std::regex crashed (SIGSEGV) or took seconds on these.
TEST(RegexTest, TwentyKilobyteTextAgainstPathologicalPatternsIsFast) {
  const std::string url = "https://x.test/" + std::string(20'000, 'a');
  const std::string xs = "https://x.test/" + std::string(20'000, 'x');
  const auto start = steady_clock::now();
  for (const char* pattern : {"(a|b)*c", ".*(x+)+y", "(a*)*b", "^(a|aa)+$"}) {
    auto re = Regex::Compile(pattern);
    ASSERT_TRUE(re) << pattern;
    const bool matched =
        re->Search(url) || re->Search(xs) || re->Find(xs).has_value();
    EXPECT_FALSE(matched) << pattern;
  }
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(RegexTest, TwentyKilobyteMatchesAreWhole) {
  const auto start = steady_clock::now();
  auto anchored = Regex::Compile("^(a|aa)+$");
  ASSERT_TRUE(anchored);
  EXPECT_TRUE(anchored->Search(std::string(20'000, 'a')));
  auto group = Regex::Compile("(a+)$");
  ASSERT_TRUE(group);
  auto m = group->Find("https://x.test/" + std::string(20'000, 'a'));
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)[1]->size(), 20'000U);  // the whole value, no cap
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(1));
}

}  // namespace
}  // namespace core
