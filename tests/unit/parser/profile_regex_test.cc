// Site-profile regexes (issue 10): they run on RE2 over the whole value (the
// parser used to cut what a field regex saw at 2,048 bytes, because
// std::regex recursed per character), and a hostile page cannot stall them.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "parser/page_parser.h"

namespace parser {
namespace {

constexpr const char* kUrl = "https://pods.example/show/ep-1";

ParseOptions WithProfile(const core::FieldRule& show_name_rule) {
  core::SiteProfile profile;
  profile.name = "mine";
  profile.host = "pods.example";
  profile.fields["show_name"] = show_name_rule;
  ParseOptions options;
  options.profiles.push_back(profile);
  return options;
}

TEST(ProfileRegexTest, FieldRegexSeesTheWholeValue) {
  const ParseOptions options = WithProfile(core::FieldRule{
      "div.blurb", std::nullopt, std::string(R"(Show: ([A-Z][a-z]+))")});
  const std::string filler(5000, 'w');
  const auto p = ParsePage("<html><body><div class=blurb>" + filler +
                               " Show: Marigold</div></body></html>",
                           kUrl, options);
  EXPECT_EQ(p.record.show_name, "Marigold");
  EXPECT_EQ(p.record.sources.at("show_name"), "profile:mine");
}

TEST(ProfileRegexTest, Re2OnlySyntaxWorks) {
  const ParseOptions options = WithProfile(
      core::FieldRule{"h1", std::nullopt, std::string(R"((?i)show:\s*(\w+))")});
  const auto p = ParsePage("<html><body><h1>SHOW: Quill</h1></body></html>",
                           kUrl, options);
  EXPECT_EQ(p.record.show_name, "Quill");
}

TEST(ProfileRegexTest, HugeTextAndPathAgainstBacktrackingPatternsIsQuick) {
  core::SiteProfile profile;
  profile.name = "mine";
  profile.host = "pods.example";
  profile.fields["show_name"] =
      core::FieldRule{"p", std::nullopt, std::string("((a|b)*c)")};
  profile.episode_url_pattern = ".*(x+)+y";
  profile.show_url_pattern = "^/(a|aa)+$";
  ParseOptions options;
  options.profiles.push_back(profile);
  const std::string url = "https://pods.example/" + std::string(20'000, 'x');
  const auto start = std::chrono::steady_clock::now();
  const auto p = ParsePage(
      "<html><body><p>" + std::string(20'000, 'a') + "</p></body></html>", url,
      options);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_FALSE(p.record.show_name);
  EXPECT_EQ(p.record.kind, core::PageKind::kUnknown);
}

}  // namespace
}  // namespace parser
