// podcrawl schedule history NAME [--limit N] [--json] [--db PATH]: the rounds
// of one schedule (its schedule_runs rows), newest first, as a table or JSON
// Lines. A database that does not exist yet is not created: nothing ran.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands/commands.h"
#include "cli/schedule_output.h"
#include "storage/run_lock.h"
#include "storage/schedule_store.h"

namespace cli {
namespace {

class ScheduleHistoryCommand : public Command {
 public:
  std::string name() const override { return "schedule history"; }
  std::string description() const override {
    return "the rounds of one schedule, newest first";
  }

  void AddFlags(CLI::App* app) override {
    app->add_option("NAME", schedule_, "the schedule's name")->required();
    app->add_option("--limit", limit_, "show this many rounds at most")
        ->transform(WholeNumber(1, INT64_MAX))
        ->capture_default_str();
    app->add_flag("--json", json_, "one JSON object a line");
    AddDbFlag(app);
  }

  int Run(CommandContext& context) override {
    const config::Config& config = context.config;
    bool configured = false;
    for (const config::ScheduleConfig& sc : config.schedules)
      configured = configured || sc.name == schedule_;
    std::vector<storage::ScheduleRun> runs;
    std::error_code ec;
    if (std::filesystem::exists(config.db, ec)) {
      auto schedules = storage::ScheduleStore::Open(config.db);
      if (!schedules) return Fail(kExitStorage, schedules.error().message);
      auto read = (*schedules)->Runs(schedule_, limit_);
      if (!read) return Fail(kExitStorage, read.error().message);
      runs = std::move(read).value();
    }
    // A schedule taken out of the config keeps its history; a name that is
    // neither configured nor in the database is a typo.
    if (runs.empty() && !configured) {
      return Fail(kExitUsage, "no schedule named \"" + schedule_ +
                                  "\" in the config, and no round of it in " +
                                  config.db);
    }
    const std::optional<int64_t> holder = storage::RunLock::Holder(config.db);
    if (json_) {
      for (const storage::ScheduleRun& run : runs)
        *context.out << RoundJson(run, holder).dump() << "\n";
    } else {
      PrintRoundTable(runs, holder, *context.out);
    }
    return kExitOk;
  }

 private:
  std::string schedule_;
  int64_t limit_ = 20;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> NewScheduleHistoryCommand() {
  return std::make_unique<ScheduleHistoryCommand>();
}

}  // namespace cli
