// Identifiers of the show beyond the page's site (parser/identity.h): the
// podcast:guid of meta tags and page data, and the show's links to Apple
// Podcasts and Spotify ("Listen on Apple Podcasts"). Each distinct value is
// one candidate; the resolver takes a value only when the strongest
// candidates agree on one, so a page that links two Apple shows outside its
// related list names none.
#include "parser/identity.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "parser/strategies.h"
#include "parser/text_util.h"

namespace parser {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsBase62(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool StartsWithNoCase(std::string_view s, std::string_view lower_prefix) {
  return s.size() >= lower_prefix.size() &&
         AsciiLower(s.substr(0, lower_prefix.size())) == lower_prefix;
}

// An absolute or protocol-relative http(s) URL split into its lowercase host
// and its path (without query and fragment); nullopt for anything else.
struct HostPath {
  std::string host;
  std::string_view path;
};

std::optional<HostPath> SplitUrl(std::string_view url) {
  url = Trim(url);
  for (std::string_view scheme : {"https://", "http://", "//"}) {
    if (StartsWithNoCase(url, scheme)) {
      url.remove_prefix(scheme.size());
      const size_t host_end = std::min(url.find_first_of("/?#"), url.size());
      HostPath out{AsciiLower(url.substr(0, host_end)), url.substr(host_end)};
      out.path = out.path.substr(
          0, std::min(out.path.find_first_of("?#"), out.path.size()));
      return out;
    }
  }
  return std::nullopt;
}

// The path's segments, empty ones dropped ("/us//podcast/" -> us, podcast).
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    const std::string_view seg = path.substr(0, slash);
    if (!seg.empty()) out.push_back(seg);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::optional<std::string> SpotifyId(std::string_view id) {
  if (id.size() != 22 || !std::ranges::all_of(id, IsBase62))
    return std::nullopt;
  return std::string(id);
}

// Keys of page data that name the podcast's guid: "podcastGuid" (Podcast
// Index's API), "podcast_guid", "podcast:guid" (the feed's tag), compared
// without case, '_', '-' and ':'.
bool IsGuidKey(std::string_view key) {
  std::string k;
  for (char c : key) {
    if (c != '_' && c != '-' && c != ':') k.push_back(AsciiLower(c));
  }
  return k == "podcastguid";
}

// Cheap test before a data script is parsed: a key spelt "podcast", then
// '_', ':', '-' or nothing, then "guid" in any case. One memmem pass (glibc's
// is vectorised; string_view::find stops at every 'o') for "odcast", whose
// rare hits are then checked.
bool MayHoldGuidKey(std::string_view text) {
  constexpr std::string_view kStem = "odcast";
  const char* const end = text.data() + text.size();
  const char* at = text.data();
  while (at < end) {
    const void* hit =
        memmem(at, static_cast<size_t>(end - at), kStem.data(), kStem.size());
    if (hit == nullptr) return false;
    at = static_cast<const char*>(hit) + kStem.size();
    std::string_view rest(
        at, static_cast<size_t>(std::min<ptrdiff_t>(end - at, 5)));
    if (!rest.empty() && (rest[0] == '_' || rest[0] == ':' || rest[0] == '-'))
      rest.remove_prefix(1);
    if (rest.size() >= 4 && AsciiLower(rest.substr(0, 4)) == "guid")
      return true;
  }
  return false;
}

// The guid values under guid keys anywhere in `root` (bounded work).
void CollectGuids(const Json& root, std::set<std::string>* guids) {
  std::vector<std::pair<const Json*, int>> stack{{&root, 0}};
  size_t visited = 0;
  while (!stack.empty() && ++visited < 200000 && guids->size() < 16) {
    const auto [v, depth] = stack.back();
    stack.pop_back();
    if (depth > 16) continue;
    if (v->is_object()) {
      for (auto it = v->begin(); it != v->end(); ++it) {
        if (it.value().is_string() && IsGuidKey(it.key())) {
          if (auto g = PodcastGuidOf(it.value().get_ref<const std::string&>()))
            guids->insert(*g);
        } else if (it.value().is_structured()) {
          stack.emplace_back(&it.value(), depth + 1);
        }
      }
    } else if (v->is_array()) {
      for (const Json& e : *v) {
        if (e.is_structured()) stack.emplace_back(&e, depth + 1);
      }
    }
  }
}

void AddId(Candidates& out, Field field, std::string value,
           const std::string& source, std::string where, std::string signal,
           Strength strength, Owner owner) {
  out.AddText(field, std::move(value), source, std::move(where),
              std::move(signal), strength, owner);
}

// The podcast:guid of meta tags (<meta name="podcast:guid" content=UUID>).
void ProposeMetaGuid(const PageContext& ctx, Candidates& out) {
  for (const char* key : {"podcast:guid", "podcast-guid"}) {
    for (const std::string& content : ctx.MetaAll(key)) {
      if (auto g = PodcastGuidOf(content)) {
        AddId(out, Field::kPodcastGuid, *g, "meta", std::string("meta ") + key,
              "meta-guid", Strength::kPage, Owner::kShow);
      }
    }
  }
}

// The podcast guids of page data (JSON-LD and page state): each distinct
// value once. Several distinct ones (a related list's shows carry theirs)
// conflict in the resolver, and none is taken.
void ProposeDataGuids(const PageContext& ctx, Candidates& out) {
  for (const Script& s : ctx.doc().scripts()) {
    const bool ld = s.type.find("ld+json") != std::string::npos;
    const bool data = ld || s.type.find("json") != std::string::npos ||
                      s.id == "__NEXT_DATA__" || s.id == "__NUXT_DATA__";
    if (!data || !MayHoldGuidKey(s.text)) continue;
    const Json j = Json::parse(StripJsonWrappers(s.text), nullptr, false);
    if (j.is_discarded()) continue;
    std::set<std::string> guids;
    CollectGuids(j, &guids);
    for (const std::string& g : guids) {
      AddId(out, Field::kPodcastGuid, g, ld ? "json-ld" : "state-json",
            "podcast guid key in page data", "data-guid", Strength::kStructured,
            Owner::kUnknown);
    }
  }
}

// True when the link says it leads to a directory or a player: its text,
// title, aria-label, class and id, or those of what it holds (an icon, an
// image's alt), name Apple, iTunes or Spotify, or say listen / subscribe; or it
// holds no text at all (an icon button). A link in prose to another show is
// named after that show, and fails this test.
bool LabelsDirectoryLink(const HtmlDocument& doc, int a) {
  std::string label = AsciiLower(Trim(doc.Text(a)));
  if (label.empty()) return true;
  for (int i = a; i < doc.element(a).subtree_end; ++i) {
    for (const char* attr : {"title", "aria-label", "alt"}) {
      if (const char* v = doc.Attr(i, attr)) label += " " + AsciiLower(v);
    }
    label += " ";
    label += LowerClasses(doc.element(i));
  }
  return std::ranges::any_of(
      std::initializer_list<std::string_view>{"apple", "itunes", "spotify",
                                              "listen", "subscribe"},
      [&](std::string_view w) { return label.find(w) != std::string::npos; });
}

// How a linked id relates to the page's show, by its strongest link.
enum class LinkPlace { kRelated, kUnlabelled, kLabelled };

// The show's links to Apple Podcasts and Spotify: one candidate per distinct
// id. An id linked only inside related lists, or only by links named after
// something else (another show's name, an episode's title), is set aside as
// another show's.
void ProposeDirectoryLinks(const PageContext& ctx, Candidates& out) {
  const HtmlDocument& doc = ctx.doc();
  std::map<std::string, LinkPlace> apple;
  std::map<std::string, LinkPlace> spotify;
  for (int a : doc.ByTag(GUMBO_TAG_A)) {
    const char* href = doc.Attr(a, "href");
    if (href == nullptr) continue;
    const std::string_view h(href);
    const bool maybe_apple = h.find("apple.com") != std::string_view::npos;
    if (!maybe_apple && h.find("spotify.com") == std::string_view::npos)
      continue;
    std::optional<std::string> id =
        maybe_apple ? AppleShowId(h) : SpotifyShowId(h);
    if (!id) continue;
    auto [it, added] =
        (maybe_apple ? apple : spotify).emplace(*id, LinkPlace::kRelated);
    // An Apple page links its show's id in every episode's link: once one
    // link said what it is, the others need not be read.
    if (it->second == LinkPlace::kLabelled || ctx.InRelated(a)) continue;
    it->second = LabelsDirectoryLink(doc, a) ? LinkPlace::kLabelled
                                             : LinkPlace::kUnlabelled;
  }
  for (const auto& [ids, field, directory] :
       {std::tuple{&apple, Field::kAppleId, "Apple Podcasts"},
        std::tuple{&spotify, Field::kSpotifyId, "Spotify"}}) {
    for (const auto& [id, place] : *ids) {
      std::string where = std::string("link to ") + directory;
      if (place == LinkPlace::kRelated) where += " in a related list";
      if (place == LinkPlace::kUnlabelled)
        where += " named after something else";
      AddId(
          out, field, id, "text", std::move(where), "directory-link",
          Strength::kPage,
          place == LinkPlace::kLabelled ? Owner::kUnknown : Owner::kOtherShow);
    }
  }
}

}  // namespace

std::optional<std::string> AppleShowId(std::string_view url) {
  auto parts = SplitUrl(url);
  if (!parts || (parts->host != "podcasts.apple.com" &&
                 parts->host != "itunes.apple.com"))
    return std::nullopt;
  const std::vector<std::string_view> segs = Segments(parts->path);
  if (segs.size() < 2 ||
      std::ranges::find(segs, std::string_view("podcast")) == segs.end())
    return std::nullopt;
  const std::string_view last = segs.back();
  if (last.size() < 3 || last.size() > 14 || last.substr(0, 2) != "id" ||
      !std::ranges::all_of(last.substr(2), IsDigit))
    return std::nullopt;
  return std::string(last.substr(2));
}

std::optional<std::string> SpotifyShowId(std::string_view url) {
  url = Trim(url);
  if (StartsWithNoCase(url, "spotify:show:"))
    return SpotifyId(url.substr(std::string_view("spotify:show:").size()));
  auto parts = SplitUrl(url);
  if (!parts || parts->host != "open.spotify.com") return std::nullopt;
  std::vector<std::string_view> segs = Segments(parts->path);
  if (!segs.empty() && segs.front().substr(0, 5) == "intl-")
    segs.erase(segs.begin());
  if (segs.size() != 2 || segs[0] != "show") return std::nullopt;
  return SpotifyId(segs[1]);
}

std::optional<std::string> PodcastGuidOf(std::string_view text) {
  text = Trim(text);
  if (StartsWithNoCase(text, "urn:uuid:")) text.remove_prefix(9);
  if (text.size() != 36) return std::nullopt;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !IsHex(text[i])) return std::nullopt;
  }
  return AsciiLower(text);
}

void ProposeSeriesIdentifiers(const Json& series, const std::string& source,
                              Candidates& out) {
  if (const Json* same = JsonGet(series, "sameAs")) {
    std::vector<const Json*> refs;
    if (same->is_array()) {
      for (const Json& e : *same) refs.push_back(&e);
    } else {
      refs.push_back(same);
    }
    for (const Json* ref : refs) {
      if (!ref->is_string()) continue;
      const auto& u = ref->get_ref<const std::string&>();
      if (auto id = AppleShowId(u)) {
        AddId(out, Field::kAppleId, *id, source, "series sameAs", source,
              Strength::kStructured, Owner::kShow);
      } else if (auto sid = SpotifyShowId(u)) {
        AddId(out, Field::kSpotifyId, *sid, source, "series sameAs", source,
              Strength::kStructured, Owner::kShow);
      }
    }
  }
  if (const Json* ident = JsonGet(series, "identifier")) {
    std::vector<const Json*> values;
    if (ident->is_array()) {
      for (const Json& e : *ident) values.push_back(&e);
    } else {
      values.push_back(ident);
    }
    for (const Json* v : values) {
      if (!v->is_object()) continue;
      auto property = JsonStr(JsonGet(*v, "propertyID"));
      if (!property || !IsGuidKey(*property)) continue;
      if (auto g = PodcastGuidOf(JsonStr(JsonGet(*v, "value")).value_or(""))) {
        AddId(out, Field::kPodcastGuid, *g, source, "series identifier", source,
              Strength::kStructured, Owner::kShow);
      }
    }
  }
}

void ProposeIdentity(PageContext& ctx, Candidates& out) {
  ProposeMetaGuid(ctx, out);
  ProposeDataGuids(ctx, out);
  ProposeDirectoryLinks(ctx, out);
}

}  // namespace parser
