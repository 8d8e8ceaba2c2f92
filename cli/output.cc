#include "cli/output.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "core/schedule.h"

namespace cli {
namespace {

// One line of at most `max` bytes (newlines folded, cut on a UTF-8 boundary).
std::string Short(const std::string& s, size_t max) {
  std::string out;
  for (char c : s) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  if (out.size() <= max) return out;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
    --cut;
  out.resize(cut);
  return out + "…";
}

int64_t Errors(const crawler::CrawlStats& s) { return s.failed; }

std::string Duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const int64_t total = std::llround(seconds);
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

std::string Pad(const std::string& s, size_t width) {
  return s + std::string(width > s.size() ? width - s.size() : 0, ' ');
}

}  // namespace

void AddJsonStyleFlags(CLI::App* app, JsonStyle* style) {
  app->add_flag_callback(
      "--pretty", [style] { *style = JsonStyle::kPretty; },
      "indent the JSON record (default on a terminal)");
  app->add_flag_callback(
      "--compact", [style] { *style = JsonStyle::kCompact; },
      "print the JSON record on one line (default when piped)");
}

void PrintRecord(const core::Record& record, JsonStyle style,
                 std::ostream& out) {
  bool pretty = style == JsonStyle::kPretty;
  if (style == JsonStyle::kAuto)
    pretty = &out == &std::cout && isatty(STDOUT_FILENO) == 1;
  out << core::ToJson(record).dump(pretty ? 2 : -1, ' ', /*ensure_ascii=*/false,
                                   nlohmann::json::error_handler_t::replace)
      << "\n";
  out.flush();
}

void PrintExplanation(const std::vector<parser::FieldExplanation>& explanation,
                      std::ostream& out) {
  for (const auto& f : explanation) {
    if (f.candidates.empty() && f.reason == "no candidate") continue;
    out << f.field << ": " << f.reason << "\n";
    for (const auto& c : f.candidates) {
      std::array<char, 32> score{};
      std::snprintf(score.data(), score.size(), "%6g", c.score);
      out << (c.winner ? "  * " : "    ") << score.data() << "  \""
          << Short(c.value, 70) << "\"  " << c.source << ", " << c.where << " ["
          << c.strength << ", signal " << c.signal << ", owner " << c.owner
          << (c.visible ? ", visible" : "")
          << (c.truncated ? ", truncated" : "") << "]";
      if (!c.note.empty()) out << "  -- " << Short(c.note, 120);
      out << "\n";
    }
  }
}

nlohmann::json TimeOrNull(std::optional<int64_t> ms) {
  return ms ? nlohmann::json(FormatTimeMs(*ms)) : nlohmann::json(nullptr);
}

void PrintTable(const std::vector<TableColumn>& columns,
                const std::vector<std::vector<std::string>>& rows,
                std::ostream& out) {
  std::vector<size_t> widths;
  for (size_t i = 0; i < columns.size(); ++i) {
    size_t width = columns[i].width;
    if (width == 0) {
      width = columns[i].header.size();
      for (const auto& row : rows) width = std::max(width, row[i].size());
    }
    widths.push_back(width);
  }
  auto line = [&](auto cell) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) out << "  ";
      out << (i + 1 == columns.size() ? cell(i) : Pad(cell(i), widths[i]));
    }
    out << "\n";
  };
  line([&](size_t i) { return columns[i].header; });
  for (const auto& row : rows) line([&](size_t i) { return row[i]; });
}

ProgressStyle ProgressStyleForStderr(bool quiet) {
  if (quiet) return ProgressStyle::kOff;
  return isatty(STDERR_FILENO) == 1 ? ProgressStyle::kLine
                                    : ProgressStyle::kLog;
}

void AddStatusIntervalFlag(CLI::App* app, int64_t* interval_ms) {
  app->add_option_function<std::string>(
         "--status-interval",
         [interval_ms](const std::string& text) {
           core::Result<int64_t> ms = core::ParseDurationMs(text);
           if (!ms)
             throw CLI::ValidationError("--status-interval",
                                        ms.error().message);
           *interval_ms = *ms;
         },
         "how often a status line is logged when stderr is no terminal "
         "(default: 60s)")
      ->type_name("DURATION");
}

ProgressLine::ProgressLine(ProgressStyle style, int64_t interval_ms,
                           LogFunction log)
    : style_(style),
      interval_s_(static_cast<double>(interval_ms) / 1000.0),
      log_(log ? std::move(log)
               : [](const std::string& line) { spdlog::info("{}", line); }) {}

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
  if (style_ == ProgressStyle::kLog) {
    const auto [since_s, since_pages] = last_log_;
    if (stats.elapsed_s - since_s < interval_s_) return;
    // The rate over the interval, as Scrapy's LogStats gives it.
    const double interval_rate =
        static_cast<double>(stats.pages_stored - since_pages) /
        (stats.elapsed_s - since_s);
    log_(FormatStatus(stats, interval_rate));
    last_log_ = {stats.elapsed_s, stats.pages_stored};
    return;
  }
  if (style_ != ProgressStyle::kLine) return;
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

void ProgressLine::OnCrawlEnd() {
  Clear();
  window_.clear();
  last_log_ = {0, 0};
}

namespace {

// "2 fetching, 25 waiting", and ", 3 parsing" while the workers hold pages.
std::string InFlight(const crawler::CrawlStats& stats) {
  std::string text = fmt::format("{} fetching, {} waiting", stats.fetching,
                                 stats.waiting_to_start);
  if (stats.parsing > 0) text += fmt::format(", {} parsing", stats.parsing);
  return text;
}

}  // namespace

std::string FormatProgress(const crawler::CrawlStats& stats,
                           double pages_per_s) {
  const int64_t left =
      stats.queued + stats.fetching + stats.waiting_to_start + stats.parsing;
  std::string eta = "?";
  if (left == 0) {
    eta = "0:00";
  } else if (pages_per_s > 0.01) {
    eta = Duration(static_cast<double>(left) / pages_per_s);
  }
  return fmt::format(
      "{} pages | {} queued | {} | {:.1f} pages/s | {} errors | ETA {}",
      stats.pages_stored, stats.queued, InFlight(stats), pages_per_s,
      Errors(stats), eta);
}

std::string FormatStatus(const crawler::CrawlStats& stats, double pages_per_s) {
  return fmt::format(
      "status: {} pages ({:.1f} pages/s), {} errors, {} queued, {}",
      stats.pages_stored, pages_per_s, Errors(stats), stats.queued,
      InFlight(stats));
}

std::string FormatSummary(const crawler::CrawlStats& s, int64_t already_done) {
  // (label, value); a label indented by two spaces details the one above.
  std::vector<std::pair<std::string, std::string>> rows;
  rows.reserve(16 + s.failures_by_reason.size() + s.waiting.size());
  rows.emplace_back("pages stored", std::to_string(s.pages_stored));
  rows.emplace_back("  changed", std::to_string(s.changed));
  rows.emplace_back("not modified", std::to_string(s.not_modified));
  rows.emplace_back("failed", std::to_string(s.failed));
  for (const auto& [reason, n] : s.failures_by_reason) {
    rows.emplace_back("  " + reason, std::to_string(n));
  }
  rows.emplace_back("skipped (robots.txt)",
                    std::to_string(s.robots_disallowed));
  if (s.sitemaps > 0 || s.sitemap_urls > 0) {
    std::string text = std::to_string(s.sitemaps) + " read, " +
                       std::to_string(s.sitemap_urls) + " URLs listed";
    if (s.sitemap_urls_dropped > 0) {
      text += " (" + std::to_string(s.sitemap_urls_dropped) +
              " more dropped: crawl.max_sitemap_urls)";
    }
    rows.emplace_back("sitemaps", std::move(text));
  }
  rows.emplace_back("retried", std::to_string(s.retried));
  rows.emplace_back("still queued", std::to_string(s.queued));
  rows.emplace_back("bytes", Bytes(s.bytes));
  const double rate =
      s.elapsed_s > 0 ? static_cast<double>(s.pages_stored) / s.elapsed_s : 0;
  rows.emplace_back("rate", fmt::format("{:.1f} pages/s", rate));
  rows.emplace_back("fetch latency",
                    fmt::format("p50 {:.0f} ms, p95 {:.0f} ms", s.fetch_p50_ms,
                                s.fetch_p95_ms));
  size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.size());
  std::string out = fmt::format("crawl summary ({}):", Duration(s.elapsed_s));
  for (const auto& [label, value] : rows) {
    out += "\n  " + Pad(label, width + 2) + value;
  }
  for (const std::string& note : app::WaitingNotes(s)) out += "\n  " + note;
  if (already_done > 0) {
    out += "\n  " + std::to_string(already_done) +
           " URLs were done already and not fetched again (podcrawl crawl "
           "--recrawl fetches them again)";
  }
  return out;
}

}  // namespace cli
