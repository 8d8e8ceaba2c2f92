// Text as a reader sees it (issue 3, item 3): entities decoded, <br> and block
// ends as newlines, list items one a line, whitespace collapsed, scripts and
// styles never leaking.
#include "parser/html_document.h"

#include <gtest/gtest.h>

#include <string>

namespace parser {
namespace {

std::string BodyText(const std::string& html) {
  HtmlDocument doc(html);
  return doc.text().substr(doc.text().find_first_not_of(" \n"));
}

TEST(HtmlDocumentTest, DecodesEntitiesAndCollapsesWhitespace) {
  EXPECT_EQ(BodyText("<p>Caf&eacute;   &amp;\n\n &#8217;s &#x2019;</p>"),
            "Caf\xC3\xA9 & \xE2\x80\x99s \xE2\x80\x99");
}

TEST(HtmlDocumentTest, BreaksAtBrBlocksAndListItems) {
  EXPECT_EQ(BodyText("<div>one<br>two</div><p>three</p><ul><li>a<li>b</ul>"),
            "one\ntwo\nthree\na\nb");
}

TEST(HtmlDocumentTest, ScriptsStylesTemplatesNeverLeak) {
  const std::string text = BodyText(
      "<p>visible</p><script>var x = 'hidden';</script><style>.a{}</style>"
      "<template><p>tmpl</p></template><noscript>enable "
      "js</noscript><p>end</p>");
  EXPECT_EQ(text, "visible\nend");
}

TEST(HtmlDocumentTest, SeparatesAdjacentElements) {
  // "4.2" and "87 ratings" in sibling elements with no space between still read
  // as two words.
  EXPECT_EQ(BodyText("<p><span>4.2</span><span>87 ratings</span></p>"),
            "4.2 87 ratings");
  EXPECT_EQ(BodyText("<p>Hel<b>lo</b> world</p>"), "Hello world");
}

TEST(HtmlDocumentTest, IndexesElementsAndTheirText) {
  HtmlDocument doc(
      "<html><head><title>T</title><script "
      "type='application/ld+json'>{}</script>"
      "</head><body><div id='a'><p>x</p><p>y</p></div></body></html>");
  ASSERT_EQ(doc.ByTag(GUMBO_TAG_P).size(), 2u);
  const int div = doc.ByTag(GUMBO_TAG_DIV)[0];
  EXPECT_STREQ(doc.Attr(div, "id"), "a");
  EXPECT_EQ(doc.Text(div), "x\ny");
  EXPECT_TRUE(doc.Contains(div, doc.ByTag(GUMBO_TAG_P)[1]));
  ASSERT_EQ(doc.scripts().size(), 1u);
  EXPECT_EQ(doc.scripts()[0].type, "application/ld+json");
  EXPECT_EQ(doc.scripts()[0].text, "{}");
}

TEST(HtmlDocumentTest, WalksDeepTreesWithoutRecursion) {
  // 400 levels (Gumbo's own limit on nested formatting aside): the explicit
  // stack walk is fine.
  std::string html;
  for (int i = 0; i < 400; ++i) html += "<div>";
  html += "deep";
  HtmlDocument doc(html);
  EXPECT_EQ(doc.Text(0), "deep");
}

TEST(HtmlFragmentToTextTest, StripsMarkup) {
  EXPECT_EQ(HtmlFragmentToText("<p>a &amp; b</p><p>c</p>"), "a & b\nc");
}

}  // namespace
}  // namespace parser
