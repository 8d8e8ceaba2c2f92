// Reading a podcrawl database from a test: a read-only connection of its own
// (with a busy timeout, so a crawl writing beside it does not fail the read).
#pragma once

#include <cstdint>
#include <string>

namespace testsupport {

// Returns the first column of every row of `sql`, one line each ("NULL" for
// NULL), or "<error>" when the database cannot be opened or `sql` prepared.
std::string QueryText(const std::string& db_path, const std::string& sql);

// Returns the integer `sql` yields (its first row's first column), or -1.
int64_t QueryInt(const std::string& db_path, const std::string& sql);

}  // namespace testsupport
