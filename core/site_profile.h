// SiteProfile: per-site extraction rules (DESIGN.md "Site profiles"). Built-in
// profiles ship in the parser; users add their own in the config ("profiles"),
// which is why the type lives in core: config reads it, the parser runs it,
// neither includes the other.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace core {

// How one field is found: a selector (tag, #id, .class, [attr], [attr=v],
// [attr*=v], descendant and child combinators) and optionally an attribute to
// read instead of the text, and a regex whose first capture group (or whole
// match) is kept.
struct FieldRule {
  std::string selector;
  std::optional<std::string> attribute;
  std::optional<std::string> regex;

  bool operator==(const FieldRule&) const = default;
};

struct SiteProfile {
  std::string name;
  // Host pattern: "goodpods.com" matches that host and its subdomains;
  // "*.example.com" matches subdomains only.
  std::string host;
  // Field name (show_name, episode_title, description, rating_value,
  // rating_count, related_item, related_name, related_url, related_listeners,
  // ...) -> rule.
  std::map<std::string, FieldRule> fields;
  // Regexes over the URL path that mark a page as a show or an episode page
  // (crawl scope, kind).
  std::optional<std::string> show_url_pattern;
  std::optional<std::string> episode_url_pattern;

  bool operator==(const SiteProfile&) const = default;
};

}  // namespace core
