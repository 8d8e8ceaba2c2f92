#include "storage/analysis.h"

#include <array>
#include <nlohmann/json.hpp>
#include <ostream>
#include <tuple>

namespace storage {
namespace {

using core::ErrorCode;
using core::Result;
using core::Status;

// Each export: a SELECT over a view (see the schema in schema.cc), with ?1 the
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
       strftime('%Y-%m-%dT%H:%M:%fZ', last_crawled_ms / 1000.0, 'unixepoch') AS last_crawled,
       host, feed_key, apple_id, spotify_id, podcast_guid, linked_apple_id, linked_spotify_id
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

constexpr const char* kPagesSql = R"sql(
SELECT url, kind, show_url, episode_url, sources, errors,
       strftime('%Y-%m-%dT%H:%M:%fZ', first_stored_ms / 1000.0, 'unixepoch') AS first_stored,
       strftime('%Y-%m-%dT%H:%M:%fZ', last_changed_ms / 1000.0, 'unixepoch') AS last_changed
FROM pages WHERE last_changed_ms >= ?1
)sql";

constexpr const char* kRelatedHistorySql = R"sql(
SELECT show_url, show_name,
       strftime('%Y-%m-%dT%H:%M:%fZ', observed_ms / 1000.0, 'unixepoch') AS observed,
       change, related_url, related_name, position, old_position
FROM related_history WHERE observed_ms >= ?1
)sql";

constexpr const char* kListenersSql = R"sql(
SELECT show_url, show_name, host,
       strftime('%Y-%m-%dT%H:%M:%fZ', observed_ms / 1000.0, 'unixepoch') AS observed,
       listeners, change, page_url
FROM listener_history WHERE observed_ms >= ?1
)sql";

constexpr const char* kFetchesSql = R"sql(
SELECT url, final_url,
       strftime('%Y-%m-%dT%H:%M:%fZ', fetched_at_ms / 1000.0, 'unixepoch') AS fetched_at,
       status, bytes, duration_ms, content_type, etag, last_modified, error_code,
       error_message
FROM fetches WHERE fetched_at_ms >= ?1
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
    case ExportWhat::kPages:
      return kPagesSql;
    case ExportWhat::kRelatedHistory:
      return kRelatedHistorySql;
    case ExportWhat::kListeners:
      return kListenersSql;
    case ExportWhat::kFetches:
      return kFetchesSql;
  }
  return kEpisodesSql;
}

nlohmann::ordered_json ColumnJson(const Statement& st, int column) {
  switch (st.ColumnType(column)) {
    case ValueType::kInteger:
      return st.ColumnInt64(column);
    case ValueType::kFloat:
      return st.ColumnDouble(column);
    case ValueType::kNull:
      return nullptr;
    default:
      return st.ColumnText(column);
  }
}

}  // namespace

std::optional<ExportFormat> ExportFormatFromName(std::string_view name) {
  if (name == "jsonl") return ExportFormat::kJsonl;
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "json") return ExportFormat::kJson;
  return std::nullopt;
}

std::optional<ExportWhat> ExportWhatFromName(std::string_view name) {
  if (name == "episodes") return ExportWhat::kEpisodes;
  if (name == "shows") return ExportWhat::kShows;
  if (name == "related") return ExportWhat::kRelated;
  if (name == "ratings") return ExportWhat::kRatings;
  if (name == "pages") return ExportWhat::kPages;
  if (name == "related-history") return ExportWhat::kRelatedHistory;
  if (name == "listeners") return ExportWhat::kListeners;
  if (name == "fetches") return ExportWhat::kFetches;
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
      return {"url",
              "show_name",
              "description",
              "feed_url",
              "language",
              "rating_value",
              "rating_count",
              "listeners",
              "episodes",
              "related",
              "first_seen",
              "last_seen",
              "last_crawled",
              "host",
              "feed_key",
              "apple_id",
              "spotify_id",
              "podcast_guid",
              "linked_apple_id",
              "linked_spotify_id"};
    case ExportWhat::kRelated:
      return {"show_url",     "show_name", "position", "related_url",
              "related_name", "listeners", "observed"};
    case ExportWhat::kRatings:
      return {"show_url",     "show_name",    "observed",
              "rating_value", "rating_count", "count_change"};
    case ExportWhat::kPages:
      return {"url",     "kind",   "show_url",     "episode_url",
              "sources", "errors", "first_stored", "last_changed"};
    case ExportWhat::kRelatedHistory:
      return {"show_url",    "show_name",    "observed", "change",
              "related_url", "related_name", "position", "old_position"};
    case ExportWhat::kListeners:
      return {"show_url",  "show_name", "host",    "observed",
              "listeners", "change",    "page_url"};
    case ExportWhat::kFetches:
      return {"url",           "final_url",   "fetched_at",   "status",
              "bytes",         "duration_ms", "content_type", "etag",
              "last_modified", "error_code",  "error_message"};
  }
  return {};
}

namespace {

// One field of the output: a column as it is, the rating object (rating_value
// and the rating_count after it), or a column of JSON text written as JSON.
struct OutField {
  enum class Kind { kPlain, kRating, kJsonText };
  std::string name;
  int column = 0;
  Kind kind = Kind::kPlain;
};

bool HasRatingObject(ExportWhat what) {
  return what == ExportWhat::kEpisodes || what == ExportWhat::kShows;
}

// The columns that hold JSON text (pages' sources and errors): JSON carries
// the value itself.
bool IsJsonColumn(ExportWhat what, const std::string& column) {
  return what == ExportWhat::kPages &&
         (column == "sources" || column == "errors");
}

int ColumnIndex(const std::vector<std::string>& columns,
                const std::string& name) {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

// The fields an export writes, in order.
Result<std::vector<OutField>> OutFields(
    const ExportOptions& options, const std::vector<std::string>& fields) {
  const std::vector<std::string> columns = ExportColumns(options.what);
  const bool json = options.format != ExportFormat::kCsv;
  const bool rating = HasRatingObject(options.what);
  std::vector<OutField> out;
  auto add = [&](const std::string& name) {
    if (name == "rating" && rating) {
      const int value = ColumnIndex(columns, "rating_value");
      if (json) {
        out.push_back({"rating", value, OutField::Kind::kRating});
      } else {
        out.push_back({"rating_value", value, OutField::Kind::kPlain});
        out.push_back({"rating_count", value + 1, OutField::Kind::kPlain});
      }
      return true;
    }
    const int column = ColumnIndex(columns, name);
    if (column < 0) return false;
    const bool json_text = json && IsJsonColumn(options.what, name);
    out.push_back(
        {name, column,
         json_text ? OutField::Kind::kJsonText : OutField::Kind::kPlain});
    return true;
  };
  if (fields.empty()) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (json && rating && columns[i] == "rating_value") {
        add("rating");
        ++i;  // rating_count is in the object
        continue;
      }
      add(columns[i]);
    }
    return out;
  }
  for (const std::string& field : fields) {
    if (!add(field)) {
      std::string known = rating ? "rating" : "";
      for (const std::string& c : columns)
        known += (known.empty() ? "" : ", ") + c;
      return core::Error(ErrorCode::kInvalidArgument,
                         "unknown field \"" + field + "\"; known: " + known);
    }
  }
  return out;
}

void WriteCsvRow(const Statement& handle, const std::vector<OutField>& fields,
                 std::ostream& out) {
  for (size_t i = 0; i < fields.size(); ++i)
    out << (i == 0 ? "" : ",") << CsvField(handle.ColumnText(fields[i].column));
  out << "\r\n";
}

void WriteJsonRow(const Statement& handle, const std::vector<OutField>& fields,
                  std::ostream& out) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const OutField& field : fields) {
    const int column = field.column;
    switch (field.kind) {
      case OutField::Kind::kJsonText:
        if (handle.ColumnType(column) != ValueType::kNull) {
          object[field.name] = nlohmann::ordered_json::parse(
              handle.ColumnText(column), /*cb=*/nullptr,
              /*allow_exceptions=*/false);
        } else {
          object[field.name] = nullptr;
        }
        break;
      case OutField::Kind::kRating: {
        nlohmann::ordered_json value = ColumnJson(handle, column);
        nlohmann::ordered_json count = ColumnJson(handle, column + 1);
        if (value.is_null() && count.is_null()) {
          object[field.name] = nullptr;
        } else {
          object[field.name] = {{"value", value}, {"count", count}};
        }
        break;
      }
      case OutField::Kind::kPlain:
        object[field.name] = ColumnJson(handle, column);
        break;
    }
  }
  out << object.dump(-1, ' ', /*ensure_ascii=*/false,
                     nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

Status CheckExportFields(ExportWhat what,
                         const std::vector<std::string>& fields) {
  ExportOptions options;
  options.what = what;
  Result<std::vector<OutField>> out = OutFields(options, fields);
  if (!out) return out.error();
  return {};
}

Result<int64_t> ExportRows(Connection& db, const ExportOptions& options,
                           std::ostream& out, const ExportLayout& layout) {
  Result<std::vector<OutField>> fields = OutFields(options, layout.fields);
  if (!fields) return fields.error();
  Result<Statement> st = db.Prepare(ExportSql(options.what));
  if (!st) return st.error();
  Status bound = st->Bind(1, options.since_ms.value_or(INT64_MIN));
  if (!bound) return bound.error();
  if (st->ColumnCount() !=
      static_cast<int>(ExportColumns(options.what).size())) {
    return core::Error(ErrorCode::kInternal,
                       "export columns out of step with the query");
  }
  const bool csv = options.format == ExportFormat::kCsv;
  const bool array = options.format == ExportFormat::kJson;
  if (csv && layout.header) {
    for (size_t i = 0; i < fields->size(); ++i)
      out << (i == 0 ? "" : ",") << CsvField((*fields)[i].name);
    out << "\r\n";
  }
  if (array) out << "[";
  int64_t rows = 0;
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return row.error();
    if (!*row) break;
    if (csv) {
      WriteCsvRow(*st, *fields, out);
    } else {
      if (array) out << (rows == 0 ? "\n" : ",\n");
      WriteJsonRow(*st, *fields, out);
      if (!array) out << '\n';
    }
    if (!out) return core::Error(ErrorCode::kIo, "cannot write the export");
    ++rows;
  }
  if (array) out << (rows == 0 ? "]\n" : "\n]\n");
  out.flush();
  if (!out) return core::Error(ErrorCode::kIo, "cannot write the export");
  return rows;
}

Result<DatabaseStats> GatherStats(Connection& db, int64_t now_ms) {
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
    Result<int64_t> n = db.QueryInt64(count.sql);
    if (!n) return n.error();
    *count.into = *n;
  }
  auto fetch_times =
      db.QueryOne("SELECT min(fetched_at_ms), max(fetched_at_ms) FROM fetches",
                  ReadColumns<std::optional<int64_t>, std::optional<int64_t>>);
  if (!fetch_times) return fetch_times.error();
  if (*fetch_times)
    std::tie(stats.first_fetch_ms, stats.last_fetch_ms) = **fetch_times;
  auto by_outcome = db.QueryAll(
      "SELECT COALESCE(error_code, CASE WHEN status = 304 THEN 'not_modified' "
      "ELSE 'ok' END) AS outcome, count(*) AS n FROM fetches GROUP BY outcome "
      "ORDER BY n DESC, outcome",
      ReadColumns<std::string, int64_t>);
  if (!by_outcome) return by_outcome.error();
  for (auto& [outcome, n] : *by_outcome)
    stats.fetches_by_outcome.emplace_back(std::move(outcome), n);
  auto by_status = db.QueryAll(
      "SELECT status, count(*) FROM fetches GROUP BY status ORDER BY status",
      ReadColumns<int64_t, int64_t>);
  if (!by_status) return by_status.error();
  for (auto [status, n] : *by_status)
    stats.fetches_by_status.emplace_back(status, n);
  auto by_state = db.QueryAll(
      "SELECT state, sum(n) FROM frontier_counts GROUP BY state ORDER BY "
      "CASE state WHEN 'queued' THEN 1 WHEN 'in_flight' THEN 2 WHEN 'done' "
      "THEN 3 ELSE 4 END",
      ReadColumns<std::string, int64_t>);
  if (!by_state) return by_state.error();
  for (auto& [state, n] : *by_state)
    stats.frontier_by_state.emplace_back(std::move(state), n);
  Result<std::optional<int64_t>> due = db.QueryOne(
      "SELECT count(*), min(next_fetch_ms) FROM frontier "
      "WHERE schedule IN (SELECT schedule FROM frontier_counts) "
      "AND state = 'queued' AND next_fetch_ms <= ?1",
      ReadColumns<int64_t>, now_ms);
  if (!due) return due.error();
  stats.frontier_due = due->value_or(0);
  auto next_due = db.QueryOne(
      "SELECT min(next_fetch_ms) FROM frontier "
      "WHERE schedule IN (SELECT schedule FROM frontier_counts) "
      "AND state = 'queued'",
      ReadColumns<std::optional<int64_t>>);
  if (!next_due) return next_due.error();
  stats.frontier_next_due_ms = next_due->value_or(std::nullopt);
  return stats;
}

}  // namespace storage
