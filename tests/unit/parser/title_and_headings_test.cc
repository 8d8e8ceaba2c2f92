// The naming strategy (parser/title_and_headings.cc): title segments, a
// "Show: episode" prefix, headings, the site's title, links to the show's
// page, breadcrumbs and categories, "More episodes from SHOW".
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "parser/strategies.h"
#include "strategy_fixture.h"

namespace parser {
namespace {

using fixture::Find;
using fixture::FindSignal;
using fixture::Html;
using fixture::OwnerOf;
using fixture::TestPage;
using fixture::WithText;

// Runs the strategy; `episode` first proposes what an earlier strategy would
// have said: the page is an episode's.
Candidates Propose(TestPage& p, bool episode = false) {
  Candidates out;
  if (episode) {
    out.AddText(Field::kKind, "episode", "json-ld", "PodcastEpisode node",
                "schema-type", Strength::kStructured);
  }
  ProposeTitleAndHeadings(p.ctx, out);
  return out;
}

std::string Title(const std::string& t) { return "<title>" + t + "</title>"; }

// A show-name candidate from a title segment.
void ExpectTitleSegment(const Candidate& c, Owner owner) {
  EXPECT_EQ(c.signal, "title");
  EXPECT_EQ(c.owner, owner);
  EXPECT_EQ(c.strength, Strength::kPage);
  EXPECT_FALSE(c.visible);
}

// title_and_headings.cc: "Episode | Show | Network": the last of three names
// the network.
TEST(TitleStrategyTest, EpisodeShowNetworkSegments) {
  TestPage p(Html(Title("Owls at Night | Night Show | Big Network") +
                      "<meta property=\"og:title\" content=\"Owls at Night | "
                      "Night Show | Big Network\">",
                  ""));
  const Candidates out = Propose(p, true);
  const Candidate* episode = Find(out, Field::kEpisodeTitle, "Owls at Night");
  ASSERT_NE(episode, nullptr);
  EXPECT_EQ(episode->owner, Owner::kEpisode);
  EXPECT_EQ(episode->signal, "title");
  EXPECT_EQ(episode->source, "meta");
  EXPECT_EQ(episode->where, "<title> segment 1 of 3");

  const auto shows = WithText(out, Field::kShowName, "Night Show");
  ASSERT_EQ(shows.size(), 2U);  // <title> and og:title: one signal
  for (const Candidate* c : shows) ExpectTitleSegment(*c, Owner::kUnknown);
  const Candidate* network = Find(out, Field::kShowName, "Big Network");
  ASSERT_NE(network, nullptr);
  ExpectTitleSegment(*network, Owner::kNetwork);
  EXPECT_EQ(network->where, "<title> segment 3 of 3");
}

// The site's brand in a title is the site's; "... on BRAND" loses its
// suffix; generic words are dropped.
TEST(TitleStrategyTest, BrandSegmentsAndSuffixes) {
  {
    TestPage p(Html(Title("Night Show | Podcast | Goodpods"), ""),
               "https://goodpods.com/podcasts/night-show");
    const Candidates out = Propose(p);
    EXPECT_EQ(Find(out, Field::kShowName, "Podcast"), nullptr);
    const Candidate* brand = Find(out, Field::kShowName, "Goodpods");
    ASSERT_NE(brand, nullptr);
    EXPECT_EQ(brand->owner, Owner::kSite);
    EXPECT_EQ(OwnerOf(out, Field::kShowName, "Night Show"), Owner::kUnknown);
  }
  {
    TestPage p(Html(Title("Night Show on Apple Podcasts"), ""),
               "https://podcasts.apple.com/us/podcast/night-show/id1");
    const Candidates out = Propose(p);
    EXPECT_EQ(fixture::Texts(out, Field::kShowName),
              std::vector<std::string>{"Night Show"});
  }
}

TEST(TitleStrategyTest, NumberedSegmentNamesTheEpisode) {
  TestPage p(Html(Title("117: Owls | Night Show"), ""));
  const Candidates out = Propose(p);
  const Candidate* kind = FindSignal(out, Field::kKind, "numbered-title");
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->text, "episode");
  EXPECT_EQ(kind->strength, Strength::kGuess);
  EXPECT_NE(Find(out, Field::kEpisodeTitle, "117: Owls"), nullptr);
  EXPECT_NE(Find(out, Field::kShowName, "Night Show"), nullptr);
}

TEST(TitleStrategyTest, ShowPrefixOfTheEpisodeTitle) {
  TestPage p(Html(Title("Night Show: Owls at night"), ""));
  const Candidates out = Propose(p, true);
  EXPECT_NE(Find(out, Field::kEpisodeTitle, "Night Show: Owls at night"),
            nullptr);
  const Candidate* prefix = FindSignal(out, Field::kShowName, "title-prefix");
  ASSERT_NE(prefix, nullptr);
  EXPECT_EQ(prefix->text, "Night Show");
  EXPECT_EQ(prefix->strength, Strength::kGuess);
  // "Episode 12: ..." has no show prefix.
  TestPage numbered(Html(Title("Episode 12: Owls"), ""));
  EXPECT_EQ(
      FindSignal(Propose(numbered, true), Field::kShowName, "title-prefix"),
      nullptr);
}

// lexicon.h MoreEpisodesFrom / SubscribeTo: headings that name the show.
TEST(HeadingsStrategyTest, MoreEpisodesFromAndSubscribeTo) {
  TestPage p(Html("", R"(<h2>More episodes from Night Show</h2>
      <div role="heading">Subscribe to Day Show</div>
      <p>Subscribe to Dusk Show</p>)"));
  const Candidates out = Propose(p, true);
  const Candidate* more = Find(out, Field::kShowName, "Night Show");
  ASSERT_NE(more, nullptr);
  EXPECT_EQ(more->signal, "more-from");
  EXPECT_EQ(more->owner, Owner::kShow);
  EXPECT_EQ(more->strength, Strength::kPage);
  EXPECT_TRUE(more->visible);
  const Candidate* sub = Find(out, Field::kShowName, "Day Show");
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->signal, "subscribe-to");
  EXPECT_EQ(sub->owner, Owner::kShow);
  EXPECT_EQ(Find(out, Field::kShowName, "Dusk Show"), nullptr);  // no heading
}

// The first h1 of an episode page names the episode when nothing else does;
// on other pages an h1 is a show-name signal.
TEST(HeadingsStrategyTest, FirstHeadingOfAnEpisodePage) {
  {
    TestPage p(Html("", "<h1>Owls at Night</h1>"));
    const Candidates out = Propose(p, true);
    const Candidate* c = Find(out, Field::kEpisodeTitle, "Owls at Night");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->signal, "heading");
    EXPECT_EQ(c->where, "first h1");
    EXPECT_TRUE(out.Of(Field::kShowName).empty());
  }
  {
    TestPage p(Html("", "<h1>Night Show</h1><footer><h1>Footer</h1></footer>"));
    const Candidates out = Propose(p);
    const Candidate* c = Find(out, Field::kShowName, "Night Show");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->signal, "heading");
    EXPECT_TRUE(c->visible);
    EXPECT_EQ(Find(out, Field::kShowName, "Footer"), nullptr);
  }
}

// A heading that links to the page itself, or is marked as the entry's
// title, names the episode; the same name elsewhere is the episode's.
TEST(HeadingsStrategyTest, EntryTitle) {
  TestPage p(Html(Title("Owls | Night Show"), R"(
      <h2 class="entry-title"><a href="/podcast/deep-current/ep-7">Owls</a></h2>)"));
  const Candidates out = Propose(p, true);
  const Candidate* entry = FindSignal(out, Field::kEpisodeTitle, "entry-title");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->text, "Owls");
  EXPECT_EQ(entry->owner, Owner::kEpisode);
  EXPECT_EQ(Find(out, Field::kShowName, "Owls"), nullptr);
  EXPECT_NE(Find(out, Field::kShowName, "Night Show"), nullptr);
}

TEST(HeadingsStrategyTest, SiteTitleAndShowClass) {
  TestPage p(Html("", R"(<header><a rel="home" href="/">Night Show</a></header>
      <div class="podcast-title"><a href="/podcast/day">Day Show</a></div>)"));
  const Candidates out = Propose(p);
  const Candidate* site = FindSignal(out, Field::kShowName, "site-title");
  ASSERT_NE(site, nullptr);
  EXPECT_EQ(site->text, "Night Show");
  EXPECT_EQ(site->owner, Owner::kUnknown);
  const Candidate* named = FindSignal(out, Field::kShowName, "show-class");
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(named->text, "Day Show");
  EXPECT_EQ(named->strength, Strength::kGuess);
}

TEST(HeadingsStrategyTest, SiteTitleThatIsTheBrandIsTheSites) {
  TestPage p(Html("", R"(<div class="site-title">Telegraph</div>)"),
             "https://www.telegraph.co.uk/podcasts/x/");
  const Candidates proposed = Propose(p);
  const Candidate* site = FindSignal(proposed, Field::kShowName, "site-title");
  ASSERT_NE(site, nullptr);
  EXPECT_EQ(site->owner, Owner::kSite);
}

// Links to the show's page: the series URL that data names (a show link),
// and the parent of this page's path (a guess).
TEST(ShowLinkStrategyTest, SeriesUrlAndParentPath) {
  TestPage p(Html("", R"(<p><a href="/podcast/night-show">Night Show</a></p>
      <p><a href="/podcast/deep-current/">Deep Current</a></p>
      <p><a href="https://elsewhere.example/podcast/deep-current">Elsewhere</a></p>)"));
  Candidates out;
  out.AddText(Field::kKind, "episode", "json-ld", "PodcastEpisode node",
              "schema-type", Strength::kStructured);
  out.AddText(Field::kShowUrl, "https://shows.example/podcast/night-show",
              "json-ld", "series url", "json-ld", Strength::kStructured,
              Owner::kShow);
  ProposeTitleAndHeadings(p.ctx, out);
  const Candidate* link = Find(out, Field::kShowName, "Night Show");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->signal, "show-link");
  EXPECT_EQ(link->owner, Owner::kShow);
  EXPECT_EQ(link->strength, Strength::kPage);
  const Candidate* parent = Find(out, Field::kShowName, "Deep Current");
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(parent->signal, "parent-link");
  EXPECT_EQ(parent->strength, Strength::kGuess);
  EXPECT_EQ(Find(out, Field::kShowName, "Elsewhere"), nullptr);
}

// The last crumb before this page (not home, not a generic word, not the
// page itself) and category links.
TEST(BreadcrumbStrategyTest, LastCrumbBeforeThePageAndCategories) {
  TestPage p(Html("", R"(<nav class="breadcrumbs">
      <a href="/">Start</a> › <a href="/podcasts">Podcasts</a> ›
      <a href="/podcast/night-show">Night Show</a> ›
      <a href="/podcast/deep-current/ep-7">Owls</a></nav>
      <a rel="category tag" href="/cat/nature">Nature Talk</a>)"));
  const Candidates out = Propose(p, true);
  const Candidate* crumb = FindSignal(out, Field::kShowName, "breadcrumb");
  ASSERT_NE(crumb, nullptr);
  EXPECT_EQ(crumb->text, "Night Show");
  EXPECT_EQ(crumb->strength, Strength::kGuess);
  EXPECT_TRUE(crumb->visible);
  const Candidate* category = FindSignal(out, Field::kShowName, "category");
  ASSERT_NE(category, nullptr);
  EXPECT_EQ(category->text, "Nature Talk");
}

// A heading's name is not doubled by text kept for screen readers.
TEST(HeadingsStrategyTest, VisuallyHiddenTextIsNotPartOfTheName) {
  TestPage p(Html(
      "", R"(<h1><span class="visually-hidden">Podcast: </span>Night Show</h1>
      <h2>More episodes from <span class="sr-only">the podcast </span>Day Show</h2>)"));
  const Candidates out = Propose(p);
  const bool h1 = Find(out, Field::kShowName, "Night Show") != nullptr;
  const bool more = Find(out, Field::kShowName, "Day Show") != nullptr;
  EXPECT_TRUE(h1);
  EXPECT_TRUE(more);
}

}  // namespace
}  // namespace parser
