#include "tests/support/fault_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <memory>
#include <stdexcept>

namespace testsupport {
namespace {

constexpr int kPollMs = 20;  // how often blocked threads look at stopping
constexpr size_t kMaxRequestHead = size_t{64} * 1024;
constexpr auto kIdleTimeout = std::chrono::seconds(10);

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

// Parses a request head (up to, not including, the blank line). Returns false
// when the request line is not "METHOD TARGET VERSION".
bool ParseHead(std::string_view head, RawRequest* request) {
  size_t line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const size_t sp1 = line.find(' ');
  const size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return false;
  request->method = std::string(line.substr(0, sp1));
  request->target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  request->path = request->target.substr(0, request->target.find('?'));
  while (line_end != std::string_view::npos) {
    const size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string_view header = head.substr(
        start,
        line_end == std::string_view::npos ? line_end : line_end - start);
    const size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    request->headers[Lower(std::string(header.substr(0, colon)))] =
        Trim(header.substr(colon + 1));
  }
  return true;
}

// Waits until `fd` is ready for `events` or `stopping` is set; returns false
// on stop, error or hang-up without the event.
bool WaitFor(int fd, decltype(pollfd::events) events,
             const std::atomic<bool>& stopping) {
  while (!stopping.load()) {
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, kPollMs);
    if (r < 0 && errno != EINTR) return false;
    if (r > 0) return (p.revents & events) != 0 || (p.revents & POLLHUP) == 0;
  }
  return false;
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

bool RawConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    if (!WaitFor(fd_, POLLOUT, *stopping_)) return false;
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool RawConnection::Trickle(std::string_view bytes, size_t chunk,
                            std::chrono::milliseconds interval) {
  chunk = std::max<size_t>(chunk, 1);
  while (!bytes.empty()) {
    if (!Pause(interval)) return false;
    const size_t n = std::min(chunk, bytes.size());
    if (!Send(bytes.substr(0, n))) return false;
    bytes.remove_prefix(n);
  }
  return true;
}

bool RawConnection::Pause(std::chrono::milliseconds duration) const {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  for (;;) {
    if (stopping() || PeerClosed()) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    std::this_thread::sleep_for(
        std::min(left, std::chrono::milliseconds(kPollMs)));
  }
}

bool RawConnection::PeerClosed() const {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  if ((p.revents & (POLLHUP | POLLERR)) != 0) return true;
  char byte = 0;
  // Readable: either request bytes (pipelined) or the end of the stream.
  const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR);
}

std::string RawResponse(
    int status, std::string_view body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out =
      "HTTP/1.1 " + std::to_string(status) + " " + Reason(status) + "\r\n";
  bool framed = false;
  for (const auto& [name, value] : headers) {
    const std::string lower = Lower(name);
    framed =
        framed || lower == "content-length" || lower == "transfer-encoding";
    out += name + ": " + value + "\r\n";
  }
  if (!framed) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

FaultServer::FaultServer(const std::string& address) : address_(address) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (::inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1 ||
      (ntohl(addr.sin_addr.s_addr) >> 24) != 127) {
    throw std::runtime_error("FaultServer: not a 127.0.0.0/8 address: " +
                             address);
  }
  addr.sin_port = 0;
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  socklen_t len = sizeof addr;
  if (listen_fd_ < 0 ||
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) !=
          0 ||
      ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) !=
          0) {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    throw std::runtime_error("FaultServer: cannot listen on " + address);
  }
  port_ = ntohs(addr.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

FaultServer::~FaultServer() {
  stopping_.store(true);
  if (accept_thread_.joinable()) accept_thread_.join();
  ::close(listen_fd_);
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    threads.swap(connection_threads_);
  }
  for (std::thread& thread : threads) thread.join();
}

std::string FaultServer::url(const std::string& path) const {
  return "http://" + address_ + ":" + std::to_string(port_) + path;
}

void FaultServer::Handle(const std::string& path, FaultHandler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_[path] = std::move(handler);
}

void FaultServer::ServeHtml(const std::string& path, const std::string& body) {
  Handle(path, faults::Reply(RawResponse(200, body), After::kKeepAlive));
}

int FaultServer::requests(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = request_counts_.find(path);
  return it == request_counts_.end() ? 0 : it->second;
}

int FaultServer::total_requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return total_requests_;
}

void FaultServer::AcceptLoop() {
  while (WaitFor(listen_fd_, POLLIN, stopping_)) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard<std::mutex> lock(mutex_);
    connection_threads_.emplace_back([this, fd] { ServeConnection(fd); });
  }
}

void FaultServer::ServeConnection(int fd) {
  RawConnection connection(fd, &stopping_);
  std::string buffer;
  After after = After::kKeepAlive;
  auto idle_since = std::chrono::steady_clock::now();
  while (after == After::kKeepAlive && !stopping_.load()) {
    const size_t head_end = buffer.find("\r\n\r\n");
    if (head_end == std::string::npos) {
      if (buffer.size() > kMaxRequestHead ||
          std::chrono::steady_clock::now() - idle_since > kIdleTimeout) {
        break;
      }
      pollfd p{fd, POLLIN, 0};
      const int r = ::poll(&p, 1, kPollMs);
      if (r < 0 && errno != EINTR) break;
      if (r <= 0) continue;
      std::array<char, 16384> chunk{};
      const ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
      if (n <= 0) break;  // the client closed (or reset) the connection
      buffer.append(chunk.data(), static_cast<size_t>(n));
      continue;
    }
    RawRequest request;
    const std::string_view view = buffer;
    const bool parsed = ParseHead(view.substr(0, head_end), &request);
    buffer.erase(0, head_end + 4);
    if (!parsed) break;
    FaultHandler handler;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++request_counts_[request.path];
      ++total_requests_;
      auto it = routes_.find(request.path);
      if (it != routes_.end()) handler = it->second;
    }
    if (!connection.late_.empty()) {
      const std::string late = std::move(connection.late_);
      connection.late_.clear();
      if (!connection.Send(late)) break;
    }
    if (handler) {
      after = handler(request, connection);
    } else {
      after = connection.Send(RawResponse(404, "not found")) ? After::kKeepAlive
                                                             : After::kClose;
    }
    idle_since = std::chrono::steady_clock::now();
  }
  if (after == After::kReset) {
    linger lin{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof lin);
  } else {
    ::shutdown(fd, SHUT_WR);
  }
  ::close(fd);
}

namespace faults {

FaultHandler Reply(std::string bytes, After after) {
  auto shared = std::make_shared<const std::string>(std::move(bytes));
  return [shared, after](const RawRequest&, RawConnection& connection) {
    return connection.Send(*shared) ? after : After::kClose;
  };
}

FaultHandler ShortContentLength(const std::string& body, size_t declared) {
  declared = std::min(declared, body.size());
  const std::string head =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
      "Content-Length: " +
      std::to_string(declared) + "\r\n\r\n";
  auto now =
      std::make_shared<const std::string>(head + body.substr(0, declared));
  auto late = std::make_shared<const std::string>(body.substr(declared));
  return [now, late](const RawRequest&, RawConnection& connection) {
    if (!connection.Send(*now)) return After::kClose;
    connection.SendLate(*late);
    return After::kKeepAlive;
  };
}

FaultHandler LongContentLength(const std::string& body, size_t declared) {
  declared = std::max(declared, body.size());
  return Reply(RawResponse(200, body,
                           {{"Content-Type", "text/html; charset=utf-8"},
                            {"Content-Length", std::to_string(declared)}}),
               After::kClose);
}

FaultHandler Trickle(std::string bytes, size_t chunk,
                     std::chrono::milliseconds interval) {
  auto shared = std::make_shared<const std::string>(std::move(bytes));
  return
      [shared, chunk, interval](const RawRequest&, RawConnection& connection) {
        connection.Trickle(*shared, chunk, interval);
        return After::kClose;
      };
}

FaultHandler Reset() {
  return [](const RawRequest&, RawConnection&) { return After::kReset; };
}

}  // namespace faults
}  // namespace testsupport
