#include "storage/analysis.h"

#include <sqlite3.h>

#include <array>
#include <nlohmann/json.hpp>
#include <ostream>

namespace storage {
namespace {

using core::ErrorCode;
using core::Result;
using core::Status;

// Each export: a SELECT over a view (see the schema in store.cc), with ?1 the
// --since bound (INT64_MIN when none). Column aliases are the output names;
// times are ISO 8601 UTC with milliseconds. Views over rowid tables scan in id
// order, so no sort holds rows in memory (related is sorted by its primary
// key index).
constexpr const char* kEpisodesSql = R"sql(
SELECT url, show_name, show_url, episode_title, description, published, duration_s, audio_url,
       language, rating_value, rating_count, feed_url,
       strftime('%Y-%m-%dT%H:%M:%fZ', first_seen_ms / 1000.0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%fZ', last_seen_ms / 1000.0, 'unixepoch') AS last_seen
FROM episode_latest WHERE last_seen_ms >= ?1
)sql";

constexpr const char* kShowsSql = R"sql(
SELECT url, show_name, description, feed_url, language, rating_value, rating_count, listeners,
       episodes, related,
       strftime('%Y-%m-%dT%H:%M:%fZ', first_seen_ms / 1000.0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%fZ', last_seen_ms / 1000.0, 'unixepoch') AS last_seen,
       strftime('%Y-%m-%dT%H:%M:%fZ', last_crawled_ms / 1000.0, 'unixepoch') AS last_crawled
FROM show_summary WHERE last_seen_ms >= ?1
)sql";

constexpr const char* kRelatedSql = R"sql(
SELECT show_url, show_name, position, related_url, related_name, listeners,
       strftime('%Y-%m-%dT%H:%M:%fZ', observed_ms / 1000.0, 'unixepoch') AS observed
FROM related_graph WHERE observed_ms >= ?1
)sql";

constexpr const char* kRatingsSql = R"sql(
SELECT show_url, show_name,
       strftime('%Y-%m-%dT%H:%M:%fZ', observed_ms / 1000.0, 'unixepoch') AS observed,
       rating_value, rating_count, count_change
FROM show_rating_history WHERE observed_ms >= ?1
)sql";

const char* ExportSql(ExportWhat what) {
  switch (what) {
    case ExportWhat::kEpisodes:
      return kEpisodesSql;
    case ExportWhat::kShows:
      return kShowsSql;
    case ExportWhat::kRelated:
      return kRelatedSql;
    case ExportWhat::kRatings:
      return kRatingsSql;
  }
  return kEpisodesSql;
}

nlohmann::ordered_json ColumnJson(sqlite3_stmt* st, int column) {
  switch (sqlite3_column_type(st, column)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(st, column));
    case SQLITE_FLOAT:
      return sqlite3_column_double(st, column);
    case SQLITE_NULL:
      return nullptr;
    default: {
      const unsigned char* text = sqlite3_column_text(st, column);
      const int bytes = sqlite3_column_bytes(st, column);
      if (text == nullptr) return nullptr;
      return std::string(reinterpret_cast<const char*>(text),
                         static_cast<size_t>(bytes));
    }
  }
}

std::string ColumnCsv(sqlite3_stmt* st, int column) {
  if (sqlite3_column_type(st, column) == SQLITE_NULL) return "";
  const unsigned char* text = sqlite3_column_text(st, column);
  const int bytes = sqlite3_column_bytes(st, column);
  if (text == nullptr) return "";
  return CsvField(std::string_view(reinterpret_cast<const char*>(text),
                                   static_cast<size_t>(bytes)));
}

Result<int64_t> CountQuery(Database& db, std::string_view sql) {
  return db.QueryInt64(sql);
}

}  // namespace

std::optional<ExportFormat> ExportFormatFromName(std::string_view name) {
  if (name == "jsonl") return ExportFormat::kJsonl;
  if (name == "csv") return ExportFormat::kCsv;
  return std::nullopt;
}

std::optional<ExportWhat> ExportWhatFromName(std::string_view name) {
  if (name == "episodes") return ExportWhat::kEpisodes;
  if (name == "shows") return ExportWhat::kShows;
  if (name == "related") return ExportWhat::kRelated;
  if (name == "ratings") return ExportWhat::kRatings;
  return std::nullopt;
}

std::string CsvField(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos)
    return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::vector<std::string> ExportColumns(ExportWhat what) {
  switch (what) {
    case ExportWhat::kEpisodes:
      return {"url",         "show_name",    "show_url",     "episode_title",
              "description", "published",    "duration_s",   "audio_url",
              "language",    "rating_value", "rating_count", "feed_url",
              "first_seen",  "last_seen"};
    case ExportWhat::kShows:
      return {"url",         "show_name",    "description",  "feed_url",
              "language",    "rating_value", "rating_count", "listeners",
              "episodes",    "related",      "first_seen",   "last_seen",
              "last_crawled"};
    case ExportWhat::kRelated:
      return {"show_url",     "show_name", "position", "related_url",
              "related_name", "listeners", "observed"};
    case ExportWhat::kRatings:
      return {"show_url",     "show_name",    "observed",
              "rating_value", "rating_count", "count_change"};
  }
  return {};
}

namespace {

void WriteCsvRow(sqlite3_stmt* handle, size_t columns, std::ostream& out) {
  for (size_t i = 0; i < columns; ++i)
    out << (i == 0 ? "" : ",") << ColumnCsv(handle, static_cast<int>(i));
  out << "\r\n";
}

void WriteJsonRow(sqlite3_stmt* handle, const std::vector<std::string>& columns,
                  bool rating_object, std::ostream& out) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (size_t i = 0; i < columns.size(); ++i) {
    const int column = static_cast<int>(i);
    if (rating_object && columns[i] == "rating_value") {
      nlohmann::ordered_json value = ColumnJson(handle, column);
      nlohmann::ordered_json count = ColumnJson(handle, column + 1);
      if (value.is_null() && count.is_null()) {
        object["rating"] = nullptr;
      } else {
        object["rating"] = {{"value", value}, {"count", count}};
      }
      ++i;  // rating_count is consumed too
      continue;
    }
    object[columns[i]] = ColumnJson(handle, column);
  }
  out << object.dump(-1, ' ', /*ensure_ascii=*/false,
                     nlohmann::ordered_json::error_handler_t::replace)
      << '\n';
}

}  // namespace

Result<int64_t> ExportRows(Database& db, const ExportOptions& options,
                           std::ostream& out) {
  Result<Statement> st = db.Prepare(ExportSql(options.what));
  if (!st) return st.error();
  Status bound = st->Bind(1, options.since_ms.value_or(INT64_MIN));
  if (!bound) return bound.error();
  const std::vector<std::string> columns = ExportColumns(options.what);
  sqlite3_stmt* handle = st->handle();
  if (sqlite3_column_count(handle) != static_cast<int>(columns.size())) {
    return core::Error(ErrorCode::kInternal,
                       "export columns out of step with the query");
  }
  const bool csv = options.format == ExportFormat::kCsv;
  const bool rating_object = options.what == ExportWhat::kEpisodes ||
                             options.what == ExportWhat::kShows;
  if (csv) {
    for (size_t i = 0; i < columns.size(); ++i)
      out << (i == 0 ? "" : ",") << CsvField(columns[i]);
    out << "\r\n";
  }
  int64_t rows = 0;
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return row.error();
    if (!*row) break;
    if (csv) {
      WriteCsvRow(handle, columns.size(), out);
    } else {
      WriteJsonRow(handle, columns, rating_object, out);
    }
    if (!out) return core::Error(ErrorCode::kIo, "cannot write the export");
    ++rows;
  }
  out.flush();
  if (!out) return core::Error(ErrorCode::kIo, "cannot write the export");
  return rows;
}

Result<DatabaseStats> GatherStats(Database& db, int64_t now_ms) {
  DatabaseStats stats;
  struct Count {
    const char* sql;
    int64_t* into;
  };
  const std::array<Count, 10> counts = {{
      {"SELECT count(*) FROM shows", &stats.shows},
      {"SELECT count(*) FROM shows WHERE last_page_ms IS NOT NULL",
       &stats.shows_with_page},
      {"SELECT count(*) FROM episodes", &stats.episodes},
      {"SELECT count(*) FROM related_shows", &stats.related_edges},
      {"SELECT count(*) FROM rating_snapshots", &stats.rating_snapshots},
      {"SELECT count(*) FROM listener_snapshots", &stats.listener_snapshots},
      {"SELECT count(*) FROM fetches", &stats.fetches},
      {"SELECT count(*) FROM pages", &stats.pages},
      {"SELECT count(*) FROM page_archive", &stats.archived_versions},
      {"SELECT COALESCE(sum(length(body_z)), 0) FROM page_archive",
       &stats.archived_bytes},
  }};
  for (const Count& count : counts) {
    Result<int64_t> n = CountQuery(db, count.sql);
    if (!n) return n.error();
    *count.into = *n;
  }
  {
    Result<Statement> st = db.Prepare(
        "SELECT min(fetched_at_ms), max(fetched_at_ms) FROM fetches");
    if (!st) return st.error();
    Result<bool> row = st->Step();
    if (!row) return row.error();
    if (*row) {
      stats.first_fetch_ms = st->OptionalInt64(0);
      stats.last_fetch_ms = st->OptionalInt64(1);
    }
  }
  auto read_pairs = [&db](const char* sql, auto* into,
                          auto read) -> core::Status {
    Result<Statement> st = db.Prepare(sql);
    if (!st) return st.error();
    while (true) {
      Result<bool> row = st->Step();
      if (!row) return row.error();
      if (!*row) break;
      into->push_back(read(*st));
    }
    return {};
  };
  Status status = read_pairs(
      "SELECT COALESCE(error_code, CASE WHEN status = 304 THEN 'not_modified' "
      "ELSE 'ok' END) AS outcome, count(*) AS n FROM fetches GROUP BY outcome "
      "ORDER BY n DESC, outcome",
      &stats.fetches_by_outcome, [](const Statement& s) {
        return std::make_pair(s.ColumnText(0), s.ColumnInt64(1));
      });
  if (!status) return status.error();
  status = read_pairs(
      "SELECT status, count(*) FROM fetches GROUP BY status ORDER BY status",
      &stats.fetches_by_status, [](const Statement& s) {
        return std::make_pair(s.ColumnInt64(0), s.ColumnInt64(1));
      });
  if (!status) return status.error();
  status = read_pairs(
      "SELECT state, sum(n) FROM frontier_counts GROUP BY state ORDER BY "
      "CASE state WHEN 'queued' THEN 1 WHEN 'in_flight' THEN 2 WHEN 'done' "
      "THEN 3 ELSE 4 END",
      &stats.frontier_by_state, [](const Statement& s) {
        return std::make_pair(s.ColumnText(0), s.ColumnInt64(1));
      });
  if (!status) return status.error();
  {
    Result<Statement> st = db.Prepare(
        "SELECT count(*), min(next_fetch_ms) FROM frontier "
        "WHERE schedule IN (SELECT schedule FROM frontier_counts) "
        "AND state = 'queued' AND next_fetch_ms <= ?1");
    if (!st) return st.error();
    if (Status b = st->Bind(1, now_ms); !b) return b.error();
    Result<bool> row = st->Step();
    if (!row) return row.error();
    if (*row) stats.frontier_due = st->ColumnInt64(0);
  }
  {
    Result<Statement> st = db.Prepare(
        "SELECT min(next_fetch_ms) FROM frontier "
        "WHERE schedule IN (SELECT schedule FROM frontier_counts) "
        "AND state = 'queued'");
    if (!st) return st.error();
    Result<bool> row = st->Step();
    if (!row) return row.error();
    if (*row) stats.frontier_next_due_ms = st->OptionalInt64(0);
  }
  return stats;
}

}  // namespace storage
