// The microdata strategy (parser/microdata.cc): itemscope/itemprop items read
// as schema.org, proposing what JSON-LD would, with source "microdata".
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

Candidates Propose(TestPage& p) {
  Candidates out;
  ProposeMicrodata(p.ctx, out);
  return out;
}

TEST(MicrodataStrategyTest, EpisodeWithNestedSeriesAuthorAndMedia) {
  TestPage p(Html("", R"(
      <article itemscope itemtype="https://schema.org/PodcastEpisode">
        <h1 itemprop="name headline">Owls at Night</h1>
        <time itemprop="datePublished" datetime="2024-03-05">5 March</time>
        <meta itemprop="duration" content="PT1H2M3S">
        <div itemprop="description"><p>We follow one owl for a week.</p></div>
        <span itemprop="author" itemscope itemtype="https://schema.org/Person">
          <span itemprop="name">Jane Roe</span></span>
        <div itemprop="associatedMedia" itemscope
             itemtype="https://schema.org/MediaObject">
          <a itemprop="contentUrl" href="/audio/owls.mp3">Download</a></div>
        <div itemprop="partOfSeries" itemscope
             itemtype="https://schema.org/PodcastSeries">
          <a itemprop="url" href="/podcast/night-show">
            <span itemprop="name">Night Show</span></a></div>
      </article>)"));
  const Candidates out = Propose(p);
  const Candidate* kind = FindSignal(out, Field::kKind, "schema-type");
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->text, "episode");
  EXPECT_EQ(kind->source, "microdata");

  const Candidate* title = Find(out, Field::kEpisodeTitle, "Owls at Night");
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->owner, Owner::kEpisode);
  EXPECT_EQ(title->source, "microdata");

  const Candidate* show = Find(out, Field::kShowName, "Night Show");
  ASSERT_NE(show, nullptr);
  EXPECT_EQ(show->owner, Owner::kShow);
  EXPECT_EQ(show->strength, Strength::kStructured);

  const Candidate* author = Find(out, Field::kShowName, "Jane Roe");
  ASSERT_NE(author, nullptr);
  EXPECT_EQ(author->owner, Owner::kPerson);

  EXPECT_NE(
      Find(out, Field::kShowUrl, "https://shows.example/podcast/night-show"),
      nullptr);
  EXPECT_NE(Find(out, Field::kAudioUrl, "https://shows.example/audio/owls.mp3"),
            nullptr);
  EXPECT_NE(Find(out, Field::kPublished, "2024-03-05"), nullptr);
  ASSERT_EQ(out.Of(Field::kDurationS).size(), 1U);
  EXPECT_EQ(out.Of(Field::kDurationS)[0]->number, 3723);
  const Candidate* d =
      Find(out, Field::kDescription, "We follow one owl for a week.");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->owner, Owner::kEpisode);
  EXPECT_EQ(d->source, "microdata");
}

TEST(MicrodataStrategyTest, SeriesWithRatingAndPublisher) {
  TestPage p(Html("", R"(
      <div itemscope itemtype="http://schema.org/PodcastSeries">
        <h1 itemprop="name">Night Show</h1>
        <p itemprop="description">A weekly show about nocturnal animals.</p>
        <div itemprop="aggregateRating" itemscope itemtype="http://schema.org/AggregateRating">
          <span itemprop="ratingValue">4,6</span> from
          <span itemprop="ratingCount">1,234</span> ratings</div>
        <div itemprop="publisher" itemscope itemtype="http://schema.org/Organization">
          <span itemprop="name">Big Network</span></div>
      </div>)"));
  const Candidates out = Propose(p);
  EXPECT_EQ(TextOf(out, Field::kKind, "schema-type"), "show");
  const Candidate* d =
      Find(out, Field::kDescription, "A weekly show about nocturnal animals.");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->owner, Owner::kShow);
  const Candidate* rating = out.First(Field::kRating);
  ASSERT_NE(rating, nullptr);
  EXPECT_TRUE(rating->exact);
  EXPECT_EQ(rating->rating.count, 1234);
  EXPECT_DOUBLE_EQ(*rating->rating.value, 4.6);
  EXPECT_EQ(OwnerOf(out, Field::kShowName, "Big Network"), Owner::kSite);
}

// Only the first value of a property counts; an item without a podcast type
// proposes no kind.
TEST(MicrodataStrategyTest, FirstValueAndNoPodcastType) {
  TestPage p(Html("", R"(
      <div itemscope itemtype="https://schema.org/Article">
        <span itemprop="author">Jane Roe</span>
        <span itemprop="author">John Doe</span></div>)"));
  const Candidates out = Propose(p);
  EXPECT_TRUE(out.Of(Field::kKind).empty());
  EXPECT_NE(Find(out, Field::kShowName, "Jane Roe"), nullptr);
  EXPECT_EQ(Find(out, Field::kShowName, "John Doe"), nullptr);
}

TEST(MicrodataStrategyTest, NoItemsNoCandidates) {
  TestPage p(Html("", "<h1 itemprop=\"name\">Night Show</h1><p>Text</p>"));
  EXPECT_TRUE(Propose(p).items().empty());
}

}  // namespace
}  // namespace parser
