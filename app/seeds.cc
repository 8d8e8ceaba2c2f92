#include "app/seeds.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <utility>

#include "core/url.h"

namespace app {

core::Result<std::vector<std::string>> NormalizeSeeds(
    const std::vector<std::string>& urls) {
  std::vector<std::string> seeds;
  seeds.reserve(urls.size());
  for (const std::string& raw : urls) {
    auto normalized = core::NormalizeUrl(raw);
    if (!normalized) {
      return core::Error(core::ErrorCode::kConfig,
                         "seed: " + normalized.error().message);
    }
    seeds.push_back(std::move(normalized).value());
  }
  return seeds;
}

core::Status ForEachSeedBatch(
    const std::string& path, size_t batch,
    const std::function<core::Status(const std::vector<std::string>&)>& add) {
  std::ifstream in(path);
  if (!in) {
    return core::Error(
        core::ErrorCode::kConfig,
        "cannot read seeds file " + path + ": " + std::strerror(errno));
  }
  std::vector<std::string> seeds;
  std::string line;
  int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos || line[begin] == '#') continue;
    const size_t end = line.find_last_not_of(" \t\r");
    auto url = core::NormalizeUrl(line.substr(begin, end - begin + 1));
    if (!url) {
      return core::Error(core::ErrorCode::kConfig,
                         path + ":" + std::to_string(line_number) + ": " +
                             url.error().message);
    }
    seeds.push_back(std::move(url).value());
    if (seeds.size() >= batch) {
      if (auto added = add(seeds); !added) return added;
      seeds.clear();
    }
  }
  if (in.bad()) {
    return core::Error(core::ErrorCode::kConfig,
                       "cannot read seeds file " + path);
  }
  if (!seeds.empty()) return add(seeds);
  return {};
}

core::Status CheckSeedsFile(const std::string& path) {
  return ForEachSeedBatch(
      path, kSeedBatch,
      [](const std::vector<std::string>&) -> core::Status { return {}; });
}

core::Status AddSeedsFile(const std::string& path, crawler::Crawler* crawl,
                          bool* queueing_failed) {
  *queueing_failed = false;
  return ForEachSeedBatch(
      path, kSeedBatch,
      [crawl,
       queueing_failed](const std::vector<std::string>& batch) -> core::Status {
        auto added = crawl->AddSeeds(batch);
        if (!added) *queueing_failed = true;
        return added;
      });
}

}  // namespace app
