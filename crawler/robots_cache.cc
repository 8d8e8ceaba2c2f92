#include "crawler/robots_cache.h"

#include <algorithm>
#include <utility>

#include "core/clock.h"
#include "core/error.h"
#include "crawler/http_client.h"

namespace crawler {

std::optional<RobotsAccess> RobotsAccessForFetch(
    const core::Result<core::FetchedPage>& result) {
  if (result) return RobotsAccessForStatus(result->status);
  const core::Error& error = result.error();
  if (error.code == core::ErrorCode::kCancelled) return std::nullopt;
  if (error.code == core::ErrorCode::kTooManyRedirects ||
      IsPrivateAddressRefusal(error)) {
    return RobotsAccess::kAllowAll;
  }
  return RobotsAccess::kUnreachable;
}

RobotsCache::RobotsCache(RobotsCacheOptions options)
    : options_(std::move(options)) {}

RobotsCache::Lookup RobotsCache::Find(const std::string& robots_url,
                                      int64_t now_ms) const {
  const auto it = entries_.find(robots_url);
  if (it == entries_.end()) return {};
  const Entry& entry = it->second;
  if (entry.state == State::kFetching) return {State::kFetching, nullptr, 0};
  if (entry.expires_ms <= now_ms) return {};
  if (entry.state == State::kUnreachable) {
    return {State::kUnreachable, nullptr, entry.expires_ms};
  }
  return {State::kReady, &entry.rules, entry.expires_ms};
}

void RobotsCache::MarkFetching(const std::string& robots_url) {
  entries_[robots_url] = Entry{};
}

void RobotsCache::Forget(const std::string& robots_url) {
  entries_.erase(robots_url);
}

const RobotsRules& RobotsCache::Record(const std::string& robots_url,
                                       RobotsAccess access,
                                       std::string_view body, int64_t now_ms,
                                       int64_t not_before_ms) {
  Entry entry;
  entry.state = State::kReady;
  entry.expires_ms = core::SaturatingAdd(now_ms, options_.cache_ms);
  switch (access) {
    case RobotsAccess::kParse:
      entry.rules = RobotsRules::Parse(body, options_.user_agent);
      break;
    case RobotsAccess::kAllowAll:
      entry.rules = RobotsRules::AllowAll();
      break;
    case RobotsAccess::kUnreachable:
      entry.state = State::kUnreachable;
      entry.rules = RobotsRules::DisallowAll();
      entry.expires_ms =
          std::max(core::SaturatingAdd(now_ms, options_.unreachable_retry_ms),
                   not_before_ms);
      break;
  }
  Entry& stored = entries_[robots_url];
  stored = std::move(entry);
  return stored.rules;
}

size_t RobotsCache::Prune(int64_t now_ms) {
  return std::erase_if(entries_, [now_ms](const auto& item) {
    return item.second.state != State::kFetching &&
           item.second.expires_ms <= now_ms;
  });
}

}  // namespace crawler
