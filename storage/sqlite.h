// A thin RAII layer over the SQLite C API
// (https://sqlite.org/c3ref/intro.html), in the manner of SQLiteCpp: one owner
// per C handle (std::unique_ptr with an empty deleter struct), non-copyable
// movable wrappers, prepared statements with bound parameters only, and a
// Transaction that rolls back in its destructor unless Commit() ran.
//
// SQLite's headers stay out of this header (`struct sqlite3;` is
// forward-declared). Failures are core::Error values with code kStorage; the
// message carries SQLite's own message and its extended result code, and names
// a full disk (SQLITE_FULL) or a read-only database plainly.
//
// Thread-safety: a Database and the Statements prepared on it must be used by
// one thread at a time (the owner serialises access; see storage::Store).
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace storage {

// Closes a connection. sqlite3_close_v2 defers the close until the last
// statement is finalised, so the order in which a Database and its Statements
// are destroyed does not matter.
struct SqliteDbDeleter {
  void operator()(sqlite3* db) const noexcept;
};
using SqliteDbPtr = std::unique_ptr<sqlite3, SqliteDbDeleter>;

struct SqliteStmtDeleter {
  void operator()(sqlite3_stmt* stmt) const noexcept;
};
using SqliteStmtPtr = std::unique_ptr<sqlite3_stmt, SqliteStmtDeleter>;

// Builds the kStorage error for SQLite result code `rc` on `db` (may be null):
// "`what`: SQLite's message (SQLITE_NAME, extended code N)", prefixed with
// "disk full" or "database is read-only" for those conditions.
core::Error SqliteError(sqlite3* db, int rc, std::string_view what);

// A prepared statement. Parameters are 1-based, columns 0-based, as in SQLite.
class Statement {
 public:
  explicit Statement(SqliteStmtPtr stmt) : stmt_(std::move(stmt)) {}

  // Binds a value to parameter `index` (1-based). Integers of any width bind as
  // int64; an empty optional binds NULL.
  core::Status BindNull(int index);
  core::Status BindInt64(int index, int64_t value);
  core::Status BindDouble(int index, double value);
  core::Status BindText(int index, std::string_view value);

  core::Status Bind(int index, std::nullopt_t) { return BindNull(index); }
  core::Status Bind(int index, double value) {
    return BindDouble(index, value);
  }
  core::Status Bind(int index, std::string_view value) {
    return BindText(index, value);
  }
  core::Status Bind(int index, const std::string& value) {
    return BindText(index, value);
  }
  core::Status Bind(int index, const char* value) {
    return BindText(index, value);
  }
  template <std::integral T>
  core::Status Bind(int index, T value) {
    return BindInt64(index, static_cast<int64_t>(value));
  }
  template <typename T>
  core::Status Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // Returns the index of the named parameter (":name", "@name", "$name" or
  // "?NNN"), or kStorage when the statement has no such parameter.
  core::Result<int> ParameterIndex(std::string_view name) const;

  // Binds by parameter name, e.g. Bind(":url", url).
  template <typename T>
  core::Status Bind(std::string_view name, const T& value) {
    core::Result<int> index = ParameterIndex(name);
    if (!index) return index.error();
    return Bind(*index, value);
  }

  // Binds `values` to parameters 1, 2, ... in order.
  template <typename... Ts>
  core::Status BindAll(const Ts&... values) {
    int index = 0;
    core::Status status;
    auto bind_one = [&](const auto& value) {
      if (status) status = Bind(++index, value);
    };
    (bind_one(values), ...);
    return status;
  }

  // Advances the statement: true when a row is available, false when done.
  core::Result<bool> Step();
  // Steps until done, ignoring any rows (for INSERT / UPDATE / DELETE / DDL).
  core::Status Run();
  // Resets the statement so it can run again and clears its bindings. Never
  // fails: an error from the last Step() has already been reported by that
  // Step().
  void Reset() noexcept;

  // Column getters for the current row (valid after Step() returned true). Text
  // is copied.
  int ColumnCount() const;
  bool IsNull(int column) const;
  int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;
  std::optional<int64_t> OptionalInt64(int column) const;
  std::optional<double> OptionalDouble(int column) const;
  std::optional<std::string> OptionalText(int column) const;

  // Returns the SQL text the statement was prepared from.
  std::string_view sql() const;
  sqlite3_stmt* handle() const { return stmt_.get(); }

 private:
  core::Status Check(int rc, std::string_view what) const;

  SqliteStmtPtr stmt_;
};

enum class OpenMode {
  kReadWriteCreate,  // create the file when missing
  kReadWrite,        // the file must exist
  kReadOnly,         // SQLITE_OPEN_READONLY
};

// One connection. Paths may be ":memory:" or "file:" URIs (e.g.
// "file:x.db?mode=ro").
class Database {
 public:
  // Opens the database at `path`. Extended result codes are enabled. Fails with
  // kStorage naming the path.
  static core::Result<Database> Open(
      const std::string& path, OpenMode mode = OpenMode::kReadWriteCreate);

  Database(Database&&) = default;
  Database& operator=(Database&&) = default;
  // Not copyable: one owner per connection.
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more SQL statements that take no parameters (DDL, PRAGMAs,
  // BEGIN/COMMIT).
  core::Status Exec(const std::string& sql);
  // Prepares one statement. `persistent` hints SQLite that the statement is
  // kept and reused.
  core::Result<Statement> Prepare(std::string_view sql,
                                  bool persistent = false);
  // Runs a statement that returns one integer (e.g. "PRAGMA user_version");
  // NULL reads as 0.
  core::Result<int64_t> QueryInt64(std::string_view sql);
  // Runs a statement that returns one text value (e.g. "PRAGMA journal_mode").
  core::Result<std::string> QueryText(std::string_view sql);

  // Sets how long a statement waits for another connection's lock before
  // failing with SQLITE_BUSY.
  core::Status SetBusyTimeout(int milliseconds);

  // Returns true while an explicit transaction is open on this connection.
  bool InTransaction() const;
  int64_t LastInsertRowId() const;
  // Returns the rows changed by the last INSERT / UPDATE / DELETE.
  int64_t Changes() const;
  // Returns the path the database was opened with.
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_.get(); }

 private:
  Database(SqliteDbPtr db, std::string path)
      : db_(std::move(db)), path_(std::move(path)) {}

  SqliteDbPtr db_;
  std::string path_;
};

// An explicit write transaction: BEGIN IMMEDIATE when made, COMMIT only through
// Commit(), ROLLBACK in the destructor otherwise (also after a failed
// Commit()). BEGIN IMMEDIATE takes the write lock up front, so a busy database
// fails at Begin() (after the busy timeout) instead of midway.
class Transaction {
 public:
  // Begins a transaction on `db`, which must outlive it.
  static core::Result<Transaction> Begin(Database& db);

  Transaction(Transaction&&) = default;
  Transaction& operator=(Transaction&&) = default;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() = default;  // the deleter rolls back when still active

  // Commits. On failure the transaction stays active and is rolled back by the
  // destructor.
  core::Status Commit();
  bool active() const { return db_ != nullptr; }

 private:
  // Not a close: "deleting" the guarded connection rolls back the open
  // transaction.
  struct Rollback {
    void operator()(sqlite3* db) const noexcept;
  };
  explicit Transaction(sqlite3* db) : db_(db) {}

  std::unique_ptr<sqlite3, Rollback> db_;
};

// Prepared statements kept for the life of a connection and reused, keyed by
// their SQL text. Get() hands out a lease that resets the statement (and clears
// its bindings) when it goes out of scope, so a cached statement never holds a
// read snapshot open between uses.
class StatementCache {
 public:
  struct ResetOnRelease {
    void operator()(Statement* statement) const noexcept { statement->Reset(); }
  };
  using Lease = std::unique_ptr<Statement, ResetOnRelease>;

  explicit StatementCache(Database& db) : db_(&db) {}

  // Returns the cached statement for `sql`, preparing it on first use.
  core::Result<Lease> Get(std::string_view sql);
  size_t size() const { return statements_.size(); }
  void Clear() { statements_.clear(); }

 private:
  // Transparent hashing: Get() looks up by string_view without building a
  // std::string per call.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const noexcept {
      return std::hash<std::string_view>{}(sql);
    }
  };

  Database* db_;
  std::unordered_map<std::string, Statement, SqlHash, std::equal_to<>>
      statements_;
};

}  // namespace storage
