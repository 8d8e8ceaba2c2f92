#include "parser/candidate.h"

#include <regex>

#include "parser/lexicon.h"
#include "parser/schema_org.h"
#include "parser/text_util.h"

namespace parser {
namespace {

// "Listen to this episode from <show> on Spotify. <text>" and similar prefixes
// that sites put in front of the description in meta and JSON-LD copies.
// Returns the show when the prefix names it.
std::optional<std::string> StripListenPrefix(std::string* text) {
  const std::string& t = *text;
  if (t.empty() || (t[0] != 'L' && t[0] != 'E' && t[0] != 'A' && t[0] != 'O' &&
                    t.rfind("\u00c9", 0) != 0)) {
    return std::nullopt;
  }
  static const std::regex kPrefix(
      R"(^(?:Listen to (this episode from )?(.{1,200}?) on [A-Z][\w&'-]*(?: [A-Z][\w&'-]*){0,3}\.|Listen and download (.{1,200}?)['’]s episodes for free\.|Escucha y descarga los episodios de (.{1,200}?) gratis\.|Écoutez et téléchargez les épisodes de (.{1,200}?) gratuitement\.|Ascolta e scarica gli episodi di (.{1,200}?) gratis\.|Ouça e baixe os episódios de (.{1,200}?) grátis\.)\s*)");
  std::smatch m;
  // Only the head can hold the prefix; a bounded copy keeps the regex cheap.
  const std::string head = text->substr(0, 400);
  if (!std::regex_search(head, m, kPrefix,
                         std::regex_constants::match_continuous)) {
    return std::nullopt;
  }
  std::optional<std::string> show;
  if (m[1].matched && m[2].matched) show = m[2].str();
  for (int g = 4; g <= 7 && !show; ++g) {
    if (m[g].matched) show = m[g].str();
  }
  *text = text->substr(static_cast<size_t>(m.length(0)));
  return show;
}

}  // namespace

std::string NameKey(std::string_view name) {
  std::string key = AsciiLower(CollapseWhitespace(name));
  auto is_edge = [](char c) {
    return c == '"' || c == '\'' || c == ':' || c == '.' || c == ',' ||
           c == '!' || c == '?' || c == '(' || c == ')' || c == ' ';
  };
  size_t b = 0;
  size_t e = key.size();
  while (b < e && is_edge(key[b])) ++b;
  while (e > b && is_edge(key[e - 1])) --e;
  key = key.substr(b, e - b);
  // Typographic quotes and guillemets at either end.
  for (std::string_view q :
       {"\u201c", "\u201d", "\u00ab", "\u00bb", "\u2018", "\u2019", "\u201e"}) {
    if (key.size() >= q.size() && key.compare(0, q.size(), q) == 0)
      key.erase(0, q.size());
    if (key.size() >= q.size() &&
        key.compare(key.size() - q.size(), q.size(), q) == 0)
      key.resize(key.size() - q.size());
  }
  return std::string(Trim(key));
}

std::string_view FieldName(Field field) {
  switch (field) {
    case Field::kKind:
      return "kind";
    case Field::kShowName:
      return "show_name";
    case Field::kShowUrl:
      return "show_url";
    case Field::kEpisodeTitle:
      return "episode_title";
    case Field::kDescription:
      return "description";
    case Field::kRating:
      return "rating";
    case Field::kRelatedShows:
      return "related_shows";
    case Field::kCanonicalUrl:
      return "canonical_url";
    case Field::kFeedUrl:
      return "feed_url";
    case Field::kAudioUrl:
      return "audio_url";
    case Field::kPublished:
      return "published";
    case Field::kDurationS:
      return "duration_s";
    case Field::kLanguage:
      return "language";
    case Field::kPodcastGuid:
      return "podcast_guid";
    case Field::kAppleId:
      return "apple_id";
    case Field::kSpotifyId:
      return "spotify_id";
  }
  return "?";
}

std::string_view OwnerName(Owner owner) {
  switch (owner) {
    case Owner::kUnknown:
      return "unknown";
    case Owner::kEpisode:
      return "episode";
    case Owner::kShow:
      return "show";
    case Owner::kSite:
      return "site";
    case Owner::kNetwork:
      return "network";
    case Owner::kPerson:
      return "person";
    case Owner::kPlatform:
      return "platform";
    case Owner::kOtherShow:
      return "other show";
  }
  return "?";
}

Candidate* Candidates::AddText(Field field, std::string text,
                               std::string source, std::string where,
                               std::string signal, Strength strength,
                               Owner owner, bool visible) {
  text = CollapseWhitespace(text);
  if (text.empty()) return nullptr;
  Candidate c;
  c.field = field;
  c.text = std::move(text);
  c.source = std::move(source);
  c.where = std::move(where);
  c.signal = std::move(signal);
  c.strength = strength;
  c.owner = owner;
  c.visible = visible;
  return &Add(std::move(c));
}

std::vector<const Candidate*> Candidates::Of(Field field) const {
  std::vector<const Candidate*> out;
  for (const Candidate& c : items_) {
    if (c.field == field) out.push_back(&c);
  }
  return out;
}

const Candidate* Candidates::First(Field field, Strength strength) const {
  for (const Candidate& c : items_) {
    if (c.field == field && c.strength >= strength) return &c;
  }
  return nullptr;
}

void ProposeDescription(Candidates& out, std::optional<std::string> raw,
                        const std::string& source, const std::string& where,
                        Owner owner, Strength strength, bool visible) {
  if (!raw) return;
  std::string clean = CleanText(*raw);
  if (auto show = StripListenPrefix(&clean)) {
    out.AddText(Field::kShowName, *show, source,
                "\"Listen to this episode from SHOW\" in " + where,
                "listen-prefix", Strength::kPage, Owner::kShow);
  }
  // Leading bare addresses (an embed's URL) and a player's line are not text.
  for (;;) {
    clean = std::string(Trim(clean));
    if (clean.rfind("http://", 0) != 0 && clean.rfind("https://", 0) != 0)
      break;
    const size_t end = clean.find_first_of(" \n");
    if (end == std::string::npos) {
      clean.clear();
      break;
    }
    clean.erase(0, end);
  }
  if (clean.size() < 2 || lexicon::IsPlayerLine(clean)) return;
  Candidate c;
  c.field = Field::kDescription;
  c.truncated = LooksTruncated(clean);
  c.text = std::move(clean);
  c.source = source;
  c.where = where;
  c.signal = where;
  c.strength = strength;
  c.owner = owner;
  c.visible = visible;
  out.Add(std::move(c));
}

void ProposeRating(Candidates& out, std::optional<double> value,
                   std::optional<int64_t> count, const std::string& source,
                   const std::string& where, Strength strength, bool exact) {
  if (value && (*value < 0 || *value > 10)) value.reset();
  if (count && *count < 0) count.reset();
  if (!value && !count) return;
  Candidate c;
  c.field = Field::kRating;
  c.rating = core::Rating{value, count};
  c.source = source;
  c.where = where;
  c.signal = where;
  c.strength = strength;
  c.exact = exact;
  out.Add(std::move(c));
}

}  // namespace parser
