// GenerateSite: writes a small podcast site (an index, show pages, episode
// pages, related-show lists with listener counts, JSON-LD) into a directory,
// for crawl tests and benchmarks served by TestHttpServer::ServeDirectory.
// Every page is reachable from /index.html; every page also links into
// /private/, which the generated robots.txt forbids.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace testsupport {

struct GeneratedSite {
  std::vector<std::string> show_paths;     // "/shows/show-3/" ...
  std::vector<std::string> episode_paths;  // "/shows/show-3/episode-2.html" ...
  std::vector<std::string>
      private_paths;  // linked, but disallowed by robots.txt
  // Every crawlable HTML path (index, shows, episodes).
  std::vector<std::string> all_pages() const;
};

// Writes `shows` show pages with `episodes_per_show` episodes each under `dir`,
// plus robots.txt ("Disallow: /private/"). Deterministic.
GeneratedSite GenerateSite(const std::filesystem::path& dir, int shows,
                           int episodes_per_show);

}  // namespace testsupport
