// The profile selector language (selector.h): tag, #id, .class, [attr],
// [attr=v], [attr*=v], descendant and child combinators, selector lists.
#include "parser/selector.h"

#include <gtest/gtest.h>

namespace parser {
namespace {

class SelectorTest : public testing::Test {
 protected:
  SelectorTest()
      : doc_(
            "<div id='main' class='page wide'><section class='Related_root__x'>"
            "<h2>You may also like</h2><a class='card' href='/p/1'><p "
            "class='title'>One</p></a>"
            "<a class='card' href='/p/2'><p class='title'>Two</p></a></section>"
            "<p class='title'>Outside</p></div>") {}

  std::vector<std::string> Texts(const char* selector) {
    auto sel = Selector::Parse(selector);
    EXPECT_TRUE(sel) << selector;
    std::vector<std::string> out;
    if (!sel) return out;
    for (int i : sel->SelectAll(doc_)) out.emplace_back(doc_.Text(i));
    return out;
  }

  HtmlDocument doc_;
};

TEST_F(SelectorTest, MatchesTagIdClassAndAttributes) {
  EXPECT_EQ(Texts("h2"), std::vector<std::string>{"You may also like"});
  EXPECT_EQ(Texts("#main > p"), std::vector<std::string>{"Outside"});
  EXPECT_EQ(Texts(".page.wide .title").size(), 3u);
  EXPECT_EQ(Texts("a[href]").size(), 2u);
  EXPECT_EQ(Texts("a[href='/p/2']"), std::vector<std::string>{"Two"});
  EXPECT_EQ(Texts("a[href=\"/p/2\"]"), std::vector<std::string>{"Two"});
  EXPECT_EQ(Texts("section[class*=Related] a.card"),
            (std::vector<std::string>{"One", "Two"}));
  EXPECT_EQ(Texts("a[href^='/p'] .title").size(), 2u);
  EXPECT_EQ(Texts("a[href$='1']"), std::vector<std::string>{"One"});
}

TEST_F(SelectorTest, ChildCombinatorIsStrict) {
  EXPECT_TRUE(Texts("div > a").empty());
  EXPECT_EQ(Texts("section > a").size(), 2u);
}

TEST_F(SelectorTest, ListsAndScopes) {
  EXPECT_EQ(Texts("h2, #main > p").size(), 2u);
  auto sel = Selector::Parse(".title");
  ASSERT_TRUE(sel);
  const int section = Selector::Parse("section")->SelectFirst(doc_);
  EXPECT_EQ(sel->SelectAll(doc_, section).size(), 2u);
}

TEST(SelectorParseTest, RejectsMalformedSelectors) {
  EXPECT_FALSE(Selector::Parse(""));
  EXPECT_FALSE(Selector::Parse("a[href"));
  EXPECT_FALSE(Selector::Parse("> a"));
  EXPECT_FALSE(Selector::Parse("a >"));
  EXPECT_FALSE(Selector::Parse("a[x~=y]"));
}

}  // namespace
}  // namespace parser
