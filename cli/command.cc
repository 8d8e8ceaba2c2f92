#include "cli/command.h"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <system_error>
#include <utility>

#include "app/options.h"
#include "app/rounds.h"
#include "app/time_text.h"
#include "core/schedule.h"
#include "core/version.h"

namespace cli {
namespace {

// Returns the description of a group of subcommands ("schedule list").
std::string GroupDescription(const std::string& group) {
  if (group == "schedule") return "inspect the schedules";
  return {};
}

// Returns the environment variable `name` when it is set and not empty.
std::optional<std::string> EnvironmentValue(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace

core::Result<config::Config> PrepareConfig(const CommonFlags& common,
                                           const Command& command) {
  config::Config config;
  // --config, else $PODCRAWL_CONFIG; --db, else $PODCRAWL_DB, else the
  // config's db.
  std::string config_path = common.config_path;
  const bool from_environment =
      config_path.empty() && EnvironmentValue("PODCRAWL_CONFIG");
  if (from_environment) config_path = *EnvironmentValue("PODCRAWL_CONFIG");
  if (!config_path.empty()) {
    auto loaded = config::LoadConfigFile(config_path);
    if (!loaded) {
      core::Error error = loaded.error();
      if (from_environment) error.message += " (from PODCRAWL_CONFIG)";
      return error;
    }
    config = std::move(loaded).value();
  }
  if (common.log_level) config.log_level = *common.log_level;
  if (auto db = EnvironmentValue("PODCRAWL_DB")) config.db = *db;
  if (command.db_flag()) config.db = *command.db_flag();
  command.ApplySettingFlags(&config);
  command.ApplyOverrides(&config);
  // An unknown level name is left to the validation below to report (spdlog
  // would read it as "off" and hide that very message).
  spdlog::level::level_enum level = spdlog::level::from_str(config.log_level);
  if (level != spdlog::level::off || config.log_level == "off") {
    if (common.quiet && level < spdlog::level::err) level = spdlog::level::err;
    spdlog::set_level(level);
  }
  if (auto valid = app::ValidateConfig(config); !valid)
    return command.NameFlagOf(valid.error());
  if (command.needs_schedules()) {
    if (auto ok = app::RequireSchedules(config, config_path); !ok)
      return ok.error();
  }
  return config;
}

void Command::ApplySettingFlags(config::Config* config) const {
  for (const SettingFlag& setting : setting_flags_) {
    if (setting.option->count() > 0) setting.apply(config);
  }
}

core::Error Command::NameFlagOf(core::Error error) const {
  for (const SettingFlag& setting : setting_flags_) {
    const std::string& m = error.message;
    if (setting.option->count() > 0 && m.starts_with(setting.key) &&
        m.size() > setting.key.size() &&
        (m[setting.key.size()] == ':' || m[setting.key.size()] == '[')) {
      error.message = setting.flag + ": " + error.message;
      break;
    }
  }
  return error;
}

void Command::AddSetting(CLI::Option* option, const std::string& flag,
                         const std::string& key,
                         std::function<void(config::Config*)> apply) {
  setting_flags_.push_back(SettingFlag{flag, key, option, std::move(apply)});
}

void Command::AddDurationFlag(CLI::App* app, const std::string& flag,
                              const std::string& key,
                              int64_t& (*setting)(config::Config&),
                              const std::string& help) {
  auto value = std::make_shared<std::string>();
  CLI::Option* option = app->add_option(flag, *value, help);
  option->check(CLI::Validator(
      [](const std::string& text) -> std::string {
        auto ms = core::ParseDurationOrZeroMs(text);
        return ms ? std::string() : ms.error().message;
      },
      std::string(), "Duration"));
  option->type_name("DURATION");
  config::Config defaults;
  option->default_str(core::FormatDurationMs(setting(defaults)));
  AddSetting(option, flag, key, [value, setting](config::Config* config) {
    setting(*config) = core::ParseDurationOrZeroMs(*value).value();
  });
}

void Command::AddListFlag(CLI::App* app, const std::string& flag,
                          const std::string& key,
                          std::vector<std::string>& (*setting)(config::Config&),
                          const std::string& help) {
  auto values = std::make_shared<std::vector<std::string>>();
  CLI::Option* option = app->add_option(flag, *values, help);
  option->allow_extra_args(false);
  AddSetting(option, flag, key, [values, setting](config::Config* config) {
    std::vector<std::string>& list = setting(*config);
    list.insert(list.end(), values->begin(), values->end());
  });
}

void Command::AddCrawlFlags(CLI::App* app) {
  using config::Config;
  AddSettingFlag(
      app, "--max-pages", "crawl.max_pages",
      +[](Config& c) -> int64_t& { return c.crawl.max_pages; },
      "stop after this many pages (0: no limit)");
  AddSettingFlag(
      app, "--concurrency", "crawl.concurrency",
      +[](Config& c) -> int& { return c.crawl.concurrency; },
      "transfers in flight");
  AddSettingFlag(
      app, "--per-host", "crawl.per_host",
      +[](Config& c) -> int& { return c.crawl.politeness.per_host; },
      "transfers in flight per host");
  AddDurationFlag(
      app, "--delay", "crawl.delay_ms",
      +[](Config& c) -> int64_t& { return c.crawl.politeness.delay_ms; },
      "time between request starts to one host (1s, 500ms, 0 ...)");
  AddSettingFlag(
      app, "--max-depth", "crawl.max_depth",
      +[](Config& c) -> int& { return c.crawl.scope.max_depth; },
      "link depth from the seeds");
  AddSettingFlag(
      app, "--workers", "crawl.workers",
      +[](Config& c) -> int& { return c.crawl.workers; },
      "parse/store threads (0: one per core)");
}

void Command::AddFetchFlags(CLI::App* app) {
  using config::Config;
  AddSettingFlag(
      app, "--user-agent", "fetch.user_agent",
      +[](Config& c) -> std::string& { return c.fetch.user_agent; },
      "User-Agent header to send (empty: podcrawl/VERSION (+URL))");
  AddDurationFlag(
      app, "--timeout", "fetch.timeout_ms",
      +[](Config& c) -> int64_t& { return c.fetch.timeout_ms; },
      "total time allowed per request (30s, 2m ...)");
  AddDurationFlag(
      app, "--connect-timeout", "fetch.connect_timeout_ms",
      +[](Config& c) -> int64_t& { return c.fetch.connect_timeout_ms; },
      "connect timeout (10s, 500ms ...)");
  AddSettingFlag(
      app, "--max-body-bytes", "fetch.max_body_bytes",
      +[](Config& c) -> int64_t& { return c.fetch.max_body_bytes; },
      "largest page accepted, after decompression (bytes)");
  AddSettingFlag(
      app, "--max-redirects", "fetch.max_redirects",
      +[](Config& c) -> int& { return c.fetch.max_redirects; },
      "redirects followed at most");
  AddListFlag(
      app, "--header", "fetch.headers",
      +[](Config& c) -> std::vector<std::string>& { return c.fetch.headers; },
      "request header \"Name: value\" sent with every request (repeatable; "
      "e.g. \"Accept-Language: fr\")");
  AddSettingFlag(
      app, "--proxy", "fetch.proxy",
      +[](Config& c) -> std::string& { return c.fetch.proxy; },
      "proxy URL (http://host:3128, socks5h://host:1080; default: libcurl's "
      "http_proxy / https_proxy / no_proxy variables)");
}

namespace {

// Unix milliseconds as ISO 8601 UTC with milliseconds
// ("2026-12-03T09:15:13.042Z").
std::string IsoTimeMs(std::chrono::system_clock::time_point time) {
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         time.time_since_epoch())
                         .count();
  std::string text = app::FormatTimeMs(ms - ms % 1000);  // "...:13Z"
  text.pop_back();
  return text + fmt::format(".{:03}Z", ms % 1000);
}

// One JSON object a line, for log shippers (Loki, Elasticsearch, journald's
// JSON import): {"time": "2026-12-03T09:15:13.042Z", "level": "info",
// "message": "..."}.
class JsonLogFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override {
    const nlohmann::json line = {
        {"time", IsoTimeMs(msg.time)},
        {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                              spdlog::level::to_string_view(msg.level).size())},
        {"message", std::string(msg.payload.data(), msg.payload.size())},
    };
    const std::string text =
        line.dump(-1, ' ', /*ensure_ascii=*/false,
                  nlohmann::json::error_handler_t::replace) +
        "\n";
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLogFormatter>();
  }
};

}  // namespace

void SetLogStyle(const CommonFlags& flags, bool stderr_is_terminal) {
  auto logger = spdlog::default_logger();
  if (flags.log_format == "json") {
    logger->set_formatter(std::make_unique<JsonLogFormatter>());
  } else if (flags.log_timestamps || !stderr_is_terminal) {
    // spdlog's %e is the milliseconds; the time is UTC, hence the Z.
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %n: %^%l%$: %v",
                        spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%n: %^%l%$: %v");
  }
}

void InstallStderrLogger() {
  auto logger = spdlog::get("podcrawl");
  if (!logger) {
    logger = spdlog::stderr_color_mt("podcrawl");
    logger->set_pattern("%n: %^%l%$: %v");
  }
  spdlog::set_default_logger(logger);
}

std::string OneLineFailure(const CLI::App* /*app*/, const CLI::Error& error) {
  return std::string("podcrawl: error: ") + error.what() + " (see --help)\n";
}

bool MissingDatabase(const std::string& db) {
  if (db == ":memory:" || db.starts_with("file:")) return false;
  std::error_code error;
  if (std::filesystem::exists(db, error)) return false;
  spdlog::error("{} does not exist (podcrawl crawl or fetch --db creates it)",
                db);
  return true;
}

std::optional<storage::Connection> OpenForReading(const std::string& db) {
  if (MissingDatabase(db)) return std::nullopt;
  storage::StoreOptions read_only;
  read_only.read_only = true;
  auto opened = storage::OpenDatabase(db, read_only);
  if (!opened) {
    Fail(kExitStorage, opened.error().message);
    return std::nullopt;
  }
  return std::move(opened).value();
}

int Fail(int code, const std::string& message) {
  spdlog::error("{}", message);
  return code;
}

int RunCommandLine(const std::vector<std::unique_ptr<Command>>& commands,
                   int argc, const char* const* argv, std::ostream& out) {
  InstallStderrLogger();
  CLI::App app{
      "podcrawl: crawls podcast web pages and keeps what they show in SQLite."};
  app.set_version_flag("--version",
                       std::string("podcrawl ") + PODCRAWL_VERSION);
  app.require_subcommand(1);
  app.failure_message(OneLineFailure);
  app.footer(
      "Exit codes: 0 done, 2 usage or config error, 3 fetch failed (a crawl: "
      "a site down, or nothing fetched), 4 storage error, 75 another run "
      "holds the database's schedules, 130/143 stopped by SIGINT/SIGTERM, 70 "
      "internal error.");
  CommonFlags common;
  std::vector<CLI::App*> subcommands;
  std::map<std::string, CLI::App*> groups;
  for (const auto& command : commands) {
    CLI::App* parent = &app;
    std::string name = command->name();
    if (const size_t space = name.find(' '); space != std::string::npos) {
      const std::string group = name.substr(0, space);
      name = name.substr(space + 1);
      CLI::App*& group_app = groups[group];
      if (group_app == nullptr) {
        group_app = app.add_subcommand(group, GroupDescription(group));
        group_app->require_subcommand(1);
      }
      parent = group_app;
    }
    CLI::App* sub = parent->add_subcommand(name, command->description());
    command->AddFlags(sub);
    AddCommonFlags(sub, &common);
    command->AddOutputFlags(sub);
    subcommands.push_back(sub);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  SetLogStyle(common, isatty(STDERR_FILENO) == 1);
  for (size_t i = 0; i < commands.size(); ++i) {
    if (!subcommands[i]->parsed()) continue;
    const Command& command = *commands[i];
    auto prepare = [&common, &command] {
      return PrepareConfig(common, command);
    };
    auto config = prepare();
    if (!config) return Fail(kExitUsage, config.error().message);
    CommandContext context{std::move(config).value(), &common, &out, prepare};
    return commands[i]->Run(context);
  }
  return kExitUsage;
}

}  // namespace cli
