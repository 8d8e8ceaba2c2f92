// `podcrawl parse --explain`: prints, per field, the candidates the strategies
// proposed with their evidence and score, and why the winner won.
#pragma once

#include <ostream>
#include <vector>

#include "parser/page_parser.h"

namespace cli {

// Writes `explanation` as text, one block per field: the reason, then one line
// per candidate ("*" marks the winner).
void PrintExplanation(const std::vector<parser::FieldExplanation>& explanation,
                      std::ostream& out);

}  // namespace cli
