// Counts as pages display them: "1.2K listeners" is 1200, a rounded display
// of a count that another page (or the page's own data) may give exactly as
// 1,234. These helpers tell whether two readings can be one count, so that the
// store keeps one listener count instead of flapping between the two
// (README "Listener counts") and the parser's resolver can say when two
// strategies really disagree. Header-only; pure and thread-safe.
#pragma once

#include <cstdint>

namespace core {

// Returns the unit `count` looks rounded to, read from its trailing zeros: 1
// for 1234, 10 for 1230, 100 for 1200, 1000 for 1000. 1 for 0 and negative
// counts. A count that is exact but ends in zeros (1,230 listeners) reads as
// rounded: nothing on a page tells the two apart.
inline int64_t RoundingUnit(int64_t count) {
  int64_t unit = 1;
  if (count <= 0) return unit;
  while (count % 10 == 0 && unit <= INT64_MAX / 10) {
    count /= 10;
    unit *= 10;
  }
  return unit;
}

// Returns whether `a` and `b` can be two displays of one count: equal, or the
// coarser one (the larger RoundingUnit) a rounding of the other, to nearest
// or down: for a coarse reading r with unit u, the other lies in
// [r - u/2, r + u). So 1200 ("1.2K") agrees with 1150 and 1299, and 1000 with
// 1234, but 1200 and 1300 (both to the hundred) or 1234 and 1235 do not.
inline bool CountsAgree(int64_t a, int64_t b) {
  if (a == b) return true;
  const int64_t unit_a = RoundingUnit(a);
  const int64_t unit_b = RoundingUnit(b);
  if (unit_a == unit_b) return false;
  const int64_t coarse = unit_a > unit_b ? a : b;
  const int64_t fine = unit_a > unit_b ? b : a;
  const int64_t unit = unit_a > unit_b ? unit_a : unit_b;
  // Both are display counts (well below 2^62): no overflow.
  return fine >= coarse - unit / 2 && fine < coarse + unit;
}

}  // namespace core
