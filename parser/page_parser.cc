#include "parser/page_parser.h"

#include <algorithm>
#include <cstdint>
#include <unordered_set>

#include "core/regex.h"
#include "parser/candidate.h"
#include "parser/charset.h"
#include "parser/html_document.h"
#include "parser/markup_budget.h"
#include "parser/page_context.h"
#include "parser/prefilter.h"
#include "parser/resolver.h"
#include "parser/selector.h"
#include "parser/strategies.h"
#include "parser/text_util.h"

namespace parser {
namespace {

// Absolute http(s) links of the page (normalised, deduplicated, page order).
std::vector<std::string> CollectLinks(const PageContext& ctx) {
  std::vector<std::string> links;
  std::unordered_set<std::string> seen;
  const HtmlDocument& doc = ctx.doc();
  for (int i = 0; i < doc.size(); ++i) {
    const GumboTag t = doc.element(i).tag;
    if (t != GUMBO_TAG_A && t != GUMBO_TAG_AREA) continue;
    const char* href = doc.Attr(i, "href");
    if (href == nullptr) continue;
    auto abs = ctx.Resolve(href);
    if (abs && seen.insert(*abs).second) links.push_back(std::move(*abs));
  }
  return links;
}

std::string_view StrengthName(Strength s) {
  switch (s) {
    case Strength::kGuess:
      return "guess";
    case Strength::kPage:
      return "page";
    case Strength::kStructured:
      return "structured";
    case Strength::kProfile:
      return "profile";
  }
  return "?";
}

std::string Summary(const Candidate& c) {
  switch (c.field) {
    case Field::kRating: {
      std::string s = "value ";
      s += c.rating.value ? std::to_string(*c.rating.value) : "null";
      s += ", count ";
      s += c.rating.count ? std::to_string(*c.rating.count) : "null";
      return s;
    }
    case Field::kRelatedShows: {
      std::string s = std::to_string(c.related.size()) + " shows";
      for (size_t i = 0; i < c.related.size() && i < 5; ++i)
        s += (i == 0 ? ": " : ", ") + c.related[i].name;
      if (c.related.size() > 5) s += ", ...";
      return s;
    }
    case Field::kDurationS:
      return c.number ? std::to_string(*c.number) : "";
    default:
      return c.text;
  }
}

std::vector<FieldExplanation> Explain(const Candidates& candidates,
                                      const std::vector<Decision>& decisions) {
  std::vector<FieldExplanation> out;
  for (const Decision& d : decisions) {
    FieldExplanation f;
    f.field = std::string(FieldName(d.field));
    f.reason = d.reason;
    for (const ScoredCandidate& sc : d.candidates) {
      const Candidate& c = candidates.items()[static_cast<size_t>(sc.index)];
      ExplainedCandidate e;
      e.value = Summary(c);
      e.source = c.source;
      e.where = c.where;
      e.signal = c.signal;
      e.strength = std::string(StrengthName(c.strength));
      e.owner = std::string(OwnerName(c.owner));
      e.visible = c.visible;
      e.truncated = c.truncated;
      e.score = sc.score;
      e.note = sc.note;
      e.winner = sc.index == d.winner;
      f.candidates.push_back(std::move(e));
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

const std::vector<std::string>& ProfileFieldNames() {
  static const std::vector<std::string> kNames = {
      "show_name",    "show_url",         "episode_title", "description",
      "rating_value", "rating_count",     "related_item",  "related_name",
      "related_url",  "related_listeners"};
  return kNames;
}

core::Status ValidateProfile(const core::SiteProfile& profile) {
  const std::vector<std::string>& known = ProfileFieldNames();
  for (const auto& [field, rule] : profile.fields) {
    if (std::find(known.begin(), known.end(), field) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return core::Error(
          core::ErrorCode::kConfig,
          "fields." + field + ": unknown field (known: " + list + ")");
    }
    if (!Selector::Parse(rule.selector)) {
      return core::Error(core::ErrorCode::kConfig,
                         "fields." + field +
                             ".selector: not a valid selector: \"" +
                             rule.selector + "\"");
    }
    if (rule.regex) {
      if (auto re = core::Regex::Compile(*rule.regex); !re) {
        return core::Error(core::ErrorCode::kConfig,
                           "fields." + field + ".regex: invalid regex (RE2 " +
                               "syntax): " + re.error().message);
      }
    }
  }
  return {};
}

ParsedPage ParsePage(std::string_view bytes, std::string_view url,
                     const ParseOptions& options) {
  ParsedPage page;
  page.record.url = std::string(url);
  const size_t max_input_bytes =
      static_cast<size_t>(std::max<int64_t>(options.max_input_bytes, 0));
  if (bytes.size() > max_input_bytes) {
    page.record.errors.push_back("input cut at " +
                                 std::to_string(max_input_bytes) + " of " +
                                 std::to_string(bytes.size()) + " bytes");
    bytes = bytes.substr(0, max_input_bytes);
  }
  // The one copy of the bytes: the text Gumbo reads, in UTF-8.
  Utf8Result utf8 = ToUtf8(bytes, options.content_type);
  if (!utf8.problem.empty()) page.record.errors.push_back(utf8.problem);
  if (auto cut = ApplyMarkupBudget(&utf8.text, MarkupBudget{})) {
    page.record.errors.push_back(*cut);
  }
  // Script code and style bodies are never read: Gumbo need not tokenise them.
  // Data scripts (JSON-LD, page state) go beside the text, read as they are;
  // attributes no rule reads and runs of whitespace go too.
  std::vector<std::string> scripts;
  const Thinning thinning{AttributesProfilesRead(options.profiles)};
  DropUnreadBodies(&utf8.text, &scripts, &thinning);
  try {
    HtmlDocument doc(std::move(utf8.text), std::move(scripts), &thinning);
    PageContext ctx(doc, page.record.url, options);
    Candidates candidates;
    for (Strategy strategy : kStrategies) strategy(ctx, candidates);
    std::vector<Decision> decisions;
    Resolve(candidates, &page.record, options.explain ? &decisions : nullptr);
    if (options.explain) page.explanation = Explain(candidates, decisions);
    for (const std::string& e : ctx.errors()) page.record.errors.push_back(e);
    page.links = CollectLinks(ctx);
    page.address = ctx.url();
  } catch (const std::exception& e) {
    // Only resource exhaustion can land here (bad_alloc, a regex complexity
    // error): the record keeps what was extracted so far.
    page.record.errors.push_back(std::string("extraction stopped: ") +
                                 e.what());
  }
  return page;
}

}  // namespace parser
