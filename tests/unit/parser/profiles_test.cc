// The profiles strategy (parser/profiles.cc): a profile whose host pattern
// matches proposes each field its rules find, as the strongest evidence.
#include <gtest/gtest.h>

#include <string>

#include "parser/strategies.h"
#include "strategy_fixture.h"

namespace parser {
namespace {

using fixture::Find;
using fixture::Html;
using fixture::OwnerOf;
using fixture::TestPage;

core::FieldRule Rule(std::string selector,
                     std::optional<std::string> regex = std::nullopt,
                     std::optional<std::string> attribute = std::nullopt) {
  return core::FieldRule{std::move(selector), std::move(attribute),
                         std::move(regex)};
}

core::SiteProfile Profile(std::string host) {
  core::SiteProfile p;
  p.name = "mysite";
  p.host = std::move(host);
  p.episode_url_pattern = "^/podcast/[^/]+/[^/]+$";
  p.show_url_pattern = "^/podcast/[^/]+/?$";
  p.fields["show_name"] = Rule(".show a");
  p.fields["show_url"] = Rule(".show a");
  p.fields["episode_title"] = Rule("h1");
  p.fields["description"] = Rule(".notes");
  p.fields["rating_value"] = Rule(".stars", R"(([0-5][.,]\d))");
  p.fields["rating_count"] = Rule(".stars");
  p.fields["related_item"] = Rule(".also li");
  p.fields["related_name"] = Rule(".name");
  p.fields["related_listeners"] = Rule(".count");
  return p;
}

constexpr const char* kBody = R"(
    <div class="show">By <a href="/podcast/night-show">Night Show</a></div>
    <h1>Owls at Night</h1>
    <div class="notes">We follow one owl for a week.</div>
    <div class="stars">4.6 stars, 1,234 ratings</div>
    <ul class="also">
      <li><a href="/podcast/day-show"><span class="name">Day Show</span></a>
          <span class="count">2.1K listeners</span></li>
      <li><a href="/podcast/dusk"><span class="name">Dusk Show</span></a></li>
    </ul>)";

Candidates Propose(TestPage& p) {
  Candidates out;
  ProposeProfiles(p.ctx, out);
  return out;
}

TEST(ProfilesStrategyTest, UserProfileProposesEveryRule) {
  ParseOptions options;
  options.profiles.push_back(Profile("shows.example"));
  TestPage p(Html("", kBody), "https://www.shows.example/podcast/night/ep-7",
             options);
  const Candidates out = Propose(p);

  const Candidate* kind = out.First(Field::kKind);
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->text, "episode");
  EXPECT_EQ(kind->strength, Strength::kProfile);
  EXPECT_EQ(kind->source, "profile:mysite");

  const Candidate* show = Find(out, Field::kShowName, "Night Show");
  ASSERT_NE(show, nullptr);
  EXPECT_EQ(show->strength, Strength::kProfile);
  EXPECT_EQ(show->owner, Owner::kShow);
  EXPECT_EQ(show->signal, "profile");
  EXPECT_TRUE(show->visible);
  EXPECT_EQ(show->source, "profile:mysite");

  EXPECT_NE(Find(out, Field::kShowUrl,
                 "https://www.shows.example/podcast/night-show"),
            nullptr);
  EXPECT_EQ(OwnerOf(out, Field::kEpisodeTitle, "Owls at Night"),
            Owner::kEpisode);
  const Candidate* d =
      Find(out, Field::kDescription, "We follow one owl for a week.");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->strength, Strength::kProfile);
  EXPECT_TRUE(d->visible);

  const Candidate* rating = out.First(Field::kRating);
  ASSERT_NE(rating, nullptr);
  EXPECT_DOUBLE_EQ(*rating->rating.value, 4.6);
  EXPECT_EQ(rating->rating.count, 1234);
  EXPECT_FALSE(rating->exact);

  const Candidate* related = out.First(Field::kRelatedShows);
  ASSERT_NE(related, nullptr);
  EXPECT_EQ(related->strength, Strength::kProfile);
  ASSERT_EQ(related->related.size(), 2U);
  EXPECT_EQ(related->related[0].name, "Day Show");
  EXPECT_EQ(related->related[0].url,
            "https://www.shows.example/podcast/day-show");
  EXPECT_EQ(related->related[0].listeners, 2100);
  EXPECT_EQ(related->related[1].name, "Dusk Show");
  EXPECT_EQ(related->related[1].listeners, std::nullopt);
}

TEST(ProfilesStrategyTest, ShowUrlPatternGivesAShowPage) {
  ParseOptions options;
  options.profiles.push_back(Profile("shows.example"));
  TestPage p(Html("", kBody), "https://shows.example/podcast/night-show",
             options);
  const Candidates proposed = Propose(p);
  const Candidate* kind = proposed.First(Field::kKind);
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->text, "show");
}

// site_profile.h: "*.example.com" matches subdomains only; a profile never
// runs on another host, nor on a page without an address.
TEST(ProfilesStrategyTest, HostPatterns) {
  ParseOptions options;
  options.profiles.push_back(Profile("*.shows.example"));
  {
    TestPage p(Html("", kBody), "https://shows.example/podcast/night/ep-7",
               options);
    EXPECT_TRUE(Propose(p).items().empty());
  }
  {
    TestPage p(Html("", kBody), "https://cdn.shows.example/podcast/night/ep-7",
               options);
    EXPECT_FALSE(Propose(p).items().empty());
  }
  {
    TestPage p(Html("", kBody), "https://notshows.example/podcast/night/ep-7",
               options);
    EXPECT_TRUE(Propose(p).items().empty());
  }
  {
    TestPage p(Html("", kBody), "", options);
    EXPECT_TRUE(Propose(p).items().empty());
  }
}

TEST(ProfilesStrategyTest, InvalidUrlPatternIsReported) {
  ParseOptions options;
  core::SiteProfile profile = Profile("shows.example");
  profile.episode_url_pattern = "([unclosed";
  options.profiles.push_back(profile);
  TestPage p(Html("", kBody), "https://shows.example/podcast/night/ep-7",
             options);
  const Candidates out = Propose(p);
  ASSERT_EQ(p.ctx.errors().size(), 1U);
  EXPECT_EQ(p.ctx.errors()[0], "profile mysite: invalid URL pattern");
  // The other rules still run.
  EXPECT_NE(Find(out, Field::kShowName, "Night Show"), nullptr);
}

// The built-in profiles run after the user's (parser/builtin_profiles.h).
TEST(ProfilesStrategyTest, BuiltinProfileOnItsHost) {
  TestPage p(Html("", R"(<div class="EpisodeHeader_byline__x">
      <a href="/podcasts/night-show">Night Show</a></div>)"),
             "https://goodpods.com/podcasts/night-show/owls-123");
  const Candidates out = Propose(p);
  const Candidate* show = Find(out, Field::kShowName, "Night Show");
  ASSERT_NE(show, nullptr);
  EXPECT_EQ(show->source, "profile:goodpods");
  const Candidate* kind = out.First(Field::kKind);
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->text, "episode");
}

}  // namespace
}  // namespace parser
