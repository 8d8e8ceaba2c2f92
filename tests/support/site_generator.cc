#include "tests/support/site_generator.h"

#include <fstream>
#include <string>

namespace testsupport {
namespace {

std::string ShowName(int i) { return "Show Number " + std::to_string(i); }
std::string ShowPath(int i) { return "/shows/show-" + std::to_string(i) + "/"; }
std::string EpisodePath(int i, int e) {
  return "/shows/show-" + std::to_string(i) + "/episode-" + std::to_string(e) +
         ".html";
}

void Write(const std::filesystem::path& dir, const std::string& path,
           const std::string& body) {
  std::filesystem::path file = dir / path.substr(1);
  if (!path.empty() && path.back() == '/') file /= "index.html";
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << body;
}

std::string Related(int i, int shows) {
  std::string html = "<section><h2>You may also like</h2><ul>\n";
  for (int k = 1; k <= 3 && k < shows; ++k) {
    const int j = (i + k) % shows;
    html += "<li><a href=\"" + ShowPath(j) + "\">" + ShowName(j) +
            "</a> <span>" + std::to_string(100 * (j + 1) + k) +
            " Listeners</span></li>\n";
  }
  return html + "</ul></section>\n";
}

std::string Page(const std::string& title, const std::string& jsonld,
                 const std::string& body) {
  return "<!DOCTYPE html><html lang=\"en\"><head><meta "
         "charset=\"utf-8\"><title>" +
         title + "</title><script type=\"application/ld+json\">" + jsonld +
         "</script></head><body><nav><a href=\"/index.html\">Home</a> "
         "<a href=\"/private/admin.html\">Admin</a></nav><main>\n" +
         body + "</main></body></html>\n";
}

}  // namespace

std::vector<std::string> GeneratedSite::all_pages() const {
  std::vector<std::string> all = {"/index.html"};
  all.insert(all.end(), show_paths.begin(), show_paths.end());
  all.insert(all.end(), episode_paths.begin(), episode_paths.end());
  return all;
}

GeneratedSite GenerateSite(const std::filesystem::path& dir, int shows,
                           int episodes_per_show) {
  GeneratedSite site;
  Write(dir, "/robots.txt", "User-agent: *\nDisallow: /private/\n");
  std::string index =
      "<!DOCTYPE html><html><head><title>Index</title></head><body><ul>\n";
  for (int i = 0; i < shows; ++i) {
    index +=
        "<li><a href=\"" + ShowPath(i) + "\">" + ShowName(i) + "</a></li>\n";
    const std::string rating =
        std::to_string(3 + i % 2) + "." + std::to_string(i % 10);
    const std::string count = std::to_string(10 + i * 7);
    std::string episodes;
    for (int e = 0; e < episodes_per_show; ++e) {
      episodes += "<li><a href=\"" + EpisodePath(i, e) + "\">Episode " +
                  std::to_string(e) + "</a></li>\n";
    }
    const std::string show_ld =
        R"({"@context":"https://schema.org","@type":"PodcastSeries","name":")" +
        ShowName(i) + R"(","description":"About show )" + std::to_string(i) +
        R"(.","aggregateRating":{"@type":"AggregateRating","ratingValue":")" +
        rating + R"(","ratingCount":")" + count + R"("}})";
    Write(
        dir, ShowPath(i),
        Page(ShowName(i), show_ld,
             "<h1>" + ShowName(i) + "</h1><p>About show " + std::to_string(i) +
                 ".</p><ul>\n" + episodes + "</ul>\n" + Related(i, shows)));
    site.show_paths.push_back(ShowPath(i));
    for (int e = 0; e < episodes_per_show; ++e) {
      const std::string title =
          "Episode " + std::to_string(e) + " of " + ShowName(i);
      const std::string ep_ld =
          R"({"@context":"https://schema.org","@type":"PodcastEpisode","name":")" +
          title + R"(","description":"What happens in episode )" +
          std::to_string(e) +
          R"(.","partOfSeries":{"@type":"PodcastSeries","name":")" +
          ShowName(i) + R"(","url":")" + ShowPath(i) + R"("}})";
      Write(dir, EpisodePath(i, e),
            Page(title, ep_ld,
                 "<h1>" + title + "</h1><p>What happens in episode " +
                     std::to_string(e) + ".</p><p>By <a href=\"" + ShowPath(i) +
                     "\">" + ShowName(i) + "</a></p>\n" + Related(i, shows)));
      site.episode_paths.push_back(EpisodePath(i, e));
    }
  }
  index += "</ul><a href=\"/private/admin.html\">Admin</a></body></html>\n";
  Write(dir, "/index.html", index);
  Write(dir, "/private/admin.html", "<html><body>secret</body></html>");
  site.private_paths.push_back("/private/admin.html");
  return site;
}

}  // namespace testsupport
