// PageContext (parser/page_context.h): the page's address and base URL, its
// meta and link tags, reference resolution, the site's brand, page chrome,
// and the address a page without a URL takes from itself.
#include "parser/page_context.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strategy_fixture.h"

namespace parser {
namespace {

using fixture::Html;
using fixture::TestPage;

// The element whose id attribute is `id`.
int ById(const HtmlDocument& doc, std::string_view id) {
  for (int i = 0; i < doc.size(); ++i) {
    if (doc.element(i).id != nullptr && doc.element(i).id == id) return i;
  }
  ADD_FAILURE() << "no element #" << id;
  return 0;
}

TEST(PageContextTest, AddressHostAndPath) {
  TestPage p(Html("", ""), "https://Pods.Example/podcast/x?i=1#top");
  EXPECT_EQ(p.ctx.url(), "https://Pods.Example/podcast/x?i=1#top");
  EXPECT_EQ(p.ctx.host(), "pods.example");
  EXPECT_EQ(p.ctx.path(), "/podcast/x?i=1");
  TestPage root(Html("", ""), "https://pods.example");
  EXPECT_EQ(root.ctx.path(), "/");
  EXPECT_TRUE(root.ctx.errors().empty());
}

// The meta index: (lowercased name or property, content), document order;
// itemprop metas belong to microdata, not to it.
TEST(PageContextTest, MetaIndex) {
  TestPage p(Html(R"(<meta property="OG:Title" content="First">
      <meta name="description" content="  ">
      <meta name="description" content="The text.">
      <meta property="og:title" content="Second">
      <meta itemprop="name" content="Microdata name">
      <meta http-equiv="Content-Language" content="de">
      <meta name="nocontent">)",
                  ""));
  EXPECT_EQ(p.ctx.MetaFirst("og:title"), "First");
  EXPECT_EQ(p.ctx.MetaAll("og:title"),
            (std::vector<std::string>{"First", "Second"}));
  // MetaFirst skips blank contents; MetaAll keeps them.
  EXPECT_EQ(p.ctx.MetaFirst("description"), "The text.");
  EXPECT_EQ(p.ctx.MetaAll("description").size(), 2U);
  EXPECT_EQ(p.ctx.MetaFirst("content-language"), "de");
  EXPECT_EQ(p.ctx.MetaFirst("name"), std::nullopt);
  EXPECT_EQ(p.ctx.MetaFirst("nocontent"), std::nullopt);
  EXPECT_EQ(p.ctx.meta().size(), 5U);
  EXPECT_EQ(p.ctx.meta().front().first, "og:title");
}

TEST(PageContextTest, CanonicalFeedLanguageAndTitle) {
  TestPage p(
      R"(<html lang="fr-FR"><head><title>  Ep 7 |
      Deep Current </title>
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" type="text/html" href="/other">
      <link rel="alternate" type="application/rss+xml" href="/feed.xml">
      <link rel="alternate" type="application/atom+xml" href="/atom.xml">
      <link rel="Canonical" href="https://shows.example/c">
      <link rel="canonical" href="https://shows.example/second">
      </head><body></body></html>)");
  EXPECT_EQ(p.ctx.canonical_link(), "https://shows.example/c");
  EXPECT_EQ(p.ctx.feed_link(), "/feed.xml");
  EXPECT_EQ(p.ctx.html_lang(), "fr-FR");
  EXPECT_EQ(p.ctx.title(), "Ep 7 | Deep Current");
}

TEST(PageContextTest, NoTitleNoLanguage) {
  TestPage p(R"(<html lang=""><body><p>x</p></body></html>)");
  EXPECT_EQ(p.ctx.title(), "");
  EXPECT_FALSE(p.ctx.html_lang());
  EXPECT_FALSE(p.ctx.canonical_link());
  EXPECT_FALSE(p.ctx.feed_link());
}

// page_context.h: nullopt for fragments, javascript:, mailto:, tel:, data:
// and unparsable references.
TEST(PageContextTest, ResolveRelativeAndRefusedReferences) {
  TestPage p(Html("", ""));
  EXPECT_EQ(p.ctx.Resolve("ep-8"),
            "https://shows.example/podcast/deep-current/ep-8");
  EXPECT_EQ(p.ctx.Resolve("  /about  "), "https://shows.example/about");
  EXPECT_EQ(p.ctx.Resolve("//cdn.example/a.mp3"), "https://cdn.example/a.mp3");
  EXPECT_EQ(p.ctx.Resolve("https://other.example/x"),
            "https://other.example/x");
  // The cache gives the same answer twice.
  EXPECT_EQ(p.ctx.Resolve("../ep-8"), "https://shows.example/podcast/ep-8");
  EXPECT_EQ(p.ctx.Resolve("ep-8"), p.ctx.Resolve("ep-8"));
  for (const char* ref :
       {"#", "#comments", "", "   ", "javascript:void(0)", "JavaScript:play()",
        "mailto:host@shows.example", "MAILTO:x@y", "tel:+4912345",
        "data:audio/mp3;base64,AAAA"}) {
    EXPECT_EQ(p.ctx.Resolve(ref), std::nullopt) << ref;
  }
}

TEST(PageContextTest, ResolveAgainstBaseHref) {
  TestPage p(Html(R"(<base href="https://static.example/site/">)", ""));
  EXPECT_EQ(p.ctx.Resolve("ep-9"), "https://static.example/site/ep-9");
  EXPECT_EQ(p.ctx.url(), fixture::kPageUrl);
}

// page_context.h: the site's own brand ("Goodpods" on goodpods.com, "Apple
// Podcasts" on podcasts.apple.com) rather than a show.
TEST(PageContextTest, IsBrand) {
  TestPage goodpods(Html("", ""), "https://goodpods.com/podcasts/x");
  EXPECT_TRUE(goodpods.ctx.IsBrand("Goodpods"));
  EXPECT_TRUE(goodpods.ctx.IsBrand("GoodPods"));
  EXPECT_FALSE(goodpods.ctx.IsBrand("The Daily"));

  TestPage apple(Html("", ""), "https://podcasts.apple.com/us/podcast/x/id1");
  EXPECT_TRUE(apple.ctx.IsBrand("Apple Podcasts"));
  EXPECT_FALSE(apple.ctx.IsBrand("Apple Orchard Stories"));

  TestPage telegraph(Html("", ""), "https://www.telegraph.co.uk/podcasts/x/");
  EXPECT_TRUE(telegraph.ctx.IsBrand("The Telegraph"));
  EXPECT_TRUE(telegraph.ctx.IsBrand("Telegraph"));
  EXPECT_FALSE(telegraph.ctx.IsBrand("The Daily T"));

  TestPage other(Html("", ""), "https://radio.example.de/sendung");
  // A name in another script is never the host's brand.
  EXPECT_FALSE(other.ctx.IsBrand("Радио Свобода"));
  EXPECT_FALSE(other.ctx.IsBrand("ラジオ"));
  EXPECT_FALSE(other.ctx.IsBrand("Die"));  // articles alone name nothing
  EXPECT_TRUE(other.ctx.IsBrand("Radio Example"));
}

// page_context.h: nav, footer, aside, header menus, comment sections, forms.
TEST(PageContextTest, InChrome) {
  TestPage p(Html("", R"(
      <nav><a id="in-nav" href="/">Home</a></nav>
      <header><div class="main-menu"><a id="in-menu" href="/a">A</a></div>
        <h1 id="site-heading">Deep Current</h1></header>
      <article><h1 id="title">Ep 7</h1><p id="body">Text <b id="bold">b</b></p>
        <div class="comments"><p id="comment">Nice!</p></div>
        <section id="respond"><p id="reply">Reply</p></section></article>
      <aside><p id="in-aside">Sidebar</p></aside>
      <div role="contentinfo"><p id="in-role">Info</p></div>
      <form><label id="in-form">Email</label></form>
      <footer><p id="in-footer">© Deep Current</p></footer>)"));
  for (const char* id : {"in-nav", "in-menu", "comment", "reply", "in-aside",
                         "in-role", "in-form", "in-footer"}) {
    EXPECT_TRUE(p.ctx.InChrome(ById(p.doc, id))) << id;
  }
  for (const char* id : {"site-heading", "title", "body", "bold"}) {
    EXPECT_FALSE(p.ctx.InChrome(ById(p.doc, id))) << id;
  }
  // Memoised answers stay the same.
  EXPECT_TRUE(p.ctx.InChrome(ById(p.doc, "comment")));
  EXPECT_FALSE(p.ctx.InChrome(ById(p.doc, "bold")));
}

TEST(PageContextTest, ElementHelpers) {
  TestPage p(Html("", R"(<div id="card"><span id="lead">x</span>
      <a id="nohref">no</a><a id="link" href="/x"><b id="inner">X</b></a></div>
      <div role="heading" id="aria-heading">Heading</div><h3 id="h3">H</h3>)"));
  EXPECT_TRUE(p.ctx.IsHeading(ById(p.doc, "aria-heading")));
  EXPECT_TRUE(p.ctx.IsHeading(ById(p.doc, "h3")));
  EXPECT_FALSE(p.ctx.IsHeading(ById(p.doc, "card")));
  EXPECT_TRUE(p.ctx.InsideLink(ById(p.doc, "inner")));
  EXPECT_FALSE(p.ctx.InsideLink(ById(p.doc, "lead")));
  EXPECT_EQ(p.ctx.FirstLink(ById(p.doc, "card")), ById(p.doc, "link"));
  EXPECT_EQ(p.ctx.FirstLink(ById(p.doc, "lead")), -1);
}

TEST(PageContextTest, RelatedSections) {
  TestPage p(Html("", R"(<section id="rel"><a id="in" href="/a">A</a></section>
      <p id="out">x</p>)"));
  EXPECT_FALSE(p.ctx.InRelated(ById(p.doc, "in")));
  p.ctx.AddRelatedSection(ById(p.doc, "rel"));
  EXPECT_TRUE(p.ctx.InRelated(ById(p.doc, "rel")));
  EXPECT_TRUE(p.ctx.InRelated(ById(p.doc, "in")));
  EXPECT_FALSE(p.ctx.InRelated(ById(p.doc, "out")));
}

// page_context.h: with no URL given, the page's own absolute canonical link
// or og:url is its address.
TEST(PageContextTest, PageWithoutUrlAdoptsItsCanonicalLink) {
  TestPage p(Html(R"(<link rel="canonical" href="https://Own.Example/show/ep-3">
      <meta property="og:url" content="https://og.example/ep-3">)",
                  ""),
             "");
  EXPECT_EQ(p.ctx.url(), "https://own.example/show/ep-3");
  EXPECT_EQ(p.ctx.host(), "own.example");
  EXPECT_EQ(p.ctx.path(), "/show/ep-3");
  EXPECT_EQ(p.ctx.Resolve("ep-4"), "https://own.example/show/ep-4");
  EXPECT_TRUE(p.ctx.errors().empty());
}

// A relative canonical link is no address: og:url is.
TEST(PageContextTest, PageWithoutUrlAdoptsOgUrlWhenCanonicalIsRelative) {
  TestPage p(Html(R"(<link rel="canonical" href="/show/ep-3">
      <meta property="og:url" content="https://og.example/ep-3">
      <base href="https://static.example/b/">)",
                  ""),
             "");
  EXPECT_EQ(p.ctx.url(), "https://og.example/ep-3");
  EXPECT_EQ(p.ctx.host(), "og.example");
  // <base href> still decides what references resolve against.
  EXPECT_EQ(p.ctx.Resolve("x"), "https://static.example/b/x");
  EXPECT_TRUE(p.ctx.errors().empty());
}

TEST(PageContextTest, PageWithoutAnyAddressSaysSo) {
  TestPage p(Html(R"(<link rel="canonical" href="/relative">)", ""), "");
  EXPECT_EQ(p.ctx.url(), "");
  EXPECT_EQ(p.ctx.host(), "");
  ASSERT_EQ(p.ctx.errors().size(), 1U);
  EXPECT_NE(p.ctx.errors()[0].find("the page has no address"),
            std::string::npos);
  EXPECT_EQ(p.ctx.Resolve("/relative"), std::nullopt);
}

}  // namespace
}  // namespace parser
