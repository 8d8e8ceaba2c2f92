#include "crawler/sitemap.h"

#include <expat.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <utility>

#include "core/ascii.h"
#include "core/civil_time.h"
#include "core/error.h"

namespace crawler {
namespace {

using core::ErrorCode;

bool IsGzip(std::string_view body) {
  return body.size() >= 2 && static_cast<unsigned char>(body[0]) == 0x1f &&
         static_cast<unsigned char>(body[1]) == 0x8b;
}

core::Error TooLarge(int64_t max_bytes) {
  return {ErrorCode::kTooLarge, "sitemap larger than " +
                                    std::to_string(max_bytes) +
                                    " bytes once unpacked"};
}

// Returns `body` gunzipped (every member of a multi-member file), at most
// `max_bytes` of it.
core::Result<std::string> Gunzip(std::string_view body, int64_t max_bytes) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) {
    return core::Error(ErrorCode::kInternal, "zlib inflateInit2 failed");
  }
  std::unique_ptr<z_stream, decltype(&inflateEnd)> owner(&z, &inflateEnd);
  std::string out;
  std::array<char, size_t{64} * 1024> chunk{};
  // zlib's interface is not const-correct; it never writes the input.
  z.next_in =
      reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));  // NOLINT
  z.avail_in = static_cast<uInt>(body.size());
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());  // NOLINT
    z.avail_out = static_cast<uInt>(chunk.size());
    const int rc = inflate(&z, Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - z.avail_out);
    if (static_cast<int64_t>(out.size()) > max_bytes) {
      return TooLarge(max_bytes);
    }
    if (rc == Z_STREAM_END) {
      // Skip trailing zero padding; another member starts with the magic.
      if (z.avail_in == 0 ||
          !IsGzip(std::string_view(reinterpret_cast<const char*>(z.next_in),
                                   z.avail_in))) {
        return out;
      }
      if (inflateReset(&z) != Z_OK) break;
      continue;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;  // cut short
    if (rc != Z_OK) break;
  }
  return core::Error(ErrorCode::kParse,
                     std::string("sitemap is broken gzip: ") +
                         (z.msg != nullptr ? z.msg : "truncated"));
}

// Collects <loc> and <lastmod> of the entries of an XML sitemap. Elements are
// compared by local name within the root's namespace (expat reports
// "namespace<sep>local" for names in a namespace, "local" otherwise).
class XmlCollector {
 public:
  XmlCollector(Sitemap* out, int64_t max_urls)
      : out_(out), max_urls_(max_urls) {}

  core::Status Parse(std::string_view xml) {
    std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(
        XML_ParserCreateNS(nullptr, kSep), &XML_ParserFree);
    if (!parser) return core::Error(ErrorCode::kInternal, "expat: no memory");
    XML_SetUserData(parser.get(), this);
    XML_SetElementHandler(parser.get(), &XmlCollector::OnStart,
                          &XmlCollector::OnEnd);
    XML_SetCharacterDataHandler(parser.get(), &XmlCollector::OnText);
    const XML_Status status = XML_Parse(parser.get(), xml.data(),
                                        static_cast<int>(xml.size()), XML_TRUE);
    if (!root_known_) {
      return core::Error(
          ErrorCode::kParse,
          "not a sitemap: " + (root_.empty() ? std::string("no XML element")
                                             : "root element <" + root_ + ">"));
    }
    if (status != XML_STATUS_OK && out_->entries.empty() &&
        out_->dropped == 0) {
      return core::Error(
          ErrorCode::kParse,
          "sitemap is not well-formed XML (line " +
              std::to_string(XML_GetCurrentLineNumber(parser.get())) +
              "): " + XML_ErrorString(XML_GetErrorCode(parser.get())));
    }
    return {};  // a break after some entries keeps them
  }

 private:
  static constexpr char kSep = '\x01';

  // Splits an expat name into (namespace, local name).
  static std::pair<std::string_view, std::string_view> Split(
      const XML_Char* name) {
    const std::string_view n(name);
    const size_t sep = n.rfind(kSep);
    if (sep == std::string_view::npos) return {{}, n};
    return {n.substr(0, sep), n.substr(sep + 1)};
  }

  static void OnStart(void* self, const XML_Char* name,
                      const XML_Char** /*attrs*/) {
    static_cast<XmlCollector*>(self)->Start(name);
  }
  static void OnEnd(void* self, const XML_Char* name) {
    static_cast<XmlCollector*>(self)->End(name);
  }
  static void OnText(void* self, const XML_Char* text, int len) {
    auto* c = static_cast<XmlCollector*>(self);
    if (c->field_ != nullptr && c->field_->size() < kMaxFieldBytes) {
      c->field_->append(text, static_cast<size_t>(len));
    }
  }

  void Start(const XML_Char* name) {
    ++depth_;
    const auto [ns, local] = Split(name);
    if (depth_ == 1) {
      root_ = std::string(local);
      ns_ = std::string(ns);
      if (local == "urlset") {
        out_->type = Sitemap::Type::kUrlSet;
        root_known_ = true;
      } else if (local == "sitemapindex") {
        out_->type = Sitemap::Type::kIndex;
        root_known_ = true;
      }
      return;
    }
    if (!root_known_ || ns != ns_) return;
    const std::string_view entry =
        out_->type == Sitemap::Type::kIndex ? "sitemap" : "url";
    if (depth_ == 2 && local == entry) {
      in_entry_ = true;
      loc_.clear();
      lastmod_.clear();
    } else if (depth_ == 3 && in_entry_) {
      if (local == "loc") field_ = &loc_;
      if (local == "lastmod") field_ = &lastmod_;
    }
  }

  void End(const XML_Char* /*name*/) {
    if (depth_ == 3) field_ = nullptr;
    if (depth_ == 2 && in_entry_) {
      in_entry_ = false;
      const std::string_view url = core::Trim(loc_);
      if (!url.empty()) {
        if (static_cast<int64_t>(out_->entries.size()) >= max_urls_) {
          ++out_->dropped;
        } else {
          out_->entries.push_back(
              SitemapEntry{std::string(url), ParseW3cDatetimeMs(lastmod_)});
        }
      }
    }
    --depth_;
  }

  // A <loc> is at most 2,048 characters by the protocol; more is junk.
  static constexpr size_t kMaxFieldBytes = size_t{8} * 1024;

  Sitemap* out_;
  int64_t max_urls_;
  int depth_ = 0;
  std::string root_;
  std::string ns_;
  bool root_known_ = false;
  bool in_entry_ = false;
  std::string loc_;
  std::string lastmod_;
  std::string* field_ = nullptr;
};

// A text sitemap: one absolute http(s) URL per line (sitemaps.org "Text
// file"); other lines are ignored, and a file without any URL line is none.
core::Result<Sitemap> ParseText(std::string_view text, int64_t max_urls) {
  Sitemap out;
  out.type = Sitemap::Type::kText;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = core::Trim(text.substr(pos, end - pos));
    pos = end + 1;
    const std::string lower = core::AsciiLower(line.substr(0, 8));
    if (lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0) {
      continue;
    }
    if (static_cast<int64_t>(out.entries.size()) >= max_urls) {
      ++out.dropped;
    } else {
      out.entries.push_back(SitemapEntry{std::string(line), std::nullopt});
    }
  }
  if (out.entries.empty() && out.dropped == 0) {
    return core::Error(ErrorCode::kParse,
                       "not a sitemap: neither XML nor lines of URLs");
  }
  return out;
}

}  // namespace

core::Result<Sitemap> ParseSitemap(std::string_view body,
                                   const SitemapLimits& limits) {
  std::string unpacked;
  if (IsGzip(body)) {
    core::Result<std::string> gunzipped = Gunzip(body, limits.max_bytes);
    if (!gunzipped) return gunzipped.error();
    unpacked = std::move(gunzipped).value();
    body = unpacked;
  } else if (static_cast<int64_t>(body.size()) > limits.max_bytes) {
    return TooLarge(limits.max_bytes);
  }
  std::string_view text = body;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  text = core::Trim(text);
  if (text.empty()) {
    return core::Error(ErrorCode::kParse, "not a sitemap: empty");
  }
  if (text.front() != '<') return ParseText(text, limits.max_urls);
  Sitemap out;
  XmlCollector collector(&out, limits.max_urls);
  if (core::Status parsed = collector.Parse(text); !parsed) {
    return parsed.error();
  }
  return out;
}

std::optional<int64_t> ParseW3cDatetimeMs(std::string_view text) {
  text = core::Trim(text);
  const auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), core::IsAsciiDigit);
  };
  if (text.size() == 4 && digits(text)) {
    return core::ParseIso8601Ms(std::string(text) + "-01-01");
  }
  if (text.size() == 7 && text[4] == '-' && digits(text.substr(0, 4)) &&
      digits(text.substr(5))) {
    return core::ParseIso8601Ms(std::string(text) + "-01");
  }
  return core::ParseIso8601Ms(text);
}

}  // namespace crawler
