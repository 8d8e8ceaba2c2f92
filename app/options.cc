#include "app/options.h"

#include <string>

#include "core/version.h"

namespace app {

core::Status ValidateConfig(const config::Config& config) {
  if (auto valid = config::Validate(config); !valid) return valid;
  for (size_t i = 0; i < config.profiles.size(); ++i) {
    if (auto ok = parser::ValidateProfile(config.profiles[i]); !ok) {
      return core::Error(
          core::ErrorCode::kConfig,
          "profiles[" + std::to_string(i) + "]." + ok.error().message);
    }
  }
  return {};
}

crawler::FetchOptions ToFetchOptions(const config::FetchConfig& c) {
  crawler::FetchOptions o;
  o.user_agent =
      c.user_agent.empty() ? std::string(PODCRAWL_USER_AGENT) : c.user_agent;
  o.connect_timeout_ms = c.connect_timeout_ms;
  o.timeout_ms = c.timeout_ms;
  o.max_body_bytes = c.max_body_bytes;
  o.max_redirects = c.max_redirects;
  o.low_speed_bytes_per_s = c.low_speed_bytes_per_s;
  o.low_speed_time_s = c.low_speed_time_s;
  return o;
}

parser::ParseOptions ToParseOptions(const config::Config& c) {
  parser::ParseOptions o;
  o.max_input_bytes = static_cast<size_t>(c.parse.max_input_bytes);
  o.profiles = c.profiles;
  return o;
}

crawler::CrawlOptions ToCrawlOptions(const config::FetchConfig& fetch,
                                     const config::CrawlConfig& crawl) {
  crawler::CrawlOptions o;
  o.fetch = ToFetchOptions(fetch);
  o.politeness.per_host_concurrency = crawl.per_host;
  o.politeness.min_delay_ms = crawl.delay_ms;
  o.politeness.max_crawl_delay_ms = crawl.max_crawl_delay_ms;
  o.politeness.max_retry_after_ms = crawl.max_retry_after_ms;
  o.retry.max_attempts = crawl.max_attempts;
  o.scope.allow_patterns = crawl.allow;
  o.scope.deny_patterns = crawl.deny;
  o.scope.max_depth = crawl.max_depth;
  o.concurrency = crawl.concurrency;
  o.workers = crawl.workers;
  o.max_pages = crawl.max_pages;
  o.obey_robots = crawl.obey_robots;
  return o;
}

core::Result<std::unique_ptr<storage::Store>> OpenStore(
    const config::Config& config) {
  storage::StoreOptions options;
  options.archive = config.archive;
  options.keep_versions = config.archive_keep_versions;
  options.max_age_ms = config.archive_max_age_ms;
  return storage::Store::Open(config.db, options);
}

}  // namespace app
