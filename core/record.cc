#include "core/record.h"

#include <nlohmann/json.hpp>

namespace core {
namespace {

template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

template <typename T>
std::optional<T> Get(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string_view PageKindName(PageKind kind) {
  switch (kind) {
    case PageKind::kEpisode:
      return "episode";
    case PageKind::kShow:
      return "show";
    case PageKind::kSitemap:
      return "sitemap";
    case PageKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

PageKind PageKindFromName(std::string_view name) {
  if (name == "episode") return PageKind::kEpisode;
  if (name == "show") return PageKind::kShow;
  if (name == "sitemap") return PageKind::kSitemap;
  return PageKind::kUnknown;
}

nlohmann::json ToJson(const Record& r) {
  nlohmann::json j = nlohmann::json::object();
  j["url"] = r.url;
  j["canonical_url"] = OrNull(r.canonical_url);
  j["kind"] = std::string(PageKindName(r.kind));
  j["show_name"] = OrNull(r.show_name);
  j["show_url"] = OrNull(r.show_url);
  j["episode_title"] = OrNull(r.episode_title);
  j["description"] = OrNull(r.description);
  if (r.rating) {
    j["rating"] = {{"value", OrNull(r.rating->value)},
                   {"count", OrNull(r.rating->count)}};
  } else {
    j["rating"] = nullptr;
  }
  nlohmann::json related = nlohmann::json::array();
  for (const RelatedShow& s : r.related_shows) {
    related.push_back({{"name", s.name},
                       {"url", OrNull(s.url)},
                       {"listeners", OrNull(s.listeners)}});
  }
  j["related_shows"] = std::move(related);
  j["feed_url"] = OrNull(r.feed_url);
  j["audio_url"] = OrNull(r.audio_url);
  j["published"] = OrNull(r.published);
  j["duration_s"] = OrNull(r.duration_s);
  j["language"] = OrNull(r.language);
  j["podcast_guid"] = OrNull(r.podcast_guid);
  j["apple_id"] = OrNull(r.apple_id);
  j["spotify_id"] = OrNull(r.spotify_id);
  j["sources"] = r.sources;
  j["errors"] = r.errors;
  return j;
}

Record RecordFromJson(const nlohmann::json& j) {
  Record r;
  if (!j.is_object()) return r;
  r.url = Get<std::string>(j, "url").value_or("");
  r.canonical_url = Get<std::string>(j, "canonical_url");
  r.kind = PageKindFromName(Get<std::string>(j, "kind").value_or("unknown"));
  r.show_name = Get<std::string>(j, "show_name");
  r.show_url = Get<std::string>(j, "show_url");
  r.episode_title = Get<std::string>(j, "episode_title");
  r.description = Get<std::string>(j, "description");
  if (auto it = j.find("rating"); it != j.end() && it->is_object()) {
    r.rating = Rating{Get<double>(*it, "value"), Get<int64_t>(*it, "count")};
  }
  if (auto it = j.find("related_shows"); it != j.end() && it->is_array()) {
    for (const auto& s : *it) {
      if (!s.is_object()) continue;
      r.related_shows.push_back(RelatedShow{
          Get<std::string>(s, "name").value_or(""), Get<std::string>(s, "url"),
          Get<int64_t>(s, "listeners")});
    }
  }
  r.feed_url = Get<std::string>(j, "feed_url");
  r.audio_url = Get<std::string>(j, "audio_url");
  r.published = Get<std::string>(j, "published");
  r.duration_s = Get<int64_t>(j, "duration_s");
  r.language = Get<std::string>(j, "language");
  r.podcast_guid = Get<std::string>(j, "podcast_guid");
  r.apple_id = Get<std::string>(j, "apple_id");
  r.spotify_id = Get<std::string>(j, "spotify_id");
  if (auto s = Get<std::map<std::string, std::string>>(j, "sources"))
    r.sources = *s;
  if (auto e = Get<std::vector<std::string>>(j, "errors")) r.errors = *e;
  return r;
}

}  // namespace core
