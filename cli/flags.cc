#include "cli/flags.h"

#include <charconv>
#include <string>
#include <string_view>
#include <system_error>

namespace cli {

void AddCommonFlags(CLI::App* app, CommonFlags* flags) {
  app->add_option(
      "--config", flags->config_path,
      "JSON config file (comments allowed; default: $PODCRAWL_CONFIG)");
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

}  // namespace cli
