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
  size_t max_depth = 512;        // open non-void elements at once (estimated)
  size_t max_elements = 300000;  // start tags
};

// Cuts `html` where the budget is exceeded. Returns a message for record.errors
// when it cut.
std::optional<std::string> ApplyMarkupBudget(std::string* html,
                                             const MarkupBudget& budget);

}  // namespace parser
