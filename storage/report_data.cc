#include "storage/report_data.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace storage {
namespace {

using core::ErrorCode;
using core::Result;
using core::Status;

// A burst of fetches with no gap longer than this is one round of a crawl
// that no schedule recorded (`podcrawl crawl`, `fetch`).
constexpr int64_t kBurstGapMs = 60'000;

// Failed fetches since ?1, by reason: an HTTP status names itself.
constexpr const char* kFailuresSql = R"sql(
SELECT CASE WHEN error_code = 'http_status' THEN 'http_' || status ELSE error_code END
         AS reason, count(*) AS n
FROM fetches WHERE error_code IS NOT NULL AND fetched_at_ms >= ?1
GROUP BY reason ORDER BY n DESC, reason
)sql";

constexpr const char* kRoundsSql = R"sql(
SELECT schedule, started_ms, ended_ms, outcome, pages, changed, not_modified, failed, message
FROM (SELECT *, row_number() OVER (PARTITION BY schedule ORDER BY started_ms DESC) AS newest
      FROM schedule_runs)
WHERE newest <= ?1 ORDER BY schedule, started_ms DESC
)sql";

// The start of the latest burst of fetches (see kBurstGapMs).
constexpr const char* kBurstSql = R"sql(
SELECT max(fetched_at_ms) FROM (
  SELECT fetched_at_ms,
         fetched_at_ms - LAG(fetched_at_ms) OVER (ORDER BY fetched_at_ms) AS gap
  FROM fetches)
WHERE gap IS NULL OR gap > ?1
)sql";

// For each show with snapshots of a series: the value at the window's start
// ?1 (the latest snapshot at or before it, else the first after it) and the
// latest value. The series is named by ?2: 'listeners', 'ratings' (count) or
// 'rating' (value).
constexpr const char* kMoversSql = R"sql(
WITH series(show_id, observed_ms, value) AS (
  SELECT show_id, observed_ms, listeners FROM listener_snapshots WHERE ?2 = 'listeners'
  UNION ALL
  SELECT show_id, observed_ms, count FROM rating_snapshots
  WHERE ?2 = 'ratings' AND count IS NOT NULL
  UNION ALL
  SELECT show_id, observed_ms, value FROM rating_snapshots
  WHERE ?2 = 'rating' AND value IS NOT NULL),
ends AS (
  SELECT show_id,
         (SELECT b.value FROM series b WHERE b.show_id = a.show_id
          ORDER BY b.observed_ms > ?1,
                   CASE WHEN b.observed_ms <= ?1 THEN -b.observed_ms ELSE b.observed_ms END
          LIMIT 1) AS before,
         (SELECT c.value FROM series c WHERE c.show_id = a.show_id
          ORDER BY c.observed_ms DESC LIMIT 1) AS after
  FROM (SELECT DISTINCT show_id FROM series) a
  WHERE EXISTS (SELECT 1 FROM series d WHERE d.show_id = a.show_id AND d.observed_ms >= ?1))
SELECT e.show_id, coalesce(s.name, s.url), e.before, e.after
FROM ends e JOIN shows s ON s.id = e.show_id
WHERE e.after <> e.before
)sql";

constexpr const char* kShowsSql = R"sql(
SELECT s.id FROM shows s
WHERE EXISTS (SELECT 1 FROM rating_snapshots r WHERE r.show_id = s.id)
   OR EXISTS (SELECT 1 FROM listener_snapshots l WHERE l.show_id = s.id)
   OR EXISTS (SELECT 1 FROM related_shows rs WHERE rs.show_id = s.id)
ORDER BY s.listeners IS NULL, s.listeners DESC, s.rating_count IS NULL,
         s.rating_count DESC, s.name, s.id
)sql";

constexpr const char* kShowSql = R"sql(
SELECT id, url, coalesce(name, url), host, rating_value, rating_count, listeners
FROM shows WHERE id = ?1
)sql";

constexpr const char* kEdgesSql = R"sql(
SELECT s.url, coalesce(s.name, s.url), r.url, coalesce(r.name, r.url), rs.position,
       coalesce(rs.listeners, r.listeners)
FROM related_shows rs JOIN shows s ON s.id = rs.show_id JOIN shows r ON r.id = rs.related_show_id
WHERE (?2 = 'out' AND rs.show_id = ?1) OR (?2 = 'in' AND rs.related_show_id = ?1)
ORDER BY rs.show_id, rs.position
)sql";

constexpr const char* kSameShowSql = R"sql(
SELECT o.host, o.show_url FROM show_identity me JOIN show_identity o
  ON o.identity_id = me.identity_id AND o.show_id <> me.show_id
WHERE me.show_id = ?1 ORDER BY o.host, o.show_url
)sql";

// Changes since ?1, oldest first: rating and listener snapshots (with the
// change against the previous one) and related-list events.
constexpr const char* kChangesSql = R"sql(
SELECT observed_ms, coalesce(show_name, show_url),
       'rating ' || coalesce(rating_value, '?') || ' (' || coalesce(rating_count, '?')
       || ' ratings' || CASE WHEN count_change IS NULL THEN ''
                        WHEN count_change >= 0 THEN ', +' || count_change
                        ELSE ', ' || count_change END || ')'
FROM show_rating_history WHERE observed_ms >= ?1
UNION ALL
SELECT observed_ms, coalesce(show_name, show_url),
       'listeners ' || listeners || CASE WHEN change IS NULL THEN ''
                                    WHEN change >= 0 THEN ' (+' || change || ')'
                                    ELSE ' (' || change || ')' END
FROM listener_history WHERE observed_ms >= ?1
UNION ALL
SELECT observed_ms, coalesce(show_name, show_url),
       coalesce(related_name, related_url) || CASE change
         WHEN 'added' THEN ' listed at ' || position
         WHEN 'moved' THEN ' moved ' || old_position || ' -> ' || position
         ELSE ' no longer listed (was ' || old_position || ')' END
FROM related_history WHERE observed_ms >= ?1
ORDER BY 1, 2, 3
)sql";

Status ReadSeries(Connection& db, ReportShow* show, int64_t since_ms) {
  Status status = db.ForEachRow(
      "SELECT observed_ms, value, count FROM rating_snapshots "
      "WHERE show_id = ?1 AND observed_ms >= ?2 ORDER BY observed_ms",
      [show](const Statement& row) {
        const int64_t ms = row.ColumnInt64(0);
        if (auto value = row.OptionalDouble(1))
          show->rating_values.push_back({ms, *value});
        if (auto count = row.OptionalInt64(2))
          show->rating_counts.push_back({ms, static_cast<double>(*count)});
      },
      show->id, since_ms);
  if (!status) return status;
  return db.ForEachRow(
      "SELECT observed_ms, listeners FROM listener_snapshots "
      "WHERE show_id = ?1 AND observed_ms >= ?2 ORDER BY observed_ms",
      [show](const Statement& row) {
        show->listener_counts.push_back(
            {row.ColumnInt64(0), static_cast<double>(row.ColumnInt64(1))});
      },
      show->id, since_ms);
}

Status ReadEdges(Connection& db, int64_t show_id, const char* direction,
                 std::vector<ReportEdge>* out) {
  return db.ForEachRow(
      kEdgesSql,
      [out](const Statement& row) {
        out->push_back({row.ColumnText(0), row.ColumnText(1), row.ColumnText(2),
                        row.ColumnText(3), row.ColumnInt64(4),
                        row.OptionalInt64(5)});
      },
      show_id, std::string_view(direction));
}

Result<ReportShow> ReadShow(Connection& db, int64_t id, int64_t since_ms) {
  ReportShow show;
  bool found = false;
  Status status = db.ForEachRow(
      kShowSql,
      [&](const Statement& row) {
        found = true;
        show.id = row.ColumnInt64(0);
        show.url = row.ColumnText(1);
        show.name = row.ColumnText(2);
        show.host = row.ColumnText(3);
        show.rating_value = row.OptionalDouble(4);
        show.rating_count = row.OptionalInt64(5);
        show.listeners = row.OptionalInt64(6);
      },
      id);
  if (!status) return status.error();
  if (!found) return core::Error(ErrorCode::kInternal, "show row vanished");
  if (status = ReadSeries(db, &show, since_ms); !status) return status.error();
  if (status = ReadEdges(db, id, "out", &show.related); !status)
    return status.error();
  if (status = ReadEdges(db, id, "in", &show.listed_by); !status)
    return status.error();
  status = db.ForEachRow(
      kSameShowSql,
      [&show](const Statement& row) {
        show.same_show.emplace_back(row.ColumnText(0), row.ColumnText(1));
      },
      id);
  if (!status) return status.error();
  return show;
}

Status ReadMovers(Connection& db, const ReportQuery& query,
                  std::vector<ReportMover>* out) {
  for (const char* metric : {"listeners", "ratings", "rating"}) {
    std::vector<ReportMover> movers;
    Status status = db.ForEachRow(
        kMoversSql,
        [&movers, metric](const Statement& row) {
          ReportMover m;
          m.show_id = row.ColumnInt64(0);
          m.name = row.ColumnText(1);
          m.metric = metric;
          m.before = row.ColumnDouble(2);
          m.after = row.ColumnDouble(3);
          m.change = m.after - m.before;
          movers.push_back(std::move(m));
        },
        query.since_ms, std::string_view(metric));
    if (!status) return status;
    // Largest relative move first: 10 -> 20 listeners moved more than
    // 10,000 -> 10,100.
    std::stable_sort(movers.begin(), movers.end(),
                     [](const ReportMover& a, const ReportMover& b) {
                       return std::abs(a.change) / std::max(1.0, a.before) >
                              std::abs(b.change) / std::max(1.0, b.before);
                     });
    if (movers.size() > query.max_movers) movers.resize(query.max_movers);
    out->insert(out->end(), movers.begin(), movers.end());
  }
  return {};
}

Result<std::optional<int64_t>> FindShow(Connection& db,
                                        const std::string& show) {
  const std::string_view key = show;
  auto id = db.QueryOne(
      "SELECT id FROM shows WHERE url = ?1 OR lower(name) = lower(?1) "
      "ORDER BY url = ?1 DESC, last_page_ms IS NULL, id LIMIT 1",
      ReadColumns<int64_t>, key);
  if (!id) return id.error();
  return *id;
}

Status ReadHealth(Connection& db, const ReportQuery& query, ReportData* data) {
  Result<DatabaseStats> stats = GatherStats(db, query.now_ms);
  if (!stats) return stats.error();
  data->stats = std::move(*stats);
  auto failures = db.QueryAll(kFailuresSql, ReadColumns<std::string, int64_t>,
                              query.since_ms);
  if (!failures) return failures.error();
  for (auto& [reason, n] : *failures)
    data->failures.emplace_back(std::move(reason), n);
  auto in_window =
      db.QueryOne("SELECT count(*) FROM fetches WHERE fetched_at_ms >= ?1",
                  ReadColumns<int64_t>, query.since_ms);
  if (!in_window) return in_window.error();
  data->fetches_in_window = in_window->value_or(0);
  return db.ForEachRow(
      kRoundsSql,
      [data](const Statement& row) {
        data->rounds.push_back(
            {row.ColumnText(0), row.ColumnInt64(1), row.OptionalInt64(2),
             row.ColumnText(3), row.ColumnInt64(4), row.ColumnInt64(5),
             row.ColumnInt64(6), row.ColumnInt64(7), row.OptionalText(8)});
      },
      static_cast<int64_t>(query.rounds_per_schedule));
}

Status ReadChanges(Connection& db, ReportData* data) {
  auto burst =
      db.QueryOne(kBurstSql, ReadColumns<std::optional<int64_t>>, kBurstGapMs);
  if (!burst) return burst.error();
  std::optional<int64_t> start = burst->value_or(std::nullopt);
  for (const ReportRound& round : data->rounds)
    start = std::max(start.value_or(round.started_ms), round.started_ms);
  data->last_round_ms = start;
  if (!start) return {};
  return db.ForEachRow(
      kChangesSql,
      [data](const Statement& row) {
        data->changes.push_back(
            {row.ColumnInt64(0), row.ColumnText(1), row.ColumnText(2)});
      },
      *start);
}

}  // namespace

Result<ReportData> GatherReport(Connection& db, const ReportQuery& query) {
  ReportData data;
  data.generated_ms = query.now_ms;
  data.since_ms = query.since_ms;
  if (Status s = ReadHealth(db, query, &data); !s) return s.error();
  if (Status s = ReadChanges(db, &data); !s) return s.error();

  std::vector<int64_t> ids;
  if (!query.show.empty()) {
    auto id = FindShow(db, query.show);
    if (!id) return id.error();
    if (!*id) {
      return core::Error(ErrorCode::kInvalidArgument,
                         "no show has the URL or name \"" + query.show + "\"");
    }
    ids.push_back(**id);
    // Only this show's moves and changes.
    if (Status s = ReadMovers(db, query, &data.movers); !s) return s.error();
    std::erase_if(data.movers,
                  [&](const ReportMover& m) { return m.show_id != **id; });
    auto name =
        db.QueryOne("SELECT coalesce(name, url) FROM shows WHERE id = ?1",
                    ReadColumns<std::string>, **id);
    if (!name) return name.error();
    std::erase_if(data.changes, [&](const ReportChange& c) {
      return c.show != name->value_or("");
    });
  } else {
    if (Status s = ReadMovers(db, query, &data.movers); !s) return s.error();
    // Most listened first; the movers' shows always (their sparklines read
    // them), the others while there is room.
    std::set<int64_t> movers;
    for (const ReportMover& m : data.movers) movers.insert(m.show_id);
    auto all = db.QueryAll(kShowsSql, ReadColumns<int64_t>);
    if (!all) return all.error();
    const size_t room =
        query.max_shows > movers.size() ? query.max_shows - movers.size() : 0;
    size_t others = 0;
    for (int64_t id : *all) {
      if (movers.contains(id)) {
        ids.push_back(id);
      } else if (others < room) {
        ids.push_back(id);
        ++others;
      }
    }
  }
  for (int64_t id : ids) {
    Result<ReportShow> show = ReadShow(db, id, query.since_ms);
    if (!show) return show.error();
    data.shows.push_back(std::move(*show));
  }
  return data;
}

}  // namespace storage
