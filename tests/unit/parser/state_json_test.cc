// The page-state strategy (parser/state_json.cc): __NEXT_DATA__ and JSON
// blobs keyed like an episode, a show or a related list, and every exact
// listener count next to a name.
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
  ProposeStateJson(p.ctx, out);
  return out;
}

std::string NextData(const std::string& json) {
  return R"(<script id="__NEXT_DATA__" type="application/json">)" + json +
         "</script>";
}

constexpr const char* kState = R"({"props":{"pageProps":{
  "episode":{"title":"Owls at Night","description":"We follow one owl.",
    "audio_url":"/audio/owls.mp3","published_date":"2024-03-05",
    "duration":2700,
    "podcast":{"title":"Night Show","description":"A weekly show.",
      "review_average":4.7,"total_reviews":321,"listeners":12345}},
  "similarPodcasts":[
    {"title":"Day Show","slug":"day-show","listener_count":2041},
    {"title":"Dusk Show","url":"https://other.example/dusk"}]}}})";

TEST(StateJsonStrategyTest, EpisodeAndItsShow) {
  TestPage p(
      Html(NextData(kState), R"(<a href="/podcast/day-show">Day Show</a>)"));
  const Candidates out = Propose(p);
  const Candidate* kind = FindSignal(out, Field::kKind, "state");
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->text, "episode");
  EXPECT_EQ(kind->source, "state-json");
  EXPECT_EQ(kind->strength, Strength::kStructured);

  const Candidate* title = Find(out, Field::kEpisodeTitle, "Owls at Night");
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->owner, Owner::kEpisode);
  const Candidate* show = Find(out, Field::kShowName, "Night Show");
  ASSERT_NE(show, nullptr);
  EXPECT_EQ(show->owner, Owner::kShow);
  EXPECT_EQ(show->signal, "state");

  EXPECT_EQ(OwnerOf(out, Field::kDescription, "We follow one owl."),
            Owner::kEpisode);
  EXPECT_EQ(OwnerOf(out, Field::kDescription, "A weekly show."), Owner::kShow);
  EXPECT_NE(Find(out, Field::kAudioUrl, "https://shows.example/audio/owls.mp3"),
            nullptr);
  EXPECT_NE(Find(out, Field::kPublished, "2024-03-05"), nullptr);
  ASSERT_EQ(out.Of(Field::kDurationS).size(), 1U);
  EXPECT_EQ(out.Of(Field::kDurationS)[0]->number, 2700);

  const Candidate* rating = out.First(Field::kRating);
  ASSERT_NE(rating, nullptr);
  EXPECT_TRUE(rating->exact);
  EXPECT_EQ(rating->rating.count, 321);
  EXPECT_DOUBLE_EQ(*rating->rating.value, 4.7);
}

// A related list keyed "similar...": names, URLs (a slug found among the
// page's links) and exact counts; and (next test) every (name, exact count)
// as "state-counts" for the resolver to refine rounded counts with.
TEST(StateJsonStrategyTest, RelatedListAndExactCounts) {
  TestPage p(
      Html(NextData(kState), R"(<a href="/podcast/day-show">Day Show</a>)"));
  const Candidates out = Propose(p);
  const Candidate* related = FindSignal(out, Field::kRelatedShows, "state");
  ASSERT_NE(related, nullptr);
  EXPECT_TRUE(related->exact);
  ASSERT_EQ(related->related.size(), 2U);
  EXPECT_EQ(related->related[0].name, "Day Show");
  EXPECT_EQ(related->related[0].url, "https://shows.example/podcast/day-show");
  EXPECT_EQ(related->related[0].listeners, 2041);
  EXPECT_EQ(related->related[1].name, "Dusk Show");
  EXPECT_EQ(related->related[1].url, "https://other.example/dusk");
  EXPECT_EQ(related->related[1].listeners, std::nullopt);
}

TEST(StateJsonStrategyTest, EveryExactCountNextToAName) {
  TestPage p(Html(NextData(kState), ""));
  const Candidates out = Propose(p);
  const Candidate* counts =
      FindSignal(out, Field::kRelatedShows, "state-counts");
  ASSERT_NE(counts, nullptr);
  bool night = false;
  bool day = false;
  for (const core::RelatedShow& s : counts->related) {
    night |= s.name == "Night Show" && s.listeners == 12345;
    day |= s.name == "Day Show" && s.listeners == 2041;
  }
  EXPECT_TRUE(night);
  EXPECT_TRUE(day);
}

// A show object without an episode: a show page.
TEST(StateJsonStrategyTest, ShowObjectAloneIsAShowPage) {
  TestPage p(
      Html(R"(<script type="application/json">{"data":{"show":{"name":)"
           R"("Night Show","summary":"A weekly show about owls and bats."}}})"
           "</script>",
           ""));
  const Candidates out = Propose(p);
  EXPECT_EQ(TextOf(out, Field::kKind, "state"), "show");
  EXPECT_EQ(OwnerOf(out, Field::kShowName, "Night Show"), Owner::kShow);
  EXPECT_TRUE(out.Of(Field::kEpisodeTitle).empty());
}

// Small application/json blobs (configuration) and unreadable state are not
// read.
TEST(StateJsonStrategyTest, SmallBlobsAndBrokenStateAreIgnored) {
  TestPage p(
      Html(R"(<script type="application/json">{"show":{"name":"X"}}</script>)"
           R"(<script id="__NEXT_DATA__" type="application/json">{"props":)"
           "</script>",
           ""));
  EXPECT_TRUE(Propose(p).items().empty());
}

}  // namespace
}  // namespace parser
