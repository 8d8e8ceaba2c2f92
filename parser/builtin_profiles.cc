#include "parser/builtin_profiles.h"

namespace parser {
namespace {

core::FieldRule Rule(std::string selector,
                     std::optional<std::string> regex = std::nullopt,
                     std::optional<std::string> attribute = std::nullopt) {
  return core::FieldRule{std::move(selector), std::move(attribute),
                         std::move(regex)};
}

std::vector<core::SiteProfile> Make() {
  std::vector<core::SiteProfile> out;
  {
    core::SiteProfile p;
    p.name = "goodpods";
    p.host = "goodpods.com";
    p.show_url_pattern = R"(^/podcasts/[^/?#]+/?(\?|#|$))";
    p.episode_url_pattern = R"(^/podcasts/[^/?#]+/[^/?#]+)";
    p.fields["show_name"] = Rule("[class*=byline] a[href^=\"/podcasts/\"]");
    p.fields["show_url"] = Rule("[class*=byline] a[href^=\"/podcasts/\"]");
    p.fields["rating_value"] =
        Rule("[class*=Rating_value]", R"(([0-5](?:[.,]\d)?))");
    p.fields["rating_count"] = Rule("[class*=Rating_count]");
    p.fields["related_item"] =
        Rule("section[class*=Related] a[class*=PodcastCard_root]");
    p.fields["related_name"] = Rule("[class*=PodcastCard_title]");
    p.fields["related_listeners"] = Rule("[class*=PodcastCard_listeners]");
    out.push_back(std::move(p));
  }
  {
    core::SiteProfile p;
    p.name = "apple-podcasts";
    p.host = "podcasts.apple.com";
    p.show_url_pattern = R"(^/[a-z]{2}/podcast/[^/]+/id\d+/?$)";
    p.episode_url_pattern = R"(^/[a-z]{2}/podcast/[^/]+/id\d+\?i=\d+)";
    p.fields["show_name"] = Rule(
        ".product-header__identity a, [data-testid=product-header-subtitle] a");
    p.fields["rating_value"] = Rule(".we-customer-ratings__averages__display");
    p.fields["rating_count"] = Rule(".we-customer-ratings__count");
    out.push_back(std::move(p));
  }
  {
    core::SiteProfile p;
    p.name = "spotify";
    p.host = "open.spotify.com";
    p.show_url_pattern = R"(^/show/)";
    p.episode_url_pattern = R"(^/episode/)";
    p.fields["show_name"] =
        Rule("a[href^=\"/show/\"] [data-testid=entityAuthor]");
    p.fields["show_url"] = Rule("a[href^=\"/show/\"]");
    // The rating button: "4.9" then "(979)".
    p.fields["rating_value"] = Rule("button > span", R"(^([0-5][.,]\d)$)");
    p.fields["rating_count"] = Rule("button > span", R"(^\(([\d.,KkMm ]+)\)$)");
    out.push_back(std::move(p));
  }
  {
    core::SiteProfile p;
    p.name = "podchaser";
    p.host = "podchaser.com";
    p.show_url_pattern = R"(^/podcasts/[^/]+/?$)";
    p.episode_url_pattern = R"(^/podcasts/[^/]+/episodes/)";
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

const std::vector<core::SiteProfile>& BuiltinProfiles() {
  static const std::vector<core::SiteProfile> kProfiles = Make();
  return kProfiles;
}

}  // namespace parser
