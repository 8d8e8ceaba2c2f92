// The related strategy (parser/related.cc): the shows under a "You may also
// like" heading, one entry per card; episode cards and lists of the same
// show's episodes are no related shows.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "parser/strategies.h"
#include "strategy_fixture.h"

namespace parser {
namespace {

using fixture::Html;
using fixture::TestPage;

Candidates Propose(TestPage& p) {
  Candidates out;
  ProposeRelated(p.ctx, out);
  return out;
}

int ById(const HtmlDocument& doc, std::string_view id) {
  for (int i = 0; i < doc.size(); ++i) {
    if (doc.element(i).id != nullptr && doc.element(i).id == id) return i;
  }
  ADD_FAILURE() << "no element #" << id;
  return 0;
}

TEST(RelatedStrategyTest, CardsUnderAHeading) {
  TestPage p(Html("", R"(<h1>Owls at Night</h1>
      <h2>You may also like</h2>
      <div class="grid">
        <div class="card" id="first"><a href="/podcast/day-show">Day Show</a>
          <span>2.1K listeners</span></div>
        <div class="card"><a href="/podcast/dusk-show">Dusk Show</a></div>
        <div class="card"><a href="/podcast/day-show">Day Show again</a></div>
      </div>
      <h2>Comments</h2><p id="after">Nice</p>)"));
  const Candidates out = Propose(p);
  ASSERT_EQ(out.items().size(), 1U);
  const Candidate& c = out.items()[0];
  EXPECT_EQ(c.field, Field::kRelatedShows);
  EXPECT_EQ(c.signal, "related-heading");
  EXPECT_EQ(c.source, "text");
  EXPECT_EQ(c.strength, Strength::kPage);
  EXPECT_TRUE(c.visible);
  EXPECT_EQ(c.where, "list under \"You may also like\"");
  ASSERT_EQ(c.related.size(), 2U);  // the same URL once
  EXPECT_EQ(c.related[0].name, "Day Show");
  EXPECT_EQ(c.related[0].url, "https://shows.example/podcast/day-show");
  EXPECT_EQ(c.related[0].listeners, 2100);
  EXPECT_EQ(c.related[1].name, "Dusk Show");
  EXPECT_EQ(c.related[1].listeners, std::nullopt);
  // The section is marked for the other strategies; what follows is not.
  EXPECT_TRUE(p.ctx.InRelated(ById(p.doc, "first")));
  EXPECT_FALSE(p.ctx.InRelated(ById(p.doc, "after")));
}

TEST(RelatedStrategyTest, GermanHeading) {
  TestPage p(Html("", R"(<h3>Das gefällt dir vielleicht auch</h3>
      <ul><li><a href="/p/a">Lage der Nation</a></li>
          <li><a href="/p/b">Forschung aktuell</a></li></ul>)"));
  const Candidates out = Propose(p);
  ASSERT_EQ(out.items().size(), 1U);
  ASSERT_EQ(out.items()[0].related.size(), 2U);
  EXPECT_EQ(out.items()[0].related[1].name, "Forschung aktuell");
}

// lexicon.h: "More from", "Weitere Folgen": the same show's episodes, not
// related shows; no candidate at all.
TEST(RelatedStrategyTest, ListsOfTheShowsOwnEpisodesAreNotRelated) {
  for (const char* heading : {"More from Night Show", "Weitere Folgen"}) {
    TestPage p(Html("", std::string("<h2>") + heading + R"(</h2>
        <ul><li><a href="/podcast/night/ep-1">Ep 1</a></li>
            <li><a href="/podcast/night/ep-2">Ep 2</a></li></ul>)"));
    EXPECT_TRUE(Propose(p).items().empty()) << heading;
  }
}

// A related heading with no links after it is no section.
TEST(RelatedStrategyTest, HeadingWithoutLinksIsNoSection) {
  TestPage p(Html("", "<h2>You may also like</h2><p>Nothing yet.</p>"));
  EXPECT_TRUE(Propose(p).items().empty());
}

// The issue's trap: a related list under "Vous aimerez aussi" whose single
// card is an episode (a duration, a link to its show and one to its author)
// names no related show; the section still yields its (empty) list, which
// the resolver prefers to page state.
TEST(RelatedStrategyTest, SingleEpisodeCardGivesNoRelatedShow) {
  TestPage p(Html("", R"(<h2>Vous aimerez aussi</h2>
      <div class="list"><div class="card">
        <a href="/podcast/autre-show/les-hiboux">Les hiboux</a>
        <span>45 min</span>
        <a href="/podcast/autre-show">Autre Show</a>
        <a href="/auteurs/jeanne-dupont">Jeanne Dupont</a>
      </div></div>)"));
  const Candidates out = Propose(p);
  ASSERT_EQ(out.items().size(), 1U);
  const Candidate& c = out.items()[0];
  EXPECT_EQ(c.signal, "related-heading");
  EXPECT_TRUE(c.related.empty());
}

// Several episode cards (each with a duration) give an empty list too.
TEST(RelatedStrategyTest, EpisodeCardsGiveAnEmptyList) {
  TestPage p(Html("", R"(<h2>Vous aimerez aussi</h2>
      <ul><li><a href="/podcast/a/ep-1">Les hiboux</a> <span>45 min</span></li>
          <li><a href="/podcast/b/ep-9">Les chauves-souris</a>
              <span>12:30</span></li></ul>)"));
  const Candidates out = Propose(p);
  ASSERT_EQ(out.items().size(), 1U);
  EXPECT_TRUE(out.items()[0].related.empty());
}

// A name is not doubled by the text kept for screen readers.
TEST(RelatedStrategyTest, VisuallyHiddenTextDoesNotDoubleNames) {
  TestPage p(Html("", R"(<h2>Listeners also follow</h2>
      <ul><li><a href="/p/a"><span class="sr-only">Day Show</span><span aria-hidden="true">Day Show</span></a></li>
          <li><a href="/p/b"><span class="visually-hidden">Podcast: </span>Dusk Show</a></li></ul>)"));
  const Candidates out = Propose(p);
  ASSERT_EQ(out.items().size(), 1U);
  const auto& shows = out.items()[0].related;
  ASSERT_EQ(shows.size(), 2U);
  EXPECT_EQ(shows[0].name, "Day Show");
  EXPECT_EQ(shows[1].name, "Dusk Show");
}

}  // namespace
}  // namespace parser
