#include "cli/command_support.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "core/version.h"

namespace cli {

void AddCommonFlags(CLI::App* app, CommonFlags* flags) {
  app->add_option("--config", flags->config_path,
                  "JSON config file (comments allowed)");
  app->add_option("--log-level", flags->log_level,
                  "trace, debug, info, warn, error or off (default: info, or "
                  "the config's)");
  app->add_flag("-q,--quiet", flags->quiet, "only errors on stderr");
}

CLI::Validator WholeNumber(int64_t min, int64_t max) {
  return {[min, max](std::string& value) -> std::string {
            std::string_view digits = value;
            if (digits.starts_with('+')) digits.remove_prefix(1);
            const char* const last = digits.data() + digits.size();
            int64_t n = 0;
            const auto [end, ec] = std::from_chars(digits.data(), last, n);
            const bool whole =
                !digits.empty() && !digits.starts_with('+') &&
                !(value.starts_with('+') && digits.starts_with('-')) &&
                end == last;
            if (!whole || ec == std::errc::result_out_of_range || n < min ||
                n > max) {
              return "must be a whole number from " + std::to_string(min) +
                     " to " + std::to_string(max) + ", got \"" + value + "\"";
            }
            value = std::to_string(n);
            return {};
          },
          std::string(), "WholeNumber"};
}

std::string OneLineFailure(const CLI::App* /*app*/, const CLI::Error& error) {
  return std::string("podcrawl: error: ") + error.what() + " (see --help)\n";
}

void InstallStderrLogger() {
  auto logger = spdlog::get("podcrawl");
  if (!logger) {
    logger = spdlog::stderr_color_mt("podcrawl");
    logger->set_pattern("%n: %^%l%$: %v");
  }
  spdlog::set_default_logger(logger);
}

void SetUpLogger(const config::Config& config, const CommonFlags& flags) {
  spdlog::level::level_enum level = spdlog::level::from_str(config.log_level);
  if (flags.quiet && level < spdlog::level::err) level = spdlog::level::err;
  spdlog::set_level(level);
}

core::Result<config::Config> LoadConfig(const CommonFlags& flags) {
  config::Config config;
  if (!flags.config_path.empty()) {
    auto loaded = config::LoadConfigFile(flags.config_path);
    if (!loaded) return loaded.error();
    config = std::move(loaded).value();
  }
  if (flags.log_level) config.log_level = *flags.log_level;
  return config;
}

core::Status ValidateAll(const config::Config& config) {
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

int Fail(int code, const std::string& message) {
  spdlog::error("{}", message);
  return code;
}

}  // namespace cli
