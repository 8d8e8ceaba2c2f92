#include "parser/page_parser.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <unordered_map>
#include <unordered_set>

#include "core/regex.h"
#include "core/url.h"
#include "parser/builtin_profiles.h"
#include "parser/charset.h"
#include "parser/html_document.h"
#include "parser/markup_budget.h"
#include "parser/prefilter.h"
#include "parser/selector.h"
#include "parser/text_util.h"

namespace parser {
namespace {

using nlohmann::json;

constexpr const char* kJsonLd = "json-ld";
constexpr const char* kMicrodata = "microdata";
constexpr const char* kStateJson = "state-json";
constexpr const char* kMeta = "meta";
constexpr const char* kText = "text";

// ---------------------------------------------------------------------------------------------
// JSON helpers (nlohmann throws on type mismatches; these never do).

const json* Get(const json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string> Str(const json* j) {
  if (j == nullptr) return std::nullopt;
  if (j->is_string()) {
    std::string s = j->get<std::string>();
    if (Trim(s).empty()) return std::nullopt;
    return std::string(Trim(s));
  }
  if (j->is_number_integer()) return std::to_string(j->get<int64_t>());
  if (j->is_array() && !j->empty()) return Str(&(*j)[0]);
  if (j->is_object()) {
    if (const json* v = Get(*j, "@value")) return Str(v);
  }
  return std::nullopt;
}

std::optional<double> Num(const json* j) {
  if (j == nullptr) return std::nullopt;
  if (j->is_number()) return j->get<double>();
  if (j->is_string()) {
    const std::string s = j->get<std::string>();
    if (auto c = ParseCount(s)) return static_cast<double>(*c);
    return ParseRatingValue(s);
  }
  if (j->is_object()) {
    if (const json* v = Get(*j, "@value")) return Num(v);
  }
  return std::nullopt;
}

std::optional<int64_t> Int(const json* j) {
  if (j == nullptr) return std::nullopt;
  if (j->is_number_integer()) return j->get<int64_t>();
  if (j->is_number_float())
    return static_cast<int64_t>(std::llround(j->get<double>()));
  if (j->is_string()) return ParseCount(j->get<std::string>());
  return std::nullopt;
}

std::vector<std::string> Types(const json& node) {
  std::vector<std::string> out;
  const json* t = Get(node, "@type");
  if (t == nullptr) return out;
  auto add = [&](const json& v) {
    if (!v.is_string()) return;
    std::string s = AsciiLower(v.get<std::string>());
    for (const char* prefix :
         {"http://schema.org/", "https://schema.org/", "schema:"}) {
      if (s.rfind(prefix, 0) == 0)
        s = s.substr(std::string_view(prefix).size());
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

bool HasType(const json& node, std::initializer_list<const char*> names) {
  for (const auto& t : Types(node)) {
    for (const char* n : names) {
      if (t == n) return true;
    }
  }
  return false;
}

// Returns text from a string that may hold markup or entities
// ("&amp;#128591;").
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

// "Listen to this episode from <show> on Spotify. <text>" and similar prefixes
// that sites put in front of the description in meta and JSON-LD copies.
// Returns the show when the prefix names it.
std::optional<std::string> StripListenPrefix(std::string* text) {
  static const std::regex kPrefix(
      R"(^(?:Listen to (this episode from )?(.{1,200}?) on [A-Z][\w .&'-]{1,40}\.|Listen and download (.{1,200}?)['’]s episodes for free\.)\s*)");
  std::smatch m;
  if (!std::regex_search(*text, m, kPrefix,
                         std::regex_constants::match_continuous)) {
    return std::nullopt;
  }
  std::optional<std::string> show;
  if (m[1].matched && m[2].matched) show = m[2].str();
  *text = text->substr(static_cast<size_t>(m.length(0)));
  return show;
}

// ISO 8601 duration ("PT1H15M30S") or plain seconds to seconds.
std::optional<int64_t> ParseDuration(const std::string& s) {
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
      std::all_of(s.begin(), s.end(), ::isdigit)) {
    return std::stoll(s);
  }
  return std::nullopt;
}

// Keeps dates that are ISO 8601 already ("2024-10-04",
// "2025-11-17T05:00:00.000Z").
std::optional<std::string> IsoDate(const std::string& s) {
  static const std::regex kIso(
      R"(^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$)");
  if (std::regex_match(s, kIso)) return s;
  return std::nullopt;
}

// Lowercased, whitespace-collapsed key for comparing names.
std::string NameKey(std::string_view s) {
  return AsciiLower(CollapseWhitespace(s));
}

bool IsHeadingTag(GumboTag t) {
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 ||
         t == GUMBO_TAG_H4 || t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

constexpr std::string_view kListenerWords =
    "listeners|listener|auditeurs|auditeur|oyentes|oyente|ouvintes|ascoltatori|"
    "hörer|followers|"
    "follower|subscribers|abonnés";
constexpr std::string_view kRatingWords =
    "ratings|rating|votes|vote|reviews|avis|évaluations|notes|valoraciones|"
    "valoración|"
    "bewertungen|calificaciones|avaliações";

// A description candidate: several copies of the same text compete; the longest
// full one wins.
struct DescCandidate {
  std::string text;
  std::string source;
  bool truncated = false;
};

// ---------------------------------------------------------------------------------------------

class Extractor {
 public:
  Extractor(const HtmlDocument& doc, std::string url,
            const ParseOptions& options, core::Record* record,
            std::vector<std::string>* links)
      : doc_(doc),
        url_(std::move(url)),
        options_(options),
        r_(*record),
        links_(*links) {}

  void Run() {
    CollectHead();
    RunJsonLd();
    RunMicrodata();
    RunStateJson();
    RunProfiles();
    RunMeta();
    RunText();
    FinishDescription();
    FinishRelated();
    FinishKind();
    CollectLinks();
  }

 private:
  // ---- field setters: each field keeps the first good value
  // --------------------------------
  void SetStr(std::optional<std::string>& field, const char* name,
              std::optional<std::string> v, const std::string& source) {
    if (field || !v) return;
    std::string clean = CollapseWhitespace(*v);
    if (clean.empty()) return;
    field = std::move(clean);
    r_.sources[name] = source;
  }
  void SetUrl(std::optional<std::string>& field, const char* name,
              std::optional<std::string> v, const std::string& source) {
    if (field || !v) return;
    if (auto abs = Resolve(*v)) {
      field = std::move(abs);
      r_.sources[name] = source;
    }
  }
  void SetRating(std::optional<double> value, std::optional<int64_t> count,
                 const std::string& source) {
    if (value && (*value < 0 || *value > 10)) value.reset();
    if (count && *count < 0) count.reset();
    if (r_.rating || (!value && !count)) return;
    r_.rating = core::Rating{value, count};
    r_.sources["rating"] = source;
  }
  void SetKind(core::PageKind kind, const std::string& source) {
    if (kind_ != core::PageKind::kUnknown || kind == core::PageKind::kUnknown)
      return;
    kind_ = kind;
    kind_source_ = source;
  }
  void AddDescription(std::optional<std::string> text,
                      const std::string& source) {
    if (!text) return;
    std::string clean = CleanText(*text);
    if (auto show = StripListenPrefix(&clean)) show_from_prefix_ = show;
    clean = std::string(Trim(clean));
    if (clean.size() < 2) return;
    DescCandidate c;
    c.truncated = LooksTruncated(clean);
    c.text = std::move(clean);
    c.source = source;
    desc_.push_back(std::move(c));
  }

  std::optional<std::string> Resolve(std::string_view ref) const {
    ref = Trim(ref);
    if (ref.empty() || ref.front() == '#') return std::nullopt;
    const std::string lower = AsciiLower(ref.substr(0, 11));
    if (lower.rfind("javascript:", 0) == 0 || lower.rfind("mailto:", 0) == 0 ||
        lower.rfind("tel:", 0) == 0 || lower.rfind("data:", 0) == 0) {
      return std::nullopt;
    }
    // Pages repeat the same hrefs (cards, menus); libcurl's URL parse is the
    // costly part.
    std::string key(ref);
    auto it = resolved_.find(key);
    if (it != resolved_.end()) return it->second;
    auto abs = core::ResolveUrl(base_, ref);
    resolved_.emplace(std::move(key), abs);
    return abs;
  }

  // ---- head: meta, link, base, lang
  // ---------------------------------------------------------
  void CollectHead() {
    base_ = url_;
    for (int i : doc_.ByTag(GUMBO_TAG_BASE)) {
      if (const char* href = doc_.Attr(i, "href")) {
        if (auto b = core::ResolveUrl(url_, href)) base_ = *b;
        break;
      }
    }
    for (int i : doc_.ByTag(GUMBO_TAG_META)) {
      const char* key = doc_.Attr(i, "property");
      if (key == nullptr) key = doc_.Attr(i, "name");
      if (key == nullptr)
        key = doc_.Attr(i, "itemprop") ? nullptr : doc_.Attr(i, "http-equiv");
      const char* content = doc_.Attr(i, "content");
      if (key == nullptr || content == nullptr) continue;
      meta_.emplace_back(AsciiLower(key), content);
    }
    for (int i : doc_.ByTag(GUMBO_TAG_LINK)) {
      const char* rel = doc_.Attr(i, "rel");
      const char* href = doc_.Attr(i, "href");
      if (rel == nullptr || href == nullptr) continue;
      const std::string r = AsciiLower(rel);
      if (r.find("canonical") != std::string::npos && !canonical_link_)
        canonical_link_ = href;
      if (r.find("alternate") != std::string::npos && !feed_link_) {
        const std::string type =
            AsciiLower(doc_.Attr(i, "type") ? doc_.Attr(i, "type") : "");
        if (type.find("rss") != std::string::npos ||
            type.find("atom") != std::string::npos) {
          feed_link_ = href;
        }
      }
    }
    for (int i : doc_.ByTag(GUMBO_TAG_HTML)) {
      if (const char* lang = doc_.Attr(i, "lang")) {
        if (*lang != '\0') html_lang_ = lang;
      }
    }
  }

  std::vector<std::string> MetaAll(std::string_view key) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : meta_) {
      if (k == key) out.push_back(v);
    }
    return out;
  }
  std::optional<std::string> MetaFirst(std::string_view key) const {
    for (const auto& [k, v] : meta_) {
      if (k == key && !Trim(v).empty()) return std::string(Trim(v));
    }
    return std::nullopt;
  }

  // ---- schema.org (JSON-LD and microdata share the interpretation)
  // ------------------------
  struct SchemaGraph {
    std::vector<const json*> nodes;  // every object with @type, document order
    std::vector<const json*> top_level;  // roots and @graph members
    std::unordered_map<std::string, const json*> by_id;
  };

  static void Flatten(const json& root, SchemaGraph* g) {
    struct Item {
      const json* value;
      bool top;
    };
    std::vector<Item> stack{{&root, true}};
    std::vector<const json*> order;
    size_t budget = 200000;
    while (!stack.empty() && budget-- > 0) {
      Item it = stack.back();
      stack.pop_back();
      const json& v = *it.value;
      if (v.is_array()) {
        for (auto e = v.rbegin(); e != v.rend(); ++e)
          stack.push_back({&*e, it.top});
        continue;
      }
      if (!v.is_object()) continue;
      if (Get(v, "@type") != nullptr) {
        g->nodes.push_back(&v);
        if (it.top) g->top_level.push_back(&v);
      }
      if (auto id = Str(Get(v, "@id")); id && v.size() > 1)
        g->by_id.emplace(*id, &v);
      std::vector<Item> children;
      for (auto e = v.begin(); e != v.end(); ++e) {
        if (e.value().is_object() || e.value().is_array()) {
          children.push_back({&e.value(), it.top && (e.key() == "@graph" ||
                                                     e.key() == "mainEntity")});
        }
      }
      for (auto c = children.rbegin(); c != children.rend(); ++c)
        stack.push_back(*c);
    }
  }

  // Follows {"@id": ...} references.
  static const json* Deref(const SchemaGraph& g, const json* v) {
    if (v == nullptr) return nullptr;
    if (v->is_array() && !v->empty()) v = &(*v)[0];
    if (v->is_object()) {
      const json* id = Get(*v, "@id");
      if (id != nullptr && v->size() == 1) {
        if (auto s = Str(id)) {
          auto it = g.by_id.find(*s);
          if (it != g.by_id.end()) return it->second;
        }
      }
    }
    return v;
  }

  void InterpretSchema(const SchemaGraph& g, const std::string& src) {
    // The page's main entity: top-level nodes first (a show page's JSON-LD may
    // list its episodes inside the series), then nested ones
    // (WebPage.mainEntity -> PodcastEpisode).
    const json* episode = nullptr;
    const json* series = nullptr;
    for (const auto* list : {&g.top_level, &g.nodes}) {
      for (const json* n : *list) {
        if (!episode &&
            HasType(*n, {"podcastepisode", "episode", "radioepisode"}))
          episode = n;
        if (!series && HasType(*n, {"podcastseries", "creativeworkseries",
                                    "radioseries", "podcast"})) {
          series = n;
        }
      }
      if (!episode) {
        for (const json* n : *list) {
          if (HasType(*n, {"audioobject"}) &&
              (Get(*n, "partOfSeries") != nullptr ||
               Get(*n, "isPartOf") != nullptr)) {
            episode = n;
            break;
          }
        }
      }
      if (episode || series) break;
    }
    // The episode's own series wins over any other series node on the page.
    std::optional<std::string> series_name_from_episode;
    const json* episode_series = nullptr;
    if (episode) {
      for (const char* key : {"partOfSeries", "isPartOf"}) {
        const json* ref = Deref(g, Get(*episode, key));
        if (ref == nullptr) continue;
        if (ref->is_string()) {
          // isPartOf given as a bare name (Apple) or as a URL.
          std::string s = ref->get<std::string>();
          if (s.rfind("http", 0) != 0) series_name_from_episode = s;
          continue;
        }
        if (ref->is_object()) {
          const bool typed_other =
              Get(*ref, "@type") != nullptr &&
              !HasType(*ref, {"podcastseries", "creativeworkseries",
                              "radioseries", "podcast", "series"});
          if (typed_other) continue;  // e.g. a WebPage that isPartOf a WebSite
          episode_series = ref;
          break;
        }
      }
      if (episode_series) series = episode_series;
    }
    const json* main = episode ? episode : series;
    if (main == nullptr) {
      // No podcast type: a node describing this page may still carry a useful
      // description.
      for (const json* n : g.top_level) {
        auto id = Str(Get(*n, "url"));
        if (!id) id = Str(Get(*n, "@id"));
        if (id && (Resolve(*id) == Resolve(url_)) && Get(*n, "description")) {
          AddDescription(Str(Get(*n, "description")), src);
          break;
        }
      }
      return;
    }
    SetKind(episode ? core::PageKind::kEpisode : core::PageKind::kShow, src);
    if (episode) {
      SetStr(r_.episode_title, "episode_title", Str(Get(*episode, "name")),
             src);
      if (!series_name_from_episode && series) {
        series_name_from_episode = Str(Get(*series, "name"));
      }
      SetStr(r_.show_name, "show_name", series_name_from_episode, src);
      if (series)
        SetUrl(r_.show_url, "show_url", Str(Get(*series, "url")), src);
    } else {
      SetStr(r_.show_name, "show_name", Str(Get(*series, "name")), src);
    }
    AddDescription(Str(Get(*main, "description")), src);
    // Rating: the main entity's aggregateRating, or a top-level AggregateRating
    // about it; a single Review's reviewRating is never the show's rating.
    const json* agg = Deref(g, Get(*main, "aggregateRating"));
    if (agg == nullptr && series)
      agg = Deref(g, Get(*series, "aggregateRating"));
    if (agg == nullptr) {
      for (const json* n : g.top_level) {
        if (!HasType(*n, {"aggregaterating"})) continue;
        const json* about = Deref(g, Get(*n, "itemReviewed"));
        if (about == nullptr || about == main || about == series ||
            (about->is_object() && Str(Get(*about, "name")) &&
             (Str(Get(*about, "name")) == Str(Get(*main, "name")) ||
              (series &&
               Str(Get(*about, "name")) == Str(Get(*series, "name")))))) {
          agg = n;
          break;
        }
      }
    }
    if (agg && agg->is_object()) {
      std::optional<int64_t> count = Int(Get(*agg, "ratingCount"));
      if (!count) count = Int(Get(*agg, "reviewCount"));
      SetRating(Num(Get(*agg, "ratingValue")), count, src);
    }
    // Audio, dates, duration, language, feed.
    for (const char* key : {"associatedMedia", "audio", "encoding"}) {
      const json* media = Deref(g, Get(*main, key));
      if (media && media->is_object()) {
        SetUrl(r_.audio_url, "audio_url", Str(Get(*media, "contentUrl")), src);
      }
    }
    if (HasType(*main, {"audioobject"})) {
      SetUrl(r_.audio_url, "audio_url", Str(Get(*main, "contentUrl")), src);
    }
    if (auto d = Str(Get(*main, "datePublished"))) {
      SetStr(r_.published, "published", IsoDate(*d), src);
    }
    for (const char* key : {"duration", "timeRequired"}) {
      if (auto d = Str(Get(*main, key)); d && !r_.duration_s) {
        if (auto secs = ParseDuration(*d)) {
          r_.duration_s = secs;
          r_.sources["duration_s"] = src;
        }
      }
    }
    SetStr(r_.language, "language", Str(Get(*main, "inLanguage")), src);
    if (series)
      SetUrl(r_.feed_url, "feed_url", Str(Get(*series, "webFeed")), src);
  }

  static std::string StripJsonWrappers(std::string_view s) {
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

  void RunJsonLd() {
    for (const Script& s : doc_.scripts()) {
      if (s.type.find("ld+json") == std::string::npos) continue;
      json j = json::parse(StripJsonWrappers(s.text), nullptr, false);
      if (j.is_discarded()) {
        r_.errors.push_back("unreadable JSON-LD block skipped");
        continue;
      }
      jsonld_.push_back(std::move(j));
    }
    if (jsonld_.empty()) return;
    SchemaGraph g;
    for (const json& j : jsonld_) Flatten(j, &g);
    InterpretSchema(g, kJsonLd);
  }

  // ---- microdata: items become schema.org JSON objects and share
  // InterpretSchema -------------
  void RunMicrodata() {
    // Owner item of each itemprop element: the nearest ancestor with itemscope.
    std::unordered_map<int, json*> items;
    std::vector<std::unique_ptr<json>> storage;
    json roots = json::array();
    std::vector<int> item_order;
    const int n = doc_.size();
    bool any = false;
    for (int i = 0; i < n; ++i) {
      if (doc_.element(i).itemscope) {
        any = true;
        break;
      }
    }
    if (!any) return;
    // Build objects in document order; nested items are stored inside their
    // owner afterwards.
    std::unordered_map<int, json> objects;
    std::vector<std::pair<int, int>> nested;  // (owner item, child item)
    std::vector<std::pair<int, std::string>> child_prop;
    for (int i = 0; i < n; ++i) {
      if (doc_.element(i).hidden && doc_.element(i).tag != GUMBO_TAG_META &&
          doc_.element(i).tag != GUMBO_TAG_LINK) {
        continue;
      }
      const bool scope = doc_.element(i).itemscope;
      if (scope) {
        json obj = json::object();
        if (const char* type = doc_.Attr(i, "itemtype")) {
          std::string t = type;
          const size_t slash = t.find_last_of('/');
          obj["@type"] = slash == std::string::npos ? t : t.substr(slash + 1);
        } else {
          obj["@type"] = "Thing";
        }
        objects.emplace(i, std::move(obj));
        item_order.push_back(i);
      }
      const char* prop =
          doc_.element(i).itemprop ? doc_.Attr(i, "itemprop") : nullptr;
      if (prop == nullptr) continue;
      int owner = doc_.element(i).parent;
      while (owner >= 0 && !doc_.element(owner).itemscope) {
        owner = doc_.element(owner).parent;
      }
      if (owner < 0) continue;
      if (scope) {
        nested.emplace_back(owner, i);
        child_prop.emplace_back(i, prop);
        continue;
      }
      std::string value;
      const GumboTag tag = doc_.element(i).tag;
      const char* attr = nullptr;
      if (doc_.Attr(i, "content")) {
        attr = doc_.Attr(i, "content");
      } else if (tag == GUMBO_TAG_A || tag == GUMBO_TAG_LINK ||
                 tag == GUMBO_TAG_AREA) {
        attr = doc_.Attr(i, "href");
      } else if (tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_AUDIO ||
                 tag == GUMBO_TAG_SOURCE || tag == GUMBO_TAG_VIDEO ||
                 tag == GUMBO_TAG_EMBED || tag == GUMBO_TAG_IFRAME) {
        attr = doc_.Attr(i, "src");
      } else if (tag == GUMBO_TAG_TIME) {
        attr = doc_.Attr(i, "datetime");
      } else if (tag == GUMBO_TAG_DATA || tag == GUMBO_TAG_METER) {
        attr = doc_.Attr(i, "value");
      }
      value = attr ? std::string(attr) : std::string(doc_.Text(i));
      // Several names may share one element ("itemprop='name headline'").
      std::string names = prop;
      size_t p = 0;
      while (p < names.size()) {
        while (p < names.size() && names[p] == ' ') ++p;
        size_t q = p;
        while (q < names.size() && names[q] != ' ') ++q;
        if (q > p) {
          auto it = objects.find(owner);
          if (it != objects.end()) {
            json& slot = it->second[names.substr(p, q - p)];
            if (slot.is_null()) slot = value;
          }
        }
        p = q;
      }
    }
    // Attach nested items, innermost first (reverse document order).
    std::unordered_map<int, std::string> prop_of(child_prop.begin(),
                                                 child_prop.end());
    for (auto it = nested.rbegin(); it != nested.rend(); ++it) {
      auto owner = objects.find(it->first);
      auto child = objects.find(it->second);
      if (owner == objects.end() || child == objects.end()) continue;
      json& slot = owner->second[prop_of[it->second]];
      if (slot.is_null()) slot = child->second;
    }
    std::unordered_set<int> is_nested;
    for (const auto& [owner, child] : nested) is_nested.insert(child);
    for (int i : item_order) {
      if (!is_nested.count(i)) roots.push_back(objects[i]);
    }
    microdata_ = std::move(roots);
    SchemaGraph g;
    Flatten(microdata_, &g);
    InterpretSchema(g, kMicrodata);
  }

  // ---- embedded page state (__NEXT_DATA__, application/json blobs)
  // ---------------------------
  static bool IsListenerKey(const std::string& k) {
    const std::string l = AsciiLower(k);
    return l.find("listener") != std::string::npos ||
           l.find("listen_count") != std::string::npos ||
           l.find("listencount") != std::string::npos ||
           l.find("follower") != std::string::npos;
  }

  static std::optional<std::string> NameOf(const json& o) {
    for (const char* k : {"title", "name", "showName", "podcastName"}) {
      if (auto s = Str(Get(o, k)); s && Get(o, k)->is_string()) return s;
    }
    return std::nullopt;
  }

  static std::optional<int64_t> ListenersOf(const json& o) {
    // Prefer a direct listener field; else look one level down (summary
    // objects).
    for (auto it = o.begin(); it != o.end(); ++it) {
      if (IsListenerKey(it.key()) && it.value().is_number())
        return Int(&it.value());
    }
    for (auto it = o.begin(); it != o.end(); ++it) {
      if (!it.value().is_object()) continue;
      for (auto jt = it.value().begin(); jt != it.value().end(); ++jt) {
        if (IsListenerKey(jt.key()) && jt.value().is_number())
          return Int(&jt.value());
      }
    }
    return std::nullopt;
  }

  void IndexState(const json& root) {
    struct Item {
      const json* v;
      std::string key;
      int depth;
    };
    std::vector<Item> queue{{&root, "", 0}};
    size_t head = 0;
    const size_t budget = 200000;
    while (head < queue.size() && head < budget) {
      Item it = queue[head++];
      const json& v = *it.v;
      if (it.depth > 12) continue;
      if (v.is_object()) {
        const std::string key = AsciiLower(it.key);
        if (auto name = NameOf(v)) {
          if (auto l = ListenersOf(v))
            state_listeners_.emplace(NameKey(*name), *l);
          if (!state_episode_ && key == "episode") state_episode_ = &v;
          if (!state_show_ && (key == "podcast" || key == "show" ||
                               key == "series" || key == "showoffer" ||
                               key == "podcastseries" || key == "program")) {
            state_show_ = &v;
          }
        }
        for (auto e = v.begin(); e != v.end(); ++e) {
          if (e.value().is_structured())
            queue.push_back({&e.value(), e.key(), it.depth + 1});
        }
      } else if (v.is_array()) {
        const std::string key = AsciiLower(it.key);
        if (state_related_ == nullptr && !v.empty() && v[0].is_object() &&
            NameOf(v[0]) &&
            (key.find("related") != std::string::npos ||
             key.find("similar") != std::string::npos ||
             key.find("recommend") != std::string::npos ||
             key.find("alsolike") != std::string::npos)) {
          state_related_ = &v;
        }
        for (const auto& e : v) {
          if (e.is_structured()) queue.push_back({&e, it.key, it.depth + 1});
        }
      }
    }
  }

  void RunStateJson() {
    for (const Script& s : doc_.scripts()) {
      const bool next = s.id == "__NEXT_DATA__" || s.id == "__NUXT_DATA__";
      const bool blob = s.type == "application/json" && s.text.size() > 64;
      if (!next && !blob) continue;
      json j = json::parse(StripJsonWrappers(s.text), nullptr, false);
      if (j.is_discarded()) continue;
      state_.push_back(std::move(j));
    }
    for (const json& j : state_) IndexState(j);
    const std::string src = kStateJson;
    const json* show = state_show_;
    if (state_episode_) {
      SetKind(core::PageKind::kEpisode, src);
      const json& ep = *state_episode_;
      SetStr(r_.episode_title, "episode_title", NameOf(ep), src);
      for (const char* k : {"podcast", "show", "series", "showOffer"}) {
        if (const json* p = Get(ep, k); p && p->is_object() && NameOf(*p)) {
          show = p;
          break;
        }
      }
      for (const char* k :
           {"description_dangerous_html", "description", "description_html",
            "summary", "notes", "content"}) {
        if (auto d = Str(Get(ep, k)); d && Get(ep, k)->is_string()) {
          AddDescription(d, src);
          break;
        }
      }
      for (const char* k : {"audio_url", "audioUrl", "enclosure_url",
                            "streamUrl", "media_url"}) {
        SetUrl(r_.audio_url, "audio_url", Str(Get(ep, k)), src);
      }
      for (const char* k : {"published_date", "publishedDate", "datePublished",
                            "releaseDate"}) {
        if (auto d = Str(Get(ep, k)))
          SetStr(r_.published, "published", IsoDate(*d), src);
      }
      if (!r_.duration_s) {
        if (const json* d = Get(ep, "duration"); d && d->is_number()) {
          r_.duration_s = Int(d);
          r_.sources["duration_s"] = src;
        }
      }
    } else if (show) {
      SetKind(core::PageKind::kShow, src);
      for (const char* k :
           {"description", "description_html", "summary", "about"}) {
        if (auto d = Str(Get(*show, k)); d && Get(*show, k)->is_string()) {
          AddDescription(d, src);
          break;
        }
      }
    }
    if (show) {
      SetStr(r_.show_name, "show_name", NameOf(*show), src);
      std::optional<double> value;
      std::optional<int64_t> count;
      for (const char* k : {"review_average", "rating_average",
                            "average_rating", "averageRating", "ratingAverage",
                            "ratingValue", "rating_value", "userRating"}) {
        if (const json* v = Get(*show, k); v && !value) {
          value = v->is_object() ? Num(Get(*v, "value")) : Num(v);
          if (v->is_object() && !count) count = Int(Get(*v, "ratingCount"));
        }
      }
      for (const char* k :
           {"total_reviews", "review_count", "reviewCount", "rating_count",
            "ratingCount", "ratingsCount", "num_ratings", "total_ratings"}) {
        if (!count) count = Int(Get(*show, k));
      }
      if (value || count) SetRating(value, count, src);
    }
  }

  // ---- site profiles
  // ----------------------------------------------------------------------
  static bool HostMatches(const std::string& host, std::string pattern) {
    pattern = AsciiLower(pattern);
    if (pattern.rfind("*.", 0) == 0) {
      const std::string suffix = pattern.substr(1);
      return host.size() > suffix.size() &&
             host.compare(host.size() - suffix.size(), suffix.size(), suffix) ==
                 0;
    }
    if (host == pattern) return true;
    const std::string suffix = "." + pattern;
    return host.size() > suffix.size() &&
           host.compare(host.size() - suffix.size(), suffix.size(), suffix) ==
               0;
  }

  // Profiles are the same on every page: their selectors and regexes are
  // compiled once per thread (std::regex compilation costs more than running
  // it). nullptr when invalid.
  static const Selector* CachedSelector(const std::string& text) {
    thread_local std::unordered_map<std::string, std::optional<Selector>> cache;
    auto it = cache.find(text);
    if (it == cache.end()) {
      if (cache.size() > 4096) cache.clear();
      it = cache.emplace(text, Selector::Parse(text)).first;
    }
    return it->second ? &*it->second : nullptr;
  }
  // User regexes run on RE2 (core::Regex): linear in the text, over the
  // whole value.
  static const core::Regex* CachedRegex(const std::string& text) {
    thread_local std::unordered_map<std::string, std::optional<core::Regex>>
        cache;
    auto it = cache.find(text);
    if (it == cache.end()) {
      if (cache.size() > 4096) cache.clear();
      core::Result<core::Regex> re = core::Regex::Compile(text);
      std::optional<core::Regex> compiled;
      if (re) compiled = std::move(re).value();
      it = cache.emplace(text, std::move(compiled)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  // Returns the rule's value inside `scope`: the first match whose (attribute
  // or text) value passes the regex.
  std::optional<std::string> RuleValue(const core::FieldRule& rule,
                                       int scope = -1) const {
    const Selector* sel = CachedSelector(rule.selector);
    if (sel == nullptr) return std::nullopt;
    const core::Regex* re = nullptr;
    if (rule.regex) {
      re = CachedRegex(*rule.regex);
      if (re == nullptr) return std::nullopt;
    }
    for (int i : sel->SelectAll(doc_, scope)) {
      if (doc_.element(i).hidden && !rule.attribute) continue;
      std::string value;
      if (rule.attribute) {
        const char* a = doc_.Attr(i, rule.attribute->c_str());
        if (a == nullptr) continue;
        value = a;
      } else {
        value = std::string(doc_.Text(i));
      }
      if (re) {
        const std::optional<core::Regex::Groups> m = re->Find(value);
        if (!m) continue;
        value = std::string(m->size() > 1 && (*m)[1] ? *(*m)[1] : *(*m)[0]);
      }
      if (!Trim(value).empty()) return std::string(Trim(value));
    }
    return std::nullopt;
  }

  void RunProfile(const core::SiteProfile& p) {
    const std::string src = "profile:" + p.name;
    auto rule = [&](const char* name) -> const core::FieldRule* {
      auto it = p.fields.find(name);
      return it == p.fields.end() ? nullptr : &it->second;
    };
    const std::string path = PathOf(url_);
    const core::Regex* episode_re =
        p.episode_url_pattern ? CachedRegex(*p.episode_url_pattern) : nullptr;
    const core::Regex* show_re =
        p.show_url_pattern ? CachedRegex(*p.show_url_pattern) : nullptr;
    if ((p.episode_url_pattern && !episode_re) ||
        (p.show_url_pattern && !show_re)) {
      r_.errors.push_back("profile " + p.name + ": invalid URL pattern");
    }
    if (episode_re && episode_re->Search(path)) {
      SetKind(core::PageKind::kEpisode, src);
    } else if (show_re && show_re->Search(path)) {
      SetKind(core::PageKind::kShow, src);
    }
    if (const auto* f = rule("show_name"))
      SetStr(r_.show_name, "show_name", RuleValue(*f), src);
    if (const auto* f = rule("show_url")) {
      core::FieldRule with_href = *f;
      if (!with_href.attribute) with_href.attribute = "href";
      SetUrl(r_.show_url, "show_url", RuleValue(with_href), src);
    }
    if (const auto* f = rule("episode_title")) {
      SetStr(r_.episode_title, "episode_title", RuleValue(*f), src);
    }
    if (const auto* f = rule("description")) AddDescription(RuleValue(*f), src);
    std::optional<double> value;
    std::optional<int64_t> count;
    if (const auto* f = rule("rating_value")) {
      if (auto v = RuleValue(*f)) value = ParseRatingValue(*v);
    }
    if (const auto* f = rule("rating_count")) {
      if (auto v = RuleValue(*f)) {
        count = ParseCount(*v);
        if (!count) {
          if (auto m = FindCountBefore(*v, kRatingWords)) count = m->value;
        }
      }
    }
    SetRating(value, count, src);
    if (const auto* f = rule("related_item"); f && !profile_related_) {
      const Selector* sel = CachedSelector(f->selector);
      if (sel == nullptr) return;
      std::vector<core::RelatedShow> shows;
      for (int item : sel->SelectAll(doc_)) {
        core::RelatedShow s;
        if (const auto* nf = rule("related_name")) {
          s.name = RuleValue(*nf, item).value_or("");
        }
        if (s.name.empty()) s.name = FirstLine(doc_.Text(item));
        std::optional<std::string> href;
        if (const auto* uf = rule("related_url")) {
          core::FieldRule with_href = *uf;
          if (!with_href.attribute) with_href.attribute = "href";
          href = RuleValue(with_href, item);
        } else if (doc_.Attr(item, "href")) {
          href = doc_.Attr(item, "href");
        } else if (int a = FirstLink(item); a >= 0) {
          href = doc_.Attr(a, "href");
        }
        if (href) s.url = Resolve(*href);
        if (const auto* lf = rule("related_listeners")) {
          if (auto v = RuleValue(*lf, item)) {
            if (auto m = FindCountBefore(*v, kListenerWords)) {
              s.listeners = m->value;
            } else {
              s.listeners = ParseCount(*v);
            }
          }
        }
        s.name = CollapseWhitespace(s.name);
        if (!s.name.empty()) shows.push_back(std::move(s));
      }
      if (!shows.empty()) {
        profile_related_ = std::move(shows);
        profile_related_source_ = src;
      }
    }
  }

  void RunProfiles() {
    const std::string host = core::UrlHost(url_);
    if (host.empty()) return;
    for (const auto& p : options_.profiles) {
      if (HostMatches(host, p.host)) RunProfile(p);
    }
    for (const auto& p : BuiltinProfiles()) {
      if (HostMatches(host, p.host)) RunProfile(p);
    }
  }

  // ---- meta tags
  // --------------------------------------------------------------------------
  // True when `name` is the site's brand ("Goodpods" on goodpods.com, "Apple
  // Podcasts" on podcasts.apple.com) rather than a show.
  bool IsBrand(std::string_view name) const {
    const std::string host = core::UrlHost(url_);
    std::string lower = AsciiLower(name);
    std::string joined;
    std::vector<std::string> words;
    std::string cur;
    for (char c : lower) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        cur.push_back(c);
        joined.push_back(c);
      } else if (!cur.empty()) {
        words.push_back(cur);
        cur.clear();
      }
    }
    if (!cur.empty()) words.push_back(cur);
    if (joined.empty()) return true;
    std::string host_alnum;
    for (char c : host) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        host_alnum.push_back(c);
    }
    if (host_alnum.find(joined) != std::string::npos) return true;
    for (const auto& w : words) {
      if (host.find(w) == std::string::npos) return false;
    }
    return true;
  }

  void RunMeta() {
    const std::string src = kMeta;
    const std::string og_type = AsciiLower(MetaFirst("og:type").value_or(""));
    if (og_type.find("episode") != std::string::npos ||
        og_type == "music.song") {
      SetKind(core::PageKind::kEpisode, src);
    }
    SetUrl(r_.canonical_url, "canonical_url", canonical_link_, src);
    SetUrl(r_.canonical_url, "canonical_url", MetaFirst("og:url"), src);
    SetUrl(r_.feed_url, "feed_url", feed_link_, src);
    SetUrl(r_.audio_url, "audio_url", MetaFirst("og:audio"), src);
    SetUrl(r_.audio_url, "audio_url", MetaFirst("og:audio:url"), src);
    SetUrl(r_.audio_url, "audio_url", MetaFirst("og:audio:secure_url"), src);
    for (const char* k :
         {"article:published_time", "og:published_time", "date"}) {
      if (auto d = MetaFirst(k))
        SetStr(r_.published, "published", IsoDate(*d), src);
    }
    for (const char* k : {"music:duration", "og:audio:duration", "duration"}) {
      if (auto d = MetaFirst(k); d && !r_.duration_s) {
        if (auto s = ParseDuration(*d)) {
          r_.duration_s = s;
          r_.sources["duration_s"] = src;
        }
      }
    }
    for (const char* k :
         {"description", "og:description", "twitter:description"}) {
      for (const auto& d : MetaAll(k)) AddDescription(d, src);
    }
    if (auto site = MetaFirst("og:site_name"); site && !IsBrand(*site)) {
      SetStr(r_.show_name, "show_name", site, src);
    }
    SetStr(r_.show_name, "show_name", show_from_prefix_, src);
    // Titles: "<episode> | <show> on <Site>", "<episode> - <show> | <Site>".
    std::vector<std::string> titles = MetaAll("og:title");
    for (int t : doc_.ByTag(GUMBO_TAG_TITLE)) {
      const GumboNode* node = doc_.element(t).node;
      if (node->v.element.children.length > 0) {
        const auto* c =
            static_cast<const GumboNode*>(node->v.element.children.data[0]);
        if (c->type == GUMBO_NODE_TEXT) titles.emplace_back(c->v.text.text);
      }
      break;
    }
    for (const auto& t : titles) {
      // "<episode> | <show>" once the brand is dropped; a show page's title
      // names the show.
      auto parts = TitleParts(t);
      // Only on pages that show an episode (typed as one, or carrying its
      // audio).
      if (parts.size() != 2 || kind_ == core::PageKind::kShow) continue;
      if (kind_ != core::PageKind::kEpisode && !r_.audio_url) continue;
      if (r_.episode_title && NameKey(parts[0]) != NameKey(*r_.episode_title))
        continue;
      if (r_.show_name && NameKey(parts[1]) != NameKey(*r_.show_name)) continue;
      SetStr(r_.episode_title, "episode_title", parts[0], src);
      SetStr(r_.show_name, "show_name", parts[1], src);
    }
    if (auto title = MetaFirst("og:title"); title &&
                                            TitleParts(*title).size() == 1 &&
                                            kind_ == core::PageKind::kEpisode) {
      SetStr(r_.episode_title, "episode_title", title, src);
    }
    SetStr(r_.language, "language", html_lang_, src);
  }

  // Splits a page title on the usual separators and drops the site's brand
  // ("... on Acast").
  std::vector<std::string> TitleParts(const std::string& title) const {
    // A real title is short; a missing </title> can swallow the page (and
    // libstdc++'s regex recurses per character).
    if (title.size() > 400) return {};
    static const std::regex kSep(R"(\s+(?:\||-|–|—|::|·|•)\s+)");
    std::vector<std::string> parts;
    std::sregex_token_iterator it(title.begin(), title.end(), kSep, -1), end;
    for (; it != end; ++it) {
      std::string p = CollapseWhitespace(it->str());
      static const std::regex kOn(R"(^(.+?) on ([^ ].{0,30})$)");
      std::smatch m;
      if (std::regex_match(p, m, kOn) && IsBrand(m[2].str())) p = m[1].str();
      if (p.empty() || IsBrand(p)) continue;
      const std::string lower = AsciiLower(p);
      if (lower == "podcast" || lower == "podcasts") continue;
      parts.push_back(p);
    }
    return parts;
  }

  // ---- text patterns
  // ------------------------------------------------------------------------
  static std::string FirstLine(std::string_view s) {
    s = Trim(s);
    const size_t nl = s.find('\n');
    return std::string(Trim(s.substr(0, nl)));
  }

  int FirstLink(int scope) const {
    for (int i = scope + 1; i < doc_.element(scope).subtree_end; ++i) {
      if (doc_.element(i).tag == GUMBO_TAG_A && doc_.Attr(i, "href")) return i;
    }
    return -1;
  }

  bool InRelated(int i) const {
    for (int s : related_sections_) {
      if (doc_.Contains(s, i)) return true;
    }
    return false;
  }

  // "By <a>Show</a>": the link right after a "By" text.
  static bool IsByWord(std::string_view text) {
    std::string before = AsciiLower(CollapseWhitespace(text));
    const size_t sp = before.find_last_of(' ');
    if (sp != std::string::npos) before = before.substr(sp + 1);
    for (std::string_view w : {"by", "par", "von", "de", "from", "di", "door",
                               "podcast:", "show:"}) {
      if (before == w) return true;
    }
    return false;
  }

  void ByLine() {
    if (kind_ == core::PageKind::kShow) return;
    for (int a : doc_.ByTag(GUMBO_TAG_A)) {
      const Element& e = doc_.element(a);
      if (e.hidden || doc_.Attr(a, "href") == nullptr || InRelated(a)) continue;
      const GumboNode* node = e.node;
      const GumboNode* parent = node->parent;
      if (parent == nullptr) continue;
      // The word right before the link: a text node, or a small element
      // ("<span>By</span> <a>").
      bool by = false;
      for (int k = static_cast<int>(node->index_within_parent) - 1; k >= 0;
           --k) {
        const auto* prev =
            static_cast<const GumboNode*>(parent->v.element.children.data[k]);
        if (prev->type == GUMBO_NODE_WHITESPACE) continue;
        if (prev->type == GUMBO_NODE_TEXT) {
          by = IsByWord(prev->v.text.text);
        } else if (prev->type == GUMBO_NODE_ELEMENT &&
                   prev->v.element.children.length == 1) {
          const auto* t =
              static_cast<const GumboNode*>(prev->v.element.children.data[0]);
          by = t->type == GUMBO_NODE_TEXT && IsByWord(t->v.text.text);
        }
        break;
      }
      if (!by) continue;
      std::string name(doc_.Text(a));
      if (name.empty() || name.size() > 200) continue;
      SetStr(r_.show_name, "show_name", name, kText);
      if (r_.show_name && NameKey(*r_.show_name) == NameKey(name)) {
        SetUrl(r_.show_url, "show_url", std::string(doc_.Attr(a, "href")),
               kText);
        SetKind(core::PageKind::kEpisode, kText);
      }
      return;
    }
    // Unlinked: "By <show> · 51 min" on a page known to be an episode.
    if (kind_ != core::PageKind::kEpisode || r_.show_name) return;
    static const std::regex kBy(
        R"(^(?:By|From|Podcast:|Show:)\s+([^\n·|•–—]{2,100}?)\s*(?:[·|•–—\n]|$))");
    for (int i = 0; i < doc_.size(); ++i) {
      const Element& e = doc_.element(i);
      if (e.hidden || e.first_child >= 0 || InRelated(i)) continue;
      const std::string_view t = doc_.Text(i);
      if (t.size() < 5 || t.size() > 160) continue;
      const std::string text(t);
      std::smatch m;
      if (std::regex_search(text, m, kBy,
                            std::regex_constants::match_continuous)) {
        SetStr(r_.show_name, "show_name", m[1].str(), kText);
        return;
      }
    }
  }

  // "<n> ratings" / "(<n> ratings)" with the average just before it ("4.7
  // (2,345 ratings)", "4,3/5 (27 votes)", "4.0 ★ 76 ratings").
  // The average shown before a count: "4.7 (2,345 ratings)", "4,3/5 (27
  // votes)", "4.0 ★ 76 ratings", "4.6 out of 5 · 1,234 ratings". `before` is
  // the text just before the count.
  static std::optional<double> ValueBefore(std::string before) {
    // Drop a partial UTF-8 character at the window's start.
    while (!before.empty() &&
           (static_cast<unsigned char>(before[0]) & 0xC0) == 0x80) {
      before.erase(0, 1);
    }
    static const std::regex kValue(
        R"((?:^|[^\w.,])([0-5](?:[.,]\d{1,2})?)\s*(?:/\s*5|out of 5(?: stars)?|sur 5|de 5|von 5|stars?|étoiles?)?[^\d\n]{0,24}$)",
        std::regex::icase);
    std::smatch vm;
    if (std::regex_search(before, vm, kValue))
      return ParseRatingValue(vm[1].str());
    return std::nullopt;
  }

  // The nearest "x out of 5" label (aria-label, title) on an element before
  // text offset `end` inside `block`: star widgets often carry the value only
  // there.
  std::optional<double> LabelledValue(int block, size_t end) const {
    std::optional<double> found;
    for (int i = block; i < doc_.element(block).subtree_end; ++i) {
      if (doc_.element(i).text_begin > end) break;
      for (const char* name : {"aria-label", "title"}) {
        const char* label = doc_.Attr(i, name);
        if (label == nullptr) continue;
        const std::string l = AsciiLower(label);
        if (l.find("out of") == std::string::npos &&
            l.find("/5") == std::string::npos &&
            l.find("star") == std::string::npos &&
            l.find("rating") == std::string::npos) {
          continue;
        }
        if (auto v = ParseRatingValue(l); v && *v <= 5) found = v;
      }
    }
    return found;
  }

  void RatingText() {
    if (r_.rating) return;
    const std::string& text = doc_.text();
    size_t from = 0;
    while (auto m = FindCountBefore(text, kRatingWords, from)) {
      from = m->end;
      const int at = doc_.ElementAtTextOffset(m->begin);
      if (at >= 0 && InRelated(at)) continue;
      const size_t window = 64;
      const size_t start = m->begin > window ? m->begin - window : 0;
      std::optional<double> value =
          ValueBefore(text.substr(start, m->begin - start));
      if (!value && at >= 0) {
        // Look in the enclosing block (two levels up) for a labelled star
        // widget.
        int block = at;
        for (int k = 0; k < 2 && doc_.element(block).parent >= 0; ++k) {
          block = doc_.element(block).parent;
        }
        value = LabelledValue(block, m->begin);
      }
      SetRating(value, m->value, kText);
      return;
    }
    // No count shown: an average written out ("Rated 4.5 out of 5", "4,6/5")
    // still counts. A plain scan (std::regex over a whole page is slow).
    const std::string lower = AsciiLower(text);
    for (std::string_view mark :
         {"/5", "/ 5", " out of 5", " sur 5", " de 5", " von 5"}) {
      for (size_t pos = lower.find(mark); pos != std::string::npos;
           pos = lower.find(mark, pos + 1)) {
        const size_t after = pos + mark.size();
        if (after < lower.size() && lower[after] >= '0' && lower[after] <= '9')
          continue;
        size_t end = pos;
        while (end > 0 && lower[end - 1] == ' ') --end;
        size_t begin = end;
        while (begin > 0 &&
               ((lower[begin - 1] >= '0' && lower[begin - 1] <= '9') ||
                lower[begin - 1] == '.' || lower[begin - 1] == ',')) {
          --begin;
        }
        const std::string token = lower.substr(begin, end - begin);
        if (token.size() < 3 || token.size() > 4 || token[0] > '5' ||
            (token[1] != '.' && token[1] != ',')) {
          continue;
        }
        const int at = doc_.ElementAtTextOffset(begin);
        if (at >= 0 && InRelated(at)) continue;
        SetRating(ParseRatingValue(token), std::nullopt, kText);
        return;
      }
    }
  }

  static bool IsRelatedHeading(std::string_view text) {
    if (text.empty() || text.size() > 80) return false;
    const std::string l = AsciiLower(text);
    for (const char* no :
         {"more from", "more episodes", "other episodes", "autres épisodes",
          "top podcasts", "top charts", "episodes of"}) {
      if (l.find(no) != std::string::npos) return false;
    }
    for (const char* yes :
         {"also like",      "might like",  "may like",        "also enjoy",
          "might enjoy",    "related",     "similar",         "also follow",
          "listeners also", "fans also",   "people also",     "recommended",
          "more like this", "you'll like", "similaires",      "similares",
          "relacionad",     "ähnliche",    "te puede gustar", "vous aimerez",
          "aussi aimer"}) {
      if (l.find(yes) != std::string::npos) return true;
    }
    return false;
  }

  bool InsideLink(int i) const {
    for (int a = doc_.element(i).parent; a >= 0; a = doc_.element(a).parent) {
      if (doc_.element(a).tag == GUMBO_TAG_A) return true;
    }
    return false;
  }

  bool IsHeading(int i) const {
    const Element& e = doc_.element(i);
    if (IsHeadingTag(e.tag)) return true;
    const char* role = doc_.Attr(i, "role");
    return role != nullptr && std::string_view(role) == "heading";
  }

  // Candidate show links in [begin, end) of the document.
  std::vector<int> LinksIn(int begin, int end) const {
    std::vector<int> out;
    for (int i = begin; i < end; ++i) {
      const Element& e = doc_.element(i);
      if (e.tag != GUMBO_TAG_A || e.hidden) continue;
      const char* href = doc_.Attr(i, "href");
      if (href == nullptr || !Resolve(href)) continue;
      const std::string t = AsciiLower(doc_.Text(i));
      if (t == "see all" || t == "view all" || t == "show all" || t == "more" ||
          t == "see more" || t == "all" || t.rfind("see all", 0) == 0 ||
          t.rfind("view all", 0) == 0) {
        continue;
      }
      out.push_back(i);
    }
    return out;
  }

  // A related item's name: the first line of its link text that is not a count;
  // else the item's first such line (a card whose link wraps only the cover);
  // else the cover's alt text.
  std::string ItemName(int item, const std::vector<int>& links) const {
    auto first_line = [](std::string_view t) -> std::string {
      while (!t.empty()) {
        const size_t nl = t.find('\n');
        std::string line(Trim(t.substr(0, nl)));
        t = nl == std::string_view::npos ? std::string_view()
                                         : t.substr(nl + 1);
        if (line.empty() || FindCountBefore(line, kListenerWords)) continue;
        return line;
      }
      return "";
    };
    for (int l : links) {
      if (!doc_.Contains(item, l)) continue;
      std::string name = first_line(doc_.Text(l));
      if (!name.empty()) return name;
    }
    std::string name = first_line(doc_.Text(item));
    if (!name.empty()) return name;
    for (int i = item; i < doc_.element(item).subtree_end; ++i) {
      if (doc_.element(i).tag != GUMBO_TAG_IMG) continue;
      if (const char* alt = doc_.Attr(i, "alt")) {
        if (!Trim(alt).empty()) return std::string(Trim(alt));
      }
    }
    return "";
  }

  // A related item's listener count: "<n> Listeners" in the item; in a table,
  // the cell under a "Listeners" column header; in a definition list, the <dd>
  // after the item.
  std::optional<int64_t> ItemListeners(int item) const {
    if (auto m = FindCountBefore(doc_.Text(item), kListenerWords))
      return m->value;
    if (doc_.element(item).tag == GUMBO_TAG_TR) {
      int table = doc_.element(item).parent;
      while (table >= 0 && doc_.element(table).tag != GUMBO_TAG_TABLE) {
        table = doc_.element(table).parent;
      }
      if (table >= 0) {
        int column = -1;
        for (int i = table + 1;
             i < doc_.element(table).subtree_end && column < 0; ++i) {
          if (doc_.element(i).tag != GUMBO_TAG_TR) continue;
          int index = 0;
          bool header_row = false;
          for (int c = doc_.element(i).first_child; c >= 0;
               c = doc_.element(c).next_sibling) {
            if (doc_.element(c).tag == GUMBO_TAG_TH) {
              header_row = true;
              const std::string h = AsciiLower(doc_.Text(c));
              for (std::string_view w :
                   {"listener", "follower", "auditeur", "oyente", "hörer"}) {
                if (h.find(w) != std::string::npos) column = index;
              }
            }
            if (doc_.element(c).tag == GUMBO_TAG_TH ||
                doc_.element(c).tag == GUMBO_TAG_TD) {
              ++index;
            }
          }
          if (header_row) break;
        }
        int index = 0;
        for (int c = doc_.element(item).first_child; c >= 0 && column >= 0;
             c = doc_.element(c).next_sibling) {
          const GumboTag t = doc_.element(c).tag;
          if (t != GUMBO_TAG_TD && t != GUMBO_TAG_TH) continue;
          if (index++ == column) return ParseCount(doc_.Text(c));
        }
      }
    }
    const int next = doc_.element(item).next_sibling;
    if (next >= 0 && LinksIn(next, doc_.element(next).subtree_end).empty()) {
      if (auto m = FindCountBefore(doc_.Text(next), kListenerWords))
        return m->value;
    }
    return std::nullopt;
  }

  std::vector<core::RelatedShow> RelatedUnder(int heading) {
    std::vector<core::RelatedShow> shows;
    int anchor = heading;
    for (int climb = 0; climb < 4 && anchor >= 0; ++climb) {
      // The siblings after the anchor, up to the next heading.
      std::vector<int> roots;
      for (int s = doc_.element(anchor).next_sibling; s >= 0;
           s = doc_.element(s).next_sibling) {
        if (IsHeading(s)) break;
        const int first = doc_.element(s).first_child;
        if (first >= 0 && IsHeading(first) &&
            LinksIn(s, doc_.element(s).subtree_end).empty()) {
          break;
        }
        roots.push_back(s);
      }
      std::vector<int> links;
      for (int root : roots) {
        auto l = LinksIn(root, doc_.element(root).subtree_end);
        links.insert(links.end(), l.begin(), l.end());
        if (links.size() > 300)
          break;  // a related list is short; bound the work below
      }
      if (links.size() > 300) links.resize(300);
      if (!links.empty()) {
        const int container = doc_.element(anchor).parent;
        related_sections_.push_back(roots.front());
        for (int root : roots) related_sections_.push_back(root);
        std::vector<int> seen_items;
        std::unordered_set<std::string> seen_urls;
        for (int link : links) {
          const std::string url = *Resolve(doc_.Attr(link, "href"));
          // The item: climb while the ancestor holds links to this show only.
          int item = link;
          for (;;) {
            const int p = doc_.element(item).parent;
            if (p < 0 || p == container || doc_.Contains(p, anchor)) break;
            bool only_this = true;
            for (int other : links) {
              if (doc_.Contains(p, other) &&
                  *Resolve(doc_.Attr(other, "href")) != url) {
                only_this = false;
                break;
              }
            }
            if (!only_this) break;
            item = p;
          }
          if (std::find(seen_items.begin(), seen_items.end(), item) !=
              seen_items.end())
            continue;
          seen_items.push_back(item);
          core::RelatedShow s;
          s.name = ItemName(item, links);
          if (s.name.empty()) continue;
          if (!seen_urls.insert(url).second) continue;
          s.url = url;
          s.listeners = ItemListeners(item);
          shows.push_back(std::move(s));
        }
        return shows;
      }
      anchor = doc_.element(anchor).parent;
      if (anchor >= 0 && (doc_.element(anchor).tag == GUMBO_TAG_BODY ||
                          doc_.element(anchor).tag == GUMBO_TAG_MAIN)) {
        break;
      }
    }
    return shows;
  }

  void RelatedText() {
    for (int i = 0; i < doc_.size(); ++i) {
      const Element& e = doc_.element(i);
      if (e.hidden) continue;
      const std::string_view t = doc_.Text(i);
      if (!IsRelatedHeading(t)) continue;
      // A heading, or a label acting as one ("<p><b>Listeners also
      // follow</b></p>", a "section-title" div): short text, no link in or
      // around it.
      const bool heading =
          IsHeading(i) || (t.size() < 60 && e.tag != GUMBO_TAG_A &&
                           e.tag != GUMBO_TAG_LI && e.tag != GUMBO_TAG_TD &&
                           LinksIn(i, e.subtree_end).empty() && !InsideLink(i));
      if (!heading) continue;
      auto shows = RelatedUnder(i);
      if (!shows.empty()) {
        text_related_ = std::move(shows);
        return;
      }
    }
  }

  void RunText() {
    RelatedText();
    ByLine();
    RatingText();
    // An episode page's main heading is the episode's title (unless it names
    // the show).
    if (kind_ == core::PageKind::kEpisode && !r_.episode_title) {
      for (int h : doc_.ByTag(GUMBO_TAG_H1)) {
        if (doc_.element(h).hidden) continue;
        std::string t(doc_.Text(h));
        if (!t.empty() && t.size() < 300 &&
            (!r_.show_name || NameKey(t) != NameKey(*r_.show_name))) {
          SetStr(r_.episode_title, "episode_title", t, kText);
        }
        break;
      }
    }
    // Audio: the page's own player or download link.
    if (!r_.audio_url) {
      for (GumboTag t : {GUMBO_TAG_AUDIO, GUMBO_TAG_SOURCE}) {
        for (int i : doc_.ByTag(t)) {
          if (const char* src = doc_.Attr(i, "src")) {
            SetUrl(r_.audio_url, "audio_url", std::string(src), kText);
          }
        }
      }
    }
    if (!r_.audio_url) {
      static const std::regex kAudio(R"(\.(mp3|m4a|aac|ogg|opus)(\?|$))",
                                     std::regex::icase);
      for (int a : doc_.ByTag(GUMBO_TAG_A)) {
        const char* href = doc_.Attr(a, "href");
        if (href && std::regex_search(href, kAudio)) {
          SetUrl(r_.audio_url, "audio_url", std::string(href), kText);
          break;
        }
      }
    }
  }

  // ---- description: the longest full copy
  // -------------------------------------------------
  size_t TextStart(int i) const {
    const Element& e = doc_.element(i);
    size_t p = e.text_begin;
    const std::string& t = doc_.text();
    while (p < e.text_end && (t[p] == ' ' || t[p] == '\n')) ++p;
    return p;
  }

  // True for text content: paragraphs, lists, inline markup, and divs holding
  // only those.
  bool IsProse(int i) const {
    for (int k = i; k < doc_.element(i).subtree_end; ++k) {
      const Element& e = doc_.element(k);
      if (e.hidden) continue;
      switch (e.tag) {
        case GUMBO_TAG_P:
        case GUMBO_TAG_BR:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_BLOCKQUOTE:
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_B:
        case GUMBO_TAG_I:
        case GUMBO_TAG_EM:
        case GUMBO_TAG_STRONG:
        case GUMBO_TAG_A:
        case GUMBO_TAG_SPAN:
        case GUMBO_TAG_FONT:
        case GUMBO_TAG_SMALL:
        case GUMBO_TAG_U:
        case GUMBO_TAG_SUP:
        case GUMBO_TAG_SUB:
        case GUMBO_TAG_CODE:
        case GUMBO_TAG_HR:
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_SECTION:
        case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_SCRIPT:
        case GUMBO_TAG_STYLE:
          break;
        default:
          return false;
      }
    }
    return true;
  }

  // Drops the labels of expand/collapse controls that end a clamped block
  // ("Show Hide").
  static std::string StripControls(std::string text) {
    static const std::regex kControls(
        R"((\s+(Show|Hide|Show more|Show less|Read more|Read less|See more|See less|more|less|Ver más|Ver menos|Mostrar|Ocultar|Voir plus|Afficher plus))+\s*$)",
        std::regex::icase);
    std::smatch m;
    if (LooksTruncated(text)) return text;
    // Only the tail can hold the controls; searching it alone keeps this
    // linear.
    size_t from = text.size() > 64 ? text.size() - 64 : 0;
    while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80)
      --from;
    const std::string tail = text.substr(from);
    if (std::regex_search(tail, m, kControls)) {
      text.resize(from + static_cast<size_t>(m.position(0)));
    }
    return text;
  }

  // The visible block that starts at text offset `p`, with the paragraphs that
  // follow it.
  std::optional<std::string> VisibleBlockAt(size_t p) const {
    int e = doc_.ElementAtTextOffset(p);
    if (e < 0) return std::nullopt;
    auto is_inline = [&](int i) {
      switch (doc_.element(i).tag) {
        case GUMBO_TAG_A:
        case GUMBO_TAG_B:
        case GUMBO_TAG_I:
        case GUMBO_TAG_EM:
        case GUMBO_TAG_STRONG:
        case GUMBO_TAG_SPAN:
        case GUMBO_TAG_FONT:
        case GUMBO_TAG_SMALL:
        case GUMBO_TAG_U:
          return true;
        default:
          return false;
      }
    };
    while (is_inline(e) && doc_.element(e).parent >= 0)
      e = doc_.element(e).parent;
    if (TextStart(e) != p) {
      // The copy starts inside a block (after a label): keep the text from p to
      // the block's end.
      const Element& el = doc_.element(e);
      return std::string(
          Trim(std::string_view(doc_.text()).substr(p, el.text_end - p)));
    }
    for (;;) {
      const int parent = doc_.element(e).parent;
      if (parent < 0) break;
      const GumboTag t = doc_.element(parent).tag;
      if (t == GUMBO_TAG_BODY || t == GUMBO_TAG_HTML || t == GUMBO_TAG_MAIN)
        break;
      if (TextStart(parent) != p) break;
      // Climb only into containers of prose: the description's other
      // paragraphs, not the buttons, headings and widgets around it.
      bool prose = true;
      for (int c = doc_.element(parent).first_child; c >= 0 && prose;
           c = doc_.element(c).next_sibling) {
        if (c != e) prose = IsProse(c);
      }
      if (!prose) break;
      e = parent;
    }
    size_t end = doc_.element(e).text_end;
    if (doc_.element(e).tag == GUMBO_TAG_P) {
      for (int s = doc_.element(e).next_sibling; s >= 0;
           s = doc_.element(s).next_sibling) {
        if (doc_.element(s).tag != GUMBO_TAG_P) break;
        end = doc_.element(s).text_end;
      }
    }
    return std::string(Trim(std::string_view(doc_.text()).substr(p, end - p)));
  }

  void FinishDescription() {
    // Each structured copy leads to the visible copies that start like it.
    std::vector<DescCandidate> visible;
    std::unordered_set<size_t> tried;
    const std::string& text = doc_.text();
    std::string flat = text;
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    for (const auto& c : desc_) {
      std::string key = CollapseWhitespace(StripEllipsis(c.text));
      if (key.size() < 16) continue;
      size_t len = std::min<size_t>(key.size(), 48);
      while (len < key.size() &&
             (static_cast<unsigned char>(key[len]) & 0xC0) == 0x80)
        ++len;
      key.resize(len);
      size_t pos = 0;
      for (int n = 0; n < 4; ++n) {
        pos = flat.find(key, pos);
        if (pos == std::string::npos) break;
        if (tried.insert(pos).second) {
          if (auto block = VisibleBlockAt(pos)) {
            DescCandidate v;
            v.text = StripControls(*block);
            v.truncated = LooksTruncated(v.text);
            v.source = kText;
            visible.push_back(std::move(v));
          }
        }
        pos += key.size();
      }
    }
    std::vector<DescCandidate> all = desc_;
    all.insert(all.end(), visible.begin(), visible.end());
    if (all.empty()) FallbackDescription(&all);
    const DescCandidate* best = nullptr;
    size_t best_len = 0;
    for (const auto& c : all) {
      const size_t len = CollapseWhitespace(c.text).size();
      if (best == nullptr || (best->truncated && !c.truncated) ||
          (best->truncated == c.truncated && len > best_len)) {
        best = &c;
        best_len = len;
      }
    }
    if (best != nullptr) {
      std::string t = best->truncated ? best->text : best->text;
      r_.description = std::string(Trim(t));
      r_.sources["description"] = best->source;
    }
  }

  // With no copy anywhere else, a block named like a description
  // ("description", "summary").
  void FallbackDescription(std::vector<DescCandidate>* out) const {
    // A heading that announces the description ("About this episode", "Show
    // notes"), then the prose after it.
    for (int h = 0; h < doc_.size(); ++h) {
      if (!IsHeading(h) || doc_.element(h).hidden || InRelated(h)) continue;
      const std::string title = AsciiLower(doc_.Text(h));
      if (title.size() > 40) continue;
      bool announces = false;
      for (std::string_view w :
           {"about", "description", "notes", "summary", "synopsis", "à propos",
            "descripción", "beschreibung", "résumé"}) {
        announces |= title.find(w) != std::string::npos;
      }
      if (!announces) continue;
      size_t begin = std::string::npos;
      size_t end = 0;
      for (int sib = doc_.element(h).next_sibling; sib >= 0;
           sib = doc_.element(sib).next_sibling) {
        if (IsHeading(sib) || !IsProse(sib)) break;
        if (begin == std::string::npos) begin = TextStart(sib);
        end = doc_.element(sib).text_end;
      }
      if (begin == std::string::npos || end <= begin) continue;
      std::string_view t =
          Trim(std::string_view(doc_.text()).substr(begin, end - begin));
      if (t.size() < 20) continue;
      out->push_back(DescCandidate{std::string(t), kText, LooksTruncated(t)});
      return;
    }
    for (int i = 0; i < doc_.size(); ++i) {
      const Element& e = doc_.element(i);
      if (e.hidden || InRelated(i)) continue;
      const char* cls = doc_.element(i).cls;
      const char* id = doc_.element(i).id;
      std::string names =
          AsciiLower(std::string(cls ? cls : "") + " " + (id ? id : ""));
      if (names.find("desc") == std::string::npos &&
          names.find("summary") == std::string::npos &&
          names.find("show-notes") == std::string::npos) {
        continue;
      }
      std::string_view t = doc_.Text(i);
      if (t.size() < 40 || t.size() > 20000) continue;
      out->push_back(DescCandidate{std::string(t), kText, LooksTruncated(t)});
      return;
    }
  }

  // ---- related shows: visible order, exact counts from page state
  // ---------------------------
  void FinishRelated() {
    std::vector<core::RelatedShow> shows;
    std::string source;
    if (profile_related_) {
      shows = *profile_related_;
      source = profile_related_source_;
    } else if (!text_related_.empty()) {
      shows = text_related_;
      source = kText;
    } else if (state_related_ != nullptr) {
      for (const auto& o : *state_related_) {
        if (!o.is_object()) continue;
        auto name = NameOf(o);
        if (!name) continue;
        core::RelatedShow s;
        s.name = CollapseWhitespace(*name);
        s.listeners = ListenersOf(o);
        if (auto u = Str(Get(o, "url"))) s.url = Resolve(*u);
        if (!s.url) {
          if (auto slug = Str(Get(o, "slug")))
            s.url = LinkEndingWith("/" + *slug);
        }
        shows.push_back(std::move(s));
      }
      source = kStateJson;
    }
    if (shows.empty()) return;
    // Where the page state holds the exact count behind a rounded visible one,
    // it is truer.
    bool refined = false;
    for (auto& s : shows) {
      auto it = state_listeners_.find(NameKey(s.name));
      if (it == state_listeners_.end()) continue;
      const int64_t exact = it->second;
      if (!s.listeners) continue;
      const auto shown = static_cast<double>(*s.listeners);
      const double tolerance = std::max(1.0, shown * 0.06);
      if (std::fabs(static_cast<double>(exact) - shown) <= tolerance) {
        if (exact != *s.listeners) refined = true;
        s.listeners = exact;
      }
    }
    if (refined && source == kText) source = kStateJson;
    r_.related_shows = std::move(shows);
    r_.sources["related_shows"] = source;
  }

  std::optional<std::string> LinkEndingWith(const std::string& suffix) const {
    for (int a : doc_.ByTag(GUMBO_TAG_A)) {
      const char* href = doc_.Attr(a, "href");
      if (href == nullptr) continue;
      std::string_view h(href);
      if (h.size() >= suffix.size() &&
          h.substr(h.size() - suffix.size()) == suffix) {
        return Resolve(h);
      }
    }
    return std::nullopt;
  }

  void FinishKind() {
    if (kind_ == core::PageKind::kUnknown) {
      const std::string og = AsciiLower(MetaFirst("og:type").value_or(""));
      if (og.find("episode") != std::string::npos || og == "music.song") {
        SetKind(core::PageKind::kEpisode, kMeta);
      }
    }
    r_.kind = kind_;
    if (kind_ != core::PageKind::kUnknown) r_.sources["kind"] = kind_source_;
    if (kind_ == core::PageKind::kShow) {
      r_.episode_title.reset();
      r_.sources.erase("episode_title");
      r_.show_url.reset();
      r_.sources.erase("show_url");
    }
  }

  void CollectLinks() {
    std::unordered_set<std::string> seen;
    for (GumboTag t : {GUMBO_TAG_A, GUMBO_TAG_AREA}) {
      (void)t;
    }
    for (int i = 0; i < doc_.size(); ++i) {
      const GumboTag t = doc_.element(i).tag;
      if (t != GUMBO_TAG_A && t != GUMBO_TAG_AREA) continue;
      const char* href = doc_.Attr(i, "href");
      if (href == nullptr) continue;
      auto abs = Resolve(href);
      if (abs && seen.insert(*abs).second) links_.push_back(std::move(*abs));
    }
  }

  static std::string PathOf(const std::string& url) {
    const size_t scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    const size_t slash = url.find('/', scheme + 3);
    if (slash == std::string::npos) return "/";
    return url.substr(slash);
  }

  const HtmlDocument& doc_;
  std::string url_;
  std::string base_;
  const ParseOptions& options_;
  core::Record& r_;
  std::vector<std::string>& links_;

  mutable std::unordered_map<std::string, std::optional<std::string>> resolved_;
  std::vector<std::pair<std::string, std::string>> meta_;
  std::optional<std::string> canonical_link_;
  std::optional<std::string> feed_link_;
  std::optional<std::string> html_lang_;
  std::vector<json> jsonld_;
  json microdata_;
  std::vector<json> state_;
  const json* state_episode_ = nullptr;
  const json* state_show_ = nullptr;
  const json* state_related_ = nullptr;
  std::unordered_map<std::string, int64_t> state_listeners_;
  std::vector<DescCandidate> desc_;
  std::optional<std::string> show_from_prefix_;
  std::optional<std::vector<core::RelatedShow>> profile_related_;
  std::string profile_related_source_;
  std::vector<core::RelatedShow> text_related_;
  std::vector<int> related_sections_;
  core::PageKind kind_ = core::PageKind::kUnknown;
  std::string kind_source_;
};

}  // namespace

core::Status ValidateProfile(const core::SiteProfile& profile) {
  for (const auto& [field, rule] : profile.fields) {
    if (!Selector::Parse(rule.selector)) {
      return core::Error(core::ErrorCode::kConfig,
                         "fields." + field +
                             ".selector: not a valid selector: \"" +
                             rule.selector + "\"");
    }
    if (rule.regex) {
      if (auto re = core::Regex::Compile(*rule.regex); !re) {
        return core::Error(core::ErrorCode::kConfig,
                           "fields." + field + ".regex: invalid regex (RE2 " +
                               "syntax): " + re.error().message);
      }
    }
  }
  return {};
}

ParsedPage ParsePage(std::string bytes, std::string_view url,
                     const ParseOptions& options) {
  ParsedPage page;
  page.record.url = std::string(url);
  if (bytes.size() > options.max_input_bytes) {
    page.record.errors.push_back(
        "input cut at " + std::to_string(options.max_input_bytes) + " of " +
        std::to_string(bytes.size()) + " bytes");
    bytes.resize(options.max_input_bytes);
  }
  Utf8Result utf8 = ToUtf8(bytes, options.content_type);
  bytes.clear();
  bytes.shrink_to_fit();
  if (!utf8.problem.empty()) page.record.errors.push_back(utf8.problem);
  if (auto cut = ApplyMarkupBudget(&utf8.text, MarkupBudget{})) {
    page.record.errors.push_back(*cut);
  }
  // Script code and style bodies are never read: Gumbo need not tokenise them.
  DropUnreadBodies(&utf8.text);
  try {
    HtmlDocument doc(std::move(utf8.text));
    Extractor extractor(doc, page.record.url, options, &page.record,
                        &page.links);
    extractor.Run();
  } catch (const std::exception& e) {
    // Only resource exhaustion can land here (bad_alloc, a regex complexity
    // error): the record keeps what was extracted so far.
    page.record.errors.push_back(std::string("extraction stopped: ") +
                                 e.what());
  }
  return page;
}

}  // namespace parser
