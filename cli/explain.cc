#include "cli/explain.h"

#include <cstdio>
#include <string>

namespace cli {
namespace {

// One line of at most `max` bytes (newlines folded, cut on a UTF-8 boundary).
std::string Short(const std::string& s, size_t max) {
  std::string out;
  for (char c : s) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  if (out.size() <= max) return out;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
    --cut;
  out.resize(cut);
  return out + "…";
}

}  // namespace

void PrintExplanation(const std::vector<parser::FieldExplanation>& explanation,
                      std::ostream& out) {
  for (const auto& f : explanation) {
    if (f.candidates.empty() && f.reason == "no candidate") continue;
    out << f.field << ": " << f.reason << "\n";
    for (const auto& c : f.candidates) {
      char score[32];
      std::snprintf(score, sizeof score, "%6g", c.score);
      out << (c.winner ? "  * " : "    ") << score << "  \""
          << Short(c.value, 70) << "\"  " << c.source << ", " << c.where << " ["
          << c.strength << ", signal " << c.signal << ", owner " << c.owner
          << (c.visible ? ", visible" : "")
          << (c.truncated ? ", truncated" : "") << "]";
      if (!c.note.empty()) out << "  -- " << Short(c.note, 120);
      out << "\n";
    }
  }
}

}  // namespace cli
