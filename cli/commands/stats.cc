// podcrawl stats [--json] [--failures] [--db PATH]: counts, last crawl, fetch
// outcomes and the frontier, or (--failures) the URLs that failed for good
// with their reason and the page that linked to them, reading the database
// read-only.
#include <optional>
#include <string>

#include "cli/commands/commands.h"
#include "cli/output.h"
#include "cli/stats_output.h"
#include "core/clock.h"
#include "storage/analysis.h"

namespace cli {
namespace {

class StatsCommand : public Command {
 public:
  std::string name() const override { return "stats"; }
  std::string description() const override {
    return "counts, last crawl, fetch outcomes and the frontier";
  }

  void AddFlags(CLI::App* app) override {
    app->add_flag("--json", json_,
                  "print one JSON object (with --failures: one a line)");
    app->add_flag("--failures", failures_,
                  "list the URLs that failed for good, with their reason "
                  "and referrer");
    AddDbFlag(app);
  }

  int Run(CommandContext& context) override {
    std::optional<storage::Connection> db = OpenForReading(context.config.db);
    if (!db) return kExitStorage;
    if (failures_) {
      core::Status printed = PrintFailures(*db, json_, *context.out);
      if (!printed) return Fail(kExitStorage, printed.error().message);
      return kExitOk;
    }
    auto stats = storage::GatherStats(*db, core::SystemClock().NowMs());
    if (!stats) return Fail(kExitStorage, stats.error().message);
    if (json_) {
      PrintStatsJson(context.config.db, *stats, *context.out);
    } else {
      PrintStatsText(context.config.db, *stats, *context.out);
    }
    return kExitOk;
  }

 private:
  bool json_ = false;
  bool failures_ = false;
};

}  // namespace

std::unique_ptr<Command> NewStatsCommand() {
  return std::make_unique<StatsCommand>();
}

}  // namespace cli
