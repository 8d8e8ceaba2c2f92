#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "cli/analysis_commands.h"

namespace cli {
namespace {

int64_t Errors(const crawler::CrawlStats& s) { return s.failed; }

std::string Duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto total = static_cast<int64_t>(seconds + 0.5);
  if (total >= 3600)
    return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60,
                       total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

std::string Bytes(int64_t bytes) {
  if (bytes >= (int64_t{1} << 30))
    return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1 << 30));
  if (bytes >= (int64_t{1} << 20))
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
  if (bytes >= 1024)
    return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{} B", bytes);
}

}  // namespace

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled) {}

ProgressLine::~ProgressLine() { Clear(); }

void ProgressLine::Update(const crawler::CrawlStats& stats) {
  window_.emplace_back(stats.elapsed_s, stats.pages_stored);
  while (window_.size() > 2 && window_.front().first < stats.elapsed_s - 10.0)
    window_.pop_front();
  double rate = 0;
  if (window_.size() >= 2 && window_.back().first > window_.front().first) {
    rate = static_cast<double>(window_.back().second - window_.front().second) /
           (window_.back().first - window_.front().first);
  } else if (stats.elapsed_s > 0) {
    rate = static_cast<double>(stats.pages_stored) / stats.elapsed_s;
  }
  if (!enabled_) return;
  const std::string line = FormatProgress(stats, rate);
  // \r and "erase to end of line" redraw in place.
  std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::Clear() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
  drawn_ = false;
}

std::string FormatProgress(const crawler::CrawlStats& stats,
                           double pages_per_s) {
  std::string eta = "?";
  if (stats.queued + stats.in_flight == 0) {
    eta = "0:00";
  } else if (pages_per_s > 0.01) {
    eta = Duration(static_cast<double>(stats.queued + stats.in_flight) /
                   pages_per_s);
  }
  return fmt::format(
      "{} pages | {} queued | {} in flight | {:.1f} pages/s | {} errors | ETA "
      "{}",
      stats.pages_stored, stats.queued, stats.in_flight, pages_per_s,
      Errors(stats), eta);
}

std::string FormatSummary(const crawler::CrawlStats& s) {
  std::string out = fmt::format("crawl summary ({}):\n", Duration(s.elapsed_s));
  out += fmt::format("  pages stored      {}\n", s.pages_stored);
  out += fmt::format("    changed         {}\n", s.changed);
  out += fmt::format("  not modified      {}\n", s.not_modified);
  out += fmt::format("  failed            {}\n", s.failed);
  for (const auto& [reason, n] : s.failures_by_reason) {
    out += fmt::format("    {:<16}{}\n", reason, n);
  }
  out += fmt::format("  robots disallowed {}\n", s.robots_disallowed);
  out += fmt::format("  retried           {}\n", s.retried);
  out += fmt::format("  still queued      {}\n", s.queued);
  out += fmt::format("  bytes             {}\n", Bytes(s.bytes));
  const double rate =
      s.elapsed_s > 0 ? static_cast<double>(s.pages_stored) / s.elapsed_s : 0;
  out += fmt::format("  rate              {:.1f} pages/s\n", rate);
  out += fmt::format("  fetch latency     p50 {:.0f} ms, p95 {:.0f} ms",
                     s.fetch_p50_ms, s.fetch_p95_ms);
  for (const std::string& note : WaitingNotes(s)) out += "\n  " + note;
  return out;
}

std::vector<std::string> WaitingNotes(const crawler::CrawlStats& stats) {
  std::vector<std::string> notes;
  for (const auto& [host, wait] : stats.waiting) {
    notes.push_back(fmt::format(
        "{} URL{} wait{} for {} until {}", wait.urls, wait.urls == 1 ? "" : "s",
        wait.urls == 1 ? "s" : "", host, FormatTimeMs(wait.until_ms)));
  }
  return notes;
}

}  // namespace cli
