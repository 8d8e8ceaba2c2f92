// TestHttpServer: an in-process HTTP server on 127.0.0.1, on a port the kernel
// picks, for unit and integration tests (cpr's loopback AbstractServer, on
// cpp-httplib). Nothing here ever listens on or contacts an address outside
// 127.0.0.0/8.
//
// Routes match the request path exactly (no query string, no patterns). A
// request is answered by, in order: a route registered with Get() or a helper
// (ServeHtml, Serve, Redirect, Status, Delay, Trickle), then a file under a
// directory given to ServeDirectory(), else 404. Routes may be registered or
// replaced at any time, also while requests are in flight. Every request is
// counted per path, matched or not, so a test can assert that a URL was (or was
// never) fetched.
//
// Note: cpp-httplib compresses text/* and a few other bodies itself (gzip or
// br) when the client sends Accept-Encoding, except bodies given through a
// content provider of known length. Serve() with `compress = false` uses that
// path, so a test can send exact bytes (for example a body it gzipped itself
// together with its own Content-Encoding header).
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace testsupport {

// Returns a TCP port on 127.0.0.1 that nothing listens on at the time of the
// call (bound to port 0, read back and closed), for connection-refused tests.
// Another process could take it in between; on a test machine that is unlikely
// enough.
int ClosedPort();

class TestHttpServer {
 public:
  using Handler =
      std::function<void(const httplib::Request&, httplib::Response&)>;

  // Binds 127.0.0.1 on a free port and starts serving on a background thread
  // before returning. Throws std::runtime_error when it cannot bind (the test
  // cannot run at all).
  TestHttpServer();
  // Stops accepting, wakes handlers sleeping in Delay()/Trickle(), and joins
  // the server threads. An idle keep-alive connection still held by a client
  // delays this by at most one second: destroy clients first (declare the
  // server before them).
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  int port() const { return port_; }
  // Returns "http://127.0.0.1:PORT" + `path` (`path` should start with '/').
  std::string url(const std::string& path = "/") const;

  // Registers (or replaces) the handler for GET and HEAD requests of exactly
  // `path`. Handlers run on the server's worker threads, several at once; they
  // must synchronise what they share.
  void Get(const std::string& path, Handler handler);

  // Serves `body` at `path` with status 200 and Content-Type text/html;
  // charset=utf-8.
  void ServeHtml(const std::string& path, std::string body);
  // Serves `body` at `path` with `status`, `content_type` and extra `headers`.
  // With `compress` false the bytes go out exactly as given (no automatic
  // gzip/br by cpp-httplib), with a Content-Length.
  void Serve(const std::string& path, std::string body,
             std::string content_type, int status = 200,
             std::vector<std::pair<std::string, std::string>> headers = {},
             bool compress = true);
  // Answers `from` with status `code` (301, 302, 303, 307, 308) and Location:
  // `to`, verbatim (an absolute URL, a path, or any scheme).
  void Redirect(const std::string& from, const std::string& to, int code = 302);
  // Answers `path` with status `code` and `body` as text/html.
  void Status(const std::string& path, int code, std::string body = "");
  // Waits `delay` before answering `path` with `body` as text/html (for timeout
  // tests). The wait ends early when the server stops, so a client that gave up
  // does not hold up the destructor.
  void Delay(const std::string& path, std::chrono::milliseconds delay,
             std::string body);
  // Sends `total_bytes` of HTML at `path` (with a Content-Length, never
  // compressed), `chunk_bytes` every `interval`, for low-speed-limit tests.
  // Stops when the client goes away or the server stops.
  void Trickle(const std::string& path, size_t total_bytes, size_t chunk_bytes,
               std::chrono::milliseconds interval);

  // Serves the files under `dir` for paths no route matches: /a/b.html ->
  // dir/a/b.html, and a path ending in '/' -> its index.html. Content-Type by
  // extension (ContentTypeFor). Paths holding
  // ".." segments are refused with 403. Replaces any earlier directory.
  void ServeDirectory(const std::filesystem::path& dir);

  // Returns how many requests (any method) arrived for `path` so far.
  // Thread-safe.
  int requests(const std::string& path) const;
  // Returns how many requests arrived in total. Thread-safe.
  int total_requests() const;
  // Returns how many distinct client connections sent requests so far (by
  // client port), to check that a client reuses its connection.
  int connections() const;
  // Returns the value of header `name` (case-insensitive) in the last request
  // for `path`, or nullopt when there was no such request or header.
  // Thread-safe.
  std::optional<std::string> last_header(const std::string& path,
                                         const std::string& name) const;
  // Returns true once the destructor has started; long-running custom handlers
  // should poll it.
  bool stopping() const { return stopping_.load(); }

  // Returns the Content-Type ServeDirectory uses for a file name: text/html;
  // charset=utf-8 for .html/.htm, text/plain for .txt, application/json,
  // application/xml / rss+xml, images, audio, else application/octet-stream.
  static std::string ContentTypeFor(const std::filesystem::path& file);

 private:
  void Dispatch(const httplib::Request& req, httplib::Response& res);
  void Record(const httplib::Request& req);
  // Sleeps up to `duration`, returning early (false) once the server is
  // stopping.
  bool SleepUnlessStopping(std::chrono::milliseconds duration) const;

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mutex_;  // guards everything below
  std::map<std::string, Handler> routes_;
  std::optional<std::filesystem::path> directory_;
  std::map<std::string, int> request_counts_;
  int total_requests_ = 0;
  std::set<std::pair<std::string, int>> clients_;
  std::map<std::string, httplib::Headers> last_headers_;
};

}  // namespace testsupport
