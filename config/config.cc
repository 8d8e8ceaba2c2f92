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

  core::Status Read(const Json& object, const std::string& prefix) const {
    if (!object.is_object()) {
      return ConfigError(prefix.empty() ? "(top level)" : prefix,
                         "expected an object, got " + TypeName(object));
    }
    for (const auto& [name, value] : object.items()) {
      const std::string key = prefix.empty() ? name : prefix + "." + name;
      auto it = readers_.find(name);
      if (it == readers_.end()) return ConfigError(key, "unknown key");
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
    if (v.is_boolean()) return Bool(&config->archive)(v, key);
    if (!v.is_object()) {
      return ConfigError(
          key, "expected true, false or an object, got " + TypeName(v));
    }
    ObjectReader reader;
    reader.Add("enabled", Bool(&config->archive))
        .Add("keep_versions", Integer(&config->archive_keep_versions))
        .Add("max_age",
             Optional<int64_t>(&config->archive_max_age_ms, Duration));
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

// A schedule as read, before the global recrawl policy is known.
struct ScheduleDraft {
  ScheduleConfig schedule;
  std::optional<std::string> every;
  std::optional<std::string> cron;
  RecrawlOverrides recrawl;
};

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
        ObjectReader reader;
        reader.Add("name", String(&sc.name))
            .Add("seeds", StringList(&sc.seeds))
            .Add("every", OptionalString(&draft.every))
            .Add("cron", OptionalString(&draft.cron))
            .Add("max_depth", Optional<int>(&sc.max_depth, Integer<int>))
            .Add("per_host", Optional<int>(&sc.per_host, Integer<int>))
            .Add("concurrency", Optional<int>(&sc.concurrency, Integer<int>))
            .Add("delay_ms", Optional<int64_t>(&sc.delay_ms, Integer<int64_t>))
            .Add("max_pages",
                 Optional<int64_t>(&sc.max_pages, Integer<int64_t>))
            .Add("allow",
                 Optional<std::vector<std::string>>(&sc.allow, StringList))
            .Add("deny",
                 Optional<std::vector<std::string>>(&sc.deny, StringList))
            .Add("recrawl", Recrawl(&draft.recrawl));
        if (core::Status s = reader.Read(item, item_key); !s) return s.error();
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

core::Status CheckRange(int64_t value, int64_t lo, int64_t hi,
                        const std::string& key) {
  if (value < lo || value > hi) {
    return ConfigError(key, "must be between " + std::to_string(lo) + " and " +
                                std::to_string(hi) + ", got " +
                                std::to_string(value));
  }
  return {};
}

core::Status CheckRegex(const std::optional<std::string>& pattern,
                        const std::string& key) {
  if (!pattern) return {};
  if (auto re = core::Regex::Compile(*pattern); !re) {
    return ConfigError(key,
                       "invalid regex (RE2 syntax): " + re.error().message);
  }
  return {};
}

// Checks the crawl settings' ranges and regexes; `prefix` starts each key
// ("crawl." or a schedule's).
core::Status ValidateCrawl(const CrawlConfig& k, const std::string& prefix) {
  if (auto s = CheckRange(k.max_pages, 0, INT64_MAX, prefix + "max_pages"); !s)
    return s;
  constexpr auto kDay = int64_t{86'400'000};
  if (auto s = CheckRange(k.concurrency, 1, 1024, prefix + "concurrency"); !s)
    return s;
  if (auto s = CheckRange(k.per_host, 1, 256, prefix + "per_host"); !s)
    return s;
  if (auto s = CheckRange(k.delay_ms, 0, kDay, prefix + "delay_ms"); !s)
    return s;
  if (auto s = CheckRange(k.max_depth, 0, 1000, prefix + "max_depth"); !s)
    return s;
  if (auto s = CheckRange(k.max_crawl_delay_ms, 0, kDay,
                          prefix + "max_crawl_delay_ms");
      !s) {
    return s;
  }
  if (auto s = CheckRange(k.max_retry_after_ms, 0, kDay,
                          prefix + "max_retry_after_ms");
      !s) {
    return s;
  }
  if (auto s = CheckRange(k.max_attempts, 1, 100, prefix + "max_attempts"); !s)
    return s;
  if (auto s = CheckRange(k.workers, 0, 256, prefix + "workers"); !s) return s;
  for (size_t i = 0; i < k.allow.size(); ++i) {
    if (auto s =
            CheckRegex(k.allow[i], prefix + "allow[" + std::to_string(i) + "]");
        !s)
      return s;
  }
  for (size_t i = 0; i < k.deny.size(); ++i) {
    if (auto s =
            CheckRegex(k.deny[i], prefix + "deny[" + std::to_string(i) + "]");
        !s)
      return s;
  }
  return {};
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
  fetch.Add("user_agent", String(&config.fetch.user_agent))
      .Add("connect_timeout_ms", Integer(&config.fetch.connect_timeout_ms))
      .Add("timeout_ms", Integer(&config.fetch.timeout_ms))
      .Add("max_body_bytes", Integer(&config.fetch.max_body_bytes))
      .Add("max_redirects", Integer(&config.fetch.max_redirects))
      .Add("low_speed_bytes_per_s",
           Integer(&config.fetch.low_speed_bytes_per_s))
      .Add("low_speed_time_s", Integer(&config.fetch.low_speed_time_s));
  ObjectReader parse;
  parse.Add("max_input_bytes", Integer(&config.parse.max_input_bytes));
  ObjectReader crawl;
  crawl.Add("seeds", StringList(&config.crawl.seeds))
      .Add("max_pages", Integer(&config.crawl.max_pages))
      .Add("concurrency", Integer(&config.crawl.concurrency))
      .Add("per_host", Integer(&config.crawl.per_host))
      .Add("delay_ms", Integer(&config.crawl.delay_ms))
      .Add("max_depth", Integer(&config.crawl.max_depth))
      .Add("allow", StringList(&config.crawl.allow))
      .Add("deny", StringList(&config.crawl.deny))
      .Add("obey_robots", Bool(&config.crawl.obey_robots))
      .Add("max_crawl_delay_ms", Integer(&config.crawl.max_crawl_delay_ms))
      .Add("max_retry_after_ms", Integer(&config.crawl.max_retry_after_ms))
      .Add("max_attempts", Integer(&config.crawl.max_attempts))
      .Add("workers", Integer(&config.crawl.workers));
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
    draft.schedule.recrawl = config.recrawl;
    draft.recrawl.ApplyTo(&draft.schedule.recrawl);
    config.schedules.push_back(std::move(draft.schedule));
  }
  return config;
}

CrawlConfig ScheduleCrawlConfig(const CrawlConfig& crawl,
                                const ScheduleConfig& schedule) {
  CrawlConfig c = crawl;
  c.seeds = schedule.seeds;
  if (schedule.max_depth) c.max_depth = *schedule.max_depth;
  if (schedule.per_host) c.per_host = *schedule.per_host;
  if (schedule.concurrency) c.concurrency = *schedule.concurrency;
  if (schedule.delay_ms) c.delay_ms = *schedule.delay_ms;
  if (schedule.max_pages) c.max_pages = *schedule.max_pages;
  if (schedule.allow) c.allow = *schedule.allow;
  if (schedule.deny) c.deny = *schedule.deny;
  return c;
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
  if (auto s = CheckRange(c.archive_keep_versions, 0, 1'000'000,
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
  constexpr int64_t kDay = 86'400'000;
  if (auto s = CheckRange(c.fetch.connect_timeout_ms, 1, kDay,
                          "fetch.connect_timeout_ms");
      !s) {
    return s;
  }
  if (auto s = CheckRange(c.fetch.timeout_ms, 1, kDay, "fetch.timeout_ms"); !s)
    return s;
  if (auto s = CheckRange(c.fetch.max_body_bytes, 1, int64_t{1} << 32,
                          "fetch.max_body_bytes");
      !s) {
    return s;
  }
  if (auto s = CheckRange(c.fetch.max_redirects, 0, 50, "fetch.max_redirects");
      !s)
    return s;
  if (auto s = CheckRange(c.fetch.low_speed_bytes_per_s, 0, int64_t{1} << 30,
                          "fetch.low_speed_bytes_per_s");
      !s) {
    return s;
  }
  if (auto s = CheckRange(c.fetch.low_speed_time_s, 1, 3600,
                          "fetch.low_speed_time_s");
      !s) {
    return s;
  }
  if (auto s = CheckRange(c.parse.max_input_bytes, 1024, int64_t{1} << 32,
                          "parse.max_input_bytes");
      !s) {
    return s;
  }
  if (auto s = ValidateCrawl(c.crawl, "crawl."); !s) return s;
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
    if (auto s = ValidateCrawl(ScheduleCrawlConfig(c.crawl, sc), key + ".");
        !s) {
      return s;
    }
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
