// cli/output.h: the crawl's progress line, its status log line outside a
// terminal and its end-of-crawl summary (issue 13 items 3, 4 and 11).
#include "cli/output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace cli {
namespace {

using testing::HasSubstr;
using testing::Not;

// Returns the lines of `text`.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Issue 13 item 4: what is in flight, by where it is.
TEST(FormatProgressTest, SaysWhatIsFetchingAndWhatIsWaiting) {
  crawler::CrawlStats stats;
  stats.pages_stored = 12;
  stats.queued = 40;
  stats.fetching = 2;
  stats.waiting_to_start = 25;
  stats.failed = 1;
  EXPECT_EQ(FormatProgress(stats, 3.0),
            "12 pages | 40 queued | 2 fetching, 25 waiting | 3.0 pages/s | 1 "
            "errors | ETA 0:22");
  stats.parsing = 3;
  EXPECT_THAT(FormatProgress(stats, 3.0),
              HasSubstr("| 2 fetching, 25 waiting, 3 parsing |"));
}

// Issue 13 item 3: robots.txt exclusions have their own line, apart from
// the failures; and the values stand in one column after the longest label.
TEST(FormatSummaryTest, RobotsSkipsApartAndValuesInOneColumn) {
  crawler::CrawlStats stats;
  stats.pages_stored = 3;
  stats.failed = 2;
  stats.failures_by_reason = {{"http_404", 1}, {"too_many_redirects", 1}};
  stats.robots_disallowed = 4;
  const std::string summary = FormatSummary(stats);
  const std::vector<std::string> lines = Lines(summary);
  ASSERT_GE(lines.size(), 10U) << summary;
  EXPECT_EQ(lines[0], "crawl summary (0:00):");
  EXPECT_THAT(summary, HasSubstr("  failed                2\n"));
  EXPECT_THAT(summary, HasSubstr("    too_many_redirects  1\n"));
  EXPECT_THAT(summary, HasSubstr("  skipped (robots.txt)  4\n"));
  EXPECT_THAT(summary, Not(HasSubstr("robots_disallowed")));
  // Every value starts in the same column: two spaces after the longest
  // label ("  too_many_redirects", two spaces of indent and 20 characters).
  std::vector<std::string> misaligned;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.size() <= 24 || line.substr(22, 2) != "  " || line[24] == ' ')
      misaligned.push_back(line);
  }
  EXPECT_TRUE(misaligned.empty()) << summary;
}

// Collects the status lines a ProgressLine logs.
class LogCapture {
 public:
  ProgressLine::LogFunction function() {
    return [this](const std::string& line) { lines_.push_back(line); };
  }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
};

crawler::CrawlStats At(double elapsed_s, int64_t pages) {
  crawler::CrawlStats stats;
  stats.elapsed_s = elapsed_s;
  stats.pages_stored = pages;
  stats.queued = 340;
  stats.fetching = 2;
  stats.waiting_to_start = 25;
  stats.failed = 3;
  return stats;
}

// Issue 13 item 11 (Scrapy's LogStats): outside a terminal, a status line
// once an interval of the crawl's time has passed, with the rate over that
// interval; the crawl's elapsed time is the clock, so no test waits.
TEST(ProgressLineTest, LogsAStatusLineEachInterval) {
  LogCapture capture;
  {
    ProgressLine progress(ProgressStyle::kLog, 60'000, capture.function());
    for (int s = 1; s <= 130; ++s) progress.Update(At(s, int64_t{2} * s));
  }
  EXPECT_EQ(capture.lines(),
            (std::vector<std::string>{
                "status: 120 pages (2.0 pages/s), 3 errors, 340 queued, "
                "2 fetching, 25 waiting",
                "status: 240 pages (2.0 pages/s), 3 errors, 340 queued, "
                "2 fetching, 25 waiting"}));
}

// A round starts afresh: its first line comes one interval after its start.
TEST(ProgressLineTest, EachRoundStartsItsOwnInterval) {
  LogCapture capture;
  ProgressLine progress(ProgressStyle::kLog, 1'000, capture.function());
  progress.OnProgress(At(0.5, 1));
  progress.OnProgress(At(1.0, 10));
  progress.OnCrawlEnd();
  progress.OnProgress(At(0.5, 1));
  EXPECT_EQ(capture.lines().size(), 1U);
  progress.OnProgress(At(1.5, 4));
  ASSERT_EQ(capture.lines().size(), 2U);
  EXPECT_THAT(capture.lines()[1], HasSubstr("status: 4 pages (2.7 pages/s)"));
}

TEST(ProgressLineTest, OffStyleLogsNothing) {
  LogCapture capture;
  ProgressLine off(ProgressStyle::kOff, 1'000, capture.function());
  off.Update(At(5, 10));
  EXPECT_TRUE(capture.lines().empty());
}

}  // namespace
}  // namespace cli
