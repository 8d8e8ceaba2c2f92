#include "config/config.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "core/ascii.h"
#include "core/parse_util.h"
#include "core/regex.h"
#include "core/url.h"

namespace config {
namespace {

using core::Error;
using core::ErrorCode;
using Json = nlohmann::json;

std::string TypeName(const Json& v) { return v.type_name(); }

Error ConfigError(const std::string& key, const std::string& what) {
  return {ErrorCode::kConfig, key + ": " + what};
}

// Returns the edit distance (Levenshtein) of `a` and `b`.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Reads one JSON object against a table of known keys; each key's reader checks
// the type and stores the value. Unknown keys are errors naming the full key
// path.
class ObjectReader {
 public:
  using Reader =
      std::function<core::Status(const Json&, const std::string& key)>;

  ObjectReader& Add(std::string name, Reader reader) {
    readers_.emplace(std::move(name), std::move(reader));
    return *this;
  }

  // Returns "unknown key", with the nearest known key of this object when
  // one is close ("did you mean \"timeout_ms\"?").
  std::string UnknownKey(const std::string& name) const {
    std::string best;
    size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;
    for (const auto& [known, reader] : readers_) {
      const size_t distance = EditDistance(name, known);
      const bool prefix = known.starts_with(name) && name.size() >= 4;
      if (distance < best_distance || (prefix && best.empty())) {
        best = known;
        best_distance = distance;
      }
    }
    if (best.empty()) return "unknown key";
    return "unknown key (did you mean \"" + best + "\"?)";
  }

  core::Status Read(const Json& object, const std::string& prefix) const {
    if (!object.is_object()) {
      return ConfigError(prefix.empty() ? "(top level)" : prefix,
                         "expected an object, got " + TypeName(object));
    }
    for (const auto& [name, value] : object.items()) {
      const std::string key = prefix.empty() ? name : prefix + "." + name;
      auto it = readers_.find(name);
      if (it == readers_.end()) return ConfigError(key, UnknownKey(name));
      if (core::Status s = it->second(value, key); !s) return s;
    }
    return {};
  }

 private:
  std::map<std::string, Reader> readers_;
};

ObjectReader::Reader String(std::string* out) {
  return [out](const Json& v, const std::string& key) -> core::Status {
    if (!v.is_string())
      return ConfigError(key, "expected a string, got " + TypeName(v));
    *out = v.get<std::string>();
    return {};
  };
}

ObjectReader::Reader OptionalString(std::optional<std::string>* out) {
  return [out](const Json& v, const std::string& key) -> core::Status {
    if (v.is_null()) {
      out->reset();
      return {};
    }
    if (!v.is_string())
      return ConfigError(key, "expected a string, got " + TypeName(v));
    *out = v.get<std::string>();
    return {};
  };
}

template <typename Int>
ObjectReader::Reader Integer(Int* out) {
  return [out](const Json& v, const std::string& key) -> core::Status {
    if (!v.is_number_integer()) {
      return ConfigError(key, "expected an integer, got " + TypeName(v));
    }
    if (v.is_number_unsigned() &&
        v.get<uint64_t>() >
            static_cast<uint64_t>(std::numeric_limits<Int>::max())) {
      return ConfigError(key, "value out of range");
    }
    const int64_t n = v.get<int64_t>();
    if (n < static_cast<int64_t>(std::numeric_limits<Int>::min()) ||
        n > static_cast<int64_t>(std::numeric_limits<Int>::max())) {
      return ConfigError(key, "value out of range");
    }
    *out = static_cast<Int>(n);
    return {};
  };
}

ObjectReader::Reader Bool(bool* out) {
  return [out](const Json& v, const std::string& key) -> core::Status {
    if (!v.is_boolean())
      return ConfigError(key, "expected true or false, got " + TypeName(v));
    *out = v.get<bool>();
    return {};
  };
}

ObjectReader::Reader StringList(std::vector<std::string>* out) {
  return [out](const Json& v, const std::string& key) -> core::Status {
    if (!v.is_array())
      return ConfigError(key,
                         "expected an array of strings, got " + TypeName(v));
    out->clear();
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) {
        return ConfigError(key + "[" + std::to_string(i) + "]",
                           "expected a string, got " + TypeName(v[i]));
      }
      out->push_back(v[i].get<std::string>());
    }
    return {};
  };
}

ObjectReader::Reader Number(double* out) {
  return [out](const Json& v, const std::string& key) -> core::Status {
    if (!v.is_number())
      return ConfigError(key, "expected a number, got " + TypeName(v));
    *out = v.get<double>();
    return {};
  };
}

// A duration string ("90s", "15m", "6h", "7d": core::ParseDurationMs) into
// milliseconds.
ObjectReader::Reader Duration(int64_t* out) {
  return [out](const Json& v, const std::string& key) -> core::Status {
    if (!v.is_string()) {
      return ConfigError(
          key, "expected a duration string such as \"6h\", got " + TypeName(v));
    }
    core::Result<int64_t> ms = core::ParseDurationMs(v.get<std::string>());
    if (!ms) return ConfigError(key, ms.error().message);
    *out = *ms;
    return {};
  };
}

// Milliseconds: a whole number, or a duration string ("30s", "500ms", "0":
// core::ParseDurationOrZeroMs).
ObjectReader::Reader Millis(int64_t* out) {
  return [out](const Json& v, const std::string& key) -> core::Status {
    if (v.is_string()) {
      core::Result<int64_t> ms =
          core::ParseDurationOrZeroMs(v.get<std::string>());
      if (!ms) return ConfigError(key, ms.error().message);
      *out = *ms;
      return {};
    }
    if (!v.is_number_integer()) {
      return ConfigError(key,
                         "expected milliseconds or a duration such as \"30s\""
                         ", got " +
                             TypeName(v));
    }
    return Integer(out)(v, key);
  };
}

template <typename T>
ObjectReader::Reader Optional(std::optional<T>* out,
                              ObjectReader::Reader (*make)(T*)) {
  return [out, make](const Json& v, const std::string& key) -> core::Status {
    T value{};
    if (core::Status s = make(&value)(v, key); !s) return s;
    *out = std::move(value);
    return {};
  };
}

core::Status CheckRange(int64_t value, int64_t lo, int64_t hi,
                        const std::string& key) {
  if (value < lo || value > hi) {
    return ConfigError(key, "must be between " + std::to_string(lo) + " and " +
                                std::to_string(hi) + ", got " +
                                std::to_string(value));
  }
  return {};
}

// Returns why `pattern` is no RE2 regex, or "".
std::string RegexProblem(const std::string& pattern) {
  auto re = core::Regex::Compile(pattern);
  return re ? std::string()
            : "invalid regex (RE2 syntax): " + re.error().message;
}

std::string UrlProblem(const std::string& url) {
  auto normalized = core::NormalizeUrl(url);
  return normalized ? std::string() : normalized.error().message;
}

core::Status CheckRegex(const std::optional<std::string>& pattern,
                        const std::string& key) {
  if (!pattern) return {};
  if (std::string problem = RegexProblem(*pattern); !problem.empty()) {
    return ConfigError(key, problem);
  }
  return {};
}

// Returns why `line` is no "Name: value" request header, or "".
std::string HeaderProblem(const std::string& line) {
  const size_t colon = line.find(':');
  if (colon == 0 || colon == std::string::npos) {
    return "expected \"Name: value\", got " + core::QuoteInput(line);
  }
  // A field name is an RFC 9110 token.
  constexpr std::string_view kTokenPunctuation = "!#$%&'*+-.^_`|~";
  const std::string_view name = std::string_view{line}.substr(0, colon);
  for (char ch : name) {
    const bool letter =
        core::AsciiLower(ch) >= 'a' && core::AsciiLower(ch) <= 'z';
    if (!letter && !core::IsAsciiDigit(ch) &&
        !core::IsOneOf(ch, kTokenPunctuation)) {
      return "not a header name: " + core::QuoteInput(line.substr(0, colon));
    }
  }
  if (line.find_first_of("\r\n") != std::string::npos) {
    return "a header must not hold a line break";
  }
  return {};
}

constexpr int64_t kDay = 86'400'000;

// The keys of each settings section, each with its field and its range, in
// one line: ParseConfig reads them (KeyReader), Validate checks them
// (KeyChecker). `S` is the section's struct, const or not; `V` the visitor.
// Int: a whole number in [lo, hi]; Millis: the same in milliseconds, also
// written as a duration ("30s"); Text, Flag: a string, a boolean; List: an
// array of strings, each checked by a function that says what is wrong.
template <typename V, typename S>
void FetchKeys(V& v, S& f) {
  v.Text("user_agent", f.user_agent);
  v.Millis("connect_timeout_ms", f.connect_timeout_ms, 1, kDay);
  v.Millis("timeout_ms", f.timeout_ms, 1, kDay);
  v.Int("max_body_bytes", f.max_body_bytes, 1, int64_t{1} << 32);
  v.Int("max_redirects", f.max_redirects, 0, 50);
  v.Int("low_speed_bytes_per_s", f.low_speed_bytes_per_s, 0, int64_t{1} << 30);
  v.Int("low_speed_time_s", f.low_speed_time_s, 1, 3600);
  v.List("headers", f.headers, HeaderProblem);
  v.Text("proxy", f.proxy);
}

template <typename V, typename S>
void ParseKeys(V& v, S& p) {
  v.Int("max_input_bytes", p.max_input_bytes, 1024, int64_t{1} << 32);
}

// Also the keys a schedule may set for its rounds (all but "seeds", which
// ParseConfig adds).
template <typename V, typename S>
void CrawlKeys(V& v, S& k) {
  v.Int("max_pages", k.max_pages, 0, INT64_MAX);
  v.Int("concurrency", k.concurrency, 1, 1024);
  v.Int("per_host", k.politeness.per_host, 1, 256);
  v.Millis("delay_ms", k.politeness.delay_ms, 0, kDay);
  v.Int("max_depth", k.scope.max_depth, 0, 1000);
  v.Millis("max_crawl_delay_ms", k.politeness.max_crawl_delay_ms, 0, kDay);
  v.Millis("max_retry_after_ms", k.politeness.max_retry_after_ms, 0, kDay);
  v.Int("max_attempts", k.retry.max_attempts, 1, 100);
  v.Int("workers", k.workers, 0, 256);
  v.Flag("obey_robots", k.obey_robots);
  v.Flag("include_subdomains", k.scope.include_subdomains);
  v.List("allow", k.scope.allow, RegexProblem);
  v.List("deny", k.scope.deny, RegexProblem);
  v.List("sitemaps", k.sitemap.urls, UrlProblem);
  v.Flag("sitemaps_from_robots", k.sitemap.from_robots);
  v.Int("max_sitemaps", k.sitemap.max_files, 0, 1'000'000);
  v.Int("max_sitemap_bytes", k.sitemap.max_bytes, 1024, int64_t{1} << 30);
  v.Int("max_sitemap_urls", k.sitemap.max_urls, 1, 10'000'000);
}

// Adds a reader for each key a *Keys function names to an ObjectReader.
class KeyReader {
 public:
  explicit KeyReader(ObjectReader* reader) : reader_(reader) {}
  void Text(const char* name, std::string& field) {
    reader_->Add(name, String(&field));
  }
  template <typename T>
  void Int(const char* name, T& field, int64_t /*lo*/, int64_t /*hi*/) {
    reader_->Add(name, Integer(&field));
  }
  void Millis(const char* name, int64_t& field, int64_t /*lo*/,
              int64_t /*hi*/) {
    reader_->Add(name, config::Millis(&field));
  }
  void Flag(const char* name, bool& field) { reader_->Add(name, Bool(&field)); }
  void List(const char* name, std::vector<std::string>& field,
            std::string (* /*check*/)(const std::string&)) {
    reader_->Add(name, StringList(&field));
  }

 private:
  ObjectReader* reader_;
};

// Checks each key a *Keys function names: ranges, and the items of lists.
// Keeps the first error, its key prefixed with `prefix` ("crawl.").
class KeyChecker {
 public:
  explicit KeyChecker(std::string prefix) : prefix_(std::move(prefix)) {}
  void Text(const char* /*name*/, const std::string& /*field*/) {}
  template <typename T>
  void Int(const char* name, const T& field, int64_t lo, int64_t hi) {
    if (status_) status_ = CheckRange(field, lo, hi, prefix_ + name);
  }
  void Millis(const char* name, const int64_t& field, int64_t lo, int64_t hi) {
    Int(name, field, lo, hi);
  }
  void Flag(const char* /*name*/, const bool& /*field*/) {}
  void List(const char* name, const std::vector<std::string>& field,
            std::string (*check)(const std::string&)) {
    for (size_t i = 0; i < field.size() && status_; ++i) {
      if (std::string problem = check(field[i]); !problem.empty()) {
        status_ = ConfigError(prefix_ + name + "[" + std::to_string(i) + "]",
                              problem);
      }
    }
  }
  const core::Status& status() const { return status_; }

 private:
  std::string prefix_;
  core::Status status_;
};

// The keys of a "recrawl" object, each present one noted in `present` (so a
// schedule's object can override only what it names).
struct RecrawlOverrides {
  std::optional<int64_t> show_ms, episode_ms, other_ms, failed_ms, min_ms,
      max_ms;
  std::optional<double> changed_factor, unchanged_factor;

  void ApplyTo(core::RecrawlPolicy* p) const {
    if (show_ms) p->show_ms = *show_ms;
    if (episode_ms) p->episode_ms = *episode_ms;
    if (other_ms) p->other_ms = *other_ms;
    if (failed_ms) p->failed_ms = *failed_ms;
    if (min_ms) p->min_ms = *min_ms;
    if (max_ms) p->max_ms = *max_ms;
    if (changed_factor) p->changed_factor = *changed_factor;
    if (unchanged_factor) p->unchanged_factor = *unchanged_factor;
  }
};

ObjectReader::Reader Recrawl(RecrawlOverrides* out) {
  return [out](const Json& v, const std::string& key) -> core::Status {
    ObjectReader reader;
    reader.Add("show", Optional<int64_t>(&out->show_ms, Duration))
        .Add("episode", Optional<int64_t>(&out->episode_ms, Duration))
        .Add("other", Optional<int64_t>(&out->other_ms, Duration))
        .Add("failed", Optional<int64_t>(&out->failed_ms, Duration))
        .Add("min", Optional<int64_t>(&out->min_ms, Duration))
        .Add("max", Optional<int64_t>(&out->max_ms, Duration))
        .Add("changed_factor", Optional<double>(&out->changed_factor, Number))
        .Add("unchanged_factor",
             Optional<double>(&out->unchanged_factor, Number));
    return reader.Read(v, key);
  };
}

// Reads "archive": a bool (keep versions or not, as before retention existed)
// or an object {"enabled", "keep_versions", "max_age"} (README "Archive
// retention").
ObjectReader::Reader Archive(Config* config) {
  return [config](const Json& v, const std::string& key) -> core::Status {
    if (v.is_boolean()) return Bool(&config->archive.enabled)(v, key);
    if (!v.is_object()) {
      return ConfigError(
          key, "expected true, false or an object, got " + TypeName(v));
    }
    ObjectReader reader;
    reader.Add("enabled", Bool(&config->archive.enabled))
        .Add("keep_versions", Integer(&config->archive.keep_versions))
        .Add("max_age",
             Optional<int64_t>(&config->archive.max_age_ms, Duration));
    return reader.Read(v, key);
  };
}

// How a schedule is named in messages: `schedules[2] "news"`, or only the
// index while the name is unknown.
std::string ScheduleKey(size_t index, const std::string& name) {
  std::string key = "schedules[" + std::to_string(index) + "]";
  if (!name.empty()) key += " \"" + name + "\"";
  return key;
}

// A schedule as read, before the crawl section and the global recrawl policy
// are known.
struct ScheduleDraft {
  ScheduleConfig schedule;
  std::string key;  // ScheduleKey
  std::optional<std::string> every;
  std::optional<std::string> cron;
  RecrawlOverrides recrawl;
  Json crawl_keys = Json::object();  // the crawl keys it sets, type-checked
};

// The keys of a schedule that are its own, not the crawl section's.
bool IsScheduleOwnKey(const std::string& name) {
  return name == "name" || name == "seeds" || name == "every" ||
         name == "cron" || name == "recrawl";
}

// Returns a reader of a JSON array: each item, with the array's key and its
// index, goes to `read_item`, whose results replace *out in order; the first
// error stops the reading.
template <typename T>
ObjectReader::Reader ArrayOf(
    std::vector<T>* out,
    std::function<core::Result<T>(const Json&, const std::string&, size_t)>
        read_item) {
  return [out, read_item = std::move(read_item)](
             const Json& v, const std::string& key) -> core::Status {
    if (!v.is_array())
      return ConfigError(key, "expected an array, got " + TypeName(v));
    out->clear();
    for (size_t i = 0; i < v.size(); ++i) {
      core::Result<T> item = read_item(v[i], key, i);
      if (!item) return item.error();
      out->push_back(std::move(item).value());
    }
    return {};
  };
}

// Reads "schedules": the keys of each one, its timing (exactly one of every /
// cron, parsed) and its seeds (normalised). Ranges are Validate's.
ObjectReader::Reader Schedules(std::vector<ScheduleDraft>* out) {
  return ArrayOf<ScheduleDraft>(
      out,
      [](const Json& item, const std::string& /*key*/,
         size_t i) -> core::Result<ScheduleDraft> {
        ScheduleDraft draft;
        ScheduleConfig& sc = draft.schedule;
        // The name first, so every later message can say which schedule.
        if (item.is_object() && item.contains("name") &&
            item["name"].is_string()) {
          sc.name = item["name"].get<std::string>();
        }
        const std::string item_key = ScheduleKey(i, sc.name);
        draft.key = item_key;
        ObjectReader reader;
        reader.Add("name", String(&sc.name))
            .Add("seeds", StringList(&sc.seeds))
            .Add("every", OptionalString(&draft.every))
            .Add("cron", OptionalString(&draft.cron))
            .Add("recrawl", Recrawl(&draft.recrawl));
        // The crawl keys, type-checked here; ParseConfig applies them over
        // the crawl section once that is read.
        KeyReader crawl_keys(&reader);
        CrawlKeys(crawl_keys, sc.crawl);
        if (core::Status s = reader.Read(item, item_key); !s) return s.error();
        for (const auto& [name, value] : item.items()) {
          if (!IsScheduleOwnKey(name)) draft.crawl_keys[name] = value;
        }
        if (sc.name.empty()) return ConfigError(item_key + ".name", "missing");
        if (draft.every.has_value() == draft.cron.has_value()) {
          return ConfigError(item_key,
                             "give exactly one of \"every\" (e.g. \"6h\") and "
                             "\"cron\" (e.g. \"0 */6 * * *\")");
        }
        if (draft.every) {
          core::Result<int64_t> ms = core::ParseDurationMs(*draft.every);
          if (!ms) return ConfigError(item_key + ".every", ms.error().message);
          sc.timing.every_ms = *ms;
        } else {
          core::Result<core::CronSpec> cron =
              core::CronSpec::Parse(*draft.cron);
          if (!cron)
            return ConfigError(item_key + ".cron", cron.error().message);
          sc.timing.cron = std::move(cron).value();
        }
        if (sc.seeds.empty())
          return ConfigError(item_key + ".seeds", "give at least one seed URL");
        for (size_t j = 0; j < sc.seeds.size(); ++j) {
          core::Result<std::string> url = core::NormalizeUrl(sc.seeds[j]);
          if (!url) {
            return ConfigError(item_key + ".seeds[" + std::to_string(j) + "]",
                               url.error().message);
          }
          sc.seeds[j] = std::move(url).value();
        }
        return draft;
      });
}

ObjectReader::Reader Profiles(std::vector<core::SiteProfile>* out) {
  return ArrayOf<core::SiteProfile>(
      out,
      [](const Json& item, const std::string& key,
         size_t i) -> core::Result<core::SiteProfile> {
        const std::string item_key = key + "[" + std::to_string(i) + "]";
        core::SiteProfile profile;
        ObjectReader fields_reader;
        ObjectReader reader;
        reader.Add("name", String(&profile.name))
            .Add("host", String(&profile.host))
            .Add("show_url_pattern", OptionalString(&profile.show_url_pattern))
            .Add("episode_url_pattern",
                 OptionalString(&profile.episode_url_pattern))
            .Add("fields",
                 [&profile](const Json& fv,
                            const std::string& fkey) -> core::Status {
                   if (!fv.is_object())
                     return ConfigError(
                         fkey, "expected an object, got " + TypeName(fv));
                   for (const auto& [field, rule_json] : fv.items()) {
                     const std::string rule_key = fkey + "." + field;
                     core::FieldRule rule;
                     if (rule_json
                             .is_string()) {  // shorthand: "field": "selector"
                       rule.selector = rule_json.get<std::string>();
                     } else {
                       ObjectReader rule_reader;
                       rule_reader.Add("selector", String(&rule.selector))
                           .Add("attribute", OptionalString(&rule.attribute))
                           .Add("regex", OptionalString(&rule.regex));
                       if (core::Status s =
                               rule_reader.Read(rule_json, rule_key);
                           !s)
                         return s;
                     }
                     profile.fields[field] = std::move(rule);
                   }
                   return {};
                 });
        if (core::Status s = reader.Read(item, item_key); !s) return s.error();
        if (profile.name.empty())
          return ConfigError(item_key + ".name", "missing");
        if (profile.host.empty())
          return ConfigError(item_key + ".host", "missing");
        return profile;
      });
}

// Schedule names key the schedule's frontier and its rounds, and appear in
// logs and unit names: keep them plain.
bool ValidScheduleName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::ranges::all_of(name, [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
  });
}

}  // namespace

core::Result<Config> ParseConfig(std::string_view json_text,
                                 std::string_view origin) {
  Json doc;
  try {
    doc = Json::parse(json_text, /*cb=*/nullptr, /*allow_exceptions=*/true,
                      /*ignore_comments=*/true);
  } catch (const Json::parse_error& e) {
    return Error(ErrorCode::kConfig,
                 std::string(origin) + ": malformed JSON: " + e.what());
  }
  Config config;
  ObjectReader fetch;
  KeyReader fetch_keys(&fetch);
  FetchKeys(fetch_keys, config.fetch);
  ObjectReader parse;
  KeyReader parse_keys(&parse);
  ParseKeys(parse_keys, config.parse);
  ObjectReader crawl;
  crawl.Add("seeds", StringList(&config.crawl.seeds));
  KeyReader crawl_keys(&crawl);
  CrawlKeys(crawl_keys, config.crawl);
  RecrawlOverrides recrawl;
  std::vector<ScheduleDraft> schedules;
  ObjectReader top;
  top.Add("db", String(&config.db))
      .Add("archive", Archive(&config))
      .Add("log_level", String(&config.log_level))
      .Add("fetch",
           [&fetch](const Json& v, const std::string& key) {
             return fetch.Read(v, key);
           })
      .Add("parse",
           [&parse](const Json& v, const std::string& key) {
             return parse.Read(v, key);
           })
      .Add("crawl",
           [&crawl](const Json& v, const std::string& key) {
             return crawl.Read(v, key);
           })
      .Add("profiles", Profiles(&config.profiles))
      .Add("recrawl", Recrawl(&recrawl))
      .Add("schedules", Schedules(&schedules));
  if (core::Status s = top.Read(doc, ""); !s) {
    return Error(ErrorCode::kConfig,
                 std::string(origin) + ": " + s.error().message);
  }
  recrawl.ApplyTo(&config.recrawl);
  for (ScheduleDraft& draft : schedules) {
    ScheduleConfig& sc = draft.schedule;
    sc.crawl = config.crawl;
    sc.crawl.seeds = sc.seeds;
    ObjectReader schedule_crawl;
    KeyReader schedule_crawl_keys(&schedule_crawl);
    CrawlKeys(schedule_crawl_keys, sc.crawl);
    if (core::Status s = schedule_crawl.Read(draft.crawl_keys, draft.key); !s) {
      return Error(ErrorCode::kConfig,
                   std::string(origin) + ": " + s.error().message);
    }
    sc.recrawl = config.recrawl;
    draft.recrawl.ApplyTo(&sc.recrawl);
    config.schedules.push_back(std::move(sc));
  }
  return config;
}

core::Result<Config> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kConfig, "cannot read config file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return Error(ErrorCode::kConfig, "cannot read config file " + path);
  return ParseConfig(text.str(), path);
}

core::Status Validate(const Config& c) {
  if (c.db.empty()) return ConfigError("db", "must not be empty");
  if (auto s = CheckRange(c.archive.keep_versions, 0, 1'000'000,
                          "archive.keep_versions");
      !s) {
    return s;
  }
  constexpr std::array<std::string_view, 6> kLevels = {"trace", "debug", "info",
                                                       "warn",  "error", "off"};
  const bool level_ok =
      std::find(kLevels.begin(), kLevels.end(), c.log_level) != kLevels.end();
  if (!level_ok) {
    return ConfigError(
        "log_level",
        "must be one of trace, debug, info, warn, error, off; got \"" +
            c.log_level + "\"");
  }
  KeyChecker fetch("fetch.");
  FetchKeys(fetch, c.fetch);
  if (!fetch.status()) return fetch.status();
  KeyChecker parse("parse.");
  ParseKeys(parse, c.parse);
  if (!parse.status()) return parse.status();
  KeyChecker crawl("crawl.");
  CrawlKeys(crawl, c.crawl);
  if (!crawl.status()) return crawl.status();
  if (auto s = core::ValidateRecrawlPolicy(c.recrawl); !s)
    return Error(ErrorCode::kConfig, "recrawl." + s.error().message);
  std::set<std::string, std::less<>> names;
  for (size_t i = 0; i < c.schedules.size(); ++i) {
    const ScheduleConfig& sc = c.schedules[i];
    const std::string key = ScheduleKey(i, sc.name);
    if (!ValidScheduleName(sc.name)) {
      return ConfigError(key + ".name",
                         "use letters, digits, '-', '_' and '.' (at most 64)");
    }
    if (!names.insert(sc.name).second)
      return ConfigError(key + ".name", "another schedule has this name");
    KeyChecker crawl_keys(key + ".");
    CrawlKeys(crawl_keys, sc.crawl);
    if (!crawl_keys.status()) return crawl_keys.status();
    if (auto s = core::ValidateRecrawlPolicy(sc.recrawl); !s)
      return Error(ErrorCode::kConfig, key + ".recrawl." + s.error().message);
  }

  for (size_t i = 0; i < c.profiles.size(); ++i) {
    const core::SiteProfile& p = c.profiles[i];
    const std::string key = "profiles[" + std::to_string(i) + "]";
    if (auto s = CheckRegex(p.show_url_pattern, key + ".show_url_pattern"); !s)
      return s;
    if (auto s =
            CheckRegex(p.episode_url_pattern, key + ".episode_url_pattern");
        !s)
      return s;
    for (const auto& [field, rule] : p.fields) {
      const std::string fkey = key + ".fields." + field;
      if (rule.selector.empty())
        return ConfigError(fkey + ".selector", "must not be empty");
      if (auto s = CheckRegex(rule.regex, fkey + ".regex"); !s) return s;
    }
  }
  return {};
}

}  // namespace config
