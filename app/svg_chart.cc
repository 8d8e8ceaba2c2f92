#include "app/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numbers>
#include <string>

#include "app/time_text.h"

namespace app {
namespace {

// Margins of a chart with axes, in viewBox units: room for the value labels
// on the left and the dates below.
constexpr double kLeft = 46;
constexpr double kRight = 8;
constexpr double kTop = 10;
constexpr double kBottom = 20;

std::string Coord(double v) { return fmt::format("{:.1f}", v); }

// The x axis' label of `ms`: the date, or the time of day (UTC) when the
// series spans less than two days.
std::string AxisTime(int64_t ms, int64_t span_ms) {
  const std::string iso = FormatTimeMs(ms);
  constexpr int64_t kTwoDaysMs = 2 * 86'400'000LL;
  return span_ms < kTwoDaysMs ? iso.substr(11, 5) : iso.substr(0, 10);
}

// Shortens a node label so that it fits beside its dot.
std::string Label(const std::string& name) {
  constexpr size_t kMax = 22;
  if (name.size() <= kMax) return name;
  size_t cut = kMax - 1;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80)
    --cut;  // not inside a UTF-8 sequence
  return name.substr(0, cut) + "\xE2\x80\xA6";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::abs(value - std::round(value)) < 1e-9 && std::abs(value) < 1e15) {
    std::string digits =
        fmt::format("{}", static_cast<int64_t>(std::abs(std::round(value))));
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
      out.push_back(digits[i]);
    }
    return (value < 0 ? "-" : "") + out;
  }
  std::string out = fmt::format("{:.2f}", value);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

std::string LineChartSvg(const std::vector<storage::ReportPoint>& points,
                         const LineChartOptions& options) {
  const double w = options.width;
  const double h = options.height;
  const double left = options.axes ? kLeft : 2;
  const double right = w - (options.axes ? kRight : 2);
  const double top = options.axes ? kTop : 2;
  const double bottom = h - (options.axes ? kBottom : 2);
  std::string svg = fmt::format(
      R"(<svg class="chart{}" viewBox="0 0 {} {}" role="img" )"
      R"(preserveAspectRatio="xMidYMid meet" data-series="{}" )"
      R"(data-points="{}"><title>{}</title>)",
      options.axes ? "" : " spark", options.width, options.height,
      HtmlEscape(options.series), points.size(), HtmlEscape(options.series));
  if (points.empty()) {
    svg += fmt::format(R"(<text x="{}" y="{}" class="empty">no data</text>)",
                       Coord(w / 2), Coord(h / 2));
    return svg + "</svg>";
  }
  auto [lo_it, hi_it] = std::minmax_element(
      points.begin(), points.end(),
      [](const auto& a, const auto& b) { return a.value < b.value; });
  double lo = lo_it->value;
  double hi = hi_it->value;
  const bool flat = hi - lo < 1e-9;
  if (flat) {  // a flat line sits in the middle, labelled once
    lo -= 1;
    hi += 1;
  }
  const int64_t t0 = points.front().ms;
  const int64_t t1 = points.back().ms;
  auto x = [&](int64_t ms) {
    if (t1 == t0) return (left + right) / 2;
    return left + (right - left) * static_cast<double>(ms - t0) /
                      static_cast<double>(t1 - t0);
  };
  auto y = [&](double v) {
    return bottom - (bottom - top) * (v - lo) / (hi - lo);
  };
  if (options.axes) {
    svg +=
        fmt::format(R"(<path class="axis" d="M{0} {1}V{2}H{3}"/>)"
                    R"(<text class="tick" x="{4}" y="{1}" dy="4">{5}</text>)"
                    R"(<text class="tick" x="{4}" y="{2}">{6}</text>)"
                    R"(<text class="tick start" x="{0}" y="{7}">{8}</text>)"
                    R"(<text class="tick end" x="{3}" y="{7}">{9}</text>)",
                    Coord(left), Coord(top), Coord(bottom), Coord(right),
                    Coord(left - 4), FormatValue(hi_it->value),
                    flat ? std::string() : FormatValue(lo_it->value),
                    Coord(h - 4), AxisTime(t0, t1 - t0), AxisTime(t1, t1 - t0));
  }
  std::string line;
  std::string dots;
  for (const storage::ReportPoint& p : points) {
    const std::string cx = Coord(x(p.ms));
    const std::string cy = Coord(y(p.value));
    line += (line.empty() ? "" : " ") + cx + "," + cy;
    dots += fmt::format(
        R"(<circle class="pt" cx="{}" cy="{}" r="{}" data-value="{}">)"
        R"(<title>{}: {}</title></circle>)",
        cx, cy, options.axes ? 3 : 1.5, FormatValue(p.value),
        FormatTimeMs(p.ms), FormatValue(p.value));
  }
  svg += fmt::format(R"(<polyline class="line" points="{}"/>)", line);
  return svg + dots + "</svg>";
}

std::string NeighbourhoodSvg(const std::string& center,
                             const std::vector<storage::ReportEdge>& related,
                             const std::vector<storage::ReportEdge>& listed_by,
                             size_t max_neighbours) {
  struct Node {
    std::string name;
    std::string out_label;  // its position in center's list, when listed
    bool listed_by = false;
  };
  std::vector<Node> nodes;
  std::map<std::string, size_t> by_url;
  auto node = [&](const std::string& url, const std::string& name) -> Node* {
    auto it = by_url.find(url);
    if (it != by_url.end()) return &nodes[it->second];
    if (nodes.size() >= max_neighbours) return nullptr;
    by_url.emplace(url, nodes.size());
    nodes.push_back({name, "", false});
    return &nodes.back();
  };
  size_t edges = 0;
  for (const storage::ReportEdge& e : related) {
    if (Node* n = node(e.to_url, e.to_name)) {
      n->out_label = std::to_string(e.position);
      ++edges;
    }
  }
  for (const storage::ReportEdge& e : listed_by) {
    if (Node* n = node(e.from_url, e.from_name)) {
      n->listed_by = true;
      ++edges;
    }
  }
  constexpr double kW = 600;
  constexpr double kH = 300;
  constexpr double kCx = kW / 2;
  constexpr double kCy = kH / 2;
  constexpr double kR = 110;
  std::string svg = fmt::format(
      R"(<svg class="graph" viewBox="0 0 {} {}" role="img" )"
      R"(data-nodes="{}" data-edges="{}"><title>Related shows of {}</title>)"
      R"(<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" )"
      R"(markerWidth="6" markerHeight="6" orient="auto-start-reverse">)"
      R"(<path d="M0 0L10 5L0 10z"/></marker></defs>)",
      kW, kH, nodes.size() + 1, edges, HtmlEscape(center));
  std::string labels;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const double angle = 2 * std::numbers::pi * static_cast<double>(i) /
                             static_cast<double>(nodes.size()) -
                         std::numbers::pi / 2;
    const double nx = kCx + kR * 1.45 * std::cos(angle);
    const double ny = kCy + kR * std::sin(angle);
    // Arrows stop short of the dots.
    const double dx = nx - kCx;
    const double dy = ny - kCy;
    const double len = std::max(1.0, std::hypot(dx, dy));
    const double ux = dx / len * 14;
    const double uy = dy / len * 14;
    if (!nodes[i].out_label.empty()) {
      svg += fmt::format(
          R"(<line class="edge out" x1="{}" y1="{}" x2="{}" y2="{}" )"
          R"svg(marker-end="url(#arrow)"><title>{} lists {} at {}</title></line>)svg",
          Coord(kCx + ux), Coord(kCy + uy), Coord(nx - ux), Coord(ny - uy),
          HtmlEscape(center), HtmlEscape(nodes[i].name), nodes[i].out_label);
    }
    if (nodes[i].listed_by) {
      svg += fmt::format(
          R"(<line class="edge in" x1="{}" y1="{}" x2="{}" y2="{}" )"
          R"svg(marker-end="url(#arrow)"><title>{} lists {}</title></line>)svg",
          Coord(nx - ux - uy * 0.3), Coord(ny - uy + ux * 0.3),
          Coord(kCx + ux - uy * 0.3), Coord(kCy + uy + ux * 0.3),
          HtmlEscape(nodes[i].name), HtmlEscape(center));
    }
    const bool left_side = nx < kCx - 1;
    labels += fmt::format(R"(<circle class="node" cx="{}" cy="{}" r="6"/>)"
                          R"(<text class="label{}" x="{}" y="{}">{}</text>)",
                          Coord(nx), Coord(ny), left_side ? " end" : "",
                          Coord(nx + (left_side ? -9 : 9)), Coord(ny + 4),
                          HtmlEscape(Label(nodes[i].name)));
  }
  svg += labels;
  svg += fmt::format(R"(<circle class="node center" cx="{}" cy="{}" r="9"/>)"
                     R"(<text class="label center" x="{}" y="{}">{}</text>)",
                     Coord(kCx), Coord(kCy), Coord(kCx), Coord(kCy - 14),
                     HtmlEscape(Label(center)));
  return svg + "</svg>";
}

}  // namespace app
