#include "tests/support/test_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace testsupport {
namespace {

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Answers with `body` through a content provider of known length: cpp-httplib
// compresses only plain bodies and chunked providers, so these bytes reach the
// client unchanged.
void SetRawContent(httplib::Response& res,
                   const std::shared_ptr<const std::string>& body,
                   const std::string& content_type) {
  const size_t size = body->size();
  res.set_content_provider(
      size, content_type,
      [body](size_t offset, size_t length, httplib::DataSink& sink) {
        return sink.write(body->data() + offset, length);
      });
}

bool HasDotDotSegment(const std::string& path) {
  std::istringstream in(path);
  std::string segment;
  while (std::getline(in, segment, '/')) {
    if (segment == "..") return true;
  }
  return false;
}

}  // namespace

int ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind a socket on 127.0.0.1");
  }
  // Never listened on: once closed, a connect() to this port is refused.
  ::close(fd);
  return ntohs(addr.sin_port);
}

TestHttpServer::TestHttpServer() {
  server_.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response&) {
        Record(req);
        return httplib::Server::HandlerResponse::Unhandled;
      });
  // One catch-all handler, registered before the server starts; the route table
  // is ours and guarded by mutex_, so tests may add routes while the server
  // runs.
  server_.Get(".*", [this](const httplib::Request& req,
                           httplib::Response& res) { Dispatch(req, res); });
  // Bounds how long an idle keep-alive connection holds up stop() (cpp-httplib
  // waits for it).
  server_.set_keep_alive_timeout(1);
  server_.set_keep_alive_max_count(100);
  // Headers and body go out in separate writes; without this, Nagle and delayed
  // ACKs add 40 ms.
  server_.set_tcp_nodelay(true);

  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0)
    throw std::runtime_error("TestHttpServer: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // stop() does nothing until the accept loop runs, so wait for it; connections
  // made before then wait in the listen backlog anyway.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!server_.is_running()) {
    // The thread cannot be stopped or joined, and throwing would destroy
    // server_ under it.
    std::fprintf(stderr, "TestHttpServer: the server thread did not start\n");
    std::abort();
  }
}

TestHttpServer::~TestHttpServer() {
  stopping_.store(true);
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string TestHttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void TestHttpServer::Get(const std::string& path, Handler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_[path] = std::move(handler);
}

void TestHttpServer::ServeHtml(const std::string& path, std::string body) {
  Serve(path, std::move(body), "text/html; charset=utf-8");
}

void TestHttpServer::Serve(
    const std::string& path, std::string body, std::string content_type,
    int status, std::vector<std::pair<std::string, std::string>> headers,
    bool compress) {
  auto shared = std::make_shared<const std::string>(std::move(body));
  Get(path, [shared, content_type = std::move(content_type), status,
             headers = std::move(headers),
             compress](const httplib::Request&, httplib::Response& res) {
    res.status = status;
    for (const auto& [name, value] : headers) res.set_header(name, value);
    if (compress) {
      res.set_content(*shared, content_type);
    } else {
      SetRawContent(res, shared, content_type);
    }
  });
}

void TestHttpServer::Redirect(const std::string& from, const std::string& to,
                              int code) {
  Get(from, [to, code](const httplib::Request&, httplib::Response& res) {
    res.status = code;
    res.set_header("Location", to);
    res.set_content("<a href=\"" + to + "\">moved</a>", "text/html");
  });
}

void TestHttpServer::Status(const std::string& path, int code,
                            std::string body) {
  Serve(path, std::move(body), "text/html; charset=utf-8", code);
}

void TestHttpServer::Delay(const std::string& path,
                           std::chrono::milliseconds delay, std::string body) {
  Get(path, [this, delay, body = std::move(body)](const httplib::Request&,
                                                  httplib::Response& res) {
    if (!SleepUnlessStopping(delay)) {
      res.status = 503;
      return;
    }
    res.set_content(body, "text/html; charset=utf-8");
  });
}

void TestHttpServer::Trickle(const std::string& path, size_t total_bytes,
                             size_t chunk_bytes,
                             std::chrono::milliseconds interval) {
  chunk_bytes = std::max<size_t>(chunk_bytes, 1);
  Get(path, [this, total_bytes, chunk_bytes, interval](const httplib::Request&,
                                                       httplib::Response& res) {
    res.set_content_provider(
        total_bytes, "text/html; charset=utf-8",
        [this, chunk_bytes, interval](size_t, size_t length,
                                      httplib::DataSink& sink) {
          if (!SleepUnlessStopping(interval) || !sink.is_writable())
            return false;
          const std::string chunk(std::min(chunk_bytes, length), ' ');
          return sink.write(chunk.data(), chunk.size());
        });
  });
}

void TestHttpServer::ServeDirectory(const std::filesystem::path& dir) {
  std::lock_guard<std::mutex> lock(mutex_);
  directory_ = dir;
}

int TestHttpServer::requests(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = request_counts_.find(path);
  return it == request_counts_.end() ? 0 : it->second;
}

int TestHttpServer::total_requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return total_requests_;
}

int TestHttpServer::connections() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(clients_.size());
}

std::optional<std::string> TestHttpServer::last_header(
    const std::string& path, const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = last_headers_.find(path);
  if (it == last_headers_.end()) return std::nullopt;
  // httplib::Headers compares names case-insensitively.
  auto header = it->second.find(name);
  if (header == it->second.end()) return std::nullopt;
  return header->second;
}

std::string TestHttpServer::ContentTypeFor(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".xhtml", "application/xhtml+xml"},
      {".txt", "text/plain; charset=utf-8"},
      {".css", "text/css"},
      {".js", "text/javascript"},
      {".json", "application/json"},
      {".xml", "application/xml"},
      {".rss", "application/rss+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".svg", "image/svg+xml"},
      {".webp", "image/webp"},
      {".mp3", "audio/mpeg"},
      {".pdf", "application/pdf"},
  };
  auto it = kTypes.find(Lower(file.extension().string()));
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

void TestHttpServer::Record(const httplib::Request& req) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++request_counts_[req.path];
  ++total_requests_;
  clients_.emplace(req.remote_addr, req.remote_port);
  last_headers_[req.path] = req.headers;
}

void TestHttpServer::Dispatch(const httplib::Request& req,
                              httplib::Response& res) {
  Handler handler;
  std::optional<std::filesystem::path> dir;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = routes_.find(req.path);
    if (it != routes_.end()) handler = it->second;
    dir = directory_;
  }
  if (handler) {
    handler(req,
            res);  // outside the lock: handlers may sleep or register routes
    return;
  }
  if (!dir || req.path.empty() || req.path.front() != '/') {
    res.status = 404;
    res.set_content("not found", "text/plain");
    return;
  }
  if (HasDotDotSegment(req.path)) {
    res.status = 403;
    res.set_content("forbidden", "text/plain");
    return;
  }
  std::string relative = req.path.substr(1);
  if (relative.empty() || relative.back() == '/') relative += "index.html";
  const std::filesystem::path file = *dir / relative;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    res.status = 404;
    res.set_content("not found", "text/plain");
    return;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  res.set_content(bytes.str(), ContentTypeFor(file));
}

bool TestHttpServer::SleepUnlessStopping(
    std::chrono::milliseconds duration) const {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < deadline) {
    if (stopping_.load()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return !stopping_.load();
}

}  // namespace testsupport
