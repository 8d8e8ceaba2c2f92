// parse_bench: what podcrawl's extraction costs on top of Gumbo's own parse
// (issue 3, item 7: "extraction adds at most 10% to the bare Gumbo parse").
//
// Two benchmarks run over the same bytes, every *.html page of the corpus
// (tests/data/corpus, or the directory given as the first non-flag argument):
//   BM_GumboParse  gumbo_parse_with_options + gumbo_destroy_output, with the
//                  options the parser itself uses (max_errors = 0);
//   BM_ParsePage   parser::ParsePage: charset detection and conversion, the
//                  Gumbo parse, indexing and every extraction strategy.
// One iteration is one pass over the whole corpus, so items/s is pages/s and
// bytes/s is MB/s of HTML. With --per-page, both are also registered once per
// page, to see where the overhead comes from.
//
// ParsePage empties script code and style bodies before Gumbo sees the page,
// and thins the markup (unread attributes, whitespace runs;
// parser/prefilter.h). Two more benchmarks show what that pre-pass costs and
// saves: BM_DropUnreadBodies (copy + pre-pass alone) and
// BM_GumboParseFiltered (bare gumbo_parse of the bytes left after it, the
// pre-pass done beforehand). The "extraction overhead" line still compares
// ParsePage, pre-pass included, with gumbo_parse of the original bytes.
//
// The machine is shared and noisy, so by default each benchmark runs 10
// repetitions and only the aggregates are shown; the closing line compares the
// medians of CPU time ("extraction overhead: X% over bare gumbo_parse").
// Any --benchmark_* flag of Google Benchmark still applies (a given
// --benchmark_repetitions replaces the default).

#include <benchmark/benchmark.h>
#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parser/page_parser.h"
#include "parser/prefilter.h"
#include "parser/strategies.h"

#ifndef PODCRAWL_CORPUS_DIR
#error \
    "PODCRAWL_CORPUS_DIR must name tests/data/corpus (set by bench/CMakeLists.txt)"
#endif

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kGumboBenchmark = "BM_GumboParse";
constexpr std::string_view kParseBenchmark = "BM_ParsePage";
constexpr std::string_view kPrefilterBenchmark = "BM_DropUnreadBodies";
constexpr std::string_view kGumboFilteredBenchmark = "BM_GumboParseFiltered";
constexpr std::string_view kFallbackUrl = "https://podcasts.example.com/page";
constexpr int kDefaultRepetitions = 10;

struct Page {
  std::string name;  // path relative to the corpus directory
  std::string url;   // from NAME.expected.json, the page's base URL
  std::string bytes;
  std::string filtered;  // bytes after parser::DropUnreadBodies
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Returns the "url" of the expected file beside `html`, or kFallbackUrl.
std::string PageUrl(const fs::path& html) {
  fs::path expected = html;
  expected.replace_extension(".expected.json");
  const nlohmann::json json = nlohmann::json::parse(ReadFile(expected), nullptr,
                                                    /*allow_exceptions=*/false);
  if (json.is_object()) {
    if (auto it = json.find("url"); it != json.end() && it->is_string()) {
      return it->get<std::string>();
    }
  }
  return std::string(kFallbackUrl);
}

// The thinning ParsePage applies with no user profiles.
const parser::Thinning& ParsePageThinning() {
  static const parser::Thinning thinning{parser::AttributesProfilesRead({})};
  return thinning;
}

std::vector<Page> LoadCorpus(const fs::path& dir) {
  std::vector<Page> pages;
  std::error_code error;
  for (fs::recursive_directory_iterator it(dir, error), end;
       !error && it != end; it.increment(error)) {
    if (!it->is_regular_file() || it->path().extension() != ".html") continue;
    Page page{fs::relative(it->path(), dir).string(), PageUrl(it->path()),
              ReadFile(it->path()), ""};
    page.filtered = page.bytes;
    parser::DropUnreadBodies(&page.filtered, nullptr, &ParsePageThinning());
    pages.push_back(std::move(page));
  }
  std::sort(pages.begin(), pages.end(),
            [](const Page& a, const Page& b) { return a.name < b.name; });
  return pages;
}

size_t TotalBytes(const std::vector<const Page*>& pages) {
  size_t total = 0;
  for (const Page* page : pages) total += page->bytes.size();
  return total;
}

void SetThroughput(benchmark::State& state,
                   const std::vector<const Page*>& pages) {
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(pages.size()));
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(TotalBytes(pages)));
}

void GumboParseOf(benchmark::State& state,
                  const std::vector<const Page*>& pages,
                  std::string Page::*input) {
  // The parser's own options (parser/html_document.cc): errors not collected.
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  for (auto _ : state) {
    for (const Page* page : pages) {
      const std::string& bytes = page->*input;
      GumboOutput* output =
          gumbo_parse_with_options(&options, bytes.data(), bytes.size());
      benchmark::DoNotOptimize(output->root);
      gumbo_destroy_output(&options, output);
    }
  }
  SetThroughput(state, pages);
}

void GumboParse(benchmark::State& state, std::vector<const Page*> pages) {
  GumboParseOf(state, pages, &Page::bytes);
}

// Throughput counts the original bytes, so MB/s compare with BM_GumboParse.
void GumboParseFiltered(benchmark::State& state,
                        std::vector<const Page*> pages) {
  GumboParseOf(state, pages, &Page::filtered);
}

void DropUnreadBodies(benchmark::State& state, std::vector<const Page*> pages) {
  const parser::Thinning& thinning = ParsePageThinning();
  for (auto _ : state) {
    for (const Page* page : pages) {
      std::string copy = page->bytes;
      std::vector<std::string> scripts;
      const parser::PrefilterStats stats =
          parser::DropUnreadBodies(&copy, &scripts, &thinning);
      benchmark::DoNotOptimize(stats);
      benchmark::DoNotOptimize(copy.data());
    }
  }
  SetThroughput(state, pages);
}

void ParsePage(benchmark::State& state, std::vector<const Page*> pages) {
  const parser::ParseOptions options;
  for (auto _ : state) {
    for (const Page* page : pages) {
      // ParsePage takes its input by value, as a caller hands it a fetched
      // body; the copy is part of the cost a caller pays.
      parser::ParsedPage parsed =
          parser::ParsePage(page->bytes, page->url, options);
      benchmark::DoNotOptimize(parsed.record);
      benchmark::DoNotOptimize(parsed.links);
    }
  }
  SetThroughput(state, pages);
}

// Forwards everything to the display reporter chosen by --benchmark_format and
// keeps the median CPU time of each corpus-wide benchmark for the summary.
class OverheadReporter : public benchmark::BenchmarkReporter {
 public:
  explicit OverheadReporter(benchmark::BenchmarkReporter* display)
      : display_(display) {}

  bool ReportContext(const Context& context) override {
    return display_->ReportContext(context);
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      Samples& samples = samples_[run.run_name.function_name];
      if (run.run_type == Run::RT_Aggregate) {
        if (run.aggregate_name == "median") {
          samples.median = run.GetAdjustedCPUTime();
          samples.repetitions = run.repetitions;
        }
      } else {
        samples.single_runs.push_back(run.GetAdjustedCPUTime());
      }
    }
    display_->ReportRuns(runs);
  }

  void Finalize() override { display_->Finalize(); }

  // Writes the "extraction overhead" line to `out`; false when either
  // benchmark did not run (filtered out, or failed).
  bool PrintSummary(std::ostream& out) const {
    const auto gumbo = Median(kGumboBenchmark);
    const auto parse = Median(kParseBenchmark);
    if (!gumbo || !parse || gumbo->first <= 0) return false;
    const double overhead = (parse->first - gumbo->first) / gumbo->first * 100;
    char line[256];
    std::snprintf(line, sizeof line,
                  "extraction overhead: %.1f%% over bare gumbo_parse (median "
                  "of %lld repetitions; CPU time per corpus pass: ParsePage "
                  "%.3g ms, gumbo_parse %.3g ms; goal <= 10%%)\n",
                  overhead, static_cast<long long>(gumbo->second), parse->first,
                  gumbo->first);
    out << line;
    const auto filtered = Median(kGumboFilteredBenchmark);
    const auto prefilter = Median(kPrefilterBenchmark);
    if (filtered && prefilter && filtered->first > 0) {
      std::snprintf(line, sizeof line,
                    "pre-pass: %.3g ms per corpus pass; gumbo_parse of the "
                    "filtered bytes %.3g ms; ParsePage over that: %.1f%%\n",
                    prefilter->first, filtered->first,
                    (parse->first - filtered->first) / filtered->first * 100);
      out << line;
    }
    return true;
  }

 private:
  struct Samples {
    double median = -1;
    int64_t repetitions = 0;
    std::vector<double> single_runs;  // when aggregates were not computed
  };

  // Returns {median CPU time, number of repetitions} of `name`.
  std::optional<std::pair<double, int64_t>> Median(
      std::string_view name) const {
    const auto it = samples_.find(std::string(name));
    if (it == samples_.end()) return std::nullopt;
    const Samples& s = it->second;
    if (s.median >= 0) return std::pair{s.median, s.repetitions};
    if (s.single_runs.empty()) return std::nullopt;
    std::vector<double> runs = s.single_runs;
    const auto mid =
        runs.begin() + static_cast<std::ptrdiff_t>(runs.size() / 2);
    std::nth_element(runs.begin(), mid, runs.end());
    return std::pair{*mid, static_cast<int64_t>(runs.size())};
  }

  benchmark::BenchmarkReporter* display_;
  std::map<std::string, Samples> samples_;
};

bool HasFlag(const std::vector<char*>& args, std::string_view flag) {
  return std::any_of(args.begin(), args.end(), [flag](const char* arg) {
    return std::string_view(arg).starts_with(flag);
  });
}

}  // namespace

int main(int argc, char** argv) {
  // Defaults for a noisy shared machine, unless the caller chose otherwise.
  std::vector<char*> args(argv, argv + argc);
  std::string repetitions_flag =
      "--benchmark_repetitions=" + std::to_string(kDefaultRepetitions);
  std::string aggregates_flag = "--benchmark_display_aggregates_only=true";
  if (!HasFlag(args, "--benchmark_repetitions")) {
    args.push_back(repetitions_flag.data());
  }
  if (!HasFlag(args, "--benchmark_display_aggregates_only") &&
      !HasFlag(args, "--benchmark_report_aggregates_only")) {
    args.push_back(aggregates_flag.data());
  }
  const bool per_page = HasFlag(args, "--per-page");
  args.erase(std::remove_if(args.begin(), args.end(),
                            [](const char* arg) {
                              return std::string_view(arg) == "--per-page";
                            }),
             args.end());
  // Summary on stdout only for the console format: JSON/CSV stay parseable.
  const bool console = !HasFlag(args, "--benchmark_format=") ||
                       HasFlag(args, "--benchmark_format=console");

  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  fs::path corpus_dir = PODCRAWL_CORPUS_DIR;
  if (count > 2) {
    std::cerr << "usage: " << args[0]
              << " [--per-page] [--benchmark_...] [CORPUS_DIR]\n";
    return 2;
  }
  if (count == 2) corpus_dir = args[1];

  const std::vector<Page> corpus = LoadCorpus(corpus_dir);
  if (corpus.empty()) {
    std::cerr << "parse_bench: no *.html page under " << corpus_dir.string()
              << "\n";
    return 1;
  }
  std::vector<const Page*> all;
  for (const Page& page : corpus) all.push_back(&page);
  benchmark::AddCustomContext("corpus", corpus_dir.string());
  benchmark::AddCustomContext("corpus_pages",
                              std::to_string(all.size()) + " pages, " +
                                  std::to_string(TotalBytes(all)) + " bytes");

  benchmark::RegisterBenchmark(std::string(kGumboBenchmark).c_str(), GumboParse,
                               all)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(std::string(kParseBenchmark).c_str(), ParsePage,
                               all)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(std::string(kPrefilterBenchmark).c_str(),
                               DropUnreadBodies, all)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(std::string(kGumboFilteredBenchmark).c_str(),
                               GumboParseFiltered, all)
      ->Unit(benchmark::kMillisecond);
  if (per_page) {
    for (const Page* page : all) {
      const std::vector<const Page*> one{page};
      benchmark::RegisterBenchmark(
          (std::string(kGumboBenchmark) + "/" + page->name).c_str(), GumboParse,
          one)
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(
          (std::string(kParseBenchmark) + "/" + page->name).c_str(), ParsePage,
          one)
          ->Unit(benchmark::kMicrosecond);
    }
  }

  OverheadReporter reporter(benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintSummary(console ? std::cout : std::cerr);
  benchmark::Shutdown();
  return 0;
}
