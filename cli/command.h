// The one shape of a podcrawl subcommand (README "Layout and design notes"):
// a Command names itself, adds its own flags, says how they override the
// config, and runs with a config that PrepareConfig has loaded, overridden and
// fully validated. The common flags (--config, --log-level, -q) and the
// preparation are the same for every command; cli/run.cc lists the commands.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "cli/flags.h"
#include "config/config.h"
#include "core/result.h"
#include "storage/schema.h"

namespace cli {

// Process exit codes; the contract documented in the README and main.cc.
enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 2,    // usage or configuration error; nothing was done
  kExitFetch = 3,    // the page could not be fetched (network, HTTP >= 400, not
                     // HTML, too large); a crawl's site was down, or it
                     // fetched nothing (app::CrawlFailures)
  kExitStorage = 4,  // storage error; nothing half-written
  kExitLocked = 75,  // another `run --due` or `daemon` is crawling the
                     // database's schedules (EX_TEMPFAIL: try again later)
  kExitSigint = 130,   // stopped by SIGINT after a clean shutdown
  kExitSigterm = 143,  // stopped by SIGTERM after a clean shutdown
};

// What a command runs with.
struct CommandContext {
  config::Config config;      // loaded, overridden by the flags, validated
  const CommonFlags* common;  // --config, --log-level, --quiet
  std::ostream* out;          // records, exports, tables (stdout)
  // Prepares the config again from the same flags (the daemon's SIGHUP);
  // errors are kConfig, not logged.
  std::function<core::Result<config::Config>()> reload;
};

class Command {
 public:
  virtual ~Command() = default;

  // Returns the command's name: "parse", or "schedule list" for a
  // subcommand of a group (run.cc names the groups).
  virtual std::string name() const = 0;
  // Returns the one-line description `--help` shows.
  virtual std::string description() const = 0;
  // Adds the command's own flags to `app`, its CLI11 subcommand (the common
  // flags are added after them). Flag values live in the command.
  virtual void AddFlags(CLI::App* app) = 0;
  // Adds flags shown after the common ones in --help (--pretty, --compact).
  virtual void AddOutputFlags(CLI::App* /*app*/) {}
  // Writes the flags that override config settings (--db, --max-pages ...)
  // into `config`, before validation.
  virtual void ApplyOverrides(config::Config* /*config*/) const {}
  // Returns true for a command that works on the config's schedules:
  // PrepareConfig then refuses a config without any (app::RequireSchedules).
  virtual bool needs_schedules() const { return false; }
  // Runs the command; returns the exit code. Errors are logged (Fail).
  virtual int Run(CommandContext& context) = 0;

  // Returns --db when the command has it and it was given.
  const std::optional<std::string>& db_flag() const { return db_flag_; }
  // Writes the setting flags that were given (AddSettingFlag) into `config`;
  // PrepareConfig calls it before ApplyOverrides.
  void ApplySettingFlags(config::Config* config) const;
  // Returns `error` with the flag that set its config key in front
  // ("--per-host: crawl.per_host: must be between ..."), when one did.
  core::Error NameFlagOf(core::Error error) const;

 protected:
  // Adds --db, the database to use, which PrepareConfig writes into the
  // config's `db` before the command's own overrides.
  void AddDbFlag(CLI::App* app,
                 const std::string& help =
                     "SQLite database (default: $PODCRAWL_DB, the config's "
                     "db, or podcasts.db)") {
    app->add_option("--db", db_flag_, help);
  }

  // Adds a flag that sets one config setting, the field `setting` returns,
  // whose config key is `key` ("crawl.per_host"): when given, its value
  // replaces the config file's before validation, and a validation error
  // about the key names the flag. A number must be a whole number in the
  // field's type (WholeNumber); --help shows the built-in default.
  template <typename T>
  void AddSettingFlag(CLI::App* app, const std::string& flag,
                      const std::string& key, T& (*setting)(config::Config&),
                      const std::string& help);
  // The same for milliseconds given as a duration ("500ms", "2s", "1m"; "0";
  // a bare number is refused with a hint to give a unit).
  void AddDurationFlag(CLI::App* app, const std::string& flag,
                       const std::string& key,
                       int64_t& (*setting)(config::Config&),
                       const std::string& help);
  // The same for a list: each use of the flag adds one item to the config
  // file's.
  void AddListFlag(CLI::App* app, const std::string& flag,
                   const std::string& key,
                   std::vector<std::string>& (*setting)(config::Config&),
                   const std::string& help);

  // Adds the flags of the crawl settings: --max-pages, --concurrency,
  // --per-host, --delay, --max-depth, --workers.
  void AddCrawlFlags(CLI::App* app);

  // Adds the flags of the fetch settings: --user-agent, --timeout,
  // --connect-timeout, --max-body-bytes, --max-redirects, --header, --proxy.
  void AddFetchFlags(CLI::App* app);

 private:
  struct SettingFlag {
    std::string flag;           // "--per-host"
    std::string key;            // "crawl.per_host"
    const CLI::Option* option;  // owned by the CLI::App; given: count() > 0
    std::function<void(config::Config*)> apply;  // when given
  };
  void AddSetting(CLI::Option* option, const std::string& flag,
                  const std::string& key,
                  std::function<void(config::Config*)> apply);

  std::optional<std::string> db_flag_;
  std::vector<SettingFlag> setting_flags_;
};

template <typename T>
void Command::AddSettingFlag(CLI::App* app, const std::string& flag,
                             const std::string& key,
                             T& (*setting)(config::Config&),
                             const std::string& help) {
  auto value = std::make_shared<T>();
  CLI::Option* option = app->add_option(flag, *value, help);
  config::Config defaults;
  if constexpr (std::is_integral_v<T>) {
    option->transform(WholeNumber<T>());
    option->default_str(std::to_string(setting(defaults)));
  } else {
    option->default_str(setting(defaults));
  }
  AddSetting(option, flag, key, [value, setting](config::Config* config) {
    setting(*config) = *value;
  });
}

// Prepares a command's config: loads --config (if given), applies
// --log-level and the command's overrides, sets the log level (--quiet), and
// validates it fully (app::ValidateConfig: also the site profiles'
// selectors). Errors are kConfig.
core::Result<config::Config> PrepareConfig(const CommonFlags& common,
                                           const Command& command);

// Parses the command line into one of `commands` (each with the common flags
// after its own; a name "group name" becomes a subcommand of that group),
// prepares its config (PrepareConfig) and runs it. Returns the exit code: 0
// for --help and --version, 2 for a usage or config error.
int RunCommandLine(const std::vector<std::unique_ptr<Command>>& commands,
                   int argc, const char* const* argv, std::ostream& out);

// Sends every log line to stderr (stdout carries only records), as "podcrawl:
// level: message".
void InstallStderrLogger();

// Sets how log lines look (README "Logging"): with --log-format json one JSON
// object a line ({"time": ISO 8601 UTC with ms, "level", "message"}), for log
// shippers; else "podcrawl: level: message", led by the time in ISO 8601 UTC
// ("2026-12-03T09:15:13.042Z podcrawl: info: ...") when `stderr_is_terminal`
// is false or --log-timestamps was given.
void SetLogStyle(const CommonFlags& flags, bool stderr_is_terminal);

// Prints a command-line parse error as one line ("podcrawl: error: --flag:
// ..."), the way every other error is printed; set on the top-level app.
std::string OneLineFailure(const CLI::App* app, const CLI::Error& error);

// Logs `message` as an error and returns `code`.
int Fail(int code, const std::string& message);

// Returns true when `db` names a database file that does not exist (":memory:"
// and "file:" URIs are left to SQLite), having logged "DB does not exist
// (podcrawl crawl or fetch --db creates it)": a command that only reads exits
// 4 then.
bool MissingDatabase(const std::string& db);

// Opens `db` read-only for a command that only reads (no write lock, no
// migration; MissingDatabase first, so a missing file is not created). On
// failure returns nullopt, the error logged: the command exits 4.
std::optional<storage::Connection> OpenForReading(const std::string& db);

}  // namespace cli
