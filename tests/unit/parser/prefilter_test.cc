#include "parser/prefilter.h"

#include <gtest/gtest.h>
#include <gumbo.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "parser/html_document.h"
#include "parser/page_parser.h"
#include "tests/support/fixtures.h"

namespace parser {
namespace {

std::string Filter(std::string html, PrefilterStats* stats = nullptr) {
  const PrefilterStats s = DropUnreadBodies(&html);
  if (stats != nullptr) *stats = s;
  return html;
}

TEST(PrefilterTest, EmptiesCodeScriptKeepingTags) {
  PrefilterStats stats;
  EXPECT_EQ(Filter("<p>a</p><script>var x = 1 < 2;</script><p>b</p>", &stats),
            "<p>a</p><script></script><p>b</p>");
  EXPECT_EQ(stats.scripts_emptied, 1u);
  EXPECT_EQ(stats.bytes_removed, std::string("var x = 1 < 2;").size());
}

TEST(PrefilterTest, EmptiesJavaScriptTypesAndModules) {
  EXPECT_EQ(Filter("<script type=\"text/javascript\">f()</script>"),
            "<script type=\"text/javascript\"></script>");
  EXPECT_EQ(Filter("<script type='module'>import a from 'b'</script>"),
            "<script type='module'></script>");
  EXPECT_EQ(Filter("<script type=\" Application/JavaScript \">f()</script>"),
            "<script type=\" Application/JavaScript \"></script>");
  EXPECT_EQ(Filter("<script type=\"\">f()</script>"),
            "<script type=\"\"></script>");
}

TEST(PrefilterTest, KeepsDataScripts) {
  for (const std::string html : {
           "<script type=\"application/ld+json\">{\"@type\":\"X\"}</script>",
           "<script type=application/json>{\"a\":1}</script>",
           "<script type=\"application/vnd.api+json\">{}</script>",
           "<script id=\"__NEXT_DATA__\" type=\"application/json\">{}</script>",
           "<script id=\"__NEXT_DATA__\">{\"props\":{}}</script>",
           "<script id=serialized-server-data>[{}]</script>",
           "<script id=\"shoebox-media-api-cache\">{}</script>",
           "<script name=\"schema:podcast-episode\">{}</script>",
           "<script type=\"text/x-template\"><div>{{a}}</div></script>",
           "<script type=\"text&#47;javascript\">f()</script>",
           "<script type=\"text/babel\">f()</script>",
       }) {
    EXPECT_EQ(Filter(html), html);
  }
}

TEST(PrefilterTest, UppercaseAndUnquotedAttributes) {
  EXPECT_EQ(Filter("<SCRIPT TYPE=TEXT/JAVASCRIPT>f()</SCRIPT>"),
            "<SCRIPT TYPE=TEXT/JAVASCRIPT></SCRIPT>");
  EXPECT_EQ(Filter("<Script Type=Application/LD+JSON>{}</sCrIpT>"),
            "<Script Type=Application/LD+JSON>{}</sCrIpT>");
  // The first of duplicate attributes counts, as in Gumbo.
  EXPECT_EQ(Filter("<script type=application/json type=text/javascript>{}"
                   "</script>"),
            "<script type=application/json type=text/javascript>{}</script>");
}

TEST(PrefilterTest, QuotedAttributeValuesMayHoldGreaterThan) {
  EXPECT_EQ(
      Filter("<script data-x=\"a>b\" type='application/json'>{}</script>"),
      "<script data-x=\"a>b\" type='application/json'>{}</script>");
  // A '<script>' inside an attribute value is not a tag.
  const std::string in_attr = "<a title=\"<script>\">keep</a></script>";
  EXPECT_EQ(Filter(in_attr), in_attr);
}

TEST(PrefilterTest, EndTagNeedsDelimiter) {
  EXPECT_EQ(Filter("<script>a='</scripts>';b</script >c"),
            "<script></script >c");
  EXPECT_EQ(Filter("<script>a</script/>c"), "<script></script/>c");
  EXPECT_EQ(Filter("<script>a</script\tx>c"), "<script></script\tx>c");
}

TEST(PrefilterTest, UnterminatedScriptIsKept) {
  const std::string html = "<p>a</p><script>var a = 1; </scrip";
  EXPECT_EQ(Filter(html), html);
  const std::string at_end = "<script>f()</script";
  EXPECT_EQ(Filter(at_end), at_end);
}

TEST(PrefilterTest, ScriptWithCommentOpenIsKept) {
  const std::string html =
      "<script><!-- document.write('<script>x</script>'); --></script>"
      "<script>y</script>";
  // The first script ends at the last </script> (double-escaped); the second
  // is emptied.
  EXPECT_EQ(Filter(html),
            "<script><!-- document.write('<script>x</script>'); --></script>"
            "<script></script>");
  const std::string simple = "<script><!-- f() //--></script>";
  EXPECT_EQ(Filter(simple), simple);
}

TEST(PrefilterTest, EmptiesStyle) {
  PrefilterStats stats;
  EXPECT_EQ(Filter("<STYLE media=all>p>a{color:red}</style><p>x</p>", &stats),
            "<STYLE media=all></style><p>x</p>");
  EXPECT_EQ(stats.styles_emptied, 1u);
  // RAWTEXT: "<!--" inside style is text and "</script>" does not end it.
  EXPECT_EQ(Filter("<style><!-- </script> --></style>ok"), "<style></style>ok");
}

TEST(PrefilterTest, IgnoresScriptsInsideTextAndComments) {
  for (const std::string html : {
           "<!-- <script>x</script> -->",
           "<textarea><script>x</script></textarea>",
           "<title><script>x</script></title>",
           "<xmp><style>x</style></xmp>",
           "<iframe><script>x</script></iframe>",
           "<noembed><script>x</script></noembed>",
           "<plaintext><script>x</script>",
           "<!DOCTYPE html><? <script>x</script> ?>",
       }) {
    EXPECT_EQ(Filter(html), html);
  }
  // A comment ends at "-->" or "--!>"; "<!-->" is a whole comment.
  EXPECT_EQ(Filter("<!-- a --!><script>x</script>"),
            "<!-- a --!><script></script>");
  EXPECT_EQ(Filter("<!--><script>x</script>"), "<!--><script></script>");
}

TEST(PrefilterTest, LeavesForeignContentAlone) {
  const std::string svg =
      "<svg><style>.a{fill:red}</style><script>f()</script></svg>";
  EXPECT_EQ(Filter(svg), svg);
  EXPECT_EQ(Filter(svg + "<script>g()</script>"), svg + "<script></script>");
  const std::string icon = "<svg/><script>g()</script>";
  EXPECT_EQ(Filter(icon), "<svg/><script></script>");
}

// An icon (an <svg> that only draws) loses its body, keeping its tags and
// attributes; an <svg> with anything a reader could see or a strategy read
// (text, <title>, <text>, a link, an HTML element) is left as it is.
TEST(PrefilterTest, EmptiesSvgIconsOnly) {
  PrefilterStats stats;
  EXPECT_EQ(Filter("<p>a<svg class=\"star\" aria-label=\"4.5 stars\">\n"
                   "  <g fill=\"#fc0\"><path d=\"M0 0L1 1\"/><use href=\"#s\"/>"
                   "</g><!-- full --><circle r=\"2\"></circle></svg>b</p>",
                   &stats),
            "<p>a<svg class=\"star\" aria-label=\"4.5 stars\"></svg>b</p>");
  EXPECT_EQ(stats.svgs_emptied, 1U);
  for (const std::string& kept :
       {std::string("<svg><title>4.6 out of 5</title><path d=\"M0\"/></svg>"),
        std::string("<svg><text x=\"1\">4.6</text></svg>"),
        std::string("<svg><path d=\"M0\"/>4.6</svg>"),
        std::string("<svg><a href=\"/show/1\"><path d=\"M0\"/></a></svg>"),
        std::string("<svg><path d=\"M0\"/><img src=\"x.png\"></svg>"),
        std::string("<svg><path d=\"M0\"/>&amp;</svg>"),
        std::string("<math><mi>x</mi></math>")}) {
    PrefilterStats none;
    EXPECT_EQ(Filter(kept, &none), kept);
    EXPECT_EQ(none.svgs_emptied, 0U) << kept;
  }
  // Nested: the outermost icon goes whole.
  EXPECT_EQ(Filter("<svg><svg><path/></svg><g/></svg><script>f()</script>"),
            "<svg></svg><script></script>");
  // An unterminated <svg> is kept.
  EXPECT_EQ(Filter("<svg><path d=\"M0\"/>"), "<svg><path d=\"M0\"/>");
}

TEST(PrefilterTest, NoscriptIsMarkupInGumbo) {
  EXPECT_EQ(Filter("<noscript><style>a{}</style></noscript>"),
            "<noscript><style></style></noscript>");
}

TEST(PrefilterTest, TagCutByEndOfInputStopsTheScan) {
  const std::string html = "<script>f()</script><a href=\"x";
  EXPECT_EQ(Filter(html), "<script></script><a href=\"x");
  const std::string open_tag = "<script type=\"application/json";
  EXPECT_EQ(Filter(open_tag), open_tag);
}

TEST(PrefilterTest, ParsePageStillReadsJsonLdBesideEmptiedScripts) {
  const std::string html =
      "<html><head><style>body{}</style><script>var a='</div>';</script>"
      "<script type=\"application/ld+json\">{\"@context\":\"https://"
      "schema.org\",\"@type\":\"PodcastEpisode\",\"name\":\"Ep One\","
      "\"url\":\"https://e.example/ep/1\"}</script></head>"
      "<body><script>document.write('x')</script><h1>Ep One</h1></body>"
      "</html>";
  const ParsedPage page = ParsePage(html, "https://e.example/ep/1");
  ASSERT_TRUE(page.record.episode_title.has_value());
  EXPECT_EQ(*page.record.episode_title, "Ep One");
}

// The tree Gumbo builds, as lines: every element with its attributes and every
// text or comment outside script and style; scripts with their text apart.
struct TreeShape {
  std::vector<std::string> nodes;
  // Scripts in document order: whether a strategy reads it, and its text.
  std::vector<std::pair<bool, std::string>> scripts;
};

TreeShape Shape(const std::string& html) {
  TreeShape shape;
  GumboOutput* output =
      gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  std::vector<const GumboNode*> stack = {output->root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
      const GumboElement& e = node->v.element;
      std::string line = "<" + std::string(gumbo_normalized_tagname(e.tag));
      if (e.tag == GUMBO_TAG_UNKNOWN) {
        GumboStringPiece name = e.original_tag;
        gumbo_tag_from_original_text(&name);
        line += std::string(name.data, name.length);
      }
      for (unsigned a = 0; a < e.attributes.length; ++a) {
        const auto* attr =
            static_cast<const GumboAttribute*>(e.attributes.data[a]);
        line += " " + std::string(attr->name) + "=" + attr->value;
      }
      shape.nodes.push_back(line);
      const bool raw = e.tag == GUMBO_TAG_SCRIPT || e.tag == GUMBO_TAG_STYLE;
      // The inside of an <svg> is not compared: icons lose it.
      if (e.tag == GUMBO_TAG_SVG) continue;
      if (e.tag == GUMBO_TAG_SCRIPT) {
        std::string text;
        for (unsigned c = 0; c < e.children.length; ++c) {
          const auto* child = static_cast<const GumboNode*>(e.children.data[c]);
          if (child->type != GUMBO_NODE_ELEMENT) text += child->v.text.text;
        }
        const GumboAttribute* type = gumbo_get_attribute(&e.attributes, "type");
        const GumboAttribute* id = gumbo_get_attribute(&e.attributes, "id");
        const std::string type_text = type ? type->value : "";
        const std::string id_text = id ? id->value : "";
        const bool read = type_text.find("json") != std::string::npos ||
                          id_text == "__NEXT_DATA__" ||
                          id_text == "__NUXT_DATA__";
        shape.scripts.emplace_back(read, text);
      }
      for (unsigned c = e.children.length; c > 0; --c) {
        const auto* child =
            static_cast<const GumboNode*>(e.children.data[c - 1]);
        if (raw && child->type != GUMBO_NODE_ELEMENT) continue;
        stack.push_back(child);
      }
    } else if (node->type != GUMBO_NODE_DOCUMENT) {
      shape.nodes.push_back("#" + std::to_string(node->type) + " " +
                            node->v.text.text);
    } else {
      for (unsigned c = node->v.document.children.length; c > 0; --c) {
        stack.push_back(static_cast<const GumboNode*>(
            node->v.document.children.data[c - 1]));
      }
    }
  }
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return shape;
}

// Over every page of the corpus: Gumbo builds the same tree from the filtered
// bytes (but inside emptied <svg> icons), every script keeps its text or
// loses all of it, and every script a strategy reads keeps it.
TEST(PrefilterTest, CorpusTreesUnchanged) {
  namespace fs = std::filesystem;
  size_t pages = 0;
  size_t emptied = 0;
  for (const auto& entry : fs::recursive_directory_iterator(
           fs::path(testsupport::DataDir()) / "corpus")) {
    if (entry.path().extension() != ".html") continue;
    ++pages;
    const std::string html = testsupport::ReadFile(entry.path().string());
    std::string filtered = html;
    const PrefilterStats stats = DropUnreadBodies(&filtered);
    emptied += stats.scripts_emptied + stats.styles_emptied;
    EXPECT_EQ(filtered.size() + stats.bytes_removed, html.size());
    const TreeShape before = Shape(html);
    const TreeShape after = Shape(filtered);
    EXPECT_EQ(before.nodes, after.nodes) << entry.path();
    ASSERT_EQ(before.scripts.size(), after.scripts.size()) << entry.path();
    for (size_t k = 0; k < before.scripts.size(); ++k) {
      const auto& [read, text] = before.scripts[k];
      if (!read && after.scripts[k].second.empty()) continue;
      EXPECT_EQ(text, after.scripts[k].second) << entry.path();
    }
  }
  EXPECT_GT(pages, 20u);
  EXPECT_GT(emptied, 0u);
}

}  // namespace
}  // namespace parser

namespace parser {
namespace {

// With a place for them, the bodies of data scripts longer than a few bytes
// are taken out: a marker stays in the page, the body (as Gumbo's input stream
// would give it: CR LF and CR as LF, NUL as U+FFFD) goes to the list, and the
// document reads it back as the script's text. Short ones and escaped ones
// stay in place.
TEST(PrefilterTest, TakesDataScriptBodiesOutAndTheDocumentReadsThemBack) {
  const std::string json = "{\"props\":{\"show\":\"Harbour\\u0020Lights\",";
  const std::string body = json + "\r\n\"n\":1,\r\"pad\":\"" +
                           std::string(40, 'x') + "\"}" + std::string(1, '\0');
  std::string html =
      "<p>a</p><script id=\"__NEXT_DATA__\" type=\"application/json\">" + body +
      "</script><script type=\"application/ld+json\">{}</script>";
  std::vector<std::string> taken;
  const PrefilterStats stats = DropUnreadBodies(&html, &taken);
  EXPECT_EQ(stats.scripts_taken, 1U);
  ASSERT_EQ(taken.size(), 1U);
  const std::string read = json + "\n\"n\":1,\n\"pad\":\"" +
                           std::string(40, 'x') + "\"}\xEF\xBF\xBD";
  EXPECT_EQ(taken[0], read);
  const std::string marker =
      std::string(kScriptMarker) + "0" + std::string(kScriptMarker);
  EXPECT_EQ(html,
            "<p>a</p><script id=\"__NEXT_DATA__\" type=\"application/json\">" +
                marker +
                "</script><script type=\"application/ld+json\">{}</script>");

  HtmlDocument doc(html, taken);
  ASSERT_EQ(doc.scripts().size(), 2U);
  EXPECT_EQ(doc.scripts()[0].text, read);
  EXPECT_EQ(doc.scripts()[1].text, "{}");
}

// A page whose own text holds the marker has nothing taken out, and a marker
// with an index past the list is read as plain text.
TEST(PrefilterTest, APageHoldingTheMarkerKeepsItsScripts) {
  const std::string body = std::string(kScriptMarker) + std::string(80, 'y');
  std::string html = "<script type=\"application/json\">" + body + "</script>";
  std::vector<std::string> taken;
  EXPECT_EQ(DropUnreadBodies(&html, &taken).scripts_taken, 0U);
  EXPECT_TRUE(taken.empty());
  const std::string stray =
      std::string(kScriptMarker) + "7" + std::string(kScriptMarker);
  HtmlDocument doc("<script type=\"application/json\">" + stray + "</script>",
                   {"only one"});
  ASSERT_EQ(doc.scripts().size(), 1U);
  EXPECT_EQ(doc.scripts()[0].text, stray);
}

}  // namespace
}  // namespace parser
