// The charts of `podcrawl report`, drawn as inline SVG text by podcrawl
// itself (no script, no library): a line chart of one series over time, and
// a show's related-show neighbourhood as a small graph. Each element carries
// data attributes (data-series, data-points, data-nodes, data-edges) so a
// test can count what it drew. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "storage/report_data.h"

namespace app {

// Returns `text` escaped for HTML and XML text and attribute values.
std::string HtmlEscape(std::string_view text);

// Formats a chart value: whole numbers with thousands separators
// ("12,400"), others with up to two decimals ("4.55").
std::string FormatValue(double value);

struct LineChartOptions {
  std::string series;  // data-series and the accessible title
  int width = 320;     // the viewBox; the SVG scales to its container
  int height = 140;
  bool axes = true;  // false: a sparkline (no labels, no margins)
};

// Returns an <svg class="chart"> drawing `points` (in time order) as a
// polyline with one circle per point, each with a <title> giving its time
// (ISO 8601 UTC) and value; with axes, the lowest and highest value on the
// left and the first and last date below. An empty series draws "no data".
std::string LineChartSvg(const std::vector<storage::ReportPoint>& points,
                         const LineChartOptions& options);

// Returns an <svg class="graph"> of `center`'s neighbourhood: the shows it
// lists (arrows out, labelled with their position) and the shows that list
// it (arrows in), each neighbour once, on a circle around it. `center` is
// a name; neighbours are drawn with the names the edges carry.
std::string NeighbourhoodSvg(const std::string& center,
                             const std::vector<storage::ReportEdge>& related,
                             const std::vector<storage::ReportEdge>& listed_by,
                             size_t max_neighbours = 12);

}  // namespace app
