// libFuzzer target over parser::ParsePage (DESIGN.md: "any bytes in, a record
// out"; issue 3, item 6).
//
// Input format: the bytes are a page, optionally preceded by one header line
//
//   #!<content-type>\t<url>\n<page bytes...>
//
// so the fuzzer also explores the HTTP Content-Type charset path and URL
// resolution against odd base URLs. Without the "#!" prefix (every saved page
// in tests/data) the whole input is the page, served from kDefaultUrl with no
// Content-Type. The header fields are kept to printable ASCII, because the
// record copies the URL verbatim and the harness must not be the one to put
// invalid UTF-8 in it.
//
// Properties checked beyond "does not crash, hang or leak":
//  - the record serialises with core::ToJson and dumps as strict UTF-8 JSON
//    (nlohmann throws on invalid UTF-8; an uncaught exception aborts, which
//    libFuzzer reports as a crash): DESIGN.md says what is stored is always
//    valid UTF-8;
//  - the JSON reads back with core::RecordFromJson to an equal record;
//  - every link is an absolute http(s) URL, as page_parser.h promises.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/record.h"
#include "parser/page_parser.h"

namespace {

constexpr std::string_view kDefaultUrl =
    "https://podcasts.example.com/podcast/show-name/episode-12";
constexpr std::string_view kHeaderPrefix = "#!";
// Longer header lines are treated as page bytes: a real URL or Content-Type
// is far shorter, and this keeps the split cheap.
constexpr size_t kMaxHeaderBytes = 1024;

struct FuzzInput {
  std::string_view page;
  std::string_view content_type;
  std::string_view url = kDefaultUrl;
};

bool IsPrintableAscii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// Splits the optional "#!content-type\turl\n" header off `data`.
FuzzInput SplitInput(std::string_view data) {
  FuzzInput input;
  input.page = data;
  if (data.substr(0, kHeaderPrefix.size()) != kHeaderPrefix) return input;
  const size_t newline = data.find('\n');
  if (newline == std::string_view::npos || newline > kMaxHeaderBytes) {
    return input;
  }
  const std::string_view header =
      data.substr(kHeaderPrefix.size(), newline - kHeaderPrefix.size());
  input.page = data.substr(newline + 1);
  const size_t tab = header.find('\t');
  const std::string_view content_type = header.substr(0, tab);
  if (IsPrintableAscii(content_type)) input.content_type = content_type;
  if (tab != std::string_view::npos) {
    const std::string_view url = header.substr(tab + 1);
    if (!url.empty() && IsPrintableAscii(url)) input.url = url;
  }
  return input;
}

// Reports a broken property and aborts, so libFuzzer keeps the input.
[[noreturn]] void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "parse_page_fuzzer: %s: %.*s\n", what,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

bool IsAbsoluteHttpUrl(std::string_view link) {
  return link.starts_with("http://") || link.starts_with("https://");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const FuzzInput input = SplitInput(bytes);

  parser::ParseOptions options;
  options.content_type = std::string(input.content_type);
  const parser::ParsedPage page =
      parser::ParsePage(std::string(input.page), input.url, options);

  // Strict UTF-8 dump: nlohmann throws type_error 316 on invalid UTF-8
  // anywhere in the record.
  const nlohmann::json json = core::ToJson(page.record);
  std::string text;
  try {
    text = json.dump();
  } catch (const nlohmann::json::type_error& error) {
    Fail(error.what(),
         json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  // A record that does not survive its own JSON contract (a NaN or infinite
  // rating prints as null, for instance) is a parser bug too.
  if (core::RecordFromJson(nlohmann::json::parse(text)) != page.record) {
    Fail("record does not round-trip through JSON", text);
  }
  for (const std::string& link : page.links) {
    if (!IsAbsoluteHttpUrl(link)) Fail("link is not absolute http(s)", link);
  }
  return 0;
}
