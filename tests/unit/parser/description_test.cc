// The visible-description strategy (parser/description.cc): visible copies
// of the metadata's texts (clamped or whole), blocks a heading announces,
// the episode's main text after its title, and blocks named like a
// description.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "parser/strategies.h"
#include "strategy_fixture.h"

namespace parser {
namespace {

using fixture::FindSignal;
using fixture::Html;
using fixture::TestPage;

constexpr const char* kLong =
    "Sourdough starters explained: flour, water, patience and the microbes "
    "that make bread rise, with a baker from Lyon.";

// Proposes `text` as og:description, then runs the strategy.
Candidates WithMeta(TestPage& p, const std::string& text,
                    Owner owner = Owner::kUnknown) {
  Candidates out;
  ProposeDescription(out, text, "meta", "og:description", owner,
                     Strength::kPage);
  ProposeVisibleDescriptions(p.ctx, out);
  return out;
}

TEST(VisibleCopyStrategyTest, WholeCopyOfTheMetadataText) {
  TestPage p(Html("", std::string("<main><div class=\"notes\"><p>") + kLong +
                          "</p></div><button>Share</button></main>"));
  const Candidates out = WithMeta(p, kLong);
  const Candidate* copy = FindSignal(out, Field::kDescription, "visible-copy");
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->text, kLong);
  EXPECT_EQ(copy->copy_of, 0);
  EXPECT_TRUE(copy->visible);
  EXPECT_FALSE(copy->truncated);
  EXPECT_EQ(copy->source, "text");
  EXPECT_EQ(copy->owner, Owner::kUnknown);
  EXPECT_EQ(copy->where, "visible copy of og:description");
}

// A copy the page cuts with a "Show more" control is truncated, whatever
// its last character.
TEST(VisibleCopyStrategyTest, CopyClampedByAControlIsTruncated) {
  const std::string shown(kLong, 69);  // "... the microbes"
  TestPage p(Html("", "<main><p class=\"clamp\">" + shown +
                          "</p><button>Show more</button></main>"));
  const Candidates out = WithMeta(p, kLong);
  const Candidate* copy = FindSignal(out, Field::kDescription, "visible-copy");
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->text, shown);
  EXPECT_TRUE(copy->truncated);
}

// A copy carries its metadata's owner: the show's description shown on an
// episode page is still the show's.
TEST(VisibleCopyStrategyTest, CopyOfTheShowsDescriptionIsTheShows) {
  TestPage p(Html("", std::string("<aside class=\"about-show\"><p>") + kLong +
                          "</p></aside>"));
  const Candidates out = WithMeta(p, kLong, Owner::kShow);
  const Candidate* copy = FindSignal(out, Field::kDescription, "visible-copy");
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->owner, Owner::kShow);
}

// Related sections belong to other shows: no copy is looked for there.
TEST(VisibleCopyStrategyTest, CopiesInRelatedSectionsAreSkipped) {
  TestPage p(Html(
      "", std::string("<section id=\"rel\"><p>") + kLong + "</p></section>"));
  for (int i = 0; i < p.doc.size(); ++i) {
    if (p.doc.element(i).id != nullptr &&
        std::string_view(p.doc.element(i).id) == "rel")
      p.ctx.AddRelatedSection(i);
  }
  const Candidates out = WithMeta(p, kLong);
  EXPECT_EQ(FindSignal(out, Field::kDescription, "visible-copy"), nullptr);
}

// A heading that announces the description, then the prose up to the next
// heading.
TEST(AnnouncedBlockStrategyTest, ProseUnderShowNotes) {
  TestPage p(Html("", R"(<main><h2>Show notes</h2>
      <p>We follow one owl for a week through the forest.</p>
      <ul><li>Guest: Jane Roe</li></ul>
      <h2>Transcript</h2><p>Owl: hoo.</p></main>)"));
  Candidates out;
  ProposeVisibleDescriptions(p.ctx, out);
  const Candidate* c = FindSignal(out, Field::kDescription, "announced-block");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->text,
            "We follow one owl for a week through the forest.\nGuest: Jane "
            "Roe");
  EXPECT_EQ(c->owner, Owner::kEpisode);
  EXPECT_EQ(c->strength, Strength::kPage);
  EXPECT_TRUE(c->visible);
  EXPECT_EQ(c->where, "text under \"Show notes\"");
}

TEST(AnnouncedBlockStrategyTest, GermanHeadingAndChrome) {
  {
    TestPage p(Html("", R"(<h3>Beschreibung</h3>
        <p>Wir folgen einer Eule eine Woche lang durch den Wald.</p>)"));
    Candidates out;
    ProposeVisibleDescriptions(p.ctx, out);
    const Candidate* c =
        FindSignal(out, Field::kDescription, "announced-block");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->text, "Wir folgen einer Eule eine Woche lang durch den Wald.");
  }
  {
    // In a sidebar, or too short: nothing.
    TestPage p(Html(
        "",
        R"(<aside><h3>About this show</h3><p>The network behind many shows.</p></aside>
        <h3>Summary</h3><p>Owls.</p>)"));
    Candidates out;
    ProposeVisibleDescriptions(p.ctx, out);
    EXPECT_TRUE(out.Of(Field::kDescription).empty());
  }
}

// The main text: the paragraphs after the episode's title, without player
// lines, captions and chrome, up to a post's metadata line.
TEST(MainTextStrategyTest, ParagraphsAfterTheTitle) {
  TestPage p(Html("", R"(<article><h1>Owls at Night</h1>
      <p>Play in new window | Download</p>
      <p>We follow one owl for a week through the forest.</p>
      <figure><img src="/owl.jpg"><figcaption><p>Photo: Jane Roe</p></figcaption></figure>
      <p>Second paragraph, about hunting at night.</p>
      <div class="comments"><p>Nice episode!</p></div>
      <p>Tags: owls, night</p>
      <p>After the tags.</p></article>)"));
  Candidates out;
  out.AddText(Field::kEpisodeTitle, "Owls at Night", "json-ld", "episode name",
              "json-ld", Strength::kStructured, Owner::kEpisode);
  ProposeVisibleDescriptions(p.ctx, out);
  const Candidate* c = FindSignal(out, Field::kDescription, "main-text");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->text,
            "We follow one owl for a week through the forest.\nSecond "
            "paragraph, about hunting at night.");
  EXPECT_EQ(c->owner, Owner::kEpisode);
  EXPECT_EQ(c->where, "main text after the title");
}

// A heading ends the main text once it has begun.
TEST(MainTextStrategyTest, AHeadingEndsIt) {
  TestPage p(Html("", R"(<div><h2>Owls at Night</h2>
      <p>We follow one owl for a week through the forest, night after night.</p>
      <h3>Guests</h3><p>Jane Roe, an ornithologist from the city museum.</p></div>)"));
  Candidates out;
  out.AddText(Field::kEpisodeTitle, "Owls at Night", "meta", "title", "title",
              Strength::kPage, Owner::kEpisode);
  ProposeVisibleDescriptions(p.ctx, out);
  const Candidate* c = FindSignal(out, Field::kDescription, "main-text");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->text,
            "We follow one owl for a week through the forest, night after "
            "night.");
}

// Without an episode title on the page there is no main text.
TEST(MainTextStrategyTest, NoTitleNoMainText) {
  TestPage p(Html("", R"(<h1>Owls at Night</h1>
      <p>We follow one owl for a week through the forest, night after night.</p>)"));
  Candidates out;
  ProposeVisibleDescriptions(p.ctx, out);
  EXPECT_EQ(FindSignal(out, Field::kDescription, "main-text"), nullptr);
}

// A block named like a description ("description", "summary",
// "show-notes"): a guess.
TEST(ClassNamedStrategyTest, BlockNamedLikeADescription) {
  TestPage p(Html(
      "",
      R"(<footer><div class="site-description">A network of many shows about nature.</div></footer>
      <div class="episode-description">We follow one owl for a week through the forest.</div>)"));
  Candidates out;
  ProposeVisibleDescriptions(p.ctx, out);
  const Candidate* c = FindSignal(out, Field::kDescription, "class-named");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->text, "We follow one owl for a week through the forest.");
  EXPECT_EQ(c->strength, Strength::kGuess);
  EXPECT_EQ(c->owner, Owner::kEpisode);
}

}  // namespace
}  // namespace parser
