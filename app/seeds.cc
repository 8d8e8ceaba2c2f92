#include "app/seeds.h"

#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <utility>

#include "core/url.h"

namespace app {
namespace {

// The folder of the spool: $TMPDIR as mkstemp users honour it, else /tmp.
std::string SpoolDir() {
  const char* dir = std::getenv("TMPDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/tmp";
}

core::Error SpoolError(const std::string& what, const std::string& dir,
                       int error) {
  return {core::ErrorCode::kConfig, "cannot " + what +
                                        " a temporary file for the seeds in " +
                                        dir + ": " + std::strerror(error)};
}

}  // namespace

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
  const bool from_stdin = path == kStdinSeeds;
  const std::string name = from_stdin ? "stdin" : path;
  std::ifstream file;
  if (!from_stdin) {
    file.open(path);
    if (!file) {
      return core::Error(
          core::ErrorCode::kConfig,
          "cannot read seeds file " + path + ": " + std::strerror(errno));
    }
  }
  std::istream& in = from_stdin ? std::cin : file;
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
                         name + ":" + std::to_string(line_number) + ": " +
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
                       "cannot read seeds from " + name);
  }
  if (!seeds.empty()) return add(seeds);
  return {};
}

void SeedSpool::FileCloser::operator()(std::FILE* file) const noexcept {
  std::fclose(file);  // read only after the spool is written: nothing to lose
}

core::Result<SeedSpool> SeedSpool::Read(const std::string& path) {
  const std::string dir = SpoolDir();
  std::string name = dir + "/podcrawl-seeds-XXXXXX";
  const int fd = mkstemp(name.data());
  if (fd < 0) return SpoolError("make", dir, errno);
  // Unlinked at once: the open file is the spool's only name, and it goes away
  // with the process however that ends.
  unlink(name.c_str());
  std::unique_ptr<std::FILE, FileCloser> file(fdopen(fd, "w+"));
  if (!file) {
    const int error = errno;
    close(fd);
    return SpoolError("open", dir, error);
  }
  int64_t size = 0;
  core::Status read = ForEachSeedBatch(
      path, kSeedBatch,
      [&](const std::vector<std::string>& seeds) -> core::Status {
        for (const std::string& seed : seeds) {
          if (std::fputs(seed.c_str(), file.get()) == EOF ||
              std::fputc('\n', file.get()) == EOF) {
            return SpoolError("write", dir, errno);
          }
        }
        size += static_cast<int64_t>(seeds.size());
        return {};
      });
  if (!read) return read.error();
  if (std::fflush(file.get()) != 0) return SpoolError("write", dir, errno);
  return SeedSpool(std::move(file), size);
}

core::Status SeedSpool::ForEachBatch(
    size_t batch,
    const std::function<core::Status(const std::vector<std::string>&)>& add)
    const {
  std::FILE* file = file_.get();
  if (file == nullptr || size_ == 0) return {};
  std::rewind(file);
  std::vector<std::string> seeds;
  std::string line;
  std::vector<char> buffer(size_t{1} << 16);
  size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), file)) > 0) {
    for (size_t i = 0; i < got; ++i) {
      if (buffer[i] != '\n') {
        line.push_back(buffer[i]);
        continue;
      }
      seeds.push_back(std::move(line));
      line.clear();
      if (seeds.size() >= batch) {
        if (auto added = add(seeds); !added) return added;
        seeds.clear();
      }
    }
  }
  if (std::ferror(file) != 0) {
    return core::Error(core::ErrorCode::kInternal,
                       "cannot read back the spooled seeds");
  }
  // The spool was written by Read: every seed ends with a newline.
  if (!seeds.empty()) return add(seeds);
  return {};
}

core::Status AddSpooledSeeds(const SeedSpool& spool, crawler::Crawler* crawl) {
  return spool.ForEachBatch(
      kSeedBatch,
      [crawl](const std::vector<std::string>& batch) -> core::Status {
        return crawl->AddSeeds(batch);
      });
}

core::Status CrawlInputs::AddTo(crawler::Crawler* crawl) const {
  if (auto added = crawl->AddSeeds(seeds); !added) return added;
  if (auto added = crawl->AddSitemaps(sitemaps); !added) return added;
  if (spool) return AddSpooledSeeds(*spool, crawl);
  return {};
}

core::Result<CrawlInputs> ReadCrawlInputs(const core::CrawlSettings& crawl,
                                          const std::vector<std::string>& urls,
                                          const std::string& seeds_file) {
  std::vector<std::string> raw_seeds = crawl.seeds;
  raw_seeds.insert(raw_seeds.end(), urls.begin(), urls.end());
  CrawlInputs inputs;
  auto seeds = NormalizeSeeds(raw_seeds);
  if (!seeds) return seeds.error();
  inputs.seeds = std::move(seeds).value();
  auto sitemaps = NormalizeSeeds(crawl.sitemap.urls);
  if (!sitemaps) return sitemaps.error();
  inputs.sitemaps = std::move(sitemaps).value();
  if (!seeds_file.empty()) {
    auto spool = SeedSpool::Read(seeds_file);
    if (!spool) return spool.error();
    inputs.spool.emplace(std::move(spool).value());
  }
  return inputs;
}

}  // namespace app
