// Tests of the report's charts (app/svg_chart.h) and page (app/report.h):
// one polyline vertex and one circle per point, placed by time and value
// inside the chart, titles with the exact values, text escaped, the
// neighbourhood graph's nodes and edges, and a page with no external
// resource.
#include "app/svg_chart.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "app/report.h"
#include "tests/support/fixtures.h"

namespace app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kT0 = 1'795'878'000'000;  // 2026-11-28T15:00:00Z

// Returns the (x, y) vertices of the chart's polyline.
std::vector<std::pair<double, double>> Vertices(const std::string& svg) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(
      svg, m, std::regex(R"re(<polyline class="line" points="([^"]*)")re")));
  std::vector<std::pair<double, double>> out;
  std::string points = m[1];
  std::regex pair(R"(([0-9.]+),([0-9.]+))");
  for (auto it = std::sregex_iterator(points.begin(), points.end(), pair);
       it != std::sregex_iterator(); ++it) {
    out.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  }
  return out;
}

TEST(SvgChartTest, DrawsOneVertexAndOneDotPerPoint) {
  const std::vector<storage::ReportPoint> points = {
      {kT0, 100}, {kT0 + 60'000, 150}, {kT0 + 180'000, 120}};
  const std::string svg = LineChartSvg(points, {"listeners", 320, 140, true});
  EXPECT_THAT(svg, HasSubstr(R"(data-series="listeners")"));
  EXPECT_THAT(svg, HasSubstr(R"(data-points="3")"));
  EXPECT_EQ(testsupport::CountOccurrences(svg, "<circle class=\"pt\""), 3);
  auto v = Vertices(svg);
  ASSERT_EQ(v.size(), 3u);
  // Time runs left to right, proportionally; higher values sit higher.
  EXPECT_LT(v[0].first, v[1].first);
  EXPECT_NEAR((v[1].first - v[0].first) * 2, v[2].first - v[1].first, 0.2);
  EXPECT_GT(v[0].second, v[2].second);  // 100 is below 120
  EXPECT_LT(v[1].second, v[2].second);  // 150 is the top
  for (auto [x, y] : v) {
    EXPECT_GE(x, 0);
    EXPECT_LE(x, 320);
    EXPECT_GE(y, 0);
    EXPECT_LE(y, 140);
  }
  // The values a reader hovers are the database's, and the axes name the
  // extremes and the dates.
  EXPECT_THAT(svg, HasSubstr("<title>2026-11-28T15:01:00Z: 150</title>"));
  EXPECT_THAT(svg, HasSubstr(">150</text>"));
  EXPECT_THAT(svg, HasSubstr(">100</text>"));
  // Less than two days on the x axis: times of day (UTC); more: dates.
  EXPECT_THAT(svg, HasSubstr(">15:00</text>"));
  EXPECT_THAT(svg, HasSubstr(">15:03</text>"));
  auto weeks = LineChartSvg({{kT0, 1}, {kT0 + 20 * 86'400'000LL, 2}},
                            {"listeners", 320, 140, true});
  EXPECT_THAT(weeks, HasSubstr(">2026-11-28</text>"));
  EXPECT_THAT(weeks, HasSubstr(">2026-12-18</text>"));
}

TEST(SvgChartTest, FlatSingleAndEmptySeries) {
  auto one = LineChartSvg({{kT0, 4.5}}, {"rating", 320, 140, true});
  EXPECT_EQ(Vertices(one).size(), 1u);
  EXPECT_THAT(one, HasSubstr("4.5"));
  auto flat = LineChartSvg({{kT0, 7}, {kT0 + 1000, 7}}, {"x", 120, 32, false});
  auto v = Vertices(flat);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_DOUBLE_EQ(v[0].second, v[1].second);
  EXPECT_THAT(flat, HasSubstr("chart spark"));
  EXPECT_THAT(flat, Not(HasSubstr("class=\"tick")));
  auto empty = LineChartSvg({}, {"listeners", 320, 140, true});
  EXPECT_THAT(empty, HasSubstr(R"(data-points="0")"));
  EXPECT_THAT(empty, HasSubstr("no data"));
  EXPECT_THAT(empty, Not(HasSubstr("polyline")));
}

TEST(SvgChartTest, FormatsValuesAsPeopleReadThem) {
  EXPECT_EQ(FormatValue(12400), "12,400");
  EXPECT_EQ(FormatValue(-1234567), "-1,234,567");
  EXPECT_EQ(FormatValue(87), "87");
  EXPECT_EQ(FormatValue(4.55), "4.55");
  EXPECT_EQ(FormatValue(4.5), "4.5");
  EXPECT_EQ(FormatValue(0.1), "0.1");
}

TEST(SvgChartTest, EscapesText) {
  EXPECT_EQ(HtmlEscape(R"(Salt & "Signal" <b>)"),
            "Salt &amp; &quot;Signal&quot; &lt;b&gt;");
  auto svg = LineChartSvg({{kT0, 1}}, {"a<b", 320, 140, true});
  EXPECT_THAT(svg, HasSubstr("a&lt;b"));
}

TEST(SvgChartTest, NeighbourhoodDrawsEachNeighbourOnce) {
  const std::vector<storage::ReportEdge> related = {
      {"a", "Harbour", "b", "Night Ferry", 1, 12400},
      {"a", "Harbour", "c", "Salt & Signal", 2, 87}};
  const std::vector<storage::ReportEdge> listed_by = {
      {"b", "Night Ferry", "a", "Harbour", 3, std::nullopt},
      {"d", "Tidewater", "a", "Harbour", 1, std::nullopt}};
  const std::string svg = NeighbourhoodSvg("Harbour", related, listed_by);
  EXPECT_THAT(svg, HasSubstr(R"(data-nodes="4")"));  // Harbour, b, c, d
  EXPECT_THAT(svg, HasSubstr(R"(data-edges="4")"));
  EXPECT_EQ(testsupport::CountOccurrences(svg, "<line class=\"edge out\""), 2);
  EXPECT_EQ(testsupport::CountOccurrences(svg, "<line class=\"edge in\""), 2);
  EXPECT_THAT(svg, HasSubstr("Salt &amp; Signal"));
  EXPECT_THAT(svg, HasSubstr("Harbour lists Night Ferry at 1"));
  const std::string capped = NeighbourhoodSvg("Harbour", related, listed_by, 1);
  EXPECT_THAT(capped, HasSubstr(R"(data-nodes="2")"));
}

TEST(ReportPageTest, IsSelfContained) {
  storage::ReportData data;
  data.generated_ms = kT0;
  data.since_ms = kT0 - 86'400'000;
  storage::ReportShow show;
  show.id = 7;
  show.name = "Harbour <Lights>";
  show.url = "https://pods.example/h/";
  show.host = "pods.example";
  show.listener_counts = {{kT0, 100}, {kT0 + 1000, 120}};
  data.shows.push_back(show);
  data.movers.push_back({7, "Harbour <Lights>", "listeners", 100, 120, 20});
  const std::string html = RenderReportHtml(data);
  EXPECT_THAT(html, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr(R"(name="viewport")"));
  EXPECT_THAT(html, HasSubstr(R"(id="show-7")"));
  EXPECT_THAT(html, HasSubstr("Harbour &lt;Lights&gt;"));
  EXPECT_THAT(html, HasSubstr("+20"));
  // Nothing is loaded from elsewhere: no src=, no stylesheet link, no URL
  // but the show's own link.
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_EQ(testsupport::CountOccurrences(html, "http"), 1);
}

}  // namespace
}  // namespace app
