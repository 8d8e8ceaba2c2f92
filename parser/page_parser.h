// The page parser: any bytes of an HTML page in, a core::Record out (DESIGN.md
// "How extraction works"). A pure function in the manner of robotstxt's
// ParseRobotsTxt: no network, no clock, no files; it never throws and never
// asserts on page content. Nothing Gumbo-typed crosses this API.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "core/settings.h"
#include "core/site_profile.h"

namespace parser {

// The user's parse settings (core::ParseSettings: the input cap) and what
// each call adds.
struct ParseOptions : core::ParseSettings {
  // The HTTP Content-Type header, when the page was fetched; its charset is
  // honoured.
  std::string content_type;
  // Site profiles from the user's config, tried before the built-in ones.
  std::vector<core::SiteProfile> profiles;
  // Fill ParsedPage::explanation: every field's candidates and why the winner
  // won (`podcrawl parse --explain`).
  bool explain = false;
};

// One candidate of a field as `parse --explain` shows it.
struct ExplainedCandidate {
  std::string value;     // the text, or a summary for ratings and lists
  std::string source;    // json-ld, meta, text, profile:NAME, ...
  std::string where;     // the place on the page
  std::string signal;    // candidates of one signal do not reinforce
  std::string strength;  // guess, page, structured, profile
  std::string owner;     // show, episode, site, person, platform, ...
  bool visible = false;
  bool truncated = false;
  double score = 0;
  std::string note;  // why it scored so or was set aside
  bool winner = false;
};

struct FieldExplanation {
  std::string field;  // the record's JSON name
  std::vector<ExplainedCandidate> candidates;
  std::string reason;  // why the winner won, or why the field is empty
};

struct ParsedPage {
  core::Record record;
  // Absolute http(s) links found on the page (normalised, deduplicated, page
  // order), for the crawler's frontier.
  std::vector<std::string> links;
  // The address the page was read at: the URL given, or with none the page's
  // own absolute canonical link or og:url; empty when it has neither.
  std::string address;
  // Filled when ParseOptions::explain is set: one entry per field.
  std::vector<FieldExplanation> explanation;
};

// The field names a site profile may give rules for.
const std::vector<std::string>& ProfileFieldNames();

// Checks a site profile from the user's config: every field name must be one
// of ProfileFieldNames() (a misspelt one is an error, not ignored), every
// selector must be in the selector language and every regex must compile
// (RE2 syntax). Returns kConfig naming the field, e.g.
// "fields.show_name.selector: not a valid selector: \"h1[\"".
core::Status ValidateProfile(const core::SiteProfile& profile);

// Parses `bytes` (any encoding, any content) fetched from `url` and returns
// what a reader sees there. Thread-safe: several threads may parse at once.
ParsedPage ParsePage(std::string_view bytes, std::string_view url,
                     const ParseOptions& options = {});

}  // namespace parser
