// podcrawl: crawls podcast web pages and keeps what they show in SQLite.
//
// Exit codes (the contract scripts rely on; see README "Exit codes"):
//   0    done
//   2    usage or configuration error (nothing done)
//   3    `fetch`: the page could not be fetched (network, HTTP status >= 400,
//        not HTML, too large); `crawl`, `run --due`: a site was down, or
//        nothing could be fetched (app::CrawlFailures)
//   4    storage error (nothing half-written)
//   70   internal error (a bug: please report it)
//   75   another `run --due` or `daemon` holds the database's schedules
//   130  stopped by SIGINT after a clean shutdown
//   143  stopped by SIGTERM after a clean shutdown
#include <exception>
#include <iostream>

#include "cli/run.h"
#include "crawler/http_client.h"

int main(int argc, char** argv) {
  try {
    // libcurl's global state is set up once, before any thread starts.
    crawler::CurlGlobal curl_global;
    return cli::Run(argc, argv, std::cout);
  } catch (const std::exception& e) {
    std::cerr << "podcrawl: internal error: " << e.what() << "\n";
    return 70;
  }
}
