// The resolver on hand-built candidates (no HTML): each rule that
// parser/resolver.h writes down, one test or a few per rule.
#include "parser/resolver.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parser/candidate.h"

namespace parser {
namespace {

// A name candidate (show_name by default).
Candidate Name(std::string text, std::string signal, Strength strength,
               Owner owner = Owner::kUnknown, Field field = Field::kShowName,
               std::string source = "text") {
  Candidate c;
  c.field = field;
  c.text = std::move(text);
  c.source = std::move(source);
  c.where = signal;
  c.signal = std::move(signal);
  c.strength = strength;
  c.owner = owner;
  return c;
}

Candidate Kind(std::string kind, std::string signal, Strength strength,
               std::string source = "meta") {
  return Name(std::move(kind), std::move(signal), strength, Owner::kUnknown,
              Field::kKind, std::move(source));
}

// A description candidate.
Candidate Desc(std::string text, std::string signal, Strength strength,
               Owner owner, bool visible, std::string source = "meta") {
  Candidate c = Name(std::move(text), std::move(signal), strength, owner,
                     Field::kDescription, std::move(source));
  c.visible = visible;
  return c;
}

// A visible copy of candidate `of`.
Candidate Copy(std::string text, int of, bool truncated = false) {
  Candidate c = Desc(std::move(text), "visible-copy", Strength::kPage,
                     Owner::kUnknown, true, "text");
  c.copy_of = of;
  c.truncated = truncated;
  return c;
}

struct Resolved {
  core::Record record;
  std::vector<Decision> decisions;
};

Resolved Decide(const Candidates& candidates) {
  Resolved r;
  Resolve(candidates, &r.record, &r.decisions);
  return r;
}

const Decision& DecisionOf(const Resolved& r, Field field) {
  return r.decisions.at(static_cast<size_t>(field));
}

// The score the resolver gave candidate `index` in the decision of `field`.
double ScoreOf(const Resolved& r, Field field, int index) {
  for (const ScoredCandidate& sc : DecisionOf(r, field).candidates) {
    if (sc.index == index) return sc.score;
  }
  ADD_FAILURE() << "candidate " << index << " not scored";
  return -1;
}

// An episode page: names are weighed without the podcast-signal requirement.
void EpisodePage(Candidates& c) {
  c.Add(Kind("episode", "schema-type", Strength::kStructured, "json-ld"));
}

// ---- show_name: groups, signals, weights -----------------------------------

// resolver.h: each independent signal adds its weight once; agreeing page
// signals (2 + 2 + 1) outweigh one typed structured value (4).
TEST(ResolverNameTest, AgreeingSignalsOutweighALoneStrongerOne) {
  Candidates c;
  EpisodePage(c);
  c.Add(Name("Lone Show", "state", Strength::kStructured));
  const int first =
      c.IndexOf(&c.Add(Name("Deep Current", "title", Strength::kPage)));
  c.Add(Name("deep current", "heading", Strength::kPage));
  c.Add(Name("The Deep Current", "breadcrumb", Strength::kGuess));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.show_name, "Deep Current");
  EXPECT_DOUBLE_EQ(ScoreOf(r, Field::kShowName, first), 5);
  EXPECT_DOUBLE_EQ(ScoreOf(r, Field::kShowName, 1), 4);
}

// resolver.h: candidates of one signal do not reinforce each other (og:title
// and <title> are one "title" signal).
TEST(ResolverNameTest, TheSameSignalRepeatedDoesNotAdd) {
  Candidates c;
  EpisodePage(c);
  const int title = c.IndexOf(&c.Add(Name("Alpha", "title", Strength::kPage)));
  c.Add(Name("Alpha", "title", Strength::kPage));
  c.Add(Name("Alpha", "title", Strength::kPage));
  c.Add(Name("Beta", "heading", Strength::kPage));
  c.Add(Name("Beta", "breadcrumb", Strength::kGuess));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.show_name, "Beta");
  EXPECT_DOUBLE_EQ(ScoreOf(r, Field::kShowName, title), 2);
}

// resolver.h weights: a profile (8, +1 as the show's) outweighs typed data
// (4 + 1) and guesses and page signals (1 + 2) on another name together.
TEST(ResolverNameTest, AProfileOutweighsStructuredDataAndGuesses) {
  Candidates c;
  EpisodePage(c);
  c.Add(Name("Data Name", "json-ld", Strength::kStructured, Owner::kShow));
  c.Add(Name("Data Name", "by-link", Strength::kGuess));
  c.Add(Name("Data Name", "title", Strength::kPage));
  c.Add(Name("Profile Name", "profile", Strength::kProfile, Owner::kShow,
             Field::kShowName, "profile:site"));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.show_name, "Profile Name");
  EXPECT_EQ(r.record.sources.at("show_name"), "profile:site");
}

// resolver.h: evidence that the name is a person's, a platform's, another
// show's or the episode's subtracts; a network's too (the lead's rule of
// issue 11; the header says a network adds half, the code subtracts).
TEST(ResolverNameTest, OtherOwnersSubtract) {
  for (Owner owner : {Owner::kPerson, Owner::kPlatform, Owner::kNetwork,
                      Owner::kEpisode, Owner::kOtherShow}) {
    SCOPED_TRACE(std::string(OwnerName(owner)));
    Candidates c;
    EpisodePage(c);
    const int named =
        c.IndexOf(&c.Add(Name("Jane Doe", "heading", Strength::kPage)));
    c.Add(Name("Jane Doe", "title", Strength::kPage));
    c.Add(Name("Jane Doe", "schema-party", Strength::kStructured, owner));
    c.Add(Name("Small Show", "by-line", Strength::kGuess));
    const Resolved r = Decide(c);
    EXPECT_EQ(r.record.show_name, "Small Show");
    EXPECT_DOUBLE_EQ(ScoreOf(r, Field::kShowName, named), 0);
  }
}

// A name whose only evidence is negative never wins, even alone.
TEST(ResolverNameTest, ANameWithOnlyNegativeEvidenceIsNoShow) {
  Candidates c;
  EpisodePage(c);
  c.Add(Name("Simplecast", "by-link", Strength::kGuess, Owner::kPlatform));
  const Resolved r = Decide(c);
  EXPECT_FALSE(r.record.show_name);
  EXPECT_EQ(DecisionOf(r, Field::kShowName).winner, -1);
  EXPECT_FALSE(DecisionOf(r, Field::kShowName).reason.empty());
}

// resolver.h: a name that says "podcast" gets +1.
TEST(ResolverNameTest, ANameThatSaysPodcastGetsOneMore) {
  Candidates c;
  EpisodePage(c);
  c.Add(Name("Beta", "heading", Strength::kPage));
  const int alpha =
      c.IndexOf(&c.Add(Name("Alpha Podcast", "title", Strength::kPage)));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.show_name, "Alpha Podcast");
  EXPECT_DOUBLE_EQ(ScoreOf(r, Field::kShowName, alpha), 3);
}

// resolver.h: names are compared by NameKey with a leading "The" aside; the
// group is named by its member with the largest share.
TEST(ResolverNameTest, GroupIsNamedByItsStrongestMember) {
  Candidates c;
  EpisodePage(c);
  c.Add(Name("the daily", "title", Strength::kPage));
  c.Add(Name("\"The Daily\"", "json-ld", Strength::kStructured, Owner::kShow,
             Field::kShowName, "json-ld"));
  c.Add(Name("Daily.", "heading", Strength::kPage));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.show_name, "\"The Daily\"");
  EXPECT_EQ(DecisionOf(r, Field::kShowName).winner, 2);
  EXPECT_EQ(r.record.sources.at("show_name"), "json-ld");
}

// resolver.h: the site's own brand adds half; a group whose every positive
// signal calls it the site loses to any other group with a podcast-specific
// signal, even one with a lower score.
TEST(ResolverSiteNameTest, SiteNameLosesToAPodcastSpecificSignal) {
  Candidates c;
  EpisodePage(c);
  c.Add(Name("Brand", "site-name", Strength::kPage, Owner::kSite));
  c.Add(Name("Brand", "site-title", Strength::kPage, Owner::kSite));
  c.Add(Name("Brand", "heading", Strength::kPage, Owner::kSite));
  c.Add(Name("Brand", "title", Strength::kPage, Owner::kSite));
  const int show = c.IndexOf(
      &c.Add(Name("Night Show", "more-from", Strength::kPage, Owner::kShow)));
  const Resolved r = Decide(c);
  EXPECT_DOUBLE_EQ(ScoreOf(r, Field::kShowName, 1), 4);
  EXPECT_DOUBLE_EQ(ScoreOf(r, Field::kShowName, show), 3);
  EXPECT_EQ(r.record.show_name, "Night Show");
}

TEST(ResolverSiteNameTest, SiteNameWinsWhenNothingElseNamesAShow) {
  {
    Candidates c;
    EpisodePage(c);
    c.Add(Name("Brand", "site-name", Strength::kPage, Owner::kSite));
    EXPECT_EQ(Decide(c).record.show_name, "Brand");
  }
  {
    // Another name without a podcast-specific signal and a lower score.
    Candidates c;
    EpisodePage(c);
    c.Add(Name("Brand", "site-name", Strength::kPage, Owner::kSite));
    c.Add(Name("Brand", "site-title", Strength::kPage, Owner::kSite));
    c.Add(Name("Brand", "title", Strength::kPage, Owner::kSite));
    c.Add(Name("Some Heading", "heading", Strength::kPage));
    EXPECT_EQ(Decide(c).record.show_name, "Brand");
  }
}

// Only a group that is the site's name alone steps back: the same name with
// an unknown-owner signal competes on its score.
TEST(ResolverSiteNameTest, OnlyAPureSiteGroupStepsBack) {
  Candidates c;
  EpisodePage(c);
  c.Add(Name("Brand", "site-name", Strength::kPage, Owner::kSite));
  c.Add(Name("Brand", "heading", Strength::kPage));
  c.Add(Name("Brand", "title", Strength::kPage));
  c.Add(Name("Night Show", "more-from", Strength::kPage, Owner::kShow));
  EXPECT_EQ(Decide(c).record.show_name, "Brand");
}

// ---- kind ------------------------------------------------------------------

// resolver.h: on a page of kind unknown only a podcast-specific signal can
// name a show, never the site's name or the title alone.
TEST(ResolverKindTest, UnknownPageGetsNoShowFromSiteNameOrTitle) {
  Candidates c;
  c.Add(Name("Example News", "site-name", Strength::kPage));
  c.Add(Name("Example News", "title", Strength::kPage));
  c.Add(Name("Some Article", "heading", Strength::kPage));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.kind, core::PageKind::kUnknown);
  EXPECT_FALSE(r.record.show_name);
  EXPECT_EQ(r.record.sources.count("kind"), 0U);
  EXPECT_FALSE(DecisionOf(r, Field::kShowName).reason.empty());
}

TEST(ResolverKindTest, PodcastSignalOnUnknownPageNamesAShowPage) {
  Candidates c;
  c.Add(Name("Example News", "site-name", Strength::kPage));
  c.Add(Name("Night Show", "label", Strength::kPage, Owner::kShow));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.show_name, "Night Show");
  EXPECT_EQ(r.record.kind, core::PageKind::kShow);
  EXPECT_EQ(r.record.sources.at("kind"), r.record.sources.at("show_name"));
}

TEST(ResolverKindTest, ArticleThatNamesAShowIsAnEpisodePage) {
  Candidates c;
  c.Add(Kind("article", "og:type", Strength::kGuess));
  c.Add(Name("Night Show", "more-from", Strength::kPage, Owner::kShow));
  c.Add(Name("Ep 4: Owls", "title", Strength::kPage, Owner::kEpisode,
             Field::kEpisodeTitle));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.kind, core::PageKind::kEpisode);
  EXPECT_EQ(r.record.show_name, "Night Show");
  EXPECT_EQ(r.record.episode_title, "Ep 4: Owls");
}

// An "article" kind alone names no kind.
TEST(ResolverKindTest, ArticleAloneIsNoKind) {
  Candidates c;
  c.Add(Kind("article", "og:type", Strength::kGuess));
  EXPECT_EQ(Decide(c).record.kind, core::PageKind::kUnknown);
}

// resolver.h: a page's player or audio file says "episode".
TEST(ResolverKindTest, AudioAloneMakesAnEpisodePage) {
  Candidates c;
  Candidate audio = Name("https://cdn.example/a.mp3", "player", Strength::kPage,
                         Owner::kEpisode, Field::kAudioUrl, "text");
  c.Add(audio);
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.kind, core::PageKind::kEpisode);
  EXPECT_EQ(r.record.audio_url, "https://cdn.example/a.mp3");
  EXPECT_EQ(r.record.sources.at("kind"), "text");
}

// resolver.h: the kinds that candidates name, weighed (each signal once).
TEST(ResolverKindTest, KindsAreWeighedBySignal) {
  Candidates c;
  c.Add(Kind("episode", "numbered-title", Strength::kGuess));
  c.Add(Kind("episode", "og:type", Strength::kPage));
  const int show = c.IndexOf(
      &c.Add(Kind("show", "schema-type", Strength::kStructured, "json-ld")));
  Resolved r = Decide(c);
  EXPECT_EQ(r.record.kind, core::PageKind::kShow);
  EXPECT_EQ(DecisionOf(r, Field::kKind).winner, show);
  EXPECT_EQ(r.record.sources.at("kind"), "json-ld");

  // A repeated signal does not add: still 3 against 4.
  c.Add(Kind("episode", "og:type", Strength::kPage));
  EXPECT_EQ(Decide(c).record.kind, core::PageKind::kShow);

  // A second distinct signal does: 5 against 4.
  c.Add(Kind("episode", "state", Strength::kPage));
  EXPECT_EQ(Decide(c).record.kind, core::PageKind::kEpisode);
}

// ---- episode_title ---------------------------------------------------------

TEST(ResolverEpisodeTitleTest, GroupedLikeNames) {
  Candidates c;
  EpisodePage(c);
  c.Add(Name("Owls at Night", "title", Strength::kPage, Owner::kEpisode,
             Field::kEpisodeTitle));
  c.Add(Name("owls at night", "heading", Strength::kPage, Owner::kEpisode,
             Field::kEpisodeTitle));
  c.Add(Name("Night Show", "json-ld", Strength::kStructured, Owner::kShow,
             Field::kEpisodeTitle));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.episode_title, "Owls at Night");
}

// ---- description -----------------------------------------------------------

constexpr const char* kLong =
    "Sourdough starters explained: flour, water, patience and the microbes "
    "that make bread rise.";
constexpr const char* kTeaser = "Sourdough starters explained: flour, water…";

// resolver.h: a site profile's text first.
TEST(ResolverDescriptionTest, ProfileTextFirst) {
  Candidates c;
  EpisodePage(c);
  const int meta = c.IndexOf(&c.Add(
      Desc(kLong, "og:description", Strength::kPage, Owner::kUnknown, false)));
  c.Add(Copy(kLong, meta));
  const int profile = c.IndexOf(
      &c.Add(Desc("The profile's text.", "profile description",
                  Strength::kProfile, Owner::kUnknown, true, "profile:site")));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.description, "The profile's text.");
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, profile);
  EXPECT_EQ(r.record.sources.at("description"), "profile:site");
}

Candidate Truncated(Candidate c) {
  c.truncated = true;
  return c;
}

// resolver.h: the texts the metadata marks as the description that the page
// shows, with their visible copies: the longest full copy; the episode's own
// visible text comes only after them.
TEST(ResolverDescriptionTest, MarkedTextShownGivesTheLongestFullCopy) {
  Candidates c;
  EpisodePage(c);
  const int teaser = c.IndexOf(&c.Add(Truncated(Desc(
      kTeaser, "og:description", Strength::kPage, Owner::kUnknown, false))));
  const int data =
      c.IndexOf(&c.Add(Desc(kLong, "episode description", Strength::kStructured,
                            Owner::kEpisode, false, "json-ld")));
  const std::string longer = std::string(kLong) + " Recipe below.";
  const int copy = c.IndexOf(&c.Add(Copy(longer, data)));
  c.Add(Copy("Sourdough starters explained: flour, water", teaser, true));
  c.Add(Desc("A block under a heading that the page shows as well.",
             "announced-block", Strength::kPage, Owner::kEpisode, true,
             "text"));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.description, longer);
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, copy);
  EXPECT_EQ(r.record.sources.at("description"), "text");
}

// resolver.h: a visible copy that is visibly clamped (cut by a "Show more"
// control) makes the marked text shown: its full metadata text wins.
TEST(ResolverDescriptionTest, CopyCutByAControlMakesTheMarkedTextEligible) {
  Candidates c;
  EpisodePage(c);
  const int meta = c.IndexOf(&c.Add(
      Desc(kLong, "og:description", Strength::kPage, Owner::kUnknown, false)));
  c.Add(Copy("Sourdough starters explained: flour, water", meta, true));
  c.Add(Desc("Other text under an About heading, long enough.",
             "announced-block", Strength::kPage, Owner::kEpisode, true,
             "text"));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.description, kLong);
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, meta);
}

// The same short copy, not clamped: the page does not show the marked text
// in full, so the metadata's text is not eligible; the copy itself is.
TEST(ResolverDescriptionTest, ShortUnclampedCopyDoesNotShowTheMarkedText) {
  Candidates c;
  EpisodePage(c);
  const int meta = c.IndexOf(&c.Add(
      Desc(kLong, "og:description", Strength::kPage, Owner::kUnknown, false)));
  const int copy = c.IndexOf(
      &c.Add(Copy("Sourdough starters explained: flour, water", meta)));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.description, "Sourdough starters explained: flour, water");
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, copy);
  bool noted = false;
  for (const ScoredCandidate& sc :
       DecisionOf(r, Field::kDescription).candidates) {
    if (sc.index == meta) noted = sc.note == "not shown in full on the page";
  }
  EXPECT_TRUE(noted);
}

// resolver.h: with a teaser the page does not show, the episode's visible
// text: a block a heading announces first, then the main text, then a block
// named like a description.
TEST(ResolverDescriptionTest, NotShownTeaserGivesTheAnnouncedBlockFirst) {
  Candidates c;
  EpisodePage(c);
  c.Add(Truncated(Desc(kTeaser, "og:description", Strength::kPage,
                       Owner::kUnknown, false)));
  c.Add(Desc("This week: sourdough, at last, with a baker.", "main-text",
             Strength::kPage, Owner::kEpisode, true, "text"));
  c.Add(Desc("Sourdough notes in a description box.", "class-named",
             Strength::kGuess, Owner::kEpisode, true, "text"));
  const int announced = c.IndexOf(&c.Add(
      Desc("Under Show notes: the baker's whole story.", "announced-block",
           Strength::kPage, Owner::kEpisode, true, "text")));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.description, "Under Show notes: the baker's whole story.");
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, announced);
}

TEST(ResolverDescriptionTest, MainTextThatSharesWordsWithTheMetadata) {
  Candidates c;
  EpisodePage(c);
  c.Add(Truncated(Desc(kTeaser, "og:description", Strength::kPage,
                       Owner::kUnknown, false)));
  c.Add(Desc("Sourdough notes in a description box.", "class-named",
             Strength::kGuess, Owner::kEpisode, true, "text"));
  const int main = c.IndexOf(
      &c.Add(Desc("This week: sourdough, at last, with a baker.", "main-text",
                  Strength::kPage, Owner::kEpisode, true, "text")));
  const Resolved r = Decide(c);
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, main);
}

// resolver.h: a main text that shares no words with the metadata's text is
// the site's boilerplate; the class-named block (sharing words) comes next.
TEST(ResolverDescriptionTest, MainTextSharingNoWordsIsPassedOver) {
  Candidates c;
  EpisodePage(c);
  c.Add(Truncated(Desc(kTeaser, "og:description", Strength::kPage,
                       Owner::kUnknown, false)));
  const int main = c.IndexOf(&c.Add(
      Desc("Subscribe to our newsletter for weekly updates from everyone.",
           "main-text", Strength::kPage, Owner::kEpisode, true, "text")));
  const int named = c.IndexOf(
      &c.Add(Desc("Sourdough notes in a description box.", "class-named",
                  Strength::kGuess, Owner::kEpisode, true, "text")));
  const Resolved r = Decide(c);
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, named);
  for (const ScoredCandidate& sc :
       DecisionOf(r, Field::kDescription).candidates) {
    if (sc.index == main) {
      EXPECT_EQ(sc.note, "shares no words with the metadata's text");
    }
  }
}

// With no metadata text to compare with, the main text needs no shared words.
TEST(ResolverDescriptionTest, MainTextWithoutMetadataIsTaken) {
  Candidates c;
  EpisodePage(c);
  c.Add(Desc("Subscribe to our newsletter for weekly updates from everyone.",
             "main-text", Strength::kPage, Owner::kEpisode, true, "text"));
  EXPECT_EQ(Decide(c).record.description,
            "Subscribe to our newsletter for weekly updates from everyone.");
}

// resolver.h: only then the metadata's text, longest full copy first.
TEST(ResolverDescriptionTest, MetadataTextWhenThePageShowsNothingOfItsOwn) {
  Candidates c;
  EpisodePage(c);
  c.Add(Truncated(Desc(std::string(kLong) + " And much more follows here…",
                       "twitter:description", Strength::kPage, Owner::kUnknown,
                       false)));
  const int full = c.IndexOf(&c.Add(
      Desc(kLong, "og:description", Strength::kPage, Owner::kUnknown, false)));
  c.Add(Desc("Subscribe to our newsletter for weekly updates from everyone.",
             "main-text", Strength::kPage, Owner::kEpisode, true, "text"));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.description, kLong);
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, full);
}

// resolver.h: the show's description (marked as the show's, or equal to it)
// never describes an episode page.
TEST(ResolverDescriptionTest, TheShowsDescriptionNeverDescribesAnEpisode) {
  constexpr const char* kShowText = "A weekly show about bread and baking.";
  Candidates c;
  EpisodePage(c);
  c.Add(Desc(kShowText, "series description", Strength::kStructured,
             Owner::kShow, false, "json-ld"));
  const int meta = c.IndexOf(&c.Add(Desc(
      kShowText, "og:description", Strength::kPage, Owner::kUnknown, false)));
  c.Add(Copy(kShowText, meta));
  Resolved r = Decide(c);
  EXPECT_FALSE(r.record.description);
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, -1);
  EXPECT_FALSE(DecisionOf(r, Field::kDescription).reason.empty());
  for (const ScoredCandidate& sc :
       DecisionOf(r, Field::kDescription).candidates) {
    EXPECT_EQ(sc.note, "the show's description, set aside on an episode page");
  }

  const int own =
      c.IndexOf(&c.Add(Desc("In this episode: rye.", "main-text",
                            Strength::kPage, Owner::kEpisode, true, "text")));
  r = Decide(c);
  EXPECT_EQ(r.record.description, "In this episode: rye.");
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, own);
}

// On a show page the show's description is the description, and an
// episode's own text (not a main text) is set aside.
TEST(ResolverDescriptionTest, OnAShowPageTheShowsDescription) {
  Candidates c;
  c.Add(Kind("show", "schema-type", Strength::kStructured, "json-ld"));
  c.Add(Desc("An episode's blurb, from the data.", "episode description",
             Strength::kStructured, Owner::kEpisode, false, "json-ld"));
  const int show = c.IndexOf(
      &c.Add(Desc("A weekly show about bread and baking.", "series description",
                  Strength::kStructured, Owner::kShow, false, "json-ld")));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.kind, core::PageKind::kShow);
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, show);
}

// resolver.h (excerpt rule): a marked text that is only the start of a longer
// visible block is an excerpt of the post body; the body, as the main text
// has it, is the description.
TEST(ResolverDescriptionTest, MarkedTextThatIsAnExcerptOfTheBodyYieldsTheBody) {
  const std::string marked = "First paragraph of the post body.";
  const std::string copy_text =
      marked + " And a second sentence that the excerpt left out.";
  const std::string body = copy_text + "\nA third paragraph with more.";
  Candidates c;
  EpisodePage(c);
  const int meta = c.IndexOf(&c.Add(
      Desc(marked, "og:description", Strength::kPage, Owner::kUnknown, false)));
  const int copy = c.IndexOf(&c.Add(Copy(copy_text, meta)));
  Resolved r = Decide(c);
  EXPECT_EQ(r.record.description, copy_text);  // no body: the copy
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, copy);

  const int main = c.IndexOf(&c.Add(
      Desc(body, "main-text", Strength::kPage, Owner::kEpisode, true, "text")));
  r = Decide(c);
  EXPECT_EQ(r.record.description, body);
  EXPECT_EQ(DecisionOf(r, Field::kDescription).winner, main);
}

// ---- rating ----------------------------------------------------------------

Candidate Rating(double value, int64_t count, Strength strength, bool exact,
                 std::string source) {
  Candidate c;
  c.field = Field::kRating;
  c.rating = core::Rating{value, count};
  c.source = std::move(source);
  c.where = "rating";
  c.signal = "rating";
  c.strength = strength;
  c.exact = exact;
  return c;
}

// resolver.h: exact counts from structured data first, then a profile, then
// text; the first of the strongest.
TEST(ResolverRatingTest, ExactStructuredBeatsProfileBeatsText) {
  Candidates c;
  c.Add(Rating(4.0, 10, Strength::kGuess, false, "text"));
  c.Add(Rating(4.5, 100, Strength::kProfile, false, "profile:site"));
  c.Add(Rating(4.6, 999, Strength::kStructured, false, "microdata"));
  Resolved r = Decide(c);
  ASSERT_TRUE(r.record.rating);
  EXPECT_EQ(r.record.rating->count, 100);  // inexact data < profile
  EXPECT_EQ(r.record.sources.at("rating"), "profile:site");

  c.Add(Rating(4.7, 1234, Strength::kStructured, true, "json-ld"));
  r = Decide(c);
  ASSERT_TRUE(r.record.rating);
  EXPECT_EQ(r.record.rating->count, 1234);
  EXPECT_DOUBLE_EQ(*r.record.rating->value, 4.7);
  EXPECT_EQ(r.record.sources.at("rating"), "json-ld");
  EXPECT_EQ(DecisionOf(r, Field::kRating).winner, 3);
}

TEST(ResolverRatingTest, FirstOfEqualsAndTextWhenNothingElse) {
  Candidates c;
  c.Add(Rating(4.1, 41, Strength::kGuess, false, "text"));
  c.Add(Rating(3.0, 7, Strength::kGuess, false, "text"));
  const Resolved r = Decide(c);
  ASSERT_TRUE(r.record.rating);
  EXPECT_EQ(r.record.rating->count, 41);
}

// resolver.h: a count from another strategy that no rounding of the winner's
// explains is noted in errors; a rounded display of it is not.
TEST(ResolverRatingTest, DisagreeingCountsAreNotedInErrors) {
  Candidates c;
  c.Add(Rating(4.7, 1234, Strength::kStructured, true, "json-ld"));
  c.Add(Rating(4.7, 1200, Strength::kGuess, false, "text"));  // "1.2K"
  Resolved r = Decide(c);
  EXPECT_TRUE(r.record.errors.empty());

  c.Add(Rating(4.7, 987, Strength::kGuess, false, "text"));
  r = Decide(c);
  ASSERT_EQ(r.record.rating->count, 1234);
  EXPECT_EQ(r.record.errors,
            std::vector<std::string>{"rating count disagrees: 1234 from "
                                     "json-ld, 987 from text (kept json-ld)"});
}

// Candidates of one strategy are one reading (an episode's and a show's
// stars from the same data): they are not two strategies disagreeing.
TEST(ResolverRatingTest, CountsOfTheSameStrategyAreNotADisagreement) {
  Candidates c;
  c.Add(Rating(4.1, 41, Strength::kGuess, false, "text"));
  c.Add(Rating(3.0, 7, Strength::kGuess, false, "text"));
  EXPECT_TRUE(Decide(c).record.errors.empty());
}

// ---- related_shows ---------------------------------------------------------

Candidate Related(std::vector<core::RelatedShow> shows, std::string signal,
                  Strength strength, std::string source) {
  Candidate c;
  c.field = Field::kRelatedShows;
  c.related = std::move(shows);
  c.source = std::move(source);
  c.where = signal + " list";
  c.signal = std::move(signal);
  c.strength = strength;
  return c;
}

core::RelatedShow Show(std::string name, std::optional<int64_t> listeners) {
  return core::RelatedShow{std::move(name), std::nullopt, listeners};
}

// resolver.h: the list under a related heading (an empty list when that
// section holds no show) before page state.
TEST(ResolverRelatedTest, EmptyRelatedHeadingListBeatsPageState) {
  Candidates c;
  c.Add(Related({Show("From State", 5)}, "state", Strength::kStructured,
                "state-json"));
  const int heading = c.IndexOf(
      &c.Add(Related({}, "related-heading", Strength::kPage, "text")));
  const Resolved r = Decide(c);
  EXPECT_TRUE(r.record.related_shows.empty());
  EXPECT_EQ(DecisionOf(r, Field::kRelatedShows).winner, heading);
  EXPECT_EQ(r.record.sources.at("related_shows"), "text");
}

// resolver.h: a profile's list first.
TEST(ResolverRelatedTest, AProfilesListFirst) {
  Candidates c;
  c.Add(Related({Show("Heading Show", 1)}, "related-heading", Strength::kPage,
                "text"));
  c.Add(Related({Show("Profile Show", 2)}, "profile", Strength::kProfile,
                "profile:site"));
  c.Add(Related({Show("From State", 5)}, "state", Strength::kStructured,
                "state-json"));
  const Resolved r = Decide(c);
  ASSERT_EQ(r.record.related_shows.size(), 1U);
  EXPECT_EQ(r.record.related_shows[0].name, "Profile Show");
  EXPECT_EQ(r.record.sources.at("related_shows"), "profile:site");
}

TEST(ResolverRelatedTest, PageStateWhenThePageShowsNoList) {
  Candidates c;
  c.Add(Related({Show("From State", 5)}, "state", Strength::kStructured,
                "state-json"));
  const Resolved r = Decide(c);
  ASSERT_EQ(r.record.related_shows.size(), 1U);
  EXPECT_EQ(r.record.related_shows[0].listeners, 5);
}

// Exact counts alone are no list.
TEST(ResolverRelatedTest, StateCountsAloneAreNoList) {
  Candidates c;
  c.Add(Related({Show("A", 1234)}, "state-counts", Strength::kStructured,
                "state-json"));
  const Resolved r = Decide(c);
  EXPECT_TRUE(r.record.related_shows.empty());
  EXPECT_EQ(DecisionOf(r, Field::kRelatedShows).winner, -1);
  EXPECT_EQ(r.record.sources.count("related_shows"), 0U);
}

// resolver.h: rounded visible counts are replaced by exact counts from page
// state within 6%.
TEST(ResolverRelatedTest, RoundedCountsAreRefinedWithinSixPercent) {
  Candidates c;
  c.Add(
      Related({Show("Alpha", 1200), Show("The Beta", 3400), Show("Gamma", {})},
              "related-heading", Strength::kPage, "text"));
  c.Add(
      Related({Show("alpha", 1260), Show("the beta", 3700), Show("Gamma", 99)},
              "state-counts", Strength::kStructured, "state-json"));
  const Resolved r = Decide(c);
  ASSERT_EQ(r.record.related_shows.size(), 3U);
  EXPECT_EQ(r.record.related_shows[0].listeners, 1260);  // 5% off: refined
  EXPECT_EQ(r.record.related_shows[1].listeners, 3400);  // 8.8% off: kept
  EXPECT_EQ(r.record.related_shows[2].listeners, std::nullopt);  // none shown
  EXPECT_EQ(r.record.sources.at("related_shows"), "state-json");
}

TEST(ResolverRelatedTest, UnrefinedListKeepsItsSource) {
  Candidates c;
  c.Add(Related({Show("Alpha", 1200)}, "related-heading", Strength::kPage,
                "text"));
  c.Add(Related({Show("Alpha", 2000)}, "state-counts", Strength::kStructured,
                "state-json"));
  const Resolved r = Decide(c);
  ASSERT_EQ(r.record.related_shows.size(), 1U);
  EXPECT_EQ(r.record.related_shows[0].listeners, 1200);
  EXPECT_EQ(r.record.sources.at("related_shows"), "text");
  // 2000 is no rounding of 1,200 (nor 1.2K of 2,000): errors says so.
  EXPECT_EQ(r.record.errors,
            std::vector<std::string>{"listeners of Alpha disagree: 1200 "
                                     "shown, 2000 from state-json (kept the "
                                     "shown count)"});
}

// An exact count more than 6% off that a rounded display still explains
// ("1K" shown for 1,400 cut down) is no disagreement.
TEST(ResolverRelatedTest, ACoarseRoundingIsNoDisagreement) {
  Candidates c;
  c.Add(Related({Show("Alpha", 1000)}, "related-heading", Strength::kPage,
                "text"));
  c.Add(Related({Show("Alpha", 1400)}, "state-counts", Strength::kStructured,
                "state-json"));
  const Resolved r = Decide(c);
  ASSERT_EQ(r.record.related_shows.size(), 1U);
  EXPECT_EQ(r.record.related_shows[0].listeners, 1000);
  EXPECT_TRUE(r.record.errors.empty());
}

// ---- show pages, the other fields, sources, decisions -----------------------

// Resolver: a show page has no episode title and no show URL of its own.
TEST(ResolverShowPageTest, ClearsEpisodeTitleAndShowUrl) {
  Candidates c;
  c.Add(Kind("show", "schema-type", Strength::kStructured, "json-ld"));
  c.Add(Name("Night Show", "json-ld", Strength::kStructured, Owner::kShow,
             Field::kShowName, "json-ld"));
  c.Add(Name("Latest: Owls", "title", Strength::kPage, Owner::kEpisode,
             Field::kEpisodeTitle, "meta"));
  c.Add(Name("https://shows.example/night", "json-ld", Strength::kStructured,
             Owner::kShow, Field::kShowUrl, "json-ld"));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.kind, core::PageKind::kShow);
  EXPECT_EQ(r.record.show_name, "Night Show");
  EXPECT_FALSE(r.record.episode_title);
  EXPECT_FALSE(r.record.show_url);
  EXPECT_EQ(r.record.sources.count("episode_title"), 0U);
  EXPECT_EQ(r.record.sources.count("show_url"), 0U);
  EXPECT_EQ(DecisionOf(r, Field::kEpisodeTitle).winner, -1);
  EXPECT_EQ(DecisionOf(r, Field::kShowUrl).winner, -1);
  EXPECT_EQ(DecisionOf(r, Field::kShowUrl).reason.rfind("cleared", 0), 0U);
}

// resolver.h: everything else: the strongest candidate, the first of equals;
// a person's, a platform's or another show's value is never used.
TEST(ResolverSimpleFieldTest, StrongestFirstOfEquals) {
  Candidates c;
  c.Add(Name("https://a.example/canonical", "link rel=canonical",
             Strength::kPage, Owner::kUnknown, Field::kCanonicalUrl, "meta"));
  c.Add(Name("https://a.example/og", "og:url", Strength::kPage, Owner::kUnknown,
             Field::kCanonicalUrl, "meta"));
  c.Add(Name("https://a.example/feed-meta", "link rel=alternate",
             Strength::kPage, Owner::kUnknown, Field::kFeedUrl, "meta"));
  c.Add(Name("https://a.example/feed-data", "json-ld", Strength::kStructured,
             Owner::kShow, Field::kFeedUrl, "json-ld"));
  c.Add(Name("https://vendor.example/", "by-link", Strength::kStructured,
             Owner::kPlatform, Field::kShowUrl, "text"));
  c.Add(Name("https://a.example/show", "by-link", Strength::kGuess,
             Owner::kUnknown, Field::kShowUrl, "text"));
  Candidate duration;
  duration.field = Field::kDurationS;
  duration.number = 3723;
  duration.source = "json-ld";
  duration.where = "duration";
  duration.signal = "json-ld";
  duration.strength = Strength::kStructured;
  c.Add(duration);
  c.Add(Name("de", "html-lang", Strength::kPage, Owner::kUnknown,
             Field::kLanguage, "meta"));
  c.Add(Name("2024-03-05", "datePublished", Strength::kStructured,
             Owner::kUnknown, Field::kPublished, "json-ld"));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.canonical_url, "https://a.example/canonical");
  EXPECT_EQ(r.record.feed_url, "https://a.example/feed-data");
  EXPECT_EQ(r.record.show_url, "https://a.example/show");
  EXPECT_EQ(r.record.duration_s, 3723);
  EXPECT_EQ(r.record.language, "de");
  EXPECT_EQ(r.record.published, "2024-03-05");
  EXPECT_EQ(r.record.sources.at("canonical_url"), "meta");
  EXPECT_EQ(r.record.sources.at("feed_url"), "json-ld");
  EXPECT_EQ(r.record.sources.at("show_url"), "text");
  EXPECT_EQ(r.record.sources.at("duration_s"), "json-ld");
  EXPECT_EQ(r.record.sources.at("published"), "json-ld");
}

// Checks decision `f`: its field, a reason, and a winner that is one of
// its candidates, of its field, whose source `sources` names.
void CheckDecision(const Resolved& r, const Candidates& c, int f) {
  const Decision& d = r.decisions[static_cast<size_t>(f)];
  SCOPED_TRACE(std::string(FieldName(d.field)));
  EXPECT_EQ(d.field, static_cast<Field>(f));
  EXPECT_FALSE(d.reason.empty());
  const std::string name(FieldName(d.field));
  if (d.winner < 0) {
    EXPECT_EQ(r.record.sources.count(name), 0U);
    return;
  }
  const Candidate& w = c.items()[static_cast<size_t>(d.winner)];
  EXPECT_EQ(w.field, d.field);
  EXPECT_EQ(r.record.sources.at(name), w.source);
  bool listed = false;
  for (const ScoredCandidate& sc : d.candidates) listed |= sc.index == d.winner;
  EXPECT_TRUE(listed);
}

// resolver.h: `decisions` receives one Decision per field, in Field order,
// each with a reason; a winner's index names a candidate of that field, and
// `sources` is the winner's source.
TEST(ResolverDecisionTest, OneDecisionPerFieldWithReasonsAndWinners) {
  Candidates c;
  c.Add(Kind("episode", "og:type", Strength::kPage, "meta"));
  c.Add(Name("Night Show", "json-ld", Strength::kStructured, Owner::kShow,
             Field::kShowName, "json-ld"));
  c.Add(Name("Owls", "heading", Strength::kPage, Owner::kEpisode,
             Field::kEpisodeTitle, "text"));
  c.Add(Desc("About owls at night, in some detail.", "og:description",
             Strength::kPage, Owner::kUnknown, false, "meta"));
  c.Add(Rating(4.5, 10, Strength::kGuess, false, "text"));
  c.Add(Name("https://cdn.example/owls.mp3", "player", Strength::kPage,
             Owner::kEpisode, Field::kAudioUrl, "text"));
  c.Add(Name("1622876113", "directory-link", Strength::kPage, Owner::kUnknown,
             Field::kAppleId, "text"));
  const Resolved r = Decide(c);
  ASSERT_EQ(r.decisions.size(), static_cast<size_t>(kFieldCount));
  for (int f = 0; f < kFieldCount; ++f) CheckDecision(r, c, f);
  std::vector<int> winners;
  for (const Decision& d : r.decisions) winners.push_back(d.winner);
  // Field order: kind, show_name, show_url, episode_title, description,
  // rating, related_shows, canonical_url, feed_url, audio_url, published,
  // duration_s, language, podcast_guid, apple_id, spotify_id.
  EXPECT_EQ(winners, (std::vector<int>{0, 1, -1, 2, 3, 4, -1, -1, -1, 5, -1, -1,
                                       -1, -1, 6, -1}));
  EXPECT_EQ(r.record.show_name, "Night Show");
  EXPECT_EQ(r.record.episode_title, "Owls");
}

// resolver.h, identifiers: the candidates of the strongest strength must
// name one value (a wrong id merges two shows); weaker ones and other shows'
// do not count against it.
TEST(ResolverTest, IdentifierNeedsOneValueAtTheTop) {
  Candidates c;
  c.Add(Name("111", "directory-link", Strength::kPage, Owner::kUnknown,
             Field::kAppleId, "text"));
  c.Add(Name("222", "json-ld", Strength::kStructured, Owner::kShow,
             Field::kAppleId, "json-ld"));
  c.Add(Name("333", "directory-link", Strength::kPage, Owner::kOtherShow,
             Field::kAppleId, "text"));
  c.Add(Name("5Cq0AbpyWcmRZKEBlRzqVB", "directory-link", Strength::kPage,
             Owner::kUnknown, Field::kSpotifyId, "text"));
  c.Add(Name("2xHhRkK1bBvHpZ6Oq5Ld7Q", "directory-link", Strength::kPage,
             Owner::kUnknown, Field::kSpotifyId, "text"));
  c.Add(Name("ca2c40c0-728d-50f5-be4a-365874dd386d", "meta-guid",
             Strength::kPage, Owner::kShow, Field::kPodcastGuid, "meta"));
  c.Add(Name("ca2c40c0-728d-50f5-be4a-365874dd386d", "data-guid",
             Strength::kPage, Owner::kUnknown, Field::kPodcastGuid, "meta"));
  const Resolved r = Decide(c);
  EXPECT_EQ(r.record.apple_id, "222");
  EXPECT_EQ(r.record.sources.at("apple_id"), "json-ld");
  EXPECT_FALSE(r.record.spotify_id.has_value());
  EXPECT_EQ(r.record.podcast_guid, "ca2c40c0-728d-50f5-be4a-365874dd386d");
}

// Without a decisions list the record is the same.
TEST(ResolverDecisionTest, DecisionsAreOptional) {
  Candidates c;
  c.Add(Kind("episode", "og:type", Strength::kPage, "meta"));
  c.Add(Name("Night Show", "label", Strength::kPage, Owner::kShow));
  core::Record without;
  Resolve(c, &without);
  EXPECT_EQ(without, Decide(c).record);
}

}  // namespace
}  // namespace parser
