#include "parser/schema_org.h"

#include <algorithm>
#include <cmath>
#include <regex>

#include "parser/html_document.h"
#include "parser/identity.h"
#include "parser/text_util.h"

namespace parser {

const Json* JsonGet(const Json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string> JsonStr(const Json* j) {
  if (j == nullptr) return std::nullopt;
  if (j->is_string()) {
    const auto& s = j->get_ref<const std::string&>();
    if (Trim(s).empty()) return std::nullopt;
    return std::string(Trim(s));
  }
  if (j->is_number_integer()) return std::to_string(j->get<int64_t>());
  if (j->is_array() && !j->empty()) return JsonStr(&(*j)[0]);
  if (j->is_object()) {
    if (const Json* v = JsonGet(*j, "@value")) return JsonStr(v);
  }
  return std::nullopt;
}

std::optional<double> JsonNum(const Json* j) {
  if (j == nullptr) return std::nullopt;
  if (j->is_number()) return j->get<double>();
  if (j->is_string()) {
    const auto& s = j->get_ref<const std::string&>();
    if (auto c = ParseCount(s)) return static_cast<double>(*c);
    return ParseRatingValue(s);
  }
  if (j->is_object()) {
    if (const Json* v = JsonGet(*j, "@value")) return JsonNum(v);
  }
  return std::nullopt;
}

std::optional<int64_t> JsonInt(const Json* j) {
  if (j == nullptr) return std::nullopt;
  if (j->is_number_integer()) return j->get<int64_t>();
  if (j->is_number_float()) {
    const double d = j->get<double>();
    if (!std::isfinite(d) || std::fabs(d) > 9e18) return std::nullopt;
    return static_cast<int64_t>(std::llround(d));
  }
  if (j->is_string()) return ParseCount(j->get_ref<const std::string&>());
  return std::nullopt;
}

std::vector<std::string> SchemaTypes(const Json& node) {
  std::vector<std::string> out;
  const Json* t = JsonGet(node, "@type");
  if (t == nullptr) return out;
  auto add = [&](const Json& v) {
    if (!v.is_string()) return;
    std::string s = AsciiLower(v.get_ref<const std::string&>());
    for (std::string_view prefix :
         {"http://schema.org/", "https://schema.org/", "schema:"}) {
      if (s.rfind(prefix, 0) == 0) s = s.substr(prefix.size());
    }
    out.push_back(s);
  };
  if (t->is_array()) {
    for (const auto& v : *t) add(v);
  } else {
    add(*t);
  }
  return out;
}

bool HasSchemaType(const Json& node, std::initializer_list<const char*> names) {
  for (const auto& t : SchemaTypes(node)) {
    for (const char* n : names) {
      if (t == n) return true;
    }
  }
  return false;
}

std::string CleanText(const std::string& s) {
  std::string out = s;
  // Decode twice at most: JSON-LD copies are often escaped once more than
  // needed.
  for (int round = 0; round < 2; ++round) {
    if (out.find('<') == std::string::npos &&
        out.find('&') == std::string::npos)
      break;
    out = HtmlFragmentToText(out);
  }
  return std::string(Trim(out));
}

std::optional<int64_t> ParseDuration(const std::string& s) {
  if (s.size() > 64) return std::nullopt;
  static const std::regex kIso(
      R"(^P(?:(\d{1,6})D)?T?(?:(\d{1,6})H)?(?:(\d{1,7})M)?(?:(\d{1,9}(?:\.\d{1,6})?)S)?$)");
  std::smatch m;
  if (std::regex_match(s, m, kIso) && m.length(0) > 1) {
    int64_t total = 0;
    if (m[1].matched) total += std::stoll(m[1]) * 86400;
    if (m[2].matched) total += std::stoll(m[2]) * 3600;
    if (m[3].matched) total += std::stoll(m[3]) * 60;
    if (m[4].matched) total += static_cast<int64_t>(std::stod(m[4]));
    return total;
  }
  static const std::regex kClock(R"(^(?:(\d{1,6}):)?(\d{1,2}):(\d{2})$)");
  if (std::regex_match(s, m, kClock)) {
    return (m[1].matched ? std::stoll(m[1]) * 3600 : 0) +
           std::stoll(m[2]) * 60 + std::stoll(m[3]);
  }
  if (!s.empty() && s.size() < 10 &&
      std::all_of(s.begin(), s.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    return std::stoll(s);
  }
  return std::nullopt;
}

std::optional<std::string> IsoDate(const std::string& s) {
  if (s.size() > 64) return std::nullopt;
  static const std::regex kIso(
      R"(^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$)");
  if (std::regex_match(s, kIso)) return s;
  return std::nullopt;
}

std::string StripJsonWrappers(std::string_view s) {
  s = Trim(s);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view open :
         {"<!--", "//<![CDATA[", "<![CDATA[", "/*<![CDATA[*/"}) {
      if (s.substr(0, open.size()) == open) {
        s = Trim(s.substr(open.size()));
        changed = true;
      }
    }
    for (std::string_view close : {"-->", "//]]>", "]]>", "/*]]>*/"}) {
      if (s.size() >= close.size() &&
          s.substr(s.size() - close.size()) == close) {
        s = Trim(s.substr(0, s.size() - close.size()));
        changed = true;
      }
    }
  }
  return std::string(s);
}

void FlattenSchema(const Json& root, SchemaGraph* g) {
  struct Item {
    const Json* value;
    bool top;
  };
  std::vector<Item> stack{{&root, true}};
  size_t budget = 200000;
  while (!stack.empty() && budget-- > 0) {
    Item it = stack.back();
    stack.pop_back();
    const Json& v = *it.value;
    if (v.is_array()) {
      for (auto e = v.rbegin(); e != v.rend(); ++e)
        stack.push_back({&*e, it.top});
      continue;
    }
    if (!v.is_object()) continue;
    if (JsonGet(v, "@type") != nullptr) {
      g->nodes.push_back(&v);
      if (it.top) g->top_level.push_back(&v);
    }
    if (auto id = JsonStr(JsonGet(v, "@id")); id && v.size() > 1)
      g->by_id.emplace(*id, &v);
    std::vector<Item> children;
    for (auto e = v.begin(); e != v.end(); ++e) {
      if (e.value().is_object() || e.value().is_array()) {
        children.push_back({&e.value(), it.top && (e.key() == "@graph" ||
                                                   e.key() == "mainEntity")});
      }
    }
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
}

const Json* SchemaDeref(const SchemaGraph& g, const Json* v) {
  if (v == nullptr) return nullptr;
  if (v->is_array() && !v->empty()) v = &(*v)[0];
  if (v->is_object()) {
    const Json* id = JsonGet(*v, "@id");
    if (id != nullptr && v->size() == 1) {
      if (auto s = JsonStr(id)) {
        auto it = g.by_id.find(*s);
        if (it != g.by_id.end()) return it->second;
      }
    }
  }
  return v;
}

namespace {

constexpr std::initializer_list<const char*> kSeriesTypes = {
    "podcastseries", "creativeworkseries", "radioseries", "podcast",
    "tvseries"};

struct Main {
  const Json* episode = nullptr;
  const Json* series = nullptr;
  std::optional<std::string> series_name;  // isPartOf given as a bare name
};

// The page's main entity: top-level nodes first (a show page's JSON-LD may
// list its episodes inside the series), then nested ones (WebPage.mainEntity
// -> PodcastEpisode). The episode's own series wins over any other series.
Main FindMain(const SchemaGraph& g) {
  Main m;
  for (const auto* list : {&g.top_level, &g.nodes}) {
    for (const Json* n : *list) {
      if (m.episode == nullptr &&
          HasSchemaType(*n, {"podcastepisode", "episode", "radioepisode"}))
        m.episode = n;
      if (!m.series && HasSchemaType(*n, kSeriesTypes)) m.series = n;
    }
    if (!m.episode) {
      for (const Json* n : *list) {
        if (HasSchemaType(*n, {"audioobject"}) &&
            (JsonGet(*n, "partOfSeries") != nullptr ||
             JsonGet(*n, "isPartOf") != nullptr)) {
          m.episode = n;
          break;
        }
      }
    }
    if (m.episode || m.series) break;
  }
  if (m.episode == nullptr) return m;
  for (const char* key : {"partOfSeries", "isPartOf"}) {
    const Json* ref = SchemaDeref(g, JsonGet(*m.episode, key));
    if (ref == nullptr) continue;
    if (ref->is_string()) {
      // isPartOf given as a bare name (Apple) or as a URL.
      const auto& s = ref->get_ref<const std::string&>();
      if (s.rfind("http", 0) != 0 && !m.series_name) m.series_name = s;
      continue;
    }
    if (!ref->is_object()) continue;
    const bool typed_other = JsonGet(*ref, "@type") != nullptr &&
                             !HasSchemaType(*ref, kSeriesTypes) &&
                             !HasSchemaType(*ref, {"series"});
    if (typed_other) continue;  // e.g. a WebPage that isPartOf a WebSite
    m.series = ref;
    break;
  }
  return m;
}

// The rating of the main entity: its aggregateRating, the series', or a
// top-level AggregateRating about it; a single Review's reviewRating is never
// the show's rating.
const Json* FindRating(const SchemaGraph& g, const Json* main,
                       const Json* series) {
  const Json* agg = SchemaDeref(g, JsonGet(*main, "aggregateRating"));
  if (agg == nullptr && series != nullptr)
    agg = SchemaDeref(g, JsonGet(*series, "aggregateRating"));
  if (agg != nullptr) return agg;
  for (const Json* n : g.top_level) {
    if (!HasSchemaType(*n, {"aggregaterating"})) continue;
    const Json* about = SchemaDeref(g, JsonGet(*n, "itemReviewed"));
    if (about == nullptr || about == main || about == series) return n;
    if (!about->is_object()) continue;
    auto name = JsonStr(JsonGet(*about, "name"));
    if (name &&
        (name == JsonStr(JsonGet(*main, "name")) ||
         (series != nullptr && name == JsonStr(JsonGet(*series, "name"))))) {
      return n;
    }
  }
  return nullptr;
}

// Names of the people and organisations behind `node` (author, creator,
// publisher, ...), proposed as what they are.
void ProposeParties(const SchemaGraph& g, const Json& node,
                    const std::string& src, Candidates& out) {
  for (const char* key :
       {"author", "creator", "actor", "contributor", "publisher", "provider",
        "productionCompany", "sourceOrganization", "sponsor"}) {
    const Json* v = JsonGet(node, key);
    if (v == nullptr) continue;
    std::vector<const Json*> parties;
    if (v->is_array()) {
      for (const auto& e : *v) parties.push_back(&e);
    } else {
      parties.push_back(v);
    }
    for (const Json* p : parties) {
      p = SchemaDeref(g, p);
      if (p == nullptr) continue;
      std::optional<std::string> name =
          p->is_string() ? JsonStr(p) : JsonStr(JsonGet(*p, "name"));
      if (!name || name->rfind("http", 0) == 0) continue;
      // A typed person is never the show; an organisation may be the show's
      // own brand or a network (weighed like the site's name), and so may a
      // publisher; an untyped author ("itemprop=author" text) is as often
      // the show as a person.
      if (p->is_object() && HasSchemaType(*p, {"person"})) {
        out.AddText(Field::kShowName, *name, src, std::string(key),
                    "schema-party", Strength::kStructured, Owner::kPerson);
      } else if ((p->is_object() && JsonGet(*p, "@type") != nullptr) ||
                 std::string_view(key) == "publisher" ||
                 std::string_view(key) == "provider") {
        out.AddText(Field::kShowName, *name, src, std::string(key),
                    "schema-party", Strength::kPage, Owner::kSite);
      } else {
        out.AddText(Field::kShowName, *name, src, std::string(key),
                    "schema-party", Strength::kGuess, Owner::kUnknown);
      }
    }
  }
}

// With no podcast type: the description of a node describing this page, and
// the parties behind the top-level nodes.
void ProposePageNode(const SchemaGraph& g, const std::string& src,
                     const PageContext& ctx, Candidates& out) {
  for (const Json* n : g.top_level) {
    auto id = JsonStr(JsonGet(*n, "url"));
    if (!id) id = JsonStr(JsonGet(*n, "@id"));
    if (id && ctx.Resolve(*id) == ctx.Resolve(ctx.url()) &&
        JsonGet(*n, "description") != nullptr) {
      ProposeDescription(out, JsonStr(JsonGet(*n, "description")), src,
                         "description of the page's node", Owner::kUnknown);
      break;
    }
  }
  for (const Json* n : g.top_level) ProposeParties(g, *n, src, out);
}

// The series' name, address, feed and (on an episode page) description.
void ProposeSeries(const Json& series, bool episode, const std::string& src,
                   const PageContext& ctx, Candidates& out) {
  out.AddText(Field::kShowName, JsonStr(JsonGet(series, "name")).value_or(""),
              src, episode ? "episode partOfSeries name" : "series name", src,
              Strength::kStructured, Owner::kShow);
  if (auto u = JsonStr(JsonGet(series, "url"))) {
    if (auto abs = ctx.Resolve(*u)) {
      out.AddText(Field::kShowUrl, *abs, src, "series url", src,
                  Strength::kStructured, Owner::kShow);
    }
  }
  if (auto feed = JsonStr(JsonGet(series, "webFeed"))) {
    if (auto abs = ctx.Resolve(*feed)) {
      out.AddText(Field::kFeedUrl, *abs, src, "series webFeed", src,
                  Strength::kStructured, Owner::kShow);
    }
  }
  ProposeSeriesIdentifiers(series, src, out);
  if (episode) {
    // The show's own description: evidence that the same text elsewhere on
    // an episode page is the show's, not the episode's.
    ProposeDescription(out, JsonStr(JsonGet(series, "description")), src,
                       "series description", Owner::kShow);
  }
}

// The audio of the main entity: its media objects' contentUrl, or its own
// when it is an AudioObject.
void ProposeAudio(const SchemaGraph& g, const Json& main,
                  const std::string& src, const PageContext& ctx,
                  Candidates& out) {
  for (const char* key : {"associatedMedia", "audio", "encoding"}) {
    const Json* media = SchemaDeref(g, JsonGet(main, key));
    if (media == nullptr || !media->is_object()) continue;
    if (auto u = JsonStr(JsonGet(*media, "contentUrl"))) {
      if (auto abs = ctx.Resolve(*u)) {
        out.AddText(Field::kAudioUrl, *abs, src, std::string(key), src,
                    Strength::kStructured);
      }
    }
  }
  if (HasSchemaType(main, {"audioobject"})) {
    if (auto u = JsonStr(JsonGet(main, "contentUrl"))) {
      if (auto abs = ctx.Resolve(*u)) {
        out.AddText(Field::kAudioUrl, *abs, src, "contentUrl", src,
                    Strength::kStructured);
      }
    }
  }
}

void ProposeDurations(const Json& main, const std::string& src,
                      Candidates& out) {
  for (const char* key : {"duration", "timeRequired"}) {
    if (auto d = JsonStr(JsonGet(main, key))) {
      if (auto secs = ParseDuration(*d)) {
        Candidate c;
        c.field = Field::kDurationS;
        c.number = secs;
        c.source = src;
        c.where = key;
        c.signal = src;
        c.strength = Strength::kStructured;
        out.Add(std::move(c));
      }
    }
  }
}

}  // namespace

void ProposeSchema(const SchemaGraph& graph, const std::string& source,
                   const PageContext& ctx, Candidates& out) {
  const SchemaGraph& g = graph;
  const std::string& src = source;
  const Main m = FindMain(g);
  const Json* main = m.episode != nullptr ? m.episode : m.series;
  if (main == nullptr) {
    // No podcast type: a node describing this page may still carry a
    // description.
    ProposePageNode(g, src, ctx, out);
    return;
  }
  const bool episode = m.episode != nullptr;
  out.AddText(Field::kKind, episode ? "episode" : "show", src,
              episode ? "PodcastEpisode node" : "PodcastSeries node",
              "schema-type", Strength::kStructured);
  if (episode) {
    out.AddText(Field::kEpisodeTitle,
                JsonStr(JsonGet(*m.episode, "name")).value_or(""), src,
                "episode name", src, Strength::kStructured, Owner::kEpisode);
    if (m.series_name) {
      out.AddText(Field::kShowName, *m.series_name, src, "episode isPartOf",
                  src, Strength::kStructured, Owner::kShow);
    }
  }
  if (m.series != nullptr) ProposeSeries(*m.series, episode, src, ctx, out);
  ProposeDescription(out, JsonStr(JsonGet(*main, "description")), src,
                     episode ? "episode description" : "series description",
                     episode ? Owner::kEpisode : Owner::kShow);
  if (const Json* agg = FindRating(g, main, m.series);
      agg != nullptr && agg->is_object()) {
    std::optional<int64_t> count = JsonInt(JsonGet(*agg, "ratingCount"));
    if (!count) count = JsonInt(JsonGet(*agg, "reviewCount"));
    ProposeRating(out, JsonNum(JsonGet(*agg, "ratingValue")), count, src,
                  "aggregateRating", Strength::kStructured, /*exact=*/true);
  }
  ProposeAudio(g, *main, src, ctx, out);
  if (auto d = JsonStr(JsonGet(*main, "datePublished"))) {
    if (auto iso = IsoDate(*d)) {
      out.AddText(Field::kPublished, *iso, src, "datePublished", src,
                  Strength::kStructured);
    }
  }
  ProposeDurations(*main, src, out);
  out.AddText(Field::kLanguage,
              JsonStr(JsonGet(*main, "inLanguage")).value_or(""), src,
              "inLanguage", src, Strength::kStructured);
  ProposeParties(g, *main, src, out);
  if (m.series != nullptr && m.series != main)
    ProposeParties(g, *m.series, src, out);
}

}  // namespace parser
