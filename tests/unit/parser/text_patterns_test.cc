// The text-pattern strategies (parser/text_patterns.cc): "By SHOW" links and
// what the words before them say the name is, "Podcast: SHOW" labels,
// ratings written out, and the page's player or audio link.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

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
  ProposeTextPatterns(p.ctx, out);
  return out;
}

// The issue's trap: "Podcast powered by <a>Simplecast</a>" names the
// platform, not the show.
TEST(ByLinkStrategyTest, PoweredByNamesAPlatform) {
  TestPage p(Html("", R"(<main><h1>Owls</h1></main>
      <footer><p>Podcast powered by <a href="https://simplecast.com">Simplecast</a></p></footer>)"));
  const Candidates out = Propose(p);
  const Candidate* c = Find(out, Field::kShowName, "Simplecast");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->owner, Owner::kPlatform);
  EXPECT_EQ(c->signal, "by-link");
  EXPECT_EQ(c->strength, Strength::kGuess);
  EXPECT_TRUE(c->visible);
  EXPECT_TRUE(out.Of(Field::kShowUrl).empty());
}

TEST(ByLinkStrategyTest, PoweredByOutsideTheFooterToo) {
  TestPage p(Html(
      "", R"(<div>Hosted on <a href="https://host.example">Hostly</a></div>)"));
  const Candidates proposed = Propose(p);
  const Candidate* c = Find(proposed, Field::kShowName, "Hostly");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->owner, Owner::kPlatform);
}

// A "by" link in the footer is the site's vendor, not the show.
TEST(ByLinkStrategyTest, ByLinkInTheFooterIsAPlatform) {
  TestPage p(Html(
      "",
      R"(<footer>Theme by <a href="https://themes.example">Themely</a></footer>)"));
  EXPECT_EQ(OwnerOf(Propose(p), Field::kShowName, "Themely"), Owner::kPlatform);
}

// The issue's traps: "reporting assistance from <a>NAME</a>" and "ein
// Gespräch von <a>NAME</a>" name people.
TEST(ByLinkStrategyTest, PeopleAfterTheirIntroductions) {
  TestPage p(Html(
      "",
      R"(<p>With reporting assistance from <a href="/staff/jane">Jane Roe</a>.</p>
      <p>Ein Gespräch von <a href="/autoren/max">Max Muster</a></p>
      <p>Un documentaire de <a href="/auteurs/ana">Ana Lopes</a></p>)"));
  const Candidates out = Propose(p);
  for (const char* name : {"Jane Roe", "Max Muster", "Ana Lopes"}) {
    const Candidate* c = Find(out, Field::kShowName, name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_EQ(c->owner, Owner::kPerson) << name;
  }
  EXPECT_TRUE(out.Of(Field::kShowUrl).empty());
}

// "By <a>SHOW</a>": weak evidence of the show and of its URL.
TEST(ByLinkStrategyTest, ByLinkIsAWeakShowSignal) {
  TestPage p(Html(
      "",
      R"(<h1>Owls</h1><div><span>By</span> <a href="/podcast/night-show">Night Show</a></div>)"));
  const Candidates out = Propose(p);
  const Candidate* c = Find(out, Field::kShowName, "Night Show");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->owner, Owner::kUnknown);
  EXPECT_EQ(c->strength, Strength::kGuess);
  EXPECT_EQ(c->where, "link after \"By\"");
  const Candidate* url =
      Find(out, Field::kShowUrl, "https://shows.example/podcast/night-show");
  ASSERT_NE(url, nullptr);
  EXPECT_EQ(url->signal, "by-link");
}

// "Podcast: <a>SHOW</a>": a label says the name is the show's.
TEST(ByLinkStrategyTest, LabelBeforeALink) {
  TestPage p(Html(
      "", R"(<p>Podcast: <a href="/podcast/night-show">Night Show</a></p>)"));
  const Candidates proposed = Propose(p);
  const Candidate* c = FindSignal(proposed, Field::kShowName, "label");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->text, "Night Show");
  EXPECT_EQ(c->owner, Owner::kShow);
  EXPECT_EQ(c->strength, Strength::kPage);
}

// Links after other words, player controls and related sections are not read.
TEST(ByLinkStrategyTest, OtherLinksAreNotRead) {
  TestPage p(Html("", R"(<p>Read <a href="/a">the article</a></p>
      <p>By <a href="/d">Download</a></p>
      <section id="rel"><p>By <a href="/podcast/day">Day Show</a></p></section>)"));
  for (int i = 0; i < p.doc.size(); ++i) {
    if (p.doc.element(i).id != nullptr &&
        std::string_view(p.doc.element(i).id) == "rel")
      p.ctx.AddRelatedSection(i);
  }
  EXPECT_TRUE(Propose(p).Of(Field::kShowName).empty());
}

// Unlinked "By SHOW · 51 min" lines and "Podcast: SHOW" labels.
TEST(TextLineStrategyTest, ByLinesAndLabels) {
  TestPage p(Html(
      "", R"(<p>By Night Show · 42 min</p><p>Sendung: Forschung aktuell</p>)"));
  const Candidates out = Propose(p);
  const Candidate* by = Find(out, Field::kShowName, "Night Show");
  ASSERT_NE(by, nullptr);
  EXPECT_EQ(by->signal, "by-line");
  EXPECT_EQ(by->strength, Strength::kGuess);
  EXPECT_EQ(by->owner, Owner::kUnknown);
  const Candidate* label = Find(out, Field::kShowName, "Forschung aktuell");
  ASSERT_NE(label, nullptr);
  EXPECT_EQ(label->signal, "label");
  EXPECT_EQ(label->owner, Owner::kShow);
}

// "4.7 (2,345 ratings)": a guess, not exact.
TEST(RatingTextStrategyTest, ValueAndCount) {
  TestPage p(
      Html("", "<div><span>4.7</span> <span>(2,345 ratings)</span></div>"));
  const Candidates out = Propose(p);
  const Candidate* r = out.First(Field::kRating);
  ASSERT_NE(r, nullptr);
  EXPECT_DOUBLE_EQ(*r->rating.value, 4.7);
  EXPECT_EQ(r->rating.count, 2345);
  EXPECT_EQ(r->strength, Strength::kGuess);
  EXPECT_FALSE(r->exact);
  EXPECT_EQ(r->source, "text");
}

TEST(RatingTextStrategyTest, GermanCountAndAverageAlone) {
  {
    TestPage p(Html("", "<p>4,3/5 (12 Bewertungen)</p>"));
    const Candidates proposed = Propose(p);
    const Candidate* r = proposed.First(Field::kRating);
    ASSERT_NE(r, nullptr);
    EXPECT_DOUBLE_EQ(*r->rating.value, 4.3);
    EXPECT_EQ(r->rating.count, 12);
  }
  {
    TestPage p(Html("", "<p>Note : 4,5 sur 5</p>"));
    const Candidates proposed = Propose(p);
    const Candidate* r = proposed.First(Field::kRating);
    ASSERT_NE(r, nullptr);
    EXPECT_DOUBLE_EQ(*r->rating.value, 4.5);
    EXPECT_EQ(r->rating.count, std::nullopt);
  }
}

// Counts inside a related section belong to other shows.
TEST(RatingTextStrategyTest, RelatedSectionsAreSkipped) {
  TestPage p(
      Html("", R"(<ul id="rel"><li>Day Show 4.9 (999 ratings)</li></ul>)"));
  for (int i = 0; i < p.doc.size(); ++i) {
    if (p.doc.element(i).id != nullptr &&
        std::string_view(p.doc.element(i).id) == "rel")
      p.ctx.AddRelatedSection(i);
  }
  EXPECT_TRUE(Propose(p).Of(Field::kRating).empty());
}

// ProposeMedia: the page's player or audio link says the page is an
// episode's.
TEST(MediaStrategyTest, PlayerAndAudioLink) {
  TestPage p(Html("", R"(<audio src="/audio/owls.mp3"></audio>
      <a href="/files/owls.m4a?dl=1">Download</a>
      <a href="/files/other.mp3">Other</a>)"));
  Candidates out;
  ProposeMedia(p.ctx, out);
  const auto audio = out.Of(Field::kAudioUrl);
  ASSERT_EQ(audio.size(), 2U);  // the first audio link only
  EXPECT_EQ(audio[0]->text, "https://shows.example/audio/owls.mp3");
  EXPECT_EQ(audio[0]->signal, "player");
  EXPECT_EQ(audio[0]->strength, Strength::kPage);
  EXPECT_EQ(audio[0]->owner, Owner::kEpisode);
  EXPECT_EQ(audio[1]->text, "https://shows.example/files/owls.m4a?dl=1");
  EXPECT_EQ(audio[1]->signal, "audio-link");
  EXPECT_EQ(audio[1]->strength, Strength::kGuess);
}

}  // namespace
}  // namespace parser
