#include "core/site.h"

#include <arpa/inet.h>
#include <libpsl.h>

#include <string>

#include "core/ascii.h"
#include "core/url.h"

namespace core {
namespace {

// The Public Suffix List: the newer of libpsl's built-in copy and the system's
// (Debian's publicsuffix package), loaded once.
const psl_ctx_t* SuffixList() {
  static const psl_ctx_t* const ctx = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  return ctx;
}

bool IsIpAddress(const std::string& host) {
  in6_addr v6{};
  in_addr v4{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 ||
         inet_pton(AF_INET, host.c_str(), &v4) == 1;
}

}  // namespace

std::string CanonicalHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return AsciiLower(host);
}

std::string RegistrableDomain(std::string_view host) {
  std::string lower = CanonicalHost(host);
  if (lower.empty() || IsIpAddress(lower)) return lower;
  const psl_ctx_t* list = SuffixList();
  if (list == nullptr) return lower;
  const char* domain = psl_registrable_domain(list, lower.c_str());
  // nullptr: the host is a public suffix itself, or a single label.
  return domain != nullptr ? std::string(domain) : lower;
}

bool SameSite(std::string_view a, std::string_view b) {
  const std::string host_a = UrlHost(a);
  const std::string host_b = UrlHost(b);
  if (host_a.empty() || host_b.empty()) return false;
  return RegistrableDomain(host_a) == RegistrableDomain(host_b);
}

std::optional<std::string> ForeignSiteReason(std::string_view claimed,
                                             std::string_view page_url,
                                             std::string_view requested_url) {
  if (SameSite(claimed, page_url)) return std::nullopt;
  if (!requested_url.empty() && SameSite(claimed, requested_url))
    return std::nullopt;
  return "another site than " + RegistrableDomain(UrlHost(page_url));
}

void ConfineToSite(Record* record, std::string_view requested_url) {
  if (UrlHost(record->url).empty()) return;
  auto confine = [&](std::optional<std::string>& url, const char* field,
                     const char* label) {
    if (!url) return;
    const std::optional<std::string> reason =
        ForeignSiteReason(*url, record->url, requested_url);
    if (!reason) return;
    record->errors.push_back(std::string(label) + " " + *url +
                             " refused: " + *reason);
    url.reset();
    record->sources.erase(field);
  };
  confine(record->canonical_url, "canonical_url", "canonical");
  confine(record->show_url, "show_url", "show_url");
}

}  // namespace core
