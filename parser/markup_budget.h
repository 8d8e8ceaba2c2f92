// A budget for pathological markup, applied to the UTF-8 bytes before Gumbo
// sees them. Gumbo 0.10.1 (Debian) was measured using 786 MB and 29.5 s on
// deeply nested divs; a cheap linear pre-scan estimates the nesting depth and
// the element count and cuts the input where either exceeds its limit, so time
// and memory stay bounded. The record's errors say so.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace parser {

struct MarkupBudget {
  // Open non-void elements at once (estimated). Gumbo frees its tree
  // recursively, so depth also bounds its stack.
  size_t max_depth = 4096;
  // Start tags.
  size_t max_elements = 300000;
  // The sum over start tags of the depth they open at: Gumbo's tree
  // construction scans its stack of open elements, so its time grows with depth
  // x elements (measured here: depth 2000 with 150k elements took 0.9 s and 104
  // MB; depth 20000, 23 s and 3.2 GB).
  size_t max_work = 50'000'000;
};

// Cuts `html` where the budget is exceeded. Returns a message for record.errors
// when it cut.
std::optional<std::string> ApplyMarkupBudget(std::string* html,
                                             const MarkupBudget& budget);

}  // namespace parser
