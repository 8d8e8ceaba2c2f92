// How `podcrawl stats` prints: the database's counts as text or JSON, and
// --failures as a table or JSON Lines.
#include "cli/stats_output.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/output.h"
#include "storage/frontier_store.h"

namespace cli {
namespace {

// Returns FormatTimeMs(*ms), or "-".
std::string TimeOrDash(const std::optional<int64_t>& ms) {
  return ms ? FormatTimeMs(*ms) : "-";
}

}  // namespace

void PrintStatsJson(const std::string& db, const storage::DatabaseStats& s,
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

void PrintStatsText(const std::string& db, const storage::DatabaseStats& s,
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
  for (const auto& [state, n] : s.frontier_by_state) {
    if (state == "failed" && n > 0) out << " (stats --failures lists them)";
  }
  out << "\n";
  out << "due now             " << s.frontier_due;
  if (s.frontier_due == 0 && s.frontier_next_due_ms)
    out << " (next at " << FormatTimeMs(*s.frontier_next_due_ms) << ")";
  out << "\n";
}

namespace {

// The JSON line of --failures --json for one failed URL.
nlohmann::ordered_json FailureJson(const storage::FrontierFailure& f) {
  nlohmann::ordered_json j;
  j["url"] = f.url;
  j["reason"] = f.reason;
  j["referrer"] = f.referrer ? nlohmann::json(*f.referrer) : nullptr;
  j["schedule"] =
      f.schedule.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.schedule);
  j["attempts"] = f.attempts;
  j["last_try"] = TimeOrNull(f.last_fetch_ms);
  return j;
}

}  // namespace

core::Status PrintFailures(storage::Connection& db, bool json,
                           std::ostream& out) {
  std::vector<storage::FrontierFailure> failures;
  bool any_schedule = false;
  core::Status listed =
      storage::ForEachFailure(db, [&](const storage::FrontierFailure& f) {
        if (json) {
          out << FailureJson(f).dump(-1, ' ', false,
                                     nlohmann::json::error_handler_t::replace)
              << "\n";
          return;
        }
        any_schedule = any_schedule || !f.schedule.empty();
        failures.push_back(f);
      });
  if (!listed || json) return listed;
  std::vector<std::vector<std::string>> rows;
  rows.reserve(failures.size());
  for (storage::FrontierFailure& f : failures) {
    std::vector<std::string> row{std::move(f.url),
                                 f.referrer ? std::move(*f.referrer) : "-"};
    if (any_schedule) row.push_back(f.schedule.empty() ? "-" : f.schedule);
    row.push_back(std::move(f.reason));
    rows.push_back(std::move(row));
  }
  std::vector<TableColumn> columns{{"URL"}, {"REFERRER"}};
  if (any_schedule) columns.push_back({"SCHEDULE"});
  columns.push_back({"REASON"});
  if (rows.empty()) {
    out << "no failed URL\n";
  } else {
    PrintTable(columns, rows, out);
  }
  return {};
}

}  // namespace cli
