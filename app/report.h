// `podcrawl report`: one self-contained HTML page (styles and the one small
// script inline, charts as inline SVG from app/svg_chart.h, nothing loaded
// from the network when it is opened) showing the crawl's health, the shows
// that moved most in the window, what changed since the last round, and a
// section per show with its rating and listener history and its related-show
// neighbourhood. Readable from a phone's width up.
#pragma once

#include <string>

#include "storage/report_data.h"

namespace app {

// Returns the report page for `data`.
std::string RenderReportHtml(const storage::ReportData& data);

}  // namespace app
