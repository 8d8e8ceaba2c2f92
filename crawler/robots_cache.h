// RobotsCache: the crawl loop's robots.txt rules per robots.txt URL (scheme,
// host and port: RFC 9309 2.3), what it decides from each fetch, and how long
// each answer is kept (2.4: a cached copy may be used for up to 24 hours;
// "unreachable" is asked again sooner). Pure bookkeeping: the caller fetches
// and passes the time, so every rule is testable without a network or a clock.
// Not thread-safe: owned by the crawl loop's thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/fetch.h"
#include "core/result.h"
#include "crawler/robots.h"

namespace crawler {

// Returns what the result of fetching a robots.txt means (RFC 9309 2.3.1): an
// answer as RobotsAccessForStatus says; past the redirect limit
// (kTooManyRedirects) the file MAY be taken as unavailable (2.3.1.2):
// kAllowAll; a refused non-public address kAllowAll as well (the page fetch is
// refused in turn and fails with that reason, instead of waiting as
// unreachable); any other failure kUnreachable. nullopt for a cancelled fetch:
// nothing was learnt, and it is fetched again when needed.
std::optional<RobotsAccess> RobotsAccessForFetch(
    const core::Result<core::FetchedPage>& result);

struct RobotsCacheOptions {
  std::string user_agent = "podcrawl";  // product token matched in robots.txt
  int64_t cache_ms = int64_t{24} * 3'600'000;  // how long an answer is kept
  int64_t unreachable_retry_ms = 600'000;  // unreachable: disallow this long
};

class RobotsCache {
 public:
  enum class State {
    kMissing,      // never fetched, or expired: fetch it (MarkFetching)
    kFetching,     // a fetch is under way: wait for Record
    kReady,        // rules() apply
    kUnreachable,  // everything is disallowed until until_ms: wait
  };
  struct Lookup {
    State state = State::kMissing;
    const RobotsRules* rules = nullptr;  // kReady only; valid until next change
    int64_t until_ms = 0;                // kReady, kUnreachable: expiry
  };

  explicit RobotsCache(RobotsCacheOptions options);

  // Returns the state of `robots_url` at `now_ms`.
  Lookup Find(const std::string& robots_url, int64_t now_ms) const;
  // Records that a fetch of `robots_url` started.
  void MarkFetching(const std::string& robots_url);
  // Forgets `robots_url` (a cancelled fetch): it is kMissing again.
  void Forget(const std::string& robots_url);
  // Records the answer to a fetch of `robots_url` at `now_ms`: kParse parses
  // `body` for options.user_agent, kAllowAll allows all; both are kept for
  // cache_ms. kUnreachable disallows all until the later of now_ms +
  // unreachable_retry_ms and `not_before_ms` (a Retry-After the host sent).
  // Returns the rules recorded.
  const RobotsRules& Record(const std::string& robots_url, RobotsAccess access,
                            std::string_view body, int64_t now_ms,
                            int64_t not_before_ms = 0);
  // Forgets expired answers (never one being fetched); returns how many.
  size_t Prune(int64_t now_ms);
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    State state = State::kFetching;
    RobotsRules rules = RobotsRules::AllowAll();
    int64_t expires_ms = 0;
  };
  RobotsCacheOptions options_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace crawler
