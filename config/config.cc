#include "config/config.h"

#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <utility>

namespace config {
namespace {

using core::Error;
using core::ErrorCode;
using Json = nlohmann::json;

std::string TypeName(const Json& v) { return v.type_name(); }

Error ConfigError(const std::string& key, const std::string& what) {
  return Error(ErrorCode::kConfig, key + ": " + what);
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

ObjectReader::Reader Profiles(std::vector<core::SiteProfile>* out) {
  return [out](const Json& v, const std::string& key) -> core::Status {
    if (!v.is_array())
      return ConfigError(key, "expected an array, got " + TypeName(v));
    out->clear();
    for (size_t i = 0; i < v.size(); ++i) {
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
                     if (core::Status s = rule_reader.Read(rule_json, rule_key);
                         !s)
                       return s;
                   }
                   profile.fields[field] = std::move(rule);
                 }
                 return {};
               });
      if (core::Status s = reader.Read(v[i], item_key); !s) return s;
      if (profile.name.empty())
        return ConfigError(item_key + ".name", "missing");
      if (profile.host.empty())
        return ConfigError(item_key + ".host", "missing");
      out->push_back(std::move(profile));
    }
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

core::Status CheckRegex(const std::optional<std::string>& pattern,
                        const std::string& key) {
  if (!pattern) return {};
  try {
    std::regex re(*pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return ConfigError(key, std::string("invalid regex: ") + e.what());
  }
  return {};
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
  ObjectReader top;
  top.Add("db", String(&config.db))
      .Add("archive", Bool(&config.archive))
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
      .Add("profiles", Profiles(&config.profiles));
  if (core::Status s = top.Read(doc, ""); !s) {
    return Error(ErrorCode::kConfig,
                 std::string(origin) + ": " + s.error().message);
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
  static const char* const kLevels[] = {"trace", "debug", "info",
                                        "warn",  "error", "off"};
  bool level_ok = false;
  for (const char* level : kLevels) level_ok = level_ok || c.log_level == level;
  if (!level_ok) {
    return ConfigError(
        "log_level",
        "must be one of trace, debug, info, warn, error, off; got \"" +
            c.log_level + "\"");
  }
  constexpr int64_t kDay = int64_t{86'400'000};
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
  const CrawlConfig& k = c.crawl;
  if (auto s = CheckRange(k.max_pages, 0, INT64_MAX, "crawl.max_pages"); !s)
    return s;
  if (auto s = CheckRange(k.concurrency, 1, 1024, "crawl.concurrency"); !s)
    return s;
  if (auto s = CheckRange(k.per_host, 1, 256, "crawl.per_host"); !s) return s;
  if (auto s = CheckRange(k.delay_ms, 0, kDay, "crawl.delay_ms"); !s) return s;
  if (auto s = CheckRange(k.max_depth, 0, 1000, "crawl.max_depth"); !s)
    return s;
  if (auto s =
          CheckRange(k.max_crawl_delay_ms, 0, kDay, "crawl.max_crawl_delay_ms");
      !s) {
    return s;
  }
  if (auto s =
          CheckRange(k.max_retry_after_ms, 0, kDay, "crawl.max_retry_after_ms");
      !s) {
    return s;
  }
  if (auto s = CheckRange(k.max_attempts, 1, 100, "crawl.max_attempts"); !s)
    return s;
  if (auto s = CheckRange(k.workers, 0, 256, "crawl.workers"); !s) return s;
  for (size_t i = 0; i < k.allow.size(); ++i) {
    if (auto s =
            CheckRegex(k.allow[i], "crawl.allow[" + std::to_string(i) + "]");
        !s)
      return s;
  }
  for (size_t i = 0; i < k.deny.size(); ++i) {
    if (auto s = CheckRegex(k.deny[i], "crawl.deny[" + std::to_string(i) + "]");
        !s)
      return s;
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
