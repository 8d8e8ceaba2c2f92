// The subcommands, one file each under cli/commands/. Each file defines its
// Command and the factory declared here; cli/run.cc lists the factories in
// --help order. Adding a command: write cli/commands/NAME.cc, declare its
// factory below, add it to run.cc's list (README "Layout and design notes").
#pragma once

#include <memory>

#include "cli/command.h"

namespace cli {

std::unique_ptr<Command> NewParseCommand();         // parse.cc
std::unique_ptr<Command> NewFetchCommand();         // fetch.cc
std::unique_ptr<Command> NewCrawlCommand();         // crawl.cc
std::unique_ptr<Command> NewExportCommand();        // export.cc
std::unique_ptr<Command> NewStatsCommand();         // stats.cc
std::unique_ptr<Command> NewReportCommand();        // report.cc
std::unique_ptr<Command> NewReparseCommand();       // reparse.cc
std::unique_ptr<Command> NewPruneCommand();         // prune.cc
std::unique_ptr<Command> NewRunDueCommand();        // run_due.cc
std::unique_ptr<Command> NewDaemonCommand();        // daemon.cc
std::unique_ptr<Command> NewScheduleListCommand();  // schedule_list.cc

// schedule run, schedule history
std::unique_ptr<Command> NewScheduleRunCommand();      // schedule_run.cc
std::unique_ptr<Command> NewScheduleHistoryCommand();  // schedule_history.cc

}  // namespace cli
