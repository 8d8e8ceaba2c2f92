#include "cli/run.h"

#include <memory>
#include <vector>

#include "cli/commands/commands.h"

namespace cli {

int Run(int argc, const char* const* argv, std::ostream& out) {
  // The commands, in --help order; "group name" is a subcommand of a group.
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(NewParseCommand());
  commands.push_back(NewFetchCommand());
  commands.push_back(NewCrawlCommand());
  commands.push_back(NewExportCommand());
  commands.push_back(NewStatsCommand());
  commands.push_back(NewReportCommand());
  commands.push_back(NewReparseCommand());
  commands.push_back(NewPruneCommand());
  commands.push_back(NewRunDueCommand());
  commands.push_back(NewDaemonCommand());
  commands.push_back(NewScheduleListCommand());
  commands.push_back(NewScheduleRunCommand());
  commands.push_back(NewScheduleHistoryCommand());
  return RunCommandLine(commands, argc, argv, out);
}

}  // namespace cli
