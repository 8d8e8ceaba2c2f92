#include "tests/support/db_query.h"

#include <sqlite3.h>

#include <exception>

namespace testsupport {

std::string QueryText(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string result = "<error>";
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      result.clear();
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        result +=
            text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
        result += "\n";
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db);
  return result;
}

int64_t QueryInt(const std::string& db_path, const std::string& sql) {
  try {
    return std::stoll(QueryText(db_path, sql));
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace testsupport
