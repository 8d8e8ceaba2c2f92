#include "app/options.h"

#include <string>

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

crawler::FetchOptions ToFetchOptions(const core::FetchSettings& fetch) {
  crawler::FetchOptions o;
  static_cast<core::FetchSettings&>(o) = fetch;
  return o;
}

parser::ParseOptions ToParseOptions(const config::Config& c) {
  parser::ParseOptions o;
  static_cast<core::ParseSettings&>(o) = c.parse;
  o.profiles = c.profiles;
  return o;
}

crawler::CrawlOptions ToCrawlOptions(const core::FetchSettings& fetch,
                                     const core::CrawlSettings& crawl) {
  crawler::CrawlOptions o;
  static_cast<core::CrawlSettings&>(o) = crawl;
  o.fetch = ToFetchOptions(fetch);
  return o;
}

core::Result<std::unique_ptr<storage::Store>> OpenStore(
    const config::Config& config) {
  storage::StoreOptions options;
  options.archive = config.archive;
  return storage::Store::Open(config.db, options);
}

}  // namespace app
