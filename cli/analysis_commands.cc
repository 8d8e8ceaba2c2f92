#include "cli/analysis_commands.h"

#include <spdlog/spdlog.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <utility>

#include "cli/page_pipeline.h"
#include "cli/run.h"
#include "config/config.h"
#include "core/site.h"
#include "parser/page_parser.h"
#include "storage/analysis.h"
#include "storage/store.h"

namespace cli {
namespace {

int Fail(int code, const std::string& message) {
  spdlog::error("{}", message);
  return code;
}

void AddCommon(CLI::App* app, std::optional<std::string>* db,
               std::string* config_path, std::optional<std::string>* log_level,
               bool* quiet) {
  app->add_option("--db", *db, "SQLite database (default: podcasts.db)");
  app->add_option("--config", *config_path,
                  "JSON config file (comments allowed)");
  app->add_option("--log-level", *log_level,
                  "trace, debug, info, warn, error or off");
  app->add_flag("-q,--quiet", *quiet, "only errors on stderr");
}

// Reads digits at text[*pos..] (exactly `width` of them when width > 0).
bool ReadNumber(const std::string& text, size_t* pos, size_t width,
                int* value) {
  size_t start = *pos;
  int v = 0;
  while (*pos < text.size() &&
         std::isdigit(static_cast<unsigned char>(text[*pos])) != 0 &&
         (width == 0 || *pos - start < width)) {
    v = v * 10 + (text[*pos] - '0');
    ++*pos;
  }
  if (*pos == start || (width > 0 && *pos - start != width)) return false;
  *value = v;
  return true;
}

}  // namespace

namespace {

struct TimeParts {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t millis = 0;
  int64_t offset_s = 0;  // east of UTC
};

bool Expect(const std::string& text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

// YYYY-MM-DD
bool ParseDate(const std::string& text, size_t* pos, TimeParts* t) {
  return ReadNumber(text, pos, 4, &t->year) && Expect(text, pos, '-') &&
         ReadNumber(text, pos, 2, &t->month) && Expect(text, pos, '-') &&
         ReadNumber(text, pos, 2, &t->day);
}

// .fff (any number of digits; milliseconds kept)
bool ParseFraction(const std::string& text, size_t* pos, TimeParts* t) {
  int64_t scale = 100;
  size_t digits = 0;
  while (*pos < text.size() &&
         std::isdigit(static_cast<unsigned char>(text[*pos])) != 0) {
    t->millis += (text[*pos] - '0') * scale;
    scale /= 10;
    ++*pos;
    ++digits;
  }
  return digits > 0;
}

// hh:mm[:ss[.fff]]
bool ParseClock(const std::string& text, size_t* pos, TimeParts* t) {
  if (!ReadNumber(text, pos, 2, &t->hour) || !Expect(text, pos, ':') ||
      !ReadNumber(text, pos, 2, &t->minute)) {
    return false;
  }
  if (*pos >= text.size() || text[*pos] != ':') return true;
  ++*pos;
  if (!ReadNumber(text, pos, 2, &t->second)) return false;
  if (*pos < text.size() && (text[*pos] == '.' || text[*pos] == ',')) {
    ++*pos;
    return ParseFraction(text, pos, t);
  }
  return true;
}

// Z, +hh:mm, -hhmm, or nothing (UTC).
bool ParseOffset(const std::string& text, size_t* pos, TimeParts* t) {
  if (*pos >= text.size()) return true;
  const char sign = text[*pos];
  ++*pos;
  if (sign == 'Z' || sign == 'z') return true;
  if (sign != '+' && sign != '-') return false;
  int hours = 0;
  int minutes = 0;
  if (!ReadNumber(text, pos, 2, &hours)) return false;
  if (*pos < text.size() && text[*pos] == ':') ++*pos;
  if (!ReadNumber(text, pos, 2, &minutes)) return false;
  if (hours > 23 || minutes > 59) return false;
  t->offset_s = (sign == '+' ? 1 : -1) *
                (static_cast<int64_t>(hours) * 3600 + int64_t{minutes} * 60);
  return true;
}

bool InRange(const TimeParts& t) {
  return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31 &&
         t.hour <= 23 && t.minute <= 59 && t.second <= 60;
}

}  // namespace

std::optional<int64_t> ParseTimeArgument(const std::string& text) {
  if (text.empty()) return std::nullopt;
  bool all_digits = true;
  for (char c : text)
    all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c)) != 0;
  if (all_digits) {
    if (text.size() > 12) return std::nullopt;
    return static_cast<int64_t>(std::stoll(text)) * 1000;
  }
  size_t pos = 0;
  TimeParts t;
  if (!ParseDate(text, &pos, &t)) return std::nullopt;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')
      return std::nullopt;
    ++pos;
    if (!ParseClock(text, &pos, &t) || !ParseOffset(text, &pos, &t))
      return std::nullopt;
  }
  if (pos != text.size() || !InRange(t)) return std::nullopt;
  std::tm tm{};
  tm.tm_year = t.year - 1900;
  tm.tm_mon = t.month - 1;
  tm.tm_mday = t.day;
  tm.tm_hour = t.hour;
  tm.tm_min = t.minute;
  tm.tm_sec = t.second;
  const time_t seconds = timegm(&tm);
  if (tm.tm_mday != t.day) return std::nullopt;  // e.g. February 30
  return (static_cast<int64_t>(seconds) - t.offset_s) * 1000 + t.millis;
}

std::string FormatTimeMs(int64_t ms) {
  const auto t = static_cast<time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf.data();
}

AnalysisCommands::AnalysisCommands(CLI::App* app) {
  export_ = app->add_subcommand(
      "export",
      "write episodes, shows, related shows or ratings as JSON Lines "
      "or CSV");
  export_->add_option("--format", format_, "jsonl (default) or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  export_
      ->add_option("--what", what_,
                   "episodes (default), shows, related or ratings")
      ->check(CLI::IsMember({"episodes", "shows", "related", "ratings"}));
  export_->add_option("--since", since_,
                      "only rows seen since TIME (ISO 8601 or Unix seconds)");
  export_->add_option("--output", output_, "write to FILE instead of stdout");
  AddCommon(export_, &export_common_.db, &export_common_.config_path,
            &export_common_.log_level, &export_common_.quiet);

  stats_ = app->add_subcommand(
      "stats", "counts, last crawl, fetch outcomes and the frontier");
  stats_->add_flag("--json", stats_json_, "print one JSON object");
  AddCommon(stats_, &stats_common_.db, &stats_common_.config_path,
            &stats_common_.log_level, &stats_common_.quiet);

  reparse_ = app->add_subcommand(
      "reparse",
      "run the current parser over the archived pages and update the records "
      "(no network)");
  AddCommon(reparse_, &reparse_common_.db, &reparse_common_.config_path,
            &reparse_common_.log_level, &reparse_common_.quiet);
}

namespace {

// Loads the config, applies --db and the log flags. Errors are usage errors.
core::Result<config::Config> LoadFor(const std::optional<std::string>& db,
                                     const std::string& config_path,
                                     const std::optional<std::string>& level,
                                     bool quiet) {
  config::Config config;
  if (!config_path.empty()) {
    auto loaded = config::LoadConfigFile(config_path);
    if (!loaded) return loaded.error();
    config = std::move(loaded).value();
  }
  if (db) config.db = *db;
  if (level) config.log_level = *level;
  if (auto valid = config::Validate(config); !valid) return valid.error();
  spdlog::level::level_enum log_level =
      spdlog::level::from_str(config.log_level);
  if (quiet && log_level < spdlog::level::err) log_level = spdlog::level::err;
  spdlog::set_level(log_level);
  return config;
}

// Opens the database read-only for export and stats: no write lock, no
// migration, and a missing file is an error instead of a new empty database.
core::Result<storage::Database> OpenReader(const std::string& path) {
  storage::StoreOptions options;
  options.read_only = true;
  return storage::OpenDatabase(path, options);
}

}  // namespace

std::optional<int> AnalysisCommands::Run(std::ostream& out) {
  if (export_->parsed()) return RunExport(out);
  if (stats_->parsed()) return RunStats(out);
  if (reparse_->parsed()) return RunReparse();
  return std::nullopt;
}

int AnalysisCommands::RunExport(std::ostream& out) {
  const Common& c = export_common_;
  auto config = LoadFor(c.db, c.config_path, c.log_level, c.quiet);
  if (!config) return Fail(kExitUsage, config.error().message);
  storage::ExportOptions options;
  // CLI11 has checked both names already.
  options.format = storage::ExportFormatFromName(format_).value_or(
      storage::ExportFormat::kJsonl);
  options.what = storage::ExportWhatFromName(what_).value_or(
      storage::ExportWhat::kEpisodes);
  if (since_) {
    options.since_ms = ParseTimeArgument(*since_);
    if (!options.since_ms) {
      return Fail(kExitUsage,
                  "--since: \"" + *since_ +
                      "\" is neither ISO 8601 (2026-11-28T15:00:00Z) "
                      "nor Unix seconds");
    }
  }
  auto db = OpenReader(config->db);
  if (!db) return Fail(kExitStorage, db.error().message);

  std::ofstream file;
  std::ostream* sink = &out;
  if (output_) {
    file.open(*output_, std::ios::binary | std::ios::trunc);
    if (!file)
      return Fail(kExitUsage,
                  "cannot write " + *output_ + ": " + std::strerror(errno));
    sink = &file;
  }
  auto rows = storage::ExportRows(*db, options, *sink);
  if (!rows) {
    std::string message = rows.error().message;
    if (output_) message = *output_ + ": " + message;
    return Fail(kExitStorage, message);
  }
  if (output_) {
    file.close();
    if (!file)
      return Fail(kExitStorage,
                  "cannot write " + *output_ + ": " + std::strerror(errno));
  }
  spdlog::info("exported {} {} rows", *rows, what_);
  return kExitOk;
}

int AnalysisCommands::RunStats(std::ostream& out) {
  const Common& c = stats_common_;
  auto config = LoadFor(c.db, c.config_path, c.log_level, c.quiet);
  if (!config) return Fail(kExitUsage, config.error().message);
  auto db = OpenReader(config->db);
  if (!db) return Fail(kExitStorage, db.error().message);
  const int64_t now = NowMs();
  auto gathered = storage::GatherStats(*db, now);
  if (!gathered) return Fail(kExitStorage, gathered.error().message);
  const storage::DatabaseStats& s = *gathered;
  auto time_or_null = [](const std::optional<int64_t>& ms) {
    return ms ? nlohmann::json(FormatTimeMs(*ms)) : nlohmann::json(nullptr);
  };
  if (stats_json_) {
    nlohmann::ordered_json j;
    j["db"] = config->db;
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
    j["first_fetch"] = time_or_null(s.first_fetch_ms);
    j["last_fetch"] = time_or_null(s.last_fetch_ms);
    j["fetches_by_outcome"] = nlohmann::ordered_json::object();
    for (const auto& [name, n] : s.fetches_by_outcome)
      j["fetches_by_outcome"][name] = n;
    j["fetches_by_status"] = nlohmann::ordered_json::object();
    for (const auto& [status, n] : s.fetches_by_status)
      j["fetches_by_status"][std::to_string(status)] = n;
    j["frontier"] = nlohmann::ordered_json::object();
    for (const auto& [state, n] : s.frontier_by_state) j["frontier"][state] = n;
    j["frontier_due_now"] = s.frontier_due;
    j["frontier_next_due"] = time_or_null(s.frontier_next_due_ms);
    out << j.dump(2) << "\n";
    return kExitOk;
  }
  out << "database            " << config->db << "\n";
  out << "shows               " << s.shows << " (" << s.shows_with_page
      << " with their own page stored)\n";
  out << "episodes            " << s.episodes << "\n";
  out << "related edges       " << s.related_edges << "\n";
  out << "rating snapshots    " << s.rating_snapshots << "\n";
  out << "listener snapshots  " << s.listener_snapshots << "\n";
  out << "pages               " << s.pages << " (" << s.archived_versions
      << " archived versions, " << s.archived_bytes << " bytes compressed)\n";
  out << "fetches             " << s.fetches << "\n";
  out << "first fetch         "
      << (s.first_fetch_ms ? FormatTimeMs(*s.first_fetch_ms) : "-") << "\n";
  out << "last fetch          "
      << (s.last_fetch_ms ? FormatTimeMs(*s.last_fetch_ms) : "-") << "\n";
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
  return kExitOk;
}

int AnalysisCommands::RunReparse() {
  const Common& c = reparse_common_;
  auto config = LoadFor(c.db, c.config_path, c.log_level, c.quiet);
  if (!config) return Fail(kExitUsage, config.error().message);
  auto store = storage::Store::Open(config->db);
  if (!store) return Fail(kExitStorage, store.error().message);
  auto ids = (*store)->LatestArchivedPageIds();
  if (!ids) return Fail(kExitStorage, ids.error().message);
  parser::ParseOptions options;
  options.max_input_bytes = static_cast<size_t>(config->parse.max_input_bytes);
  options.profiles = config->profiles;
  int64_t changed = 0;
  for (int64_t id : *ids) {
    auto page = (*store)->LoadArchivedPage(id);
    if (!page) return Fail(kExitStorage, page.error().message);
    options.content_type = page->content_type.value_or("");
    parser::ParsedPage parsed =
        parser::ParsePage(page->body, page->url, options);
    // As when it was fetched (the URL it redirected from is not archived).
    core::ConfineToSite(&parsed.record, page->url);
    storage::PageVersion version;
    version.url = page->url;
    version.body = page->body;
    version.content_type = page->content_type;
    // The observation time is the archived fetch's: the page said this then.
    auto saved =
        (*store)->SavePage(version, parsed.record, page->fetched_at_ms);
    if (!saved) return Fail(kExitStorage, saved.error().message);
    if (*saved == storage::PageSaveOutcome::kStored) {
      ++changed;
      spdlog::debug("{}: record updated", page->url);
    }
  }
  spdlog::info("reparsed {} archived pages: {} records changed", ids->size(),
               changed);
  return kExitOk;
}

}  // namespace cli
