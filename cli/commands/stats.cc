// podcrawl stats [--json] [--db PATH]: counts, last crawl, fetch outcomes and
// the frontier, reading the database read-only.
#include <optional>
#include <ostream>
#include <string>

#include "app/page_pipeline.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "storage/analysis.h"

namespace cli {
namespace {

// Returns FormatTimeMs(*ms), or "-".
std::string TimeOrDash(const std::optional<int64_t>& ms) {
  return ms ? FormatTimeMs(*ms) : "-";
}

void PrintJson(const std::string& db, const storage::DatabaseStats& s,
               std::ostream& out) {
  nlohmann::ordered_json j;
  j["db"] = db;
  j["shows"] = s.shows;
  j["shows_with_page"] = s.shows_with_page;
  j["episodes"] = s.episodes;
  j["related_edges"] = s.related_edges;
  j["rating_snapshots"] = s.rating_snapshots;
  j["listener_snapshots"] = s.listener_snapshots;
  j["fetches"] = s.fetches;
  j["pages"] = s.pages;
  j["archived_versions"] = s.archived_versions;
  j["archived_bytes"] = s.archived_bytes;
  j["first_fetch"] = TimeOrNull(s.first_fetch_ms);
  j["last_fetch"] = TimeOrNull(s.last_fetch_ms);
  j["fetches_by_outcome"] = nlohmann::ordered_json::object();
  for (const auto& [name, n] : s.fetches_by_outcome)
    j["fetches_by_outcome"][name] = n;
  j["fetches_by_status"] = nlohmann::ordered_json::object();
  for (const auto& [status, n] : s.fetches_by_status)
    j["fetches_by_status"][std::to_string(status)] = n;
  j["frontier"] = nlohmann::ordered_json::object();
  for (const auto& [state, n] : s.frontier_by_state) j["frontier"][state] = n;
  j["frontier_due_now"] = s.frontier_due;
  j["frontier_next_due"] = TimeOrNull(s.frontier_next_due_ms);
  out << j.dump(2) << "\n";
}

void PrintText(const std::string& db, const storage::DatabaseStats& s,
               std::ostream& out) {
  out << "database            " << db << "\n";
  out << "shows               " << s.shows << " (" << s.shows_with_page
      << " with their own page stored)\n";
  out << "episodes            " << s.episodes << "\n";
  out << "related edges       " << s.related_edges << "\n";
  out << "rating snapshots    " << s.rating_snapshots << "\n";
  out << "listener snapshots  " << s.listener_snapshots << "\n";
  out << "pages               " << s.pages << " (" << s.archived_versions
      << " archived versions, " << s.archived_bytes << " bytes compressed)\n";
  out << "fetches             " << s.fetches << "\n";
  out << "first fetch         " << TimeOrDash(s.first_fetch_ms) << "\n";
  out << "last fetch          " << TimeOrDash(s.last_fetch_ms) << "\n";
  out << "fetches by outcome ";
  if (s.fetches_by_outcome.empty()) out << " -";
  for (const auto& [name, n] : s.fetches_by_outcome)
    out << " " << name << "=" << n;
  out << "\n";
  out << "fetches by status  ";
  if (s.fetches_by_status.empty()) out << " -";
  for (const auto& [status, n] : s.fetches_by_status)
    out << " " << (status == 0 ? std::string("none") : std::to_string(status))
        << "=" << n;
  out << "\n";
  out << "frontier           ";
  for (const auto& [state, n] : s.frontier_by_state)
    out << " " << state << "=" << n;
  out << "\n";
  out << "due now             " << s.frontier_due;
  if (s.frontier_due == 0 && s.frontier_next_due_ms)
    out << " (next at " << FormatTimeMs(*s.frontier_next_due_ms) << ")";
  out << "\n";
}

class StatsCommand : public Command {
 public:
  std::string name() const override { return "stats"; }
  std::string description() const override {
    return "counts, last crawl, fetch outcomes and the frontier";
  }

  void AddFlags(CLI::App* app) override {
    app->add_flag("--json", json_, "print one JSON object");
    AddDbFlag(app);
  }

  int Run(CommandContext& context) override {
    storage::StoreOptions read_only;
    read_only.read_only = true;
    auto db = storage::OpenDatabase(context.config.db, read_only);
    if (!db) return Fail(kExitStorage, db.error().message);
    auto stats = storage::GatherStats(*db, core::SystemClock().NowMs());
    if (!stats) return Fail(kExitStorage, stats.error().message);
    if (json_) {
      PrintJson(context.config.db, *stats, *context.out);
    } else {
      PrintText(context.config.db, *stats, *context.out);
    }
    return kExitOk;
  }

 private:
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> NewStatsCommand() {
  return std::make_unique<StatsCommand>();
}

}  // namespace cli
