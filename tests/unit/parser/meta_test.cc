// The meta strategy (parser/meta.cc): OpenGraph, description, canonical,
// feed, audio, dates, the site's name, a show named by a meta tag, the
// author and the publisher.
#include <gtest/gtest.h>

#include <string>

#include "parser/strategies.h"
#include "strategy_fixture.h"

namespace parser {
namespace {

using fixture::Find;
using fixture::FindSignal;
using fixture::Html;
using fixture::OwnerOf;
using fixture::TestPage;

Candidates Propose(TestPage& p) {
  Candidates out;
  ProposeMeta(p.ctx, out);
  return out;
}

TEST(MetaStrategyTest, LinksDatesDurationAndLanguage) {
  TestPage p(R"(<html lang="de"><head>
      <link rel="canonical" href="/podcast/deep-current/ep-7">
      <meta property="og:url" content="https://shows.example/og">
      <link rel="alternate" type="application/rss+xml" href="/feed.xml">
      <meta property="og:audio" content="/a.mp3">
      <meta property="article:published_time" content="2024-03-05T06:00:00Z">
      <meta name="date" content="5 March 2024">
      <meta property="music:duration" content="2700">
      </head><body></body></html>)");
  const Candidates out = Propose(p);
  const auto canonical = out.Of(Field::kCanonicalUrl);
  ASSERT_EQ(canonical.size(), 2U);
  EXPECT_EQ(canonical[0]->text,
            "https://shows.example/podcast/deep-current/ep-7");
  EXPECT_EQ(canonical[0]->source, "meta");
  EXPECT_EQ(canonical[0]->strength, Strength::kPage);
  EXPECT_EQ(canonical[1]->text, "https://shows.example/og");
  EXPECT_NE(Find(out, Field::kFeedUrl, "https://shows.example/feed.xml"),
            nullptr);
  EXPECT_NE(Find(out, Field::kAudioUrl, "https://shows.example/a.mp3"),
            nullptr);
  // Only ISO 8601 dates.
  ASSERT_EQ(out.Of(Field::kPublished).size(), 1U);
  EXPECT_EQ(out.Of(Field::kPublished)[0]->text, "2024-03-05T06:00:00Z");
  ASSERT_EQ(out.Of(Field::kDurationS).size(), 1U);
  EXPECT_EQ(out.Of(Field::kDurationS)[0]->number, 2700);
  EXPECT_NE(Find(out, Field::kLanguage, "de"), nullptr);
}

// Feed link titles: a show's feed names it; a blog's "SITE » Feed" names the
// site; comment feeds name nothing.
TEST(MetaStrategyTest, FeedLinkTitles) {
  TestPage p(R"(<html><head>
      <link rel="alternate" type="application/rss+xml" title="Night Owls &raquo; Feed" href="/feed">
      <link rel="alternate" type="application/rss+xml" title="Night Owls &raquo; Comments Feed" href="/c">
      <link rel="alternate" type="application/rss+xml" title="The Film Gang RSS Feed" href="/f">
      </head><body></body></html>)");
  const Candidates out = Propose(p);
  const Candidate* site = Find(out, Field::kShowName, "Night Owls");
  ASSERT_NE(site, nullptr);
  EXPECT_EQ(site->owner, Owner::kSite);
  EXPECT_EQ(site->signal, "feed-title");
  const Candidate* show = Find(out, Field::kShowName, "The Film Gang");
  ASSERT_NE(show, nullptr);
  EXPECT_EQ(show->owner, Owner::kUnknown);
  EXPECT_EQ(out.Of(Field::kShowName).size(), 2U);

  TestPage podcast(R"(<html><head>
      <link rel="alternate" type="application/rss+xml" title="The 404 Podcast Feed" href="/p">
      </head><body></body></html>)");
  const Candidates named = Propose(podcast);
  const Candidate* c = Find(named, Field::kShowName, "The 404 Podcast");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->strength, Strength::kPage);
}

TEST(MetaStrategyTest, KindFromOgType) {
  {
    TestPage p(
        Html(R"(<meta property="og:type" content="video.episode">)", ""));
    const Candidates out = Propose(p);
    const Candidate* kind = FindSignal(out, Field::kKind, "og:type");
    ASSERT_NE(kind, nullptr);
    EXPECT_EQ(kind->text, "episode");
    EXPECT_EQ(kind->strength, Strength::kPage);
  }
  {
    // "article" is no kind by itself: a guess the resolver reads only when
    // a podcast-specific signal names a show.
    TestPage p(Html(R"(<meta property="og:type" content="article">)", ""));
    const Candidates out = Propose(p);
    const Candidate* kind = FindSignal(out, Field::kKind, "og:type");
    ASSERT_NE(kind, nullptr);
    EXPECT_EQ(kind->text, "article");
    EXPECT_EQ(kind->strength, Strength::kGuess);
  }
  {
    TestPage p(Html(R"(<meta property="og:type" content="website">)", ""));
    EXPECT_TRUE(Propose(p).Of(Field::kKind).empty());
  }
}

// Every description meta is a candidate of its own, marked as metadata
// (not visible), owner unknown, truncated when it ends in an ellipsis.
TEST(MetaStrategyTest, Descriptions) {
  TestPage p(Html(R"(<meta name="description" content="We follow one owl.">
      <meta property="og:description" content="We follow one owl for a…">
      <meta name="twitter:description" content="x">)",
                  ""));
  const Candidates out = Propose(p);
  const auto texts = out.Of(Field::kDescription);
  ASSERT_EQ(texts.size(), 2U);  // "x" is under two characters
  EXPECT_EQ(texts[0]->text, "We follow one owl.");
  EXPECT_EQ(texts[0]->signal, "description");
  EXPECT_EQ(texts[0]->owner, Owner::kUnknown);
  EXPECT_FALSE(texts[0]->visible);
  EXPECT_FALSE(texts[0]->truncated);
  EXPECT_EQ(texts[1]->signal, "og:description");
  EXPECT_TRUE(texts[1]->truncated);
}

// og:site_name: the site's own brand is the site's; another name is
// unknown (the show on a show's own site, or a network).
TEST(MetaStrategyTest, SiteName) {
  {
    TestPage p(Html(R"(<meta property="og:site_name" content="Goodpods">)", ""),
               "https://goodpods.com/podcasts/x");
    const Candidates proposed = Propose(p);
    const Candidate* site = FindSignal(proposed, Field::kShowName, "site-name");
    ASSERT_NE(site, nullptr);
    EXPECT_EQ(site->owner, Owner::kSite);
  }
  {
    TestPage p(
        Html(R"(<meta property="og:site_name" content="Night Show">)", ""));
    const Candidates out = Propose(p);
    const Candidate* site = FindSignal(out, Field::kShowName, "site-name");
    ASSERT_NE(site, nullptr);
    EXPECT_EQ(site->text, "Night Show");
    EXPECT_EQ(site->owner, Owner::kUnknown);
    EXPECT_EQ(site->strength, Strength::kPage);
  }
}

// meta.cc: a show named by a meta tag of its own ("<meta name=Show>").
TEST(MetaStrategyTest, MetaNameShow) {
  TestPage p(Html(R"(<meta name="Show" content="Night Show">
      <meta name="podcast" content="https://shows.example/night">
      <meta name="broadcast" content="Forschung aktuell">)",
                  ""));
  const Candidates out = Propose(p);
  const Candidate* show = Find(out, Field::kShowName, "Night Show");
  ASSERT_NE(show, nullptr);
  EXPECT_EQ(show->signal, "meta-show");
  EXPECT_EQ(show->owner, Owner::kShow);
  EXPECT_EQ(show->where, "meta show");
  EXPECT_EQ(OwnerOf(out, Field::kShowName, "Forschung aktuell"), Owner::kShow);
  // A URL is no name.
  EXPECT_EQ(Find(out, Field::kShowName, "https://shows.example/night"),
            nullptr);
}

TEST(MetaStrategyTest, AuthorIsAPersonPublisherANetwork) {
  TestPage p(Html(R"(<meta name="author" content="Jane Roe">
      <meta name="twitter:creator" content="@janeroe">
      <meta property="article:publisher" content="Big Network">
      <meta property="article:author" content="https://example.com/jane">)",
                  ""));
  const Candidates out = Propose(p);
  const Candidate* author = Find(out, Field::kShowName, "Jane Roe");
  ASSERT_NE(author, nullptr);
  EXPECT_EQ(author->owner, Owner::kPerson);
  EXPECT_EQ(author->signal, "meta-author");
  EXPECT_EQ(Find(out, Field::kShowName, "@janeroe"), nullptr);
  EXPECT_EQ(Find(out, Field::kShowName, "https://example.com/jane"), nullptr);
  const Candidate* publisher = Find(out, Field::kShowName, "Big Network");
  ASSERT_NE(publisher, nullptr);
  EXPECT_EQ(publisher->owner, Owner::kNetwork);
}

TEST(MetaStrategyTest, ListenPrefixNamesTheShow) {
  TestPage p(
      Html(R"(<meta property="og:description" content="Listen to this episode )"
           R"(from Night Show on Spotify. We follow one owl.">)",
           ""));
  const Candidates out = Propose(p);
  const Candidate* show = FindSignal(out, Field::kShowName, "listen-prefix");
  ASSERT_NE(show, nullptr);
  EXPECT_EQ(show->text, "Night Show");
  EXPECT_EQ(show->source, "meta");
  const auto texts = out.Of(Field::kDescription);
  ASSERT_EQ(texts.size(), 1U);
  EXPECT_EQ(texts[0]->text, "We follow one owl.");
}

}  // namespace
}  // namespace parser
