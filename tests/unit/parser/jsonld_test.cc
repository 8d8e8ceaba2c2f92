// The JSON-LD strategy (parser/jsonld.cc, read through parser/schema_org.h):
// the candidates it proposes from schema.org blocks, with their owners.
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
using fixture::TextOf;

std::string JsonLd(const std::string& json) {
  return R"(<script type="application/ld+json">)" + json + "</script>";
}

Candidates Propose(TestPage& p) {
  Candidates out;
  ProposeJsonLd(p.ctx, out);
  return out;
}

constexpr const char* kEpisode = R"({"@context":"https://schema.org",
  "@type":"PodcastEpisode","name":"Owls at Night",
  "description":"We follow one owl for a week.",
  "datePublished":"2024-03-05","duration":"PT45M","inLanguage":"en",
  "associatedMedia":{"@type":"MediaObject","contentUrl":"/audio/owls.mp3"},
  "author":{"@type":"Person","name":"Jane Roe"},
  "publisher":{"@type":"Organization","name":"Big Network"},
  "partOfSeries":{"@type":"PodcastSeries","name":"Night Show",
    "url":"/podcast/night-show","webFeed":"https://feeds.example/night.xml",
    "description":"A weekly show about nocturnal animals.",
    "aggregateRating":{"@type":"AggregateRating","ratingValue":4.5,
      "ratingCount":120}}})";

TEST(JsonLdStrategyTest, EpisodeWithItsSeries) {
  TestPage p(Html(JsonLd(kEpisode), ""));
  const Candidates out = Propose(p);

  const Candidate* kind = FindSignal(out, Field::kKind, "schema-type");
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->text, "episode");
  EXPECT_EQ(kind->strength, Strength::kStructured);
  EXPECT_EQ(kind->source, "json-ld");

  const Candidate* title = Find(out, Field::kEpisodeTitle, "Owls at Night");
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->owner, Owner::kEpisode);
  EXPECT_EQ(title->strength, Strength::kStructured);
  EXPECT_FALSE(title->visible);

  const Candidate* show = Find(out, Field::kShowName, "Night Show");
  ASSERT_NE(show, nullptr);
  EXPECT_EQ(show->owner, Owner::kShow);
  EXPECT_EQ(show->signal, "json-ld");
  EXPECT_EQ(show->source, "json-ld");

  EXPECT_NE(
      Find(out, Field::kShowUrl, "https://shows.example/podcast/night-show"),
      nullptr);
  EXPECT_NE(Find(out, Field::kFeedUrl, "https://feeds.example/night.xml"),
            nullptr);
  EXPECT_NE(Find(out, Field::kAudioUrl, "https://shows.example/audio/owls.mp3"),
            nullptr);
  EXPECT_NE(Find(out, Field::kPublished, "2024-03-05"), nullptr);
  EXPECT_NE(Find(out, Field::kLanguage, "en"), nullptr);
  const auto durations = out.Of(Field::kDurationS);
  ASSERT_EQ(durations.size(), 1U);
  EXPECT_EQ(durations[0]->number, 2700);

  const Candidate* rating = out.First(Field::kRating);
  ASSERT_NE(rating, nullptr);
  EXPECT_TRUE(rating->exact);
  EXPECT_EQ(rating->rating.count, 120);
  EXPECT_DOUBLE_EQ(*rating->rating.value, 4.5);
}

// The show's description on an episode page is marked as the show's, the
// episode's as the episode's (resolver.h: the show's description never
// describes an episode page).
TEST(JsonLdStrategyTest, ShowsDescriptionOnAnEpisodePageIsTheShows) {
  TestPage p(Html(JsonLd(kEpisode), ""));
  const Candidates out = Propose(p);
  const Candidate* show_text =
      Find(out, Field::kDescription, "A weekly show about nocturnal animals.");
  ASSERT_NE(show_text, nullptr);
  EXPECT_EQ(show_text->owner, Owner::kShow);
  EXPECT_EQ(show_text->where, "series description");
  const Candidate* episode_text =
      Find(out, Field::kDescription, "We follow one owl for a week.");
  ASSERT_NE(episode_text, nullptr);
  EXPECT_EQ(episode_text->owner, Owner::kEpisode);
  EXPECT_FALSE(episode_text->visible);
  EXPECT_FALSE(episode_text->truncated);
}

// schema_org.h: the people and organisations behind the page are proposed
// as what they are, so that the same name elsewhere is not taken for the
// show.
// A typed Person is never the show; an organisation (a publisher) may be the
// show's own brand or a network, weighed like the site's name.
TEST(JsonLdStrategyTest, AuthorIsAPersonPublisherASite) {
  TestPage p(Html(JsonLd(kEpisode), ""));
  const Candidates out = Propose(p);
  const Candidate* author = Find(out, Field::kShowName, "Jane Roe");
  ASSERT_NE(author, nullptr);
  EXPECT_EQ(author->owner, Owner::kPerson);
  EXPECT_EQ(author->signal, "schema-party");
  EXPECT_EQ(author->where, "author");
  const Candidate* publisher = Find(out, Field::kShowName, "Big Network");
  ASSERT_NE(publisher, nullptr);
  EXPECT_EQ(publisher->owner, Owner::kSite);
}

// Untyped parties: an author given as a string ("itemprop=author" text) is
// as often the show as a person (a weak guess of unknown owner); a publisher
// is weighed like the site's name; URLs are no names.
TEST(JsonLdStrategyTest, UntypedParties) {
  TestPage p(Html(JsonLd(R"({"@type":"PodcastSeries","name":"Night Show",
      "author":"Jane Roe","publisher":"Big Network",
      "creator":"https://example.com/jane"})"),
                  ""));
  const Candidates out = Propose(p);
  EXPECT_EQ(OwnerOf(out, Field::kShowName, "Jane Roe"), Owner::kUnknown);
  EXPECT_EQ(Find(out, Field::kShowName, "Jane Roe")->strength,
            Strength::kGuess);
  EXPECT_EQ(OwnerOf(out, Field::kShowName, "Big Network"), Owner::kSite);
  EXPECT_EQ(Find(out, Field::kShowName, "https://example.com/jane"), nullptr);
  EXPECT_EQ(TextOf(out, Field::kKind, "schema-type"), "show");
  // A series page: its description is the show's.
  EXPECT_TRUE(out.Of(Field::kEpisodeTitle).empty());
}

TEST(JsonLdStrategyTest, IsPartOfAsABareName) {
  TestPage p(Html(JsonLd(R"({"@type":"PodcastEpisode","name":"Ep 3",
      "isPartOf":"Night Show"})"),
                  ""));
  const Candidates out = Propose(p);
  const Candidate* show = Find(out, Field::kShowName, "Night Show");
  ASSERT_NE(show, nullptr);
  EXPECT_EQ(show->owner, Owner::kShow);
  EXPECT_EQ(show->where, "episode isPartOf");
}

// candidate.h ProposeDescription: a "Listen to this episode from SHOW on
// SITE." prefix is removed and SHOW proposed; an ellipsis marks truncation.
TEST(JsonLdStrategyTest, ListenPrefixAndTruncation) {
  TestPage p(Html(JsonLd(R"({"@type":"PodcastEpisode","name":"Ep 3",
      "description":"Listen to this episode from Night Show on Spotify. We follow one owl…"})"),
                  ""));
  const Candidates out = Propose(p);
  const Candidate* prefix = FindSignal(out, Field::kShowName, "listen-prefix");
  ASSERT_NE(prefix, nullptr);
  EXPECT_EQ(prefix->text, "Night Show");
  EXPECT_EQ(prefix->owner, Owner::kShow);
  const auto texts = out.Of(Field::kDescription);
  ASSERT_EQ(texts.size(), 1U);
  EXPECT_EQ(texts[0]->text, "We follow one owl…");
  EXPECT_TRUE(texts[0]->truncated);
}

// A page without a podcast type: a node describing this page gives its
// description (owner unknown) and no kind.
TEST(JsonLdStrategyTest, PageNodeWithoutPodcastType) {
  TestPage p(Html(JsonLd(R"({"@graph":[{"@type":"WebPage",
      "url":"https://shows.example/podcast/deep-current/ep-7",
      "description":"A page about owls."},
      {"@type":"Article","author":{"@type":"Person","name":"Jane Roe"}}]})"),
                  ""));
  const Candidates out = Propose(p);
  EXPECT_TRUE(out.Of(Field::kKind).empty());
  const Candidate* d = Find(out, Field::kDescription, "A page about owls.");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->owner, Owner::kUnknown);
  EXPECT_EQ(OwnerOf(out, Field::kShowName, "Jane Roe"), Owner::kPerson);
}

TEST(JsonLdStrategyTest, UnreadableBlockIsSkippedWithAnError) {
  TestPage p(
      Html(JsonLd(R"({"@type": "PodcastEpisode", )") +
               JsonLd(R"({"@type":"PodcastSeries","name":"Night Show"})"),
           ""));
  const Candidates out = Propose(p);
  EXPECT_NE(Find(out, Field::kShowName, "Night Show"), nullptr);
  ASSERT_EQ(p.ctx.errors().size(), 1U);
  EXPECT_EQ(p.ctx.errors()[0], "unreadable JSON-LD block skipped");
}

TEST(JsonLdStrategyTest, NoBlocksNoCandidates) {
  TestPage p(Html(R"(<script type="application/json">{"a":1}</script>)",
                  "<p>Night Show</p>"));
  EXPECT_TRUE(Propose(p).items().empty());
}

}  // namespace
}  // namespace parser
