// Embedded page state (__NEXT_DATA__, __NUXT_DATA__, application/json blobs):
// the objects keyed like an episode, a show or a list of related shows, and
// every exact listener count next to a name.
#include <unordered_map>

#include "parser/schema_org.h"
#include "parser/strategies.h"
#include "parser/text_util.h"

namespace parser {
namespace {

constexpr const char* kSource = "state-json";

bool IsListenerKey(const std::string& k) {
  const std::string l = AsciiLower(k);
  return l.find("listener") != std::string::npos ||
         l.find("listen_count") != std::string::npos ||
         l.find("listencount") != std::string::npos ||
         l.find("follower") != std::string::npos;
}

std::optional<std::string> NameOf(const Json& o) {
  for (const char* k : {"title", "name", "showName", "podcastName"}) {
    const Json* v = JsonGet(o, k);
    if (v != nullptr && v->is_string()) {
      if (auto s = JsonStr(v)) return s;
    }
  }
  return std::nullopt;
}

// A direct listener field, else one level down (summary objects).
std::optional<int64_t> ListenersOf(const Json& o) {
  for (auto it = o.begin(); it != o.end(); ++it) {
    if (IsListenerKey(it.key()) && it.value().is_number())
      return JsonInt(&it.value());
  }
  for (auto it = o.begin(); it != o.end(); ++it) {
    if (!it.value().is_object()) continue;
    for (auto jt = it.value().begin(); jt != it.value().end(); ++jt) {
      if (IsListenerKey(jt.key()) && jt.value().is_number())
        return JsonInt(&jt.value());
    }
  }
  return std::nullopt;
}

struct StateIndex {
  const Json* episode = nullptr;
  const Json* show = nullptr;
  const Json* related = nullptr;
  std::vector<core::RelatedShow> counts;  // every (name, exact listeners)
};

bool IsShowKey(const std::string& key) {
  return key == "podcast" || key == "show" || key == "series" ||
         key == "showoffer" || key == "podcastseries" || key == "program";
}

// Records the object `v` found under `key` when it has a name: its listener
// count, and whether it is the episode or the show.
void IndexObject(const Json& v, const std::string& key, StateIndex* ix) {
  auto name = NameOf(v);
  if (!name) return;
  if (auto l = ListenersOf(v); l && ix->counts.size() < 5000)
    ix->counts.push_back({CollapseWhitespace(*name), std::nullopt, l});
  if (ix->episode == nullptr && key == "episode") ix->episode = &v;
  if (ix->show == nullptr && IsShowKey(key)) ix->show = &v;
}

// True for an array of named objects under a key that says related shows.
bool IsRelatedList(const Json& v, const std::string& key) {
  return !v.empty() && v[0].is_object() && NameOf(v[0]) &&
         (key.find("related") != std::string::npos ||
          key.find("similar") != std::string::npos ||
          key.find("recommend") != std::string::npos ||
          key.find("alsolike") != std::string::npos);
}

void Index(const Json& root, StateIndex* ix) {
  struct Item {
    const Json* v;
    std::string key;
    int depth;
  };
  std::vector<Item> queue{{&root, "", 0}};
  size_t head = 0;
  const size_t budget = 200000;
  while (head < queue.size() && head < budget) {
    Item it = queue[head++];
    const Json& v = *it.v;
    if (it.depth > 12) continue;
    const std::string key = AsciiLower(it.key);
    if (v.is_object()) {
      IndexObject(v, key, ix);
      for (auto e = v.begin(); e != v.end(); ++e) {
        if (e.value().is_structured())
          queue.push_back({&e.value(), e.key(), it.depth + 1});
      }
    } else if (v.is_array()) {
      if (ix->related == nullptr && IsRelatedList(v, key)) ix->related = &v;
      for (const auto& e : v) {
        if (e.is_structured()) queue.push_back({&e, it.key, it.depth + 1});
      }
    }
  }
}

// The first string member among `keys`.
std::optional<std::string> FirstString(
    const Json& o, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    const Json* v = JsonGet(o, k);
    if (v != nullptr && v->is_string()) {
      if (auto s = JsonStr(v)) return s;
    }
  }
  return std::nullopt;
}

void ProposeEpisode(const PageContext& ctx, const Json& ep, Candidates& out) {
  out.AddText(Field::kKind, "episode", kSource, "episode object", "state",
              Strength::kStructured);
  out.AddText(Field::kEpisodeTitle, NameOf(ep).value_or(""), kSource,
              "episode title", "state", Strength::kStructured, Owner::kEpisode);
  ProposeDescription(
      out,
      FirstString(ep, {"description_dangerous_html", "description",
                       "description_html", "summary", "notes", "content"}),
      kSource, "episode description", Owner::kEpisode);
  for (const char* k :
       {"audio_url", "audioUrl", "enclosure_url", "streamUrl", "media_url"}) {
    if (auto u = JsonStr(JsonGet(ep, k))) {
      if (auto abs = ctx.Resolve(*u)) {
        out.AddText(Field::kAudioUrl, *abs, kSource, k, "state",
                    Strength::kStructured);
      }
    }
  }
  for (const char* k :
       {"published_date", "publishedDate", "datePublished", "releaseDate"}) {
    if (auto d = JsonStr(JsonGet(ep, k))) {
      if (auto iso = IsoDate(*d)) {
        out.AddText(Field::kPublished, *iso, kSource, k, "state",
                    Strength::kStructured);
      }
    }
  }
  if (const Json* d = JsonGet(ep, "duration"); d && d->is_number()) {
    Candidate c;
    c.field = Field::kDurationS;
    c.number = JsonInt(d);
    c.source = kSource;
    c.where = "duration";
    c.signal = "state";
    c.strength = Strength::kStructured;
    if (c.number) out.Add(std::move(c));
  }
}

void ProposeShow(const Json& show, Candidates& out) {
  out.AddText(Field::kShowName, NameOf(show).value_or(""), kSource,
              "show object", "state", Strength::kStructured, Owner::kShow);
  ProposeDescription(out,
                     FirstString(show, {"description", "description_html",
                                        "summary", "about"}),
                     kSource, "show description", Owner::kShow);
  std::optional<double> value;
  std::optional<int64_t> count;
  for (const char* k :
       {"review_average", "rating_average", "average_rating", "averageRating",
        "ratingAverage", "ratingValue", "rating_value", "userRating"}) {
    if (const Json* v = JsonGet(show, k); v && !value) {
      value = v->is_object() ? JsonNum(JsonGet(*v, "value")) : JsonNum(v);
      if (v->is_object() && !count) count = JsonInt(JsonGet(*v, "ratingCount"));
    }
  }
  for (const char* k :
       {"total_reviews", "review_count", "reviewCount", "rating_count",
        "ratingCount", "ratingsCount", "num_ratings", "total_ratings"}) {
    if (!count) count = JsonInt(JsonGet(show, k));
  }
  ProposeRating(out, value, count, kSource, "show rating",
                Strength::kStructured, /*exact=*/true);
}

// A link on the page whose href ends with `suffix` ("/<slug>").
std::optional<std::string> LinkEndingWith(const PageContext& ctx,
                                          const std::string& suffix) {
  for (int a : ctx.doc().ByTag(GUMBO_TAG_A)) {
    const char* href = ctx.doc().Attr(a, "href");
    if (href == nullptr) continue;
    std::string_view h(href);
    if (h.size() >= suffix.size() &&
        h.substr(h.size() - suffix.size()) == suffix) {
      return ctx.Resolve(h);
    }
  }
  return std::nullopt;
}

// The shows of a related list in the page state.
void ProposeRelatedList(PageContext& ctx, const Json& list, Candidates& out) {
  Candidate c;
  c.field = Field::kRelatedShows;
  c.source = kSource;
  c.where = "related list in page state";
  c.signal = "state";
  c.strength = Strength::kStructured;
  c.exact = true;
  for (const auto& o : list) {
    if (!o.is_object()) continue;
    auto name = NameOf(o);
    if (!name) continue;
    core::RelatedShow s;
    s.name = CollapseWhitespace(*name);
    s.listeners = ListenersOf(o);
    if (auto u = JsonStr(JsonGet(o, "url"))) s.url = ctx.Resolve(*u);
    if (!s.url) {
      if (auto slug = JsonStr(JsonGet(o, "slug")))
        s.url = LinkEndingWith(ctx, "/" + *slug);
    }
    c.related.push_back(std::move(s));
  }
  if (!c.related.empty()) out.Add(std::move(c));
}

}  // namespace

void ProposeStateJson(PageContext& ctx, Candidates& out) {
  std::vector<Json> states;
  for (const Script& s : ctx.doc().scripts()) {
    const bool next = s.id == "__NEXT_DATA__" || s.id == "__NUXT_DATA__";
    const bool blob = s.type == "application/json" && s.text.size() > 64;
    if (!next && !blob) continue;
    Json j = Json::parse(StripJsonWrappers(s.text), nullptr, false);
    if (!j.is_discarded()) states.push_back(std::move(j));
  }
  if (states.empty()) return;
  StateIndex ix;
  for (const Json& j : states) Index(j, &ix);
  const Json* show = ix.show;
  if (ix.episode != nullptr) {
    ProposeEpisode(ctx, *ix.episode, out);
    for (const char* k : {"podcast", "show", "series", "showOffer"}) {
      if (const Json* p = JsonGet(*ix.episode, k);
          p != nullptr && p->is_object() && NameOf(*p)) {
        show = p;
        break;
      }
    }
  } else if (show != nullptr) {
    out.AddText(Field::kKind, "show", kSource, "show object", "state",
                Strength::kStructured);
  }
  if (show != nullptr) ProposeShow(*show, out);
  if (ix.related != nullptr) ProposeRelatedList(ctx, *ix.related, out);
  if (!ix.counts.empty()) {
    // Exact counts by name: the resolver refines rounded visible counts.
    Candidate c;
    c.field = Field::kRelatedShows;
    c.source = kSource;
    c.where = "exact listener counts in page state";
    c.signal = "state-counts";
    c.strength = Strength::kStructured;
    c.exact = true;
    c.related = std::move(ix.counts);
    out.Add(std::move(c));
  }
}

}  // namespace parser
