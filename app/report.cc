#include "app/report.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "app/svg_chart.h"
#include "app/time_text.h"

namespace app {
namespace {

// The page's styles: one column on a phone, a grid of charts from a laptop's
// width; colours readable in print.
constexpr const char* kStyle = R"css(
:root { --fg: #1d2430; --muted: #5b6472; --line: #2563eb; --bg: #fff; --card: #f5f7fa;
        --up: #15803d; --down: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--fg); background: var(--bg); }
header, section { max-width: 1100px; margin: 0 auto; padding: 12px 16px; }
h1 { font-size: 1.5rem; margin: .2em 0; } h2 { font-size: 1.2rem; border-bottom: 1px solid #dde2e8;
padding-bottom: 4px; } h3 { font-size: 1.05rem; margin: .2em 0; }
.muted, .tick, .meta { color: var(--muted); }
nav a { margin-right: 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 8px; }
.card { background: var(--card); border-radius: 8px; padding: 8px 10px; }
.card b { display: block; font-size: 1.3rem; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: .92rem; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #e6e9ee; vertical-align: middle; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
.up { color: var(--up); } .down { color: var(--down); }
.show { border: 1px solid #e1e5ea; border-radius: 10px; padding: 10px 12px; margin: 12px 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 10px; }
figure { margin: 0; } figcaption { font-size: .85rem; color: var(--muted); }
svg.chart { width: 100%; height: auto; background: var(--card); border-radius: 6px; }
svg.spark { width: 120px; height: 32px; background: none; }
svg .line { fill: none; stroke: var(--line); stroke-width: 2; }
svg.spark .line { stroke-width: 1.5; }
svg .pt { fill: var(--line); } svg .axis { fill: none; stroke: #9aa3af; stroke-width: 1; }
svg text { font-size: 11px; fill: var(--muted); } svg .tick { text-anchor: end; }
svg .tick.end, svg .label.end { text-anchor: end; } svg .tick.start { text-anchor: start; }
svg .empty { text-anchor: middle; } .when { white-space: nowrap; }
svg.graph { width: 100%; max-width: 640px; height: auto; }
svg .edge { stroke: #94a3b8; stroke-width: 1.5; } svg .edge.in { stroke: #f59e0b; stroke-dasharray: 4 3; }
svg .node { fill: #64748b; } svg .node.center { fill: var(--line); }
svg .label { font-size: 12px; fill: var(--fg); } svg .label.center { text-anchor: middle; font-weight: 600; }
svg marker path { fill: #94a3b8; }
input[type=search] { width: 100%; max-width: 360px; padding: 6px 8px; font: inherit; }
ul.changes { padding-left: 18px; }
@media (max-width: 520px) { body { font-size: 14px; } .hide-narrow { display: none; }
  svg.spark { width: 72px; } }
)css";

// Filters the show sections as the reader types a name.
constexpr const char* kScript = R"js(
(function () {
  var input = document.getElementById('filter');
  if (!input) return;
  input.addEventListener('input', function () {
    var q = input.value.trim().toLowerCase();
    document.querySelectorAll('.show').forEach(function (el) {
      el.hidden = q !== '' && el.dataset.name.indexOf(q) < 0;
    });
  });
})();
)js";

// "2026-12-03 16:56:45": ISO 8601 UTC, easier on the eye in a table.
std::string When(int64_t ms) {
  std::string iso = FormatTimeMs(ms);
  iso[10] = ' ';
  iso.pop_back();  // the Z: the page says its times are UTC
  return iso;
}

std::string Optional(const std::optional<int64_t>& v) {
  return v ? FormatValue(static_cast<double>(*v)) : "–";
}

std::string Change(double change) {
  const char* cls = change > 0 ? "up" : change < 0 ? "down" : "";
  return fmt::format(R"(<span class="{}">{}{}</span>)", cls,
                     change > 0 ? "+" : "", FormatValue(change));
}

std::string Card(const std::string& label, const std::string& value) {
  return fmt::format(R"(<div class="card"><b>{}</b>{}</div>)", value,
                     HtmlEscape(label));
}

std::string Health(const storage::ReportData& d) {
  const storage::DatabaseStats& s = d.stats;
  int64_t failed = 0;
  for (const auto& [reason, n] : d.failures) failed += n;
  std::string html =
      R"(<section id="health"><h2>Crawl health</h2><div class="cards">)";
  html += Card("pages stored", FormatValue(static_cast<double>(s.pages)));
  html += Card("shows", FormatValue(static_cast<double>(s.shows)));
  html += Card("episodes", FormatValue(static_cast<double>(s.episodes)));
  html += Card("fetches in window",
               FormatValue(static_cast<double>(d.fetches_in_window)));
  html += Card("failed in window", FormatValue(static_cast<double>(failed)));
  html +=
      Card("last fetch",
           s.last_fetch_ms ? When(*s.last_fetch_ms).substr(0, 16) : "never");
  html += "</div>";
  if (!d.failures.empty()) {
    html +=
        "<h3>Failures by reason</h3><table><tr><th>reason</th>"
        R"(<th class="num">fetches</th></tr>)";
    for (const auto& [reason, n] : d.failures) {
      html += fmt::format(R"(<tr><td>{}</td><td class="num">{}</td></tr>)",
                          HtmlEscape(reason), n);
    }
    html += "</table>";
  }
  html += "<h3>Last rounds of each schedule</h3>";
  if (d.rounds.empty()) {
    html += R"(<p class="muted">No schedule has run on this database.</p>)";
  } else {
    html +=
        R"(<div class="scroll"><table><tr><th>schedule</th><th>started</th>)"
        R"(<th>outcome</th><th class="num">pages</th><th class="num">)"
        R"(changed</th><th class="num hide-narrow">not modified</th>)"
        R"(<th class="num">failed</th></tr>)";
    for (const storage::ReportRound& r : d.rounds) {
      html += fmt::format(
          R"(<tr><td>{}</td><td class="when">{}</td><td title="{}">{}</td>)"
          R"(<td class="num">{}</td><td class="num">{}</td>)"
          R"(<td class="num hide-narrow">{}</td><td class="num">{}</td></tr>)",
          HtmlEscape(r.schedule), When(r.started_ms),
          HtmlEscape(r.message.value_or("")), HtmlEscape(r.outcome), r.pages,
          r.changed, r.not_modified, r.failed);
    }
    html += "</table></div>";
  }
  return html + "</section>";
}

const storage::ReportShow* FindShow(const storage::ReportData& d, int64_t id) {
  for (const storage::ReportShow& s : d.shows)
    if (s.id == id) return &s;
  return nullptr;
}

const std::vector<storage::ReportPoint>* Series(const storage::ReportShow& s,
                                                const std::string& metric) {
  if (metric == "listeners") return &s.listener_counts;
  if (metric == "ratings") return &s.rating_counts;
  return &s.rating_values;
}

std::string Movers(const storage::ReportData& d) {
  std::string html =
      fmt::format(R"(<section id="movers"><h2>Moved most since {}</h2>)",
                  FormatTimeMs(d.since_ms).substr(0, 10));
  if (d.movers.empty())
    return html +
           R"(<p class="muted">Nothing moved in the window.</p></section>)";
  const std::map<std::string, std::string> titles = {
      {"listeners", "Listeners"},
      {"ratings", "Number of ratings"},
      {"rating", "Average rating"}};
  for (const char* metric : {"listeners", "ratings", "rating"}) {
    std::string rows;
    for (const storage::ReportMover& m : d.movers) {
      if (m.metric != metric) continue;
      const storage::ReportShow* show = FindShow(d, m.show_id);
      rows += fmt::format(
          R"(<tr><td><a href="#show-{}">{}</a></td><td class="num">{}</td>)"
          R"(<td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>)",
          m.show_id, HtmlEscape(m.name), FormatValue(m.before),
          FormatValue(m.after), Change(m.change),
          show ? LineChartSvg(*Series(*show, metric),
                              {metric, 120, 32, /*axes=*/false})
               : "");
    }
    if (rows.empty()) continue;
    html += fmt::format(
        R"(<h3>{}</h3><div class="scroll"><table><tr><th>show</th>)"
        R"(<th class="num">before</th><th class="num">now</th>)"
        R"(<th class="num">change</th><th>history</th></tr>{}</table></div>)",
        titles.at(metric), rows);
  }
  return html + "</section>";
}

std::string Changes(const storage::ReportData& d) {
  std::string html =
      R"(<section id="changes"><h2>Changed since the last round</h2>)";
  if (!d.last_round_ms)
    return html + R"(<p class="muted">Nothing fetched yet.</p></section>)";
  html += fmt::format(R"(<p class="muted">The last round started {}.</p>)",
                      When(*d.last_round_ms));
  if (d.changes.empty())
    return html +
           R"(<p class="muted">No rating, listener count or related list changed.</p></section>)";
  html += R"(<ul class="changes">)";
  constexpr size_t kMaxChanges = 200;
  for (size_t i = 0; i < d.changes.size() && i < kMaxChanges; ++i) {
    const storage::ReportChange& c = d.changes[i];
    html +=
        fmt::format(R"(<li><span class="muted">{}</span> <b>{}</b>: {}</li>)",
                    FormatTimeMs(c.ms).substr(11, 8), HtmlEscape(c.show),
                    HtmlEscape(c.what));
  }
  if (d.changes.size() > kMaxChanges) {
    html += fmt::format("<li>and {} more</li>", d.changes.size() - kMaxChanges);
  }
  return html + "</ul></section>";
}

std::string Figure(const std::string& caption,
                   const std::vector<storage::ReportPoint>& points,
                   const std::string& series) {
  return fmt::format("<figure>{}<figcaption>{}</figcaption></figure>",
                     LineChartSvg(points, {series, 320, 140, true}),
                     HtmlEscape(caption));
}

std::string ShowSection(const storage::ReportShow& s) {
  std::string lower;
  for (char c : s.name)
    lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a')
                                         : c);
  std::string html = fmt::format(
      R"(<div class="show" id="show-{}" data-name="{}"><h3>{}</h3>)"
      R"(<p class="meta"><a href="{}">{}</a> · rating {} ({} ratings) · )"
      R"({} listeners</p>)",
      s.id, HtmlEscape(lower), HtmlEscape(s.name), HtmlEscape(s.url),
      HtmlEscape(s.host), s.rating_value ? FormatValue(*s.rating_value) : "–",
      Optional(s.rating_count), Optional(s.listeners));
  if (!s.same_show.empty()) {
    html += R"(<p class="meta">The same show on: )";
    for (size_t i = 0; i < s.same_show.size(); ++i) {
      html += fmt::format(R"({}<a href="{}">{}</a>)", i == 0 ? "" : ", ",
                          HtmlEscape(s.same_show[i].second),
                          HtmlEscape(s.same_show[i].first));
    }
    html += "</p>";
  }
  html += R"(<div class="charts">)";
  html += Figure("Average rating", s.rating_values, "rating");
  html += Figure("Number of ratings", s.rating_counts, "ratings");
  html += Figure("Listeners", s.listener_counts, "listeners");
  html += "</div>";
  if (!s.related.empty() || !s.listed_by.empty()) {
    html += fmt::format(
        "<figure>{}<figcaption>Related shows: solid arrows to the shows its "
        "page lists, dashed from the shows that list it</figcaption></figure>",
        NeighbourhoodSvg(s.name, s.related, s.listed_by));
  }
  return html + "</div>";
}

}  // namespace

std::string RenderReportHtml(const storage::ReportData& data) {
  std::string html = fmt::format(
      R"(<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">)"
      R"(<meta name="viewport" content="width=device-width, initial-scale=1">)"
      R"(<title>podcrawl report</title><style>{}</style></head><body>)"
      R"(<header><h1>podcrawl report</h1><p class="muted">Generated {} UTC · )"
      R"(window since {}</p><nav><a href="#health">Health</a>)"
      R"(<a href="#movers">Moved most</a><a href="#changes">Changes</a>)"
      R"(<a href="#shows">Shows</a></nav></header>)",
      kStyle, When(data.generated_ms), FormatTimeMs(data.since_ms));
  html += Health(data);
  html += Movers(data);
  html += Changes(data);
  html += R"(<section id="shows"><h2>Shows</h2>)";
  if (data.shows.empty()) {
    html += R"(<p class="muted">No show has a history yet.</p>)";
  } else {
    html +=
        R"(<input type="search" id="filter" placeholder="Filter shows by name" aria-label="Filter shows by name">)";
    for (const storage::ReportShow& s : data.shows) html += ShowSection(s);
  }
  html += "</section><script>";
  html += kScript;
  return html + "</script></body></html>\n";
}

}  // namespace app
