#include "cli/flags.h"

#include <charconv>
#include <string>
#include <string_view>
#include <system_error>

namespace cli {

void AddCommonFlags(CLI::App* app, CommonFlags* flags) {
  app->add_option("--config", flags->config_path,
                  "JSON config file (comments allowed)");
  app->add_option("--log-level", flags->log_level,
                  "trace, debug, info, warn, error or off (default: info, or "
                  "the config's)");
  app->add_flag("-q,--quiet", flags->quiet, "only errors on stderr");
  app->add_flag("--log-timestamps", flags->log_timestamps,
                "start log lines with an ISO 8601 UTC time (the default when "
                "stderr is no terminal)");
  app->add_option("--log-format", flags->log_format,
                  "text, or json: one JSON object per log line (default: text)")
      ->check(CLI::IsMember({"text", "json"}));
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

void AddFetchFlags(CLI::App* app, FetchFlags* flags) {
  app->add_option("--user-agent", flags->user_agent,
                  "User-Agent header to send");
  app->add_option("--timeout-ms", flags->timeout_ms,
                  "total time allowed per request (ms)")
      ->transform(WholeNumber<int64_t>());
  app->add_option("--connect-timeout-ms", flags->connect_timeout_ms,
                  "connect timeout (ms)")
      ->transform(WholeNumber<int64_t>());
  app->add_option("--max-body-bytes", flags->max_body_bytes,
                  "largest page accepted, after decompression (bytes)")
      ->transform(WholeNumber<int64_t>());
  app->add_option("--max-redirects", flags->max_redirects,
                  "redirects followed at most")
      ->transform(WholeNumber<int>());
}

void ApplyFetchFlags(const FetchFlags& flags, config::FetchConfig* fetch) {
  if (flags.user_agent) fetch->user_agent = *flags.user_agent;
  if (flags.timeout_ms) fetch->timeout_ms = *flags.timeout_ms;
  if (flags.connect_timeout_ms)
    fetch->connect_timeout_ms = *flags.connect_timeout_ms;
  if (flags.max_body_bytes) fetch->max_body_bytes = *flags.max_body_bytes;
  if (flags.max_redirects) fetch->max_redirects = *flags.max_redirects;
}

}  // namespace cli
