// The record: what podcrawl extracts from one podcast page (DESIGN.md, "The
// record").
//
// The JSON field names produced by ToJson() are the contract that scripts, the
// corpus checker and exports rely on. Missing values are std::nullopt and print
// as JSON null, never 0 or "".
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core {

// kSitemap is a frontier kind only (crawler/sitemap.h); no record has it.
enum class PageKind { kUnknown, kEpisode, kShow, kSitemap };

// Returns "episode", "show", "sitemap" or "unknown".
std::string_view PageKindName(PageKind kind);
// Parses the names PageKindName returns; anything else is kUnknown.
PageKind PageKindFromName(std::string_view name);

struct Rating {
  std::optional<double> value;   // average stars
  std::optional<int64_t> count;  // number of ratings

  bool operator==(const Rating&) const = default;
};

struct RelatedShow {
  std::string name;
  std::optional<std::string> url;  // absolute
  std::optional<int64_t> listeners;

  bool operator==(const RelatedShow&) const = default;
};

struct Record {
  std::string url;  // where it was fetched (or the --url given to parse)
  std::optional<std::string> canonical_url;
  PageKind kind = PageKind::kUnknown;
  std::optional<std::string> show_name;
  std::optional<std::string>
      show_url;  // the show page of an episode, when the page links it
  std::optional<std::string> episode_title;
  std::optional<std::string> description;
  std::optional<Rating> rating;
  std::vector<RelatedShow> related_shows;
  std::optional<std::string> feed_url;
  std::optional<std::string> audio_url;
  std::optional<std::string> published;  // ISO 8601
  std::optional<int64_t> duration_s;
  std::optional<std::string> language;
  // What identifies the show beyond this site (README "The same show across
  // sites"), each only when the page names exactly one value as the show's:
  // its podcast:guid (a UUID, lowercase; podcast namespace), Apple Podcasts'
  // numeric id ("1587654321") and Spotify's show id, from structured data,
  // meta tags or the page's links to the show on Apple Podcasts or Spotify
  // (never links inside a related-shows list).
  std::optional<std::string> podcast_guid;
  std::optional<std::string> apple_id;
  std::optional<std::string> spotify_id;
  // Field name -> strategy that produced it ("json-ld", "microdata", "meta",
  // "state-json", "profile:NAME", "text").
  std::map<std::string, std::string> sources;
  // Problems met while extracting (input cut at the cap, markup budget
  // exceeded, ...). The record is still usable; these say what may be missing.
  std::vector<std::string> errors;

  // Returns canonical_url when known, else url: the key records are
  // deduplicated by.
  const std::string& key_url() const {
    return canonical_url ? *canonical_url : url;
  }

  bool operator==(const Record&) const = default;
};

// Returns the record as the JSON object of DESIGN.md (null for what is
// missing).
nlohmann::json ToJson(const Record& record);
// Reads a record back from ToJson's shape; unknown members are ignored, missing
// ones are null.
Record RecordFromJson(const nlohmann::json& json);

}  // namespace core
