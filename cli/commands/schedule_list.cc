// podcrawl schedule list [--json] [--db PATH]: each schedule with its last
// round, outcome, when its seeds are due again (cron / every) and when its
// first page falls due (the recrawl policy), and its frontier size, as a
// table or JSON Lines.
// A database that does not exist yet is not created: nothing ran.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/rounds.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "storage/run_lock.h"
#include "storage/schedule_store.h"

namespace cli {
namespace {

// The line of --json for one schedule.
nlohmann::ordered_json ToJson(const config::ScheduleConfig& sc,
                              const app::ScheduleStatus& status,
                              const std::string& outcome, int64_t now) {
  const std::optional<storage::ScheduleRun>& last = status.last;
  nlohmann::ordered_json j;
  j["name"] = sc.name;
  j["every_s"] = sc.timing.every_ms ? nlohmann::json(*sc.timing.every_ms / 1000)
                                    : nlohmann::json(nullptr);
  j["cron"] = sc.timing.cron ? nlohmann::json(sc.timing.cron->text())
                             : nlohmann::json(nullptr);
  j["seeds"] = sc.seeds;
  j["last_run"] = TimeOrNull(last ? std::optional<int64_t>(last->started_ms)
                                  : std::nullopt);
  j["last_end"] = TimeOrNull(last ? last->ended_ms : std::nullopt);
  j["last_outcome"] = last ? nlohmann::json(outcome) : nlohmann::json(nullptr);
  if (last) {
    j["last_pages"] = last->pages;
    j["last_changed"] = last->changed;
    j["last_not_modified"] = last->not_modified;
    j["last_failed"] = last->failed;
  }
  j["next_due"] = TimeOrNull(status.next_due_ms);
  j["seeds_due"] = TimeOrNull(status.seeds_due_ms);
  j["pages_due"] = TimeOrNull(status.pages_due_ms);
  j["due_now"] = status.next_due_ms.has_value() && *status.next_due_ms <= now;
  j["urls"] = status.urls;
  return j;
}

// Returns "now" for a time at or before `now`, the time, or `none`.
std::string DueText(const std::optional<int64_t>& due, int64_t now,
                    const std::string& none) {
  if (!due) return none;
  return *due <= now ? "now" : FormatTimeMs(*due);
}

// The table's row for one schedule.
std::vector<std::string> ToRow(const config::ScheduleConfig& sc,
                               const app::ScheduleStatus& status,
                               const std::string& outcome, int64_t now) {
  return {sc.name,
          sc.timing.Describe(),
          status.last ? FormatTimeMs(status.last->started_ms) : "never",
          DueText(status.seeds_due_ms, now, "never"),
          DueText(status.pages_due_ms, now, "-"),
          std::to_string(status.urls),
          outcome};
}

class ScheduleListCommand : public Command {
 public:
  std::string name() const override { return "schedule list"; }
  std::string description() const override {
    return "each schedule with its last run, outcome and when its seeds and "
           "pages are due";
  }

  void AddFlags(CLI::App* app) override {
    AddDbFlag(app);
    app->add_flag("--json", json_, "one JSON object a line");
  }

  bool needs_schedules() const override { return true; }

  int Run(CommandContext& context) override {
    const config::Config& config = context.config;
    std::unique_ptr<storage::ScheduleStore> schedules;
    std::error_code ec;
    if (std::filesystem::exists(config.db, ec)) {
      auto opened = storage::ScheduleStore::Open(config.db);
      if (!opened) return Fail(kExitStorage, opened.error().message);
      schedules = std::move(opened).value();
    }
    const std::optional<int64_t> holder = storage::RunLock::Holder(config.db);
    const int64_t now = core::SystemClock().NowMs();
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> json_lines;
    for (const config::ScheduleConfig& sc : config.schedules) {
      auto status = app::ReadScheduleStatus(sc, schedules.get(), now);
      if (!status) return Fail(kExitStorage, status.error().message);
      const std::string outcome = app::LastOutcomeText(*status, holder);
      if (json_) {
        json_lines.push_back(ToJson(sc, *status, outcome, now).dump());
      } else {
        rows.push_back(ToRow(sc, *status, outcome, now));
      }
    }
    for (const std::string& line : json_lines) *context.out << line << "\n";
    if (json_) return kExitOk;
    PrintTable({{"NAME"},
                {"WHEN"},
                {"LAST RUN"},
                {"SEEDS DUE", 20},
                {"PAGES DUE", 20},
                {"URLS", 6},
                {"LAST OUTCOME"}},
               rows, *context.out);
    if (holder) {
      *context.out << "(a podcrawl run or daemon, pid " << *holder << ", holds "
                   << config.db << ")\n";
    }
    return kExitOk;
  }

 private:
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> NewScheduleListCommand() {
  return std::make_unique<ScheduleListCommand>();
}

}  // namespace cli
