#include "parser/prefilter.h"

#include <gtest/gtest.h>
#include <gumbo.h>

#include <algorithm>
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

// Gumbo's text as the thinned page gives it: runs of whitespace as one
// character, '\n' when the run holds one.
std::string CollapsedRuns(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto space = [](char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\f';
    };
    size_t j = i;
    while (j < text.size() && space(text[j])) ++j;
    if (j - i >= 2) {
      out += text.substr(i, j - i).find('\n') != std::string_view::npos ? '\n'
                                                                        : ' ';
      i = j;
    } else {
      out += text[i++];
    }
  }
  return out;
}

// True when the prefilter may thin the text node `node`: its parent is an
// HTML element that is not raw text, and it is not the first child of a
// <pre> or <listing>.
bool ThinnedText(const GumboNode* node) {
  const GumboNode* parent = node->parent;
  if (parent == nullptr || parent->type == GUMBO_NODE_DOCUMENT) return true;
  const GumboElement& e = parent->v.element;
  if (e.tag_namespace != GUMBO_NAMESPACE_HTML) return false;
  switch (e.tag) {
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_PLAINTEXT:
      return false;
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_LISTING:
      return node->index_within_parent > 0;
    default:
      return true;
  }
}

// True for an HTML element, or an <svg> or <math> whose start tag is in HTML
// content: the prefilter thins their attributes.
bool InHtmlContent(const GumboNode* node) {
  if (node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML) return true;
  const GumboNode* parent = node->parent;
  return parent == nullptr || parent->type == GUMBO_NODE_DOCUMENT ||
         parent->v.element.tag_namespace == GUMBO_NAMESPACE_HTML;
}

// With `thinning`, the shape the tree has once thinned: HTML elements keep
// only the attributes read, text its runs collapsed (as ThinnedText says).
TreeShape Shape(const std::string& html, const Thinning* thinning = nullptr) {
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
        const std::string name = attr->name;
        if (thinning != nullptr && InHtmlContent(node) &&
            !IsReadAttribute(name) &&
            std::ranges::find(thinning->also_read, name) ==
                thinning->also_read.end()) {
          continue;
        }
        line += " " + name + "=" + attr->value;
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
      const std::string_view text = node->v.text.text;
      const bool thin = thinning != nullptr &&
                        node->type != GUMBO_NODE_COMMENT && ThinnedText(node);
      shape.nodes.push_back("#" + std::to_string(node->type) + " " +
                            (thin ? CollapsedRuns(text) : std::string(text)));
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

// Thinned (unread attributes out, whitespace runs cut), every corpus page
// gives Gumbo the same tree but for exactly those attributes and runs: no
// element or text node more or less, every attribute read still there.
TEST(PrefilterTest, ThinnedCorpusTreesKeepEverythingRead) {
  namespace fs = std::filesystem;
  const Thinning thinning{{"data-testid"}};
  size_t pages = 0;
  size_t dropped = 0;
  size_t runs = 0;
  for (const auto& entry : fs::recursive_directory_iterator(
           fs::path(testsupport::DataDir()) / "corpus")) {
    if (entry.path().extension() != ".html") continue;
    ++pages;
    const std::string html = testsupport::ReadFile(entry.path().string());
    std::string thinned = html;
    const PrefilterStats stats = DropUnreadBodies(&thinned, nullptr, &thinning);
    dropped += stats.attributes_dropped;
    runs += stats.whitespace_runs;
    EXPECT_EQ(thinned.size() + stats.bytes_removed, html.size());
    const std::vector<std::string> want = Shape(html, &thinning).nodes;
    // Both collapsed: Gumbo joins texts that a dropped stray tag parted, and
    // their runs were cut in parts.
    const std::vector<std::string> got = Shape(thinned, &thinning).nodes;
    ASSERT_EQ(want.size(), got.size()) << entry.path();
    for (size_t k = 0; k < want.size(); ++k) {
      ASSERT_EQ(want[k], got[k]) << entry.path() << " node " << k;
    }
  }
  EXPECT_GT(pages, 20u);
  EXPECT_GT(dropped, 1000u);
  EXPECT_GT(runs, 1000u);
}

std::string Thin(std::string html, std::vector<std::string> also_read = {}) {
  const Thinning thinning{std::move(also_read)};
  DropUnreadBodies(&html, nullptr, &thinning);
  return html;
}

TEST(PrefilterTest, ThinningDropsUnreadAttributesWithTheirSpace) {
  EXPECT_EQ(Thin("<div class=\"a\" data-props='{\"x\":1}' id=b>t</div>"),
            "<div class=\"a\" id=b>t</div>");
  EXPECT_EQ(Thin("<img src=a.png srcset=\"a 1x, b 2x\" loading=lazy alt=A>"),
            "<img src=a.png alt=A>");
  // Names in any case; no value, an empty value, an unquoted one.
  EXPECT_EQ(Thin("<INPUT Type=hidden DISABLED data-x= onclick=go()>"),
            "<INPUT Type=hidden>");
  // What a profile reads stays.
  EXPECT_EQ(Thin("<a data-testid=t data-x=1 href=/s>x</a>", {"data-testid"}),
            "<a data-testid=t href=/s>x</a>");
}

TEST(PrefilterTest, ThinningNeverMakesATagSelfClosingOrJoinsAttributes) {
  // After a '/', or with no space before it, an attribute stays.
  EXPECT_EQ(Thin("<div / data-x=1>a</div>"), "<div / data-x=1>a</div>");
  EXPECT_EQ(Thin("<div class=\"a\"data-x=1>a</div>"),
            "<div class=\"a\"data-x=1>a</div>");
  // An unquoted value holds the '/' before '>': the tag is not self-closing.
  EXPECT_EQ(Thin("<span data-x=1/>a</span>"), "<span>a</span>");
  EXPECT_EQ(Thin("<span data-x=\"1\"/>a</span>"), "<span />a</span>");
  // A space stays when what follows would join what precedes.
  EXPECT_EQ(Thin("<a target=\"_blank\"rel=\"x\">a</a>"), "<a rel=\"x\">a</a>");
  EXPECT_EQ(Thin("<a href=x data-y=\"1\"/>a</a>"), "<a href=x />a</a>");
}

TEST(PrefilterTest, ThinningCutsWhitespaceRunsOutsidePreAndRawText) {
  EXPECT_EQ(Thin("<ul>\n    <li>a   b</li>\t\t<li>c</li>\r\n</ul>"),
            "<ul>\n<li>a b</li> <li>c</li>\n</ul>");
  // <pre>'s first text keeps its runs (Gumbo drops its first newline);
  // textarea and title are raw text; SVG content is left as it is.
  EXPECT_EQ(Thin("<pre>\n  x  y<b>  </b></pre>"),
            "<pre>\n  x  y<b> </b></pre>");
  EXPECT_EQ(Thin("<title>a  b</title><textarea>\n  t</textarea>"),
            "<title>a  b</title><textarea>\n  t</textarea>");
  EXPECT_EQ(Thin("<svg><text x=1>a   b</text></svg>"),
            "<svg><text x=1>a   b</text></svg>");
}

// A script's kind is read before its attributes move: a data script whose
// type comes before dropped attributes is still taken, a code one emptied.
TEST(PrefilterTest, ThinningKeepsScriptKinds) {
  EXPECT_EQ(Thin("<script async data-x=1 nonce=n>f()</script>"),
            "<script></script>");
  EXPECT_EQ(
      Thin("<p class=a data-y=2>p</p><script type=application/ld+json "
           "data-x=1>{\"a\":1}</script>"),
      "<p class=a>p</p><script type=application/ld+json>{\"a\":1}</script>");
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
