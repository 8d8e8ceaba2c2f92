// FaultServer: a raw HTTP/1.1 server on a loopback address for fault-injection
// tests, where TestHttpServer (cpp-httplib) cannot misbehave enough: a
// Content-Length that lies, chunked garbage, a megabyte of headers, a
// robots.txt trickled a byte a second, a connection reset. It reads requests
// (keep-alive, one after another on a connection) and hands each to the
// handler registered for its path; the handler writes whatever bytes it likes
// and says what becomes of the connection. The faults themselves are small
// handlers (namespace `faults` below), so a test states its case in a line.
//
// It listens on `address`:0 (the kernel picks the port). Only 127.0.0.0/8
// addresses are accepted: nothing here listens on or contacts anything else.
// Writes never raise SIGPIPE (a client that hangs up mid-response is normal in
// these tests).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace testsupport {

// One request as the client sent it (GET and HEAD have no body; a body would be
// read as the next request's start, which no test here needs).
struct RawRequest {
  std::string method;
  std::string target;                          // as sent: path and query
  std::string path;                            // `target` without its query
  std::map<std::string, std::string> headers;  // names lower-cased
};

// The connection a handler answers on.
class RawConnection {
 public:
  RawConnection(int fd, const std::atomic<bool>* stopping)
      : fd_(fd), stopping_(stopping) {}

  // Sends all of `bytes`. Returns false when the client went away or the
  // server is stopping (the rest is dropped).
  bool Send(std::string_view bytes);
  // Sends `bytes` `chunk` bytes at a time, `interval` apart (before each
  // chunk). Returns false as Send does, or as soon as the client closed the
  // connection (not only at the next write).
  bool Trickle(std::string_view bytes, size_t chunk,
               std::chrono::milliseconds interval);
  // Waits `duration`; returns false early when the client closed the
  // connection or the server is stopping.
  bool Pause(std::chrono::milliseconds duration) const;
  // Returns true when the client closed (or reset) the connection.
  bool PeerClosed() const;
  // Keeps `bytes` back and sends them just before the answer to the next
  // request on this connection, as if they were the late tail of this
  // response: what a client that reused the connection reads first.
  void SendLate(std::string bytes) { late_ += bytes; }
  // Returns true once the server is being destroyed; long handlers poll it.
  bool stopping() const { return stopping_->load(); }

 private:
  friend class FaultServer;
  int fd_;
  const std::atomic<bool>* stopping_;
  std::string late_;
};

// What becomes of the connection after a handler answered.
enum class After {
  kKeepAlive,  // read the next request
  kClose,      // close it (FIN)
  kReset,      // close it with SO_LINGER 0 (RST), unread request bytes or not
};

using FaultHandler = std::function<After(const RawRequest&, RawConnection&)>;

// Returns a well-formed HTTP/1.1 response: the status line, `headers` in
// order, a Content-Length of `body` unless `headers` name a Content-Length or
// a Transfer-Encoding, and `body`.
std::string RawResponse(
    int status, std::string_view body,
    const std::vector<std::pair<std::string, std::string>>& headers = {
        {"Content-Type", "text/html; charset=utf-8"}});

class FaultServer {
 public:
  // Listens on `address` (an IPv4 literal in 127.0.0.0/8) on a free port and
  // starts accepting before returning. Throws std::runtime_error when it
  // cannot (not a loopback address, or no bind).
  explicit FaultServer(const std::string& address = "127.0.0.1");
  // Stops accepting, tells handlers to stop (stopping()), closes every
  // connection and joins the threads; takes at most ~100 ms beyond a handler
  // that ignores stopping().
  ~FaultServer();
  FaultServer(const FaultServer&) = delete;
  FaultServer& operator=(const FaultServer&) = delete;

  const std::string& address() const { return address_; }
  int port() const { return port_; }
  // Returns "http://ADDRESS:PORT" + `path` (`path` should start with '/').
  std::string url(const std::string& path = "/") const;

  // Registers (or replaces) the handler of requests for exactly `path` (the
  // query is ignored), any method. Unregistered paths get a 404. Handlers run
  // on the connection threads, several at once.
  void Handle(const std::string& path, FaultHandler handler);
  // Serves `body` at `path` as a well-formed text/html page (keep-alive).
  void ServeHtml(const std::string& path, const std::string& body);

  // Returns how many requests arrived for `path` so far. Thread-safe.
  int requests(const std::string& path) const;
  // Returns how many requests arrived in total. Thread-safe.
  int total_requests() const;
  // Returns how many connections were accepted, whether or not they sent a
  // request. Thread-safe.
  int connections() const { return connections_.load(); }

 private:
  void AcceptLoop();
  void ServeConnection(int fd);

  std::string address_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread accept_thread_;

  mutable std::mutex mutex_;  // guards everything below
  std::map<std::string, FaultHandler> routes_;
  std::map<std::string, int> request_counts_;
  int total_requests_ = 0;
  std::vector<std::thread> connection_threads_;
};

// Handlers for the usual faults. Each answers every request of its path the
// same way.
namespace faults {

// Sends `bytes` verbatim (a response or anything else), then `after`.
FaultHandler Reply(std::string bytes, After after = After::kClose);
// A 200 text/html page whose Content-Length says `declared` bytes, fewer than
// `body` holds: the first `declared` bytes go out with the headers, the rest
// when the next request arrives on the connection (the stale bytes a client
// reusing the connection reads as its next response's start). Keep-alive.
FaultHandler ShortContentLength(const std::string& body, size_t declared);
// A 200 text/html page whose Content-Length says `declared` bytes, more than
// `body` holds; the connection closes after `body`.
FaultHandler LongContentLength(const std::string& body, size_t declared);
// Sends `bytes` (a whole response, status line included) `chunk` bytes at a
// time, `interval` apart (a robots.txt trickled a byte a second), then closes.
// Stops early when the client goes away or the server stops.
FaultHandler Trickle(std::string bytes, size_t chunk,
                     std::chrono::milliseconds interval);
// Reads the request and resets the connection (TCP RST), answering nothing.
FaultHandler Reset();

}  // namespace faults
}  // namespace testsupport
