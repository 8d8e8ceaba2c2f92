// Regex: a regular expression the user wrote (crawl.allow / crawl.deny, a
// schedule's allow / deny, a site profile's URL patterns and field regexes),
// run on RE2. RE2 matches in time linear in the text and without recursion, so
// a hostile page (a 20 KB link, a huge text node) can neither stall a crawl
// nor overflow its stack, whatever the pattern. The syntax is RE2's
// (https://github.com/google/re2/wiki/Syntax): Perl-like, but without
// backreferences or lookaround; such patterns fail to compile.
//
// Patterns and texts are UTF-8. A compiled Regex is immutable: copies share
// it, and it is safe to use from many threads at once.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace core {

class Regex {
 public:
  // The groups of one match: [0] is the whole match, [i] the i-th capture
  // group, nullopt for a group that took no part in the match. The views point
  // into the searched text.
  using Groups = std::vector<std::optional<std::string_view>>;

  // Compiles `pattern`. A pattern RE2 rejects is a kConfig error whose
  // message is RE2's (e.g. "missing ): (a").
  static Result<Regex> Compile(std::string_view pattern);

  // Returns true when the pattern matches anywhere in `text` (search, not a
  // whole-text match: anchor with ^ and $ for that).
  bool Search(std::string_view text) const;

  // Returns the groups of the leftmost match in `text`, or nullopt when there
  // is none.
  std::optional<Groups> Find(std::string_view text) const;

  // Returns the number of capture groups in the pattern.
  int group_count() const;
  // Returns the pattern as given.
  const std::string& pattern() const;

 private:
  struct Impl;
  explicit Regex(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace core
