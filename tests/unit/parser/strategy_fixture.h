// Shared helpers of the strategy tests: a page built from an HTML string the
// way ParsePage builds it (an HtmlDocument and its PageContext), and lookups
// of the candidates a strategy proposed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parser/candidate.h"
#include "parser/html_document.h"
#include "parser/page_context.h"
#include "parser/page_parser.h"

namespace parser::fixture {

inline constexpr const char* kPageUrl =
    "https://shows.example/podcast/deep-current/ep-7";

// One page: its options, document and context (declared in that order: the
// context refers to both).
struct TestPage {
  explicit TestPage(std::string html, std::string url = kPageUrl,
                    ParseOptions opts = {})
      : options(std::move(opts)),
        doc(std::move(html)),
        ctx(doc, std::move(url), options) {}

  ParseOptions options;
  HtmlDocument doc;
  PageContext ctx;
};

// "<html><head>HEAD</head><body>BODY</body></html>".
inline std::string Html(const std::string& head, const std::string& body) {
  return "<!doctype html><html><head>" + head + "</head><body>" + body +
         "</body></html>";
}

// The candidates of `field` whose text is `text`.
inline std::vector<const Candidate*> WithText(const Candidates& out,
                                              Field field,
                                              std::string_view text) {
  std::vector<const Candidate*> found;
  for (const Candidate* c : out.Of(field)) {
    if (c->text == text) found.push_back(c);
  }
  return found;
}

// The first candidate of `field` whose text is `text`, or nullptr.
inline const Candidate* Find(const Candidates& out, Field field,
                             std::string_view text) {
  auto found = WithText(out, field, text);
  return found.empty() ? nullptr : found.front();
}

// The first candidate of `field` with signal `signal`, or nullptr.
inline const Candidate* FindSignal(const Candidates& out, Field field,
                                   std::string_view signal) {
  for (const Candidate* c : out.Of(field)) {
    if (c->signal == signal) return c;
  }
  return nullptr;
}

// The owner of the first candidate of `field` whose text is `text`; nullopt
// when there is none (a failed expectation, not a crash).
inline std::optional<Owner> OwnerOf(const Candidates& out, Field field,
                                    std::string_view text) {
  const Candidate* c = Find(out, field, text);
  return c == nullptr ? std::nullopt : std::optional<Owner>(c->owner);
}

// The text of the first candidate of `field` with signal `signal`.
inline std::optional<std::string> TextOf(const Candidates& out, Field field,
                                         std::string_view signal) {
  const Candidate* c = FindSignal(out, field, signal);
  return c == nullptr ? std::nullopt : std::optional<std::string>(c->text);
}

// The texts of the candidates of `field`, in proposal order.
inline std::vector<std::string> Texts(const Candidates& out, Field field) {
  std::vector<std::string> texts;
  for (const Candidate* c : out.Of(field)) texts.push_back(c->text);
  return texts;
}

}  // namespace parser::fixture
