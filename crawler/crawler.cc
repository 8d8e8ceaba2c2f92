#include "crawler/crawler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/url.h"
#include "crawler/crawl_internal.h"
#include "crawler/multi_fetcher.h"
#include "crawler/robots.h"
#include "crawler/robots_cache.h"
#include "crawler/sitemap.h"

namespace crawler {

// ---- internal helpers (crawl_internal.h) ----

namespace internal {

namespace {

// Judges the links of one page (FilterLinks, SitemapUrls).
class LinkJudge {
 public:
  LinkJudge(const LinkPolicy& policy, std::string_view page_url)
      : policy_(policy),
        page_host_(core::UrlHost(page_url)),
        page_private_(IsPrivateHost(page_host_)) {}

  // Returns `link` normalised when it is new on this page and may be fetched
  // from it (no private host from a public page); with `in_scope`, only when
  // the crawl follows it at `depth` as well.
  std::optional<std::string> Take(std::string_view link, int depth,
                                  bool in_scope) {
    core::Result<std::string> url = core::NormalizeUrl(link);
    if (!url) return std::nullopt;
    if (!seen_.insert(*url).second) return std::nullopt;
    const std::string host = core::UrlHost(*url);
    if (!policy_.follow_private_links && !page_private_ &&
        IsPrivateHost(host)) {
      return std::nullopt;
    }
    if (in_scope && !Follows(*url, host, depth)) return std::nullopt;
    return std::move(url).value();
  }

 private:
  bool Follows(const std::string& url, const std::string& host,
               int depth) const {
    if (policy_.scope->Follows(url, depth)) return true;
    return policy_.host_scope != nullptr &&
           ((policy_.follow_same_host && host == page_host_) ||
            (policy_.extra_seed_hosts != nullptr &&
             policy_.extra_seed_hosts->Contains(host))) &&
           policy_.host_scope->Follows(url, depth);
  }

  const LinkPolicy& policy_;
  const std::string page_host_;
  const bool page_private_;
  std::set<std::string, std::less<>> seen_;
};

}  // namespace

std::vector<core::NewUrl> FilterLinks(const LinkPolicy& policy,
                                      std::string_view page_url,
                                      const std::vector<std::string>& links,
                                      int link_depth) {
  std::vector<core::NewUrl> out;
  LinkJudge judge(policy, page_url);
  for (const std::string& link : links) {
    if (std::optional<std::string> url =
            judge.Take(link, link_depth, /*in_scope=*/true)) {
      out.emplace_back(std::move(*url), link_depth);
    }
  }
  return out;
}

std::vector<core::NewUrl> SitemapUrls(const LinkPolicy& policy,
                                      std::string_view sitemap_url,
                                      const Sitemap& sitemap, int depth) {
  std::vector<core::NewUrl> out;
  LinkJudge judge(policy, sitemap_url);
  const bool index = sitemap.type == Sitemap::Type::kIndex;
  for (const SitemapEntry& entry : sitemap.entries) {
    // An index's sitemaps are read wherever they are (a site may keep them
    // on another host); the pages they list must be in scope.
    if (std::optional<std::string> url =
            judge.Take(entry.url, depth, /*in_scope=*/!index)) {
      core::NewUrl next{std::move(*url), depth};
      next.sitemap = index;
      if (!index) next.lastmod_ms = entry.lastmod_ms;
      out.push_back(std::move(next));
    }
  }
  return out;
}

namespace {

// Returns the offset of the path in a normalised URL ("scheme://authority" is
// before it), or npos when it has none.
size_t PathStart(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string_view::npos;
  return url.find_first_of("/?#", scheme_end + 3);
}

}  // namespace

std::string RobotsUrl(std::string_view url) {
  const size_t path = PathStart(url);
  return std::string(url.substr(0, path)) + "/robots.txt";
}

std::string FailureReason(const core::Error& error) {
  if (error.code == core::ErrorCode::kHttpStatus && error.http_status > 0) {
    return "http_" + std::to_string(error.http_status);
  }
  if (IsPrivateAddressRefusal(error)) return "private_address";
  return std::string(core::ErrorCodeName(error.code));
}

std::string ShortReason(const core::Error& error) {
  if (error.code == core::ErrorCode::kHttpStatus && error.http_status > 0) {
    return "HTTP " + std::to_string(error.http_status);
  }
  if (error.code == core::ErrorCode::kTimeout) return "timed out";
  const std::string& message = error.message;
  // libcurl's texts for CURLE_COULDNT_RESOLVE_HOST and CURLE_COULDNT_CONNECT
  // (curl_easy_strerror and its error buffer, 7.88).
  if (message.find("resolve host") != std::string::npos) {
    return "host name not resolved";
  }
  if (message.find("connect to server") != std::string::npos) {
    // curl_handle.cc adds the socket's errno text, when there is one.
    if (message.ends_with("(Connection refused)")) return "connection refused";
    if (message.ends_with("(No route to host)")) return "no route to host";
    if (message.ends_with("(Network is unreachable)")) {
      return "network unreachable";
    }
    return "cannot connect";
  }
  constexpr std::string_view kLead = "cannot fetch ";
  if (message.starts_with(kLead)) {
    const size_t colon = message.find(": ", kLead.size());
    if (colon != std::string::npos) return message.substr(colon + 2);
  }
  return message.empty() ? std::string(core::ErrorCodeName(error.code))
                         : message;
}

bool IsPauseAnswer(int http_status, bool has_retry_after) {
  return http_status == 429 || (http_status == 503 && has_retry_after);
}

namespace {
constexpr double kBucketBase = 1.05;
}  // namespace

void LatencyHistogram::Add(double ms) {
  size_t index = 0;
  if (ms >= 1.0) {
    const double i = std::floor(std::log(ms) / std::log(kBucketBase)) + 1;
    index = std::min(kBuckets - 1, static_cast<size_t>(i));
  }
  ++buckets_[index];
  ++count_;
}

double LatencyHistogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  const double clamped = std::clamp(q, 0.0, 1.0);
  const auto rank = std::max<int64_t>(
      1,
      static_cast<int64_t>(std::ceil(clamped * static_cast<double>(count_))));
  int64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      if (i == 0) return 0.5;
      // Bucket i holds [1.05^(i-1), 1.05^i): its geometric middle.
      return std::pow(kBucketBase, static_cast<double>(i) - 0.5);
    }
  }
  return std::pow(kBucketBase, static_cast<double>(kBuckets) - 0.5);
}

}  // namespace internal

namespace {

using Clock = std::chrono::steady_clock;

// Frontier times are wall-clock ms since the epoch (they outlive the
// process), read from the options' clock or else the system's.
const core::Clock& ClockOf(const CrawlOptions& options) {
  static const core::SystemClock kSystemClock;
  return options.clock != nullptr ? *options.clock : kSystemClock;
}

constexpr int kMaxPollMs = 100;  // the loop checks `stop` this often
constexpr int64_t kProgressEveryMs = 1000;
// Handled pages are written and marked done in batches, one transaction each
// (FrontierStore::BeginBatch): when this many wait, or when the oldest has
// waited this long, or when nothing else is going on.
constexpr size_t kBatchPages = 64;
constexpr int64_t kBatchWaitMs = 20;
constexpr int64_t kMaxClaimWaitMs = 1000;  // claim again at least this often
constexpr int64_t kMinClaimWaitMs = 5;
// robots.txt: RFC 9309 2.3.1.2 (at least five redirects) and 2.5 (at least
// 500 KiB parsed; RobotsRules::Parse reads that much of what is fetched).
constexpr int kRobotsMaxRedirects = 5;
constexpr int64_t kRobotsMinBodyBytes = int64_t{500} * 1024;
constexpr int kMaxFruitlessIdleClaims = 20;
constexpr size_t kParkBatch = 256;  // URLs claimed at once by ParkDueUrls

std::string Join(const std::string& reason, const std::string& message) {
  return message.empty() ? reason : reason + ": " + message;
}

// A URL claimed from the frontier and not started yet.
struct Waiting {
  core::FrontierEntry entry;
  std::string host;        // core::UrlHost: the pacer's key
  std::string robots_url;  // the robots cache key
};

// A fetched page for the workers, and what they make of it.
struct Job {
  core::FrontierEntry entry;
  core::FetchedPage page;
};
struct Done {
  core::FrontierEntry entry;
  core::PageVisit visit;
  // The handler's writes for the page (HandledPage::commit), run in the batch
  // that marks it done.
  std::function<core::Result<bool>()> commit;
  bool not_modified = false;  // a 304: only its Complete is written
  // A 304's or a sitemap's response, for OnUnparsed.
  std::optional<core::FetchedPage> response;
  std::optional<core::Error> error;  // stops the crawl (a storage failure)
  // A sitemap that could not be read: its URL fails, the crawl goes on.
  std::optional<core::Error> sitemap_error;
  int64_t sitemap_urls = 0;     // URLs the sitemap listed (before the scope)
  int64_t sitemap_dropped = 0;  // past options.sitemap.max_urls
};

}  // namespace

struct Crawler::Impl {
  CrawlOptions options;
  core::FrontierStore* frontier;
  core::PageHandler* handler;
  std::set<std::string> seed_hosts;  // from AddSeeds, each host once
};

namespace {

// One Run(): the state of the loop, the fetcher and the worker pool.
class CrawlRun {
 public:
  CrawlRun(const CrawlOptions& options, core::FrontierStore* frontier,
           core::PageHandler* handler, const Scope& scope,
           const Scope& host_scope, bool follow_same_host,
           std::set<std::string> seed_hosts, const std::atomic<bool>& stop)
      : options_(options),
        frontier_(frontier),
        handler_(handler),
        stop_(stop),
        concurrency_(std::max(1, options.concurrency)),
        seed_hosts_(std::move(seed_hosts)),
        fetcher_(CrawlFetchOptions(options),
                 MultiFetcherLimits{std::max(1, options.concurrency),
                                    std::max(1, options.politeness.per_host)}),
        pacer_(options.politeness),
        rng_(std::random_device{}()),
        robots_(RobotsCacheOptions{options.robots_user_agent,
                                   options.robots_cache_ms,
                                   options.robots_unreachable_retry_ms}) {
    link_policy_.scope = &scope;
    link_policy_.host_scope = &host_scope;
    link_policy_.follow_same_host = follow_same_host;
    link_policy_.extra_seed_hosts = &redirected_seed_hosts_;
    link_policy_.follow_private_links = options.follow_private_links;
    FetchOptions robots = CrawlFetchOptions(options);
    robots.max_redirects = kRobotsMaxRedirects;
    robots.max_body_bytes =
        std::max(options.fetch.max_body_bytes, kRobotsMinBodyBytes);
    robots_profile_ = fetcher_.AddProfile(std::move(robots));
    FetchOptions sitemaps = CrawlFetchOptions(options);
    sitemaps.max_body_bytes =
        std::max(options.fetch.max_body_bytes, options.sitemap.max_bytes);
    sitemap_profile_ = fetcher_.AddProfile(std::move(sitemaps));
    int workers = options.workers;
    if (workers <= 0) {
      workers = static_cast<int>(std::thread::hardware_concurrency());
    }
    workers = std::max(1, workers);
    backlog_cap_ = std::max(4, 2 * workers);
    buffer_cap_ = static_cast<size_t>(std::max(8, 2 * concurrency_));
    for (int i = 0; i < workers; ++i) {
      threads_.emplace_back([this] { WorkerLoop(); });
    }
  }

  ~CrawlRun() { StopWorkers(); }

  CrawlRun(const CrawlRun&) = delete;
  CrawlRun& operator=(const CrawlRun&) = delete;

  core::Result<CrawlStats> Run(
      const std::function<void(const CrawlStats&)>& progress);

 private:
  // -- the loop's steps --
  void Claim(int64_t now);
  void ProcessBuffer(int64_t now);
  void StartRobots(const Waiting& waiting, int64_t now);
  void StartPage(Waiting waiting, int64_t now);
  void OnRobots(const std::string& robots_url, const std::string& host,
                core::Result<core::FetchedPage> result);
  void OnPage(const Waiting& waiting, core::Result<core::FetchedPage> result);
  void OnFetchFailure(const core::FrontierEntry& entry, const std::string& host,
                      const core::Error& error, const core::FetchedPage* page,
                      int64_t now);
  // Queues the sitemaps robots.txt names (options.sitemap.from_robots).
  void AddRobotsSitemaps(const std::string& robots_url,
                         const RobotsRules& rules, int64_t now);
  // A worker's work on a fetched page: the handler's, or reading a sitemap.
  void HandlePage(const Job& job, Done* done);
  void ReadSitemap(const Job& job, Done* done) const;
  void DrainDone();
  void BeginStop();
  void ReturnBuffer();
  int NextTimeoutMs(int64_t now) const;
  bool ShouldExitIdle(int64_t now);
  // Returns a claimed URL to the queue, due at `due_ms`, past what this run
  // waits for: it is one of CrawlStats::waiting unless claimed again.
  void Park(const core::FrontierEntry& entry, const std::string& host,
            int64_t due_ms, const std::string& why);
  // Before the run ends on hosts paused past max_wait_ms: parks their due
  // URLs (never claimed, as the hosts were skipped) until each host is ready.
  void ParkDueUrls(int64_t now);
  std::map<std::string, CrawlStats::HostWait> WaitingHosts(int64_t now) const;
  // The hosts this run could not crawl (CrawlStats::down).
  std::map<std::string, CrawlStats::HostDown> DownHosts() const;
  CrawlStats Snapshot(int64_t now, bool count_frontier);

  // -- helpers --
  int64_t NowMs() const { return ClockOf(options_).NowMs(); }
  static FetchOptions CrawlFetchOptions(const CrawlOptions& options) {
    FetchOptions fetch = options.fetch;
    fetch.refuse_private_addresses = !options.follow_private_links;
    return fetch;
  }
  // The request of `w` may connect to non-public addresses (and so may its
  // redirects while they stay there): a seed, a URL on a seed's host (the
  // user named that host), or a literal private host, which FilterLinks
  // admits only from private pages. Any other host must be public, whatever
  // its name resolves to, and so must every redirect of a public page.
  RequestExtras AddressExtras(const Waiting& w) const {
    RequestExtras extras;
    extras.allow_private_addresses = w.entry.depth == 0 ||
                                     seed_hosts_.contains(w.host) ||
                                     IsPrivateHost(w.host);
    return extras;
  }
  void SetFatal(core::Error error);
  template <typename T>
  bool Check(const core::Result<T>& result) {
    if (!result) SetFatal(result.error());
    return result.has_value();
  }
  int64_t Committed() const {
    return stats_.pages_stored + stats_.not_modified + pages_in_workers_ +
           static_cast<int64_t>(batch_.size()) + page_transfers_;
  }
  bool MaxPagesReached() const {
    return options_.max_pages > 0 && Committed() >= options_.max_pages;
  }
  // Something changed (a host freed a slot, links were added): claim again
  // before deciding that the crawl is over.
  void ClaimSoon(int64_t now) {
    next_claim_ms_ = std::min(next_claim_ms_, now);
    claim_exhausted_ = false;
  }
  bool Idle() const {
    return fetcher_.in_flight() == 0 && pages_in_workers_ == 0 &&
           buffer_.empty() && BatchEmpty();
  }
  bool BatchEmpty() const { return batch_.empty() && robots_skips_.empty(); }
  // Milliseconds until the waiting batch is to be written (kBatchWaitMs after
  // its first page), or kMaxPollMs when none waits.
  int64_t BatchWaitLeftMs() const;
  // Writes the waiting batch: each page's writes and its Complete, in one
  // frontier batch.
  void CommitBatch(int64_t now);

  // -- workers --
  void WorkerLoop();
  void StopWorkers();

  const CrawlOptions& options_;
  core::FrontierStore* frontier_;
  core::PageHandler* handler_;
  const std::atomic<bool>& stop_;
  const int concurrency_;
  const std::set<std::string> seed_hosts_;  // lowercase, as core::UrlHost
  internal::LinkPolicy link_policy_;
  internal::HostSet redirected_seed_hosts_;

  MultiFetcher fetcher_;
  int robots_profile_ = 0;
  int sitemap_profile_ = 0;
  int64_t sitemaps_started_ = 0;  // of options_.sitemap.max_files
  HostPacer pacer_;
  std::mt19937_64 rng_;
  std::deque<Waiting> buffer_;
  size_t buffer_cap_ = 8;
  RobotsCache robots_;
  int page_transfers_ = 0;
  int64_t pages_in_workers_ = 0;  // handed to the workers, not drained yet
  int backlog_cap_ = 4;

  int64_t next_claim_ms_ = 0;
  bool claim_exhausted_ = false;  // the last claim got fewer than asked
  int fruitless_idle_claims_ = 0;
  int64_t retry_deadline_ms_ = std::numeric_limits<int64_t>::min();
  // URLs queued for after max_wait_ms: url -> (host, due).
  std::unordered_map<std::string, std::pair<std::string, int64_t>> left_;
  // What each host's URLs came to in this run, for CrawlStats::down.
  struct HostTally {
    int64_t answered = 0;    // requests answered (a 4xx too; a 5xx is none)
    int64_t unanswered = 0;  // attempts without an answer
    std::string reason;      // why the last of those failed
  };
  std::unordered_map<std::string, HostTally> hosts_;
  // robots.txt URLs unreachable (not a pause) when last asked: (host, why).
  std::map<std::string, std::pair<std::string, std::string>> robots_down_;
  bool stopping_ = false;
  std::optional<core::Error> fatal_;

  CrawlStats stats_;
  internal::LatencyHistogram latency_;
  Clock::time_point started_ = Clock::now();

  // Worker pool. Guarded by mutex_: jobs_, done_, quit_.
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  std::vector<Done> done_;
  bool quit_ = false;
  // Drained from done_ (and 304s), waiting for their batch (loop thread
  // only), and when the first of them was.
  std::vector<Done> batch_;
  // URLs robots.txt disallows, failed in the next batch (a page's links can
  // hold many: one transaction each cost more than the pages).
  std::vector<std::string> robots_skips_;
  Clock::time_point batch_since_;
  std::vector<std::thread> threads_;
};

void CrawlRun::SetFatal(core::Error error) {
  if (!fatal_) fatal_ = std::move(error);
}

void CrawlRun::WorkerLoop() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return quit_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // quit_ and nothing left
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Done done;
    done.visit.etag = job.page.etag;
    done.visit.last_modified = job.page.last_modified;
    if (job.entry.sitemap) {
      ReadSitemap(job, &done);
      // Logged with the batch (a sitemap that could not be read is a failure).
      if (!done.sitemap_error) done.response = std::move(job.page);
    } else {
      HandlePage(job, &done);
    }
    done.entry = std::move(job.entry);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.push_back(std::move(done));
    }
    fetcher_.Wakeup();
  }
}

void CrawlRun::ReadSitemap(const Job& job, Done* done) const {
  const core::FetchedPage& page = job.page;
  const std::string& url = page.final_url.empty() ? page.url : page.final_url;
  done->visit.kind = core::PageKind::kSitemap;
  SitemapLimits limits;
  limits.max_bytes = options_.sitemap.max_bytes;
  limits.max_urls = options_.sitemap.max_urls;
  core::Result<Sitemap> sitemap = ParseSitemap(page.body, limits);
  if (!sitemap) {
    done->sitemap_error =
        core::Error(sitemap.error().code, sitemap.error().message + ": " + url);
    return;
  }
  done->sitemap_dropped = sitemap->dropped;
  done->sitemap_urls = static_cast<int64_t>(sitemap->entries.size());
  done->visit.links =
      internal::SitemapUrls(link_policy_, url, *sitemap, job.entry.depth);
}

void CrawlRun::HandlePage(const Job& job, Done* done) {
  try {
    core::Result<core::HandledPage> handled = handler_->OnPage(job.page);
    if (!handled) {
      done->error = handled.error();
      return;
    }
    const std::string& page_url =
        job.page.final_url.empty() ? job.page.url : job.page.final_url;
    done->commit = std::move(handled->commit);
    if (job.entry.depth == 0 && job.page.redirects > 0) {
      // A seed's host is where it leads: "http://example.com/" often
      // redirects to "https://www.example.com/", whose links are the site.
      redirected_seed_hosts_.Insert(core::UrlHost(page_url));
    }
    done->visit.kind = handled->kind;
    done->visit.changed = handled->changed;
    done->visit.links = internal::FilterLinks(
        link_policy_, page_url, handled->links, job.entry.depth + 1);
  } catch (const std::exception& e) {
    // A handler must not throw; if it does, the crawl stops with its text
    // instead of the process ending on an uncaught exception in a thread.
    done->error = core::Error(core::ErrorCode::kInternal,
                              std::string("page handler threw: ") + e.what());
  }
}

void CrawlRun::StopWorkers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  cv_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void CrawlRun::DrainDone() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!done_.empty() && BatchEmpty()) batch_since_ = Clock::now();
    for (Done& d : done_) {
      --pages_in_workers_;
      batch_.push_back(std::move(d));
    }
    done_.clear();
  }
  if (BatchEmpty()) return;
  const bool due = batch_.size() + robots_skips_.size() >= kBatchPages ||
                   BatchWaitLeftMs() <= 0 || stopping_ || fatal_ ||
                   (fetcher_.in_flight() == 0 && pages_in_workers_ == 0);
  if (due) CommitBatch(NowMs());
}

int64_t CrawlRun::BatchWaitLeftMs() const {
  if (BatchEmpty()) return kMaxPollMs;
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
                          Clock::now() - batch_since_)
                          .count();
  return kBatchWaitMs - waited;
}

void CrawlRun::CommitBatch(int64_t now) {
  std::vector<Done> batch;
  batch.swap(batch_);
  std::vector<std::string> skips;
  skips.swap(robots_skips_);
  // After a fatal error the URLs stay in flight in the frontier: the next
  // run's RequeueInFlight returns them.
  if (fatal_ || !Check(frontier_->BeginBatch())) return;
  for (const std::string& url : skips) {
    if (!Check(frontier_->Fail(url, now, "robots_disallowed"))) break;
    // A skip the site asked for, not a failure (issue 13 item 3).
    ++stats_.robots_disallowed;
    const core::Error error(core::ErrorCode::kRobotsDisallowed,
                            "robots.txt disallows " + url);
    if (!Check(handler_->OnFailure(url, error, nullptr))) break;
  }
  for (Done& d : batch) {
    if (fatal_) break;
    if (d.error) {
      SetFatal(*d.error);
      break;
    }
    if (d.sitemap_error) {
      OnFetchFailure(d.entry, core::UrlHost(d.entry.url), *d.sitemap_error,
                     nullptr, now);
      continue;
    }
    if (d.response && !Check(handler_->OnUnparsed(*d.response))) break;
    if (d.not_modified) {
      if (!Check(frontier_->Complete(d.entry.url, now, d.visit))) break;
      ++stats_.not_modified;
      continue;
    }
    if (d.entry.sitemap) {
      if (!Check(frontier_->Complete(d.entry.url, now, d.visit))) break;
      ++stats_.sitemaps;
      stats_.sitemap_urls += d.sitemap_urls;
      stats_.sitemap_urls_dropped += d.sitemap_dropped;
      continue;
    }
    if (d.commit) {
      core::Result<bool> changed = d.commit();
      if (!Check(changed)) break;
      d.visit.changed = *changed;
    }
    if (!Check(frontier_->Complete(d.entry.url, now, d.visit))) break;
    ++stats_.pages_stored;
    if (d.visit.changed) ++stats_.changed;
  }
  // What the batch wrote before a failure is committed too: each page's
  // writes and its Complete are one savepoint, whole or absent.
  if (!Check(frontier_->CommitBatch())) return;
  ClaimSoon(now);  // new links may be due
}

void CrawlRun::Claim(int64_t now) {
  if (stopping_ || fatal_ || MaxPagesReached() || now < next_claim_ms_) return;
  if (buffer_.size() >= buffer_cap_) return;
  size_t limit = buffer_cap_ - buffer_.size();
  if (options_.max_pages > 0) {
    const int64_t left =
        options_.max_pages - Committed() - static_cast<int64_t>(buffer_.size());
    if (left <= 0) return;
    limit = std::min(limit, static_cast<size_t>(left));
  }
  // Hosts that cannot start now, and hosts with claimed URLs still waiting:
  // claiming more of them would only fill the buffer with one host.
  std::vector<std::string> skip = pacer_.BlockedHosts(now);
  for (const Waiting& w : buffer_) skip.push_back(w.host);
  std::sort(skip.begin(), skip.end());
  skip.erase(std::unique(skip.begin(), skip.end()), skip.end());

  core::Result<std::vector<core::FrontierEntry>> claimed =
      frontier_->Claim(limit, now, skip);
  if (!Check(claimed)) return;
  for (core::FrontierEntry& entry : *claimed) {
    left_.erase(entry.url);
    Waiting w;
    w.host = core::UrlHost(entry.url);
    w.robots_url = internal::RobotsUrl(entry.url);
    w.entry = std::move(entry);
    buffer_.push_back(std::move(w));
  }
  claim_exhausted_ = claimed->size() < limit;
  if (!claimed->empty()) fruitless_idle_claims_ = 0;
  if (claim_exhausted_) {
    // Nothing more is claimable now: wait for a blocked host to become ready,
    // or for an event (a transfer ends, a page adds links) to bring it closer.
    int64_t wake = now + kMaxClaimWaitMs;
    for (const std::string& host : skip) {
      if (pacer_.in_flight(host) < options_.politeness.per_host) {
        wake = std::min(wake, pacer_.ReadyAt(host, now));
      }
    }
    next_claim_ms_ = std::max(wake, now + kMinClaimWaitMs);
  }
}

void CrawlRun::ProcessBuffer(int64_t now) {
  for (auto it = buffer_.begin(); it != buffer_.end() && !fatal_;) {
    Waiting& w = *it;
    if (const int64_t ready = pacer_.ReadyAt(w.host, now);
        ready - now > options_.max_wait_ms) {
      // Claimed before its host was paused (a 429 of another of its URLs):
      // back to the queue for when the pause ends.
      Park(w.entry, w.host, ready, "host paused");
      it = buffer_.erase(it);
      continue;
    }
    const bool slot_free = fetcher_.in_flight() < concurrency_;
    if (options_.obey_robots) {
      const RobotsCache::Lookup robots = robots_.Find(w.robots_url, now);
      if (robots.state == RobotsCache::State::kMissing) {
        if (slot_free && pacer_.CanStart(w.host, now)) StartRobots(w, now);
        ++it;
        continue;
      }
      if (robots.state == RobotsCache::State::kFetching) {
        ++it;
        continue;
      }
      if (robots.state == RobotsCache::State::kUnreachable) {
        // RFC 9309 2.3.1.4: unreachable robots.txt means disallow all for
        // now; the URL goes back to the queue for after the wait.
        Park(w.entry, w.host, robots.until_ms, "robots_unreachable");
        it = buffer_.erase(it);
        continue;
      }
      if (!robots.rules->IsAllowedUrl(w.entry.url)) {
        if (BatchEmpty()) batch_since_ = Clock::now();
        robots_skips_.push_back(std::move(w.entry.url));
        it = buffer_.erase(it);
        continue;
      }
    }
    if (!slot_free || MaxPagesReached() || pages_in_workers_ >= backlog_cap_ ||
        !pacer_.CanStart(w.host, now)) {
      ++it;
      continue;
    }
    Waiting started = std::move(w);
    it = buffer_.erase(it);
    StartPage(std::move(started), now);
  }
}

void CrawlRun::StartRobots(const Waiting& waiting, int64_t now) {
  robots_.MarkFetching(waiting.robots_url);
  pacer_.OnStart(waiting.host, now);
  fetcher_.Start(
      waiting.robots_url, AddressExtras(waiting),
      [this, robots_url = waiting.robots_url,
       host = waiting.host](core::Result<core::FetchedPage> result) {
        OnRobots(robots_url, host, std::move(result));
      },
      robots_profile_);
}

void CrawlRun::OnRobots(const std::string& robots_url, const std::string& host,
                        core::Result<core::FetchedPage> result) {
  const int64_t now = NowMs();
  pacer_.OnFinish(host, now);
  ClaimSoon(now);
  const std::optional<RobotsAccess> access = RobotsAccessForFetch(result);
  if (!access) {
    robots_.Forget(robots_url);  // cancelled: fetched again when needed
    return;
  }
  if (*access == RobotsAccess::kUnreachable) {
    // The attempt goes to the fetch log like a page's (issue 13 item 1), and
    // a host that did not answer is down for this run; one that asked for a
    // pause is not.
    core::Error error;
    if (!result) {
      error = result.error();
    } else if (core::Status checked = CheckPage(*result); !checked) {
      error = checked.error();  // "HTTP 500 Internal Server Error for URL"
    } else {                    // a status below 200
      error = core::Error(
          core::ErrorCode::kHttpStatus,
          "HTTP " + std::to_string(result->status) + " for " + robots_url,
          static_cast<int>(result->status));
    }
    if (!Check(handler_->OnFailure(robots_url, error,
                                   result ? &*result : nullptr))) {
      return;
    }
    if (!result || !internal::IsPauseAnswer(static_cast<int>(result->status),
                                            result->retry_after.has_value())) {
      robots_down_[robots_url] = {host, internal::ShortReason(error)};
    }
  } else {
    robots_down_.erase(robots_url);
  }
  int64_t retry_after_until = 0;  // a 429/503's pause, when it gave one
  if (*access == RobotsAccess::kUnreachable && result &&
      (result->status == 429 || result->status == 503) && result->retry_after) {
    // The host said how long: pause it, and ask again no sooner.
    if (const std::optional<int64_t> until =
            ParseRetryAfter(*result->retry_after, now)) {
      pacer_.PauseUntil(host, now, *until);
      retry_after_until = pacer_.ReadyAt(host, now);
    }
  }
  const RobotsRules& rules = robots_.Record(
      robots_url, *access, result ? std::string_view{result->body} : "", now,
      retry_after_until);
  if (*access == RobotsAccess::kParse) {
    if (const std::optional<int64_t> delay = rules.crawl_delay_ms()) {
      pacer_.SetCrawlDelay(host, *delay);
    }
    if (options_.sitemap.from_robots) AddRobotsSitemaps(robots_url, rules, now);
  }
}

void CrawlRun::AddRobotsSitemaps(const std::string& robots_url,
                                 const RobotsRules& rules, int64_t now) {
  if (rules.sitemaps().empty()) return;
  Sitemap named;
  named.type = Sitemap::Type::kIndex;  // robots.txt lists sitemaps like one
  for (const std::string& url : rules.sitemaps()) {
    named.entries.push_back(SitemapEntry{url, std::nullopt});
  }
  const std::vector<core::NewUrl> urls =
      internal::SitemapUrls(link_policy_, robots_url, named, /*depth=*/0);
  // Add: a sitemap read before is left alone (crawl --recrawl reads it again).
  Check(frontier_->Add(urls, now));
  ClaimSoon(now);
}

void CrawlRun::StartPage(Waiting waiting, int64_t now) {
  int profile = 0;
  if (waiting.entry.sitemap) {
    if (sitemaps_started_ >= options_.sitemap.max_files) {
      OnFetchFailure(
          waiting.entry, waiting.host,
          core::Error(core::ErrorCode::kTooLarge,
                      "sitemap not read: this crawl read its " +
                          std::to_string(options_.sitemap.max_files) +
                          " sitemaps already (crawl.max_sitemaps)"),
          nullptr, now);
      return;
    }
    ++sitemaps_started_;
    profile = sitemap_profile_;
  }
  RequestExtras extras = AddressExtras(waiting);
  extras.if_none_match = waiting.entry.etag;
  extras.if_modified_since = waiting.entry.last_modified;
  pacer_.OnStart(waiting.host, now);
  ++page_transfers_;
  const std::string url = waiting.entry.url;
  fetcher_.Start(
      url, extras,
      [this, w = std::move(waiting)](core::Result<core::FetchedPage> result) {
        OnPage(w, std::move(result));
      },
      profile);
}

void CrawlRun::OnPage(const Waiting& waiting,
                      core::Result<core::FetchedPage> result) {
  const int64_t now = NowMs();
  --page_transfers_;
  pacer_.OnFinish(waiting.host, now);
  ClaimSoon(now);
  const core::FrontierEntry& entry = waiting.entry;
  if (!result) {
    if (result.error().code == core::ErrorCode::kCancelled) {
      // Stopped: back to the queue as it was, without counting an attempt.
      Check(frontier_->Retry(entry.url, now, /*count_attempt=*/false,
                             "cancelled"));
      return;
    }
    OnFetchFailure(entry, waiting.host, result.error(), nullptr, now);
    return;
  }
  core::FetchedPage& page = *result;
  stats_.bytes += static_cast<int64_t>(page.body.size());
  latency_.Add(page.seconds * 1000.0);
  if (page.status == 304) {
    // Not Modified: the stored copy is current; nothing to parse. Keep the
    // validators (a 304 may send new ones, RFC 9110 15.4.5).
    core::PageVisit visit;
    visit.etag = page.etag ? page.etag : entry.etag;
    visit.last_modified =
        page.last_modified ? page.last_modified : entry.last_modified;
    visit.changed = false;
    // Written with the batch of handled pages (one transaction for many).
    if (BatchEmpty()) batch_since_ = Clock::now();
    Done done;
    done.entry = entry;
    done.visit = std::move(visit);
    done.not_modified = true;
    done.response = std::move(page);
    batch_.push_back(std::move(done));
    ++hosts_[waiting.host].answered;
    return;
  }
  // A sitemap is XML, text or gzip: only its status is checked here, its
  // body by the worker that reads it.
  if (core::Status ok = entry.sitemap ? CheckStatus(page) : CheckPage(page);
      !ok) {
    OnFetchFailure(entry, waiting.host, ok.error(), &page, now);
    return;
  }
  ++hosts_[waiting.host].answered;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(Job{entry, std::move(page)});
  }
  ++pages_in_workers_;
  cv_.notify_one();
}

void CrawlRun::OnFetchFailure(const core::FrontierEntry& entry,
                              const std::string& host, const core::Error& error,
                              const core::FetchedPage* page, int64_t now) {
  if (!Check(handler_->OnFailure(entry.url, error, page))) return;
  const std::string reason = internal::FailureReason(error);
  const int attempts = entry.attempts + 1;
  HostTally& tally = hosts_[host];
  if (page != nullptr &&
      (page->status < 500 ||
       internal::IsPauseAnswer(static_cast<int>(page->status),
                               page->retry_after.has_value()))) {
    ++tally.answered;  // a 404, a page that is no HTML, a pause ...
  } else if (error.code == core::ErrorCode::kNetwork ||
             error.code == core::ErrorCode::kTimeout ||
             error.code == core::ErrorCode::kHttpStatus) {
    ++tally.unanswered;
    tally.reason = internal::ShortReason(error);
  }
  const bool retryable = core::IsRetryable(error);  // not a redirect loop

  // 429 and 503: the host asks for a pause (Retry-After, RFC 9110 10.2.3);
  // without the header, pause it for the backoff delay.
  int64_t pause_until = now;
  if (page != nullptr && (page->status == 429 || page->status == 503)) {
    std::optional<int64_t> until;
    if (page->retry_after) until = ParseRetryAfter(*page->retry_after, now);
    if (!until) until = now + BackoffDelayMs(options_.retry, attempts, rng_);
    pacer_.PauseUntil(host, now, *until);
    pause_until =
        std::min(*until, now + options_.politeness.max_retry_after_ms);
  }

  if (retryable && ShouldRetry(options_.retry, attempts)) {
    const int64_t next = std::max(
        now + BackoffDelayMs(options_.retry, attempts, rng_), pause_until);
    if (!Check(frontier_->Retry(entry.url, next, /*count_attempt=*/true,
                                Join(reason, error.message)))) {
      return;
    }
    ++stats_.retried;
    if (next - now <= options_.max_wait_ms) {
      retry_deadline_ms_ = std::max(retry_deadline_ms_, next);
    } else {
      left_[entry.url] = {host, next};
    }
    return;
  }
  if (!Check(frontier_->Fail(entry.url, now, Join(reason, error.message)))) {
    return;
  }
  ++stats_.failed;
  ++stats_.failures_by_reason[reason];
}

void CrawlRun::ReturnBuffer() {
  for (const Waiting& w : buffer_) {
    // Not started: back as it was. Errors are ignored on the way out (the
    // next run's RequeueInFlight returns the URL anyway) unless none is set.
    core::Status s = frontier_->Retry(w.entry.url, w.entry.next_fetch_ms,
                                      /*count_attempt=*/false, "not started");
    if (!s && !fatal_) SetFatal(s.error());
  }
  buffer_.clear();
}

void CrawlRun::BeginStop() {
  stopping_ = true;
  ReturnBuffer();
  // The callbacks return the URLs to the queue (OnPage / OnRobots, kCancelled).
  fetcher_.CancelAll();
  if (fatal_) {
    // Pages not picked up by a worker yet are dropped: their URLs stay in
    // flight for the next run's RequeueInFlight.
    std::lock_guard<std::mutex> lock(mutex_);
    pages_in_workers_ -= static_cast<int64_t>(jobs_.size());
    jobs_.clear();
  }
}

int CrawlRun::NextTimeoutMs(int64_t now) const {
  int64_t wake = now + std::min<int64_t>(kMaxPollMs, BatchWaitLeftMs());
  if (!stopping_ && !fatal_) {
    if (!MaxPagesReached() && buffer_.size() < buffer_cap_) {
      wake = std::min(wake, next_claim_ms_);
    }
    if (fetcher_.in_flight() < concurrency_ &&
        pages_in_workers_ < backlog_cap_) {
      for (const Waiting& w : buffer_) {
        if (pacer_.in_flight(w.host) < options_.politeness.per_host) {
          wake = std::min(wake, pacer_.ReadyAt(w.host, now));
        }
      }
    }
  }
  return static_cast<int>(std::clamp<int64_t>(wake - now, 1, kMaxPollMs));
}

bool CrawlRun::ShouldExitIdle(int64_t now) {
  if (MaxPagesReached()) return true;
  if (!claim_exhausted_) return false;  // claim again first
  core::Result<std::optional<int64_t>> next_due = frontier_->NextDueMs();
  if (!Check(next_due)) return true;
  if (!next_due->has_value()) return true;  // nothing queued at all
  const int64_t due = **next_due;
  if (due <= now) {
    // Due URLs on hosts that cannot start yet (a delay or a pause): wait for
    // the first host to be ready, if that is within this run's patience.
    int64_t ready = std::numeric_limits<int64_t>::max();
    for (const std::string& host : pacer_.BlockedHosts(now)) {
      ready = std::min(ready, pacer_.ReadyAt(host, now));
    }
    if (ready == std::numeric_limits<int64_t>::max()) {
      // No host is blocked, yet claims return nothing: a frontier that will
      // not hand these URLs out. Give up after a few tries rather than spin.
      return ++fruitless_idle_claims_ > kMaxFruitlessIdleClaims;
    }
    if (ready - now <= options_.max_wait_ms) return false;
    // Every host with due URLs is paused past what this run waits for.
    ParkDueUrls(now);
    return true;
  }
  // Only retries this run scheduled are waited for; later work (recrawls,
  // hosts whose robots.txt was unreachable) is left for the next run.
  if (due <= retry_deadline_ms_) {
    next_claim_ms_ = due;
    return false;
  }
  return true;
}

void CrawlRun::Park(const core::FrontierEntry& entry, const std::string& host,
                    int64_t due_ms, const std::string& why) {
  if (Check(
          frontier_->Retry(entry.url, due_ms, /*count_attempt=*/false, why))) {
    left_[entry.url] = {host, due_ms};
  }
}

void CrawlRun::ParkDueUrls(int64_t now) {
  std::vector<core::FrontierEntry> not_paused;
  for (;;) {
    core::Result<std::vector<core::FrontierEntry>> claimed =
        frontier_->Claim(kParkBatch, now, {});
    if (!Check(claimed) || claimed->empty()) break;
    for (core::FrontierEntry& entry : *claimed) {
      std::string host = core::UrlHost(entry.url);
      const int64_t ready = pacer_.ReadyAt(host, now);
      if (ready - now > options_.max_wait_ms) {
        Park(entry, host, ready, "host paused");
      } else {
        not_paused.push_back(std::move(entry));  // back as it was, below
      }
    }
  }
  for (const core::FrontierEntry& entry : not_paused) {
    Check(frontier_->Retry(entry.url, entry.next_fetch_ms,
                           /*count_attempt=*/false, "not started"));
  }
}

std::map<std::string, CrawlStats::HostWait> CrawlRun::WaitingHosts(
    int64_t now) const {
  std::map<std::string, CrawlStats::HostWait> out;
  for (const auto& [url, left] : left_) {
    const auto& [host, due] = left;
    if (due <= now) continue;
    CrawlStats::HostWait& wait = out[host];
    ++wait.urls;
    wait.until_ms = std::max(wait.until_ms, due);
  }
  return out;
}

std::map<std::string, CrawlStats::HostDown> CrawlRun::DownHosts() const {
  std::map<std::string, CrawlStats::HostDown> out;
  for (const auto& [robots_url, down] : robots_down_) {
    out[down.first].robots_unreachable = down.second;
  }
  for (const auto& [host, tally] : hosts_) {
    if (tally.answered == 0 && tally.unanswered > 0) {
      CrawlStats::HostDown& down = out[host];
      down.failed_attempts = tally.unanswered;
      down.reason = tally.reason;
    }
  }
  return out;
}

CrawlStats CrawlRun::Snapshot(int64_t now, bool count_frontier) {
  CrawlStats s = stats_;
  s.fetching = fetcher_.in_flight();
  s.waiting_to_start = static_cast<int64_t>(buffer_.size());
  s.parsing = pages_in_workers_;
  s.elapsed_s = std::chrono::duration<double>(Clock::now() - started_).count();
  s.fetch_p50_ms = latency_.Percentile(0.50);
  s.fetch_p95_ms = latency_.Percentile(0.95);
  if (count_frontier) {
    core::Result<core::FrontierCounts> counts = frontier_->Counts(now);
    if (Check(counts)) stats_.queued = counts->queued;
  }
  s.queued = stats_.queued;
  return s;
}

core::Result<CrawlStats> CrawlRun::Run(
    const std::function<void(const CrawlStats&)>& progress) {
  int64_t now = NowMs();
  if (core::Result<int64_t> requeued = frontier_->RequeueInFlight(now);
      !requeued) {
    return requeued.error();
  }
  int64_t next_progress_ms = now + kProgressEveryMs;
  int64_t last_prune_ms = now;
  for (;;) {
    now = NowMs();
    if ((stop_.load() || fatal_) && !stopping_) BeginStop();
    DrainDone();
    if (fatal_ && !stopping_) BeginStop();
    now = NowMs();  // DrainDone's links are due at its own, later, time
    if (!stopping_) {
      Claim(now);
      ProcessBuffer(now);
      if (fatal_) BeginStop();
    }
    if (progress && now >= next_progress_ms) {
      progress(Snapshot(now, /*count_frontier=*/true));
      next_progress_ms = now + kProgressEveryMs;
    }
    if (now - last_prune_ms > 60'000) {
      pacer_.Prune(now);
      robots_.Prune(now);
      last_prune_ms = now;
    }
    if (stopping_) {
      if (fetcher_.in_flight() == 0 && pages_in_workers_ == 0) break;
    } else if (Idle() && ShouldExitIdle(now)) {
      break;
    }
    fetcher_.Poll(NextTimeoutMs(NowMs()));
  }
  ReturnBuffer();
  StopWorkers();
  if (fatal_) return *fatal_;
  const int64_t end = NowMs();
  CrawlStats final_stats = Snapshot(end, /*count_frontier=*/true);
  if (fatal_) return *fatal_;
  final_stats.waiting = WaitingHosts(end);
  final_stats.down = DownHosts();
  if (progress) progress(final_stats);
  return final_stats;
}

}  // namespace

Crawler::Crawler(CrawlOptions options, core::FrontierStore* frontier,
                 core::PageHandler* handler)
    : impl_(std::make_unique<Impl>(
          Impl{std::move(options), frontier, handler, {}})) {}

Crawler::~Crawler() = default;

core::Status Crawler::AddSeeds(const std::vector<std::string>& seeds) {
  return AddStartUrls(seeds, /*sitemaps=*/false);
}

core::Status Crawler::AddSitemaps(const std::vector<std::string>& sitemaps) {
  return AddStartUrls(sitemaps, /*sitemaps=*/true);
}

core::Status Crawler::AddStartUrls(const std::vector<std::string>& start,
                                   bool sitemaps) {
  std::vector<core::NewUrl> urls;
  urls.reserve(start.size());
  for (const std::string& seed : start) {
    core::Result<std::string> url = core::NormalizeUrl(seed);
    if (!url) return url.error();
    impl_->seed_hosts.insert(core::UrlHost(*url));
    core::NewUrl next{std::move(url).value(), 0};
    next.sitemap = sitemaps;
    urls.push_back(std::move(next));
  }
  if (urls.empty()) return {};
  return impl_->frontier->Requeue(urls, ClockOf(impl_->options).NowMs());
}

core::Result<CrawlStats> Crawler::Run(
    const std::atomic<bool>& stop,
    const std::function<void(const CrawlStats&)>& progress) {
  ScopeOptions scope_options{impl_->options.scope, impl_->options.seed_hosts};
  if (scope_options.seed_hosts.empty()) {
    scope_options.seed_hosts.assign(impl_->seed_hosts.begin(),
                                    impl_->seed_hosts.end());
  }
  std::sort(scope_options.seed_hosts.begin(), scope_options.seed_hosts.end());
  scope_options.seed_hosts.erase(std::unique(scope_options.seed_hosts.begin(),
                                             scope_options.seed_hosts.end()),
                                 scope_options.seed_hosts.end());
  const bool no_seed_hosts = scope_options.seed_hosts.empty();
  std::set<std::string> seed_hosts;
  for (const std::string& host : scope_options.seed_hosts) {
    seed_hosts.insert(core::UrlHost("http://" + host + "/"));
  }
  std::optional<Scope> scope;
  std::optional<Scope> host_scope;
  try {
    // The deny patterns and depth, every URL allowed: for the hosts that
    // count as the crawl's own besides seed_hosts (see LinkPolicy).
    ScopeOptions any_url = scope_options;
    any_url.seed_hosts.clear();
    any_url.allow = {"^"};
    host_scope.emplace(std::move(any_url));
    scope.emplace(std::move(scope_options));
  } catch (const std::invalid_argument& e) {
    return core::Error(core::ErrorCode::kConfig,
                       std::string("invalid scope pattern: ") + e.what());
  }
  // Resumed without seeds: the crawl stays on the host of each page (every
  // queued URL came from the seeds' hosts or the allow patterns).
  CrawlRun run(impl_->options, impl_->frontier, impl_->handler, *scope,
               *host_scope, no_seed_hosts, std::move(seed_hosts), stop);
  return run.Run(progress);
}

}  // namespace crawler
