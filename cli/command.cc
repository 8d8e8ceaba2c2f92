#include "cli/command.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <map>
#include <ostream>
#include <string>
#include <utility>

#include "app/options.h"
#include "app/rounds.h"
#include "core/version.h"

namespace cli {
namespace {

// Returns the description of a group of subcommands ("schedule list").
std::string GroupDescription(const std::string& group) {
  if (group == "schedule") return "inspect the schedules";
  return {};
}

}  // namespace

core::Result<config::Config> PrepareConfig(const CommonFlags& common,
                                           const Command& command) {
  config::Config config;
  if (!common.config_path.empty()) {
    auto loaded = config::LoadConfigFile(common.config_path);
    if (!loaded) return loaded.error();
    config = std::move(loaded).value();
  }
  if (common.log_level) config.log_level = *common.log_level;
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
  if (auto valid = app::ValidateConfig(config); !valid) return valid.error();
  if (command.needs_schedules()) {
    if (auto ok = app::RequireSchedules(config, common.config_path); !ok)
      return ok.error();
  }
  return config;
}

void Command::ApplySettingFlags(config::Config* config) const {
  for (const auto& apply : setting_flags_) apply(config);
}

void Command::AddFetchFlags(CLI::App* app) {
  using config::Config;
  AddSettingFlag(
      app, "--user-agent",
      +[](Config& c) -> std::string& { return c.fetch.user_agent; },
      "User-Agent header to send (empty: podcrawl/VERSION (+URL))");
  AddSettingFlag(
      app, "--timeout-ms",
      +[](Config& c) -> int64_t& { return c.fetch.timeout_ms; },
      "total time allowed per request (ms)");
  AddSettingFlag(
      app, "--connect-timeout-ms",
      +[](Config& c) -> int64_t& { return c.fetch.connect_timeout_ms; },
      "connect timeout (ms)");
  AddSettingFlag(
      app, "--max-body-bytes",
      +[](Config& c) -> int64_t& { return c.fetch.max_body_bytes; },
      "largest page accepted, after decompression (bytes)");
  AddSettingFlag(
      app, "--max-redirects",
      +[](Config& c) -> int& { return c.fetch.max_redirects; },
      "redirects followed at most");
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
      "Exit codes: 0 done, 2 usage or config error, 3 fetch failed, 4 storage "
      "error, 75 another run holds the database's schedules, 130/143 stopped "
      "by SIGINT/SIGTERM, 70 internal error.");
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
