// The scheduling subcommands (issue 6): `podcrawl run --due` (for cron and
// systemd timers), `podcrawl daemon` (a long-running service) and `podcrawl
// schedule list`. run.cc registers them on its CLI11 app and runs the one that
// was parsed.
//
// A round of a schedule crawls that schedule's own frontier (storage's
// FrontierPartition) with the crawl settings and the schedule's overrides: its
// seeds when the schedule is due, the pages whose recrawl time came, and the
// work an interrupted round left. Rounds run one after the other, earliest due
// first. Two processes never run rounds on one database at once
// (storage::RunLock): `run --due` exits 75 when the lock is taken (or waits
// with --wait); a second daemon exits 75.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <optional>
#include <string>

#include "cli/command_support.h"

namespace cli {

class ScheduleCommands {
 public:
  // Adds `run`, `daemon` and `schedule` (with `list`) to `app`, which must
  // outlive this object.
  explicit ScheduleCommands(CLI::App* app);

  // Runs the subcommand that was parsed and returns its exit code, or nullopt
  // when none of them was on the command line. `schedule list` prints to
  // `out`.
  std::optional<int> Run(std::ostream& out);

 private:
  int RunDue();
  int RunDaemon();
  int RunList(std::ostream& out);

  CLI::App* run_ = nullptr;
  CLI::App* daemon_ = nullptr;
  CLI::App* schedule_ = nullptr;
  CLI::App* list_ = nullptr;
  CommonFlags run_common_;
  CommonFlags daemon_common_;
  CommonFlags list_common_;
  std::optional<std::string> run_db_;
  std::optional<std::string> daemon_db_;
  std::optional<std::string> list_db_;
  bool due_ = false;
  bool wait_ = false;
  bool list_json_ = false;
};

}  // namespace cli
