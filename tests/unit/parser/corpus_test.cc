// Runs the parser on every page of tests/data/corpus and compares with
// NAME.expected.json the way shared/tools/corpus-check does (corpus/README.md):
// strings compared after collapsing whitespace, rating value within 0.01 and
// count exact, related shows by name, listeners and url, in order. Keys an
// expected file leaves out are not checked.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/record.h"
#include "parser/page_parser.h"
#include "tests/support/fixtures.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> CorpusPages() {
  std::vector<std::string> out;
  const fs::path root = fs::path(testsupport::DataDir()) / "corpus";
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() != ".html") continue;
    fs::path expected = it->path();
    expected.replace_extension(".expected.json");
    if (fs::exists(expected))
      out.push_back(fs::relative(it->path(), root).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Collapse(const std::string& s) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool nbsp = c == 0xC2 && i + 1 < s.size() &&
                      static_cast<unsigned char>(s[i + 1]) == 0xA0;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
        c == '\v' || nbsp) {
      if (nbsp) ++i;
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

// An expected string, or a list of acceptable strings (a page that names its
// show in a short and a long form): `got` must equal one of them.
void ExpectString(const json& expected, const json& got,
                  const std::string& field) {
  if (expected.is_null()) {
    EXPECT_TRUE(got.is_null())
        << field << ": expected null, got " << got.dump();
    return;
  }
  ASSERT_TRUE(got.is_string())
      << field << ": expected " << expected.dump() << ", got null";
  const std::string value = Collapse(got.get<std::string>());
  if (expected.is_array()) {
    bool any = false;
    for (const json& e : expected)
      any |= Collapse(e.get<std::string>()) == value;
    EXPECT_TRUE(any) << field << ": expected any of " << expected.dump()
                     << ", got " << got.dump();
    return;
  }
  EXPECT_EQ(Collapse(expected.get<std::string>()), value) << field;
}

class CorpusTest : public testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, MatchesExpectedRecord) {
  const std::string page = GetParam();
  const std::string html = testsupport::ReadDataFile("corpus/" + page);
  std::string expected_name =
      page.substr(0, page.size() - 5) + ".expected.json";
  const json expected =
      json::parse(testsupport::ReadDataFile("corpus/" + expected_name));
  const parser::ParsedPage parsed =
      parser::ParsePage(html, expected.at("url").get<std::string>());
  const json got = core::ToJson(parsed.record);

  if (expected.contains("show_name"))
    ExpectString(expected["show_name"], got["show_name"], "show_name");
  if (expected.contains("description")) {
    ExpectString(expected["description"], got["description"], "description");
  }
  if (expected.contains("rating")) {
    const json& e = expected["rating"];
    const json& g = got["rating"];
    if (e.is_null()) {
      EXPECT_TRUE(g.is_null()) << "rating: got " << g.dump();
    } else {
      ASSERT_TRUE(g.is_object())
          << "rating: expected " << e.dump() << ", got null";
      if (e["value"].is_null()) {
        EXPECT_TRUE(g["value"].is_null());
      } else {
        ASSERT_TRUE(g["value"].is_number()) << "rating.value missing";
        EXPECT_NEAR(e["value"].get<double>(), g["value"].get<double>(), 0.01);
      }
      EXPECT_EQ(e["count"], g["count"]) << "rating.count";
    }
  }
  if (expected.contains("related_shows")) {
    const json& e = expected["related_shows"];
    const json& g = got["related_shows"];
    ASSERT_EQ(e.size(), g.size()) << "related_shows: got " << g.dump();
    for (size_t i = 0; i < e.size(); ++i) {
      EXPECT_EQ(Collapse(e[i]["name"].get<std::string>()),
                Collapse(g[i]["name"].get<std::string>()))
          << "related_shows[" << i << "].name";
      EXPECT_EQ(e[i]["listeners"], g[i]["listeners"])
          << "related_shows[" << i << "].listeners";
      EXPECT_EQ(e[i]["url"], g[i]["url"]) << "related_shows[" << i << "].url";
    }
  }
  // Whatever the page, the output is valid UTF-8 JSON (dump throws on invalid
  // UTF-8).
  EXPECT_NO_THROW((void)got.dump());
}

std::string TestName(const testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param.substr(0, info.param.size() - 5)) {
    name.push_back((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9')
                       ? c
                       : 'X');
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Pages, CorpusTest, testing::ValuesIn(CorpusPages()),
                         TestName);

// The corpus is there: an empty listing must not pass silently.
TEST(CorpusListingTest, FindsPages) { EXPECT_GE(CorpusPages().size(), 37u); }

}  // namespace
