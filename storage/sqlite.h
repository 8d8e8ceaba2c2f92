// A thin RAII layer over the SQLite C API
// (https://sqlite.org/c3ref/intro.html), in the manner of SQLiteCpp: one owner
// per C handle (std::unique_ptr with an empty deleter struct), non-copyable
// movable wrappers, prepared statements with bound parameters only, and a
// Transaction that rolls back in its destructor unless Commit() ran.
//
// A Connection keeps the statements it prepared for its whole life, keyed by
// their SQL text, and runs one with bound values in one line: Exec (no rows),
// QueryOne (the first row), QueryAll (every row). This is the only file that
// calls sqlite3_* functions; the stores use these helpers.
//
// SQLite's headers stay out of this header (`struct sqlite3;` is
// forward-declared). Failures are core::Error values with code kStorage; the
// message carries SQLite's own message and its extended result code, and names
// a full disk (SQLITE_FULL) or a read-only database plainly.
//
// Thread-safety: a Connection and the Statements prepared on it must be used
// by one thread at a time (the owner serialises access; see storage::Store).
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace storage {

// Closes a connection. sqlite3_close_v2 defers the close until the last
// statement is finalised, so the order in which a Connection and its
// Statements are destroyed does not matter.
struct SqliteDbDeleter {
  void operator()(sqlite3* db) const noexcept;
};
using SqliteDbPtr = std::unique_ptr<sqlite3, SqliteDbDeleter>;

struct SqliteStmtDeleter {
  void operator()(sqlite3_stmt* stmt) const noexcept;
};
using SqliteStmtPtr = std::unique_ptr<sqlite3_stmt, SqliteStmtDeleter>;

// Bytes bound or read as a BLOB, stored as they are (text is UTF-8 and
// compared as text). The bytes must outlive the Bind() call only.
struct Blob {
  std::string_view bytes;
};

// The storage class of a column value (https://sqlite.org/datatype3.html),
// numbered as SQLite's SQLITE_INTEGER ... SQLITE_NULL.
enum class ValueType { kInteger = 1, kFloat, kText, kBlob, kNull };

// A std::optional (Statement::Column reads NULL as nullopt).
template <typename T>
concept OptionalValue = std::same_as<T, std::optional<typename T::value_type>>;

// A prepared statement. Parameters are 1-based, columns 0-based, as in SQLite.
class Statement {
 public:
  explicit Statement(SqliteStmtPtr stmt) : stmt_(std::move(stmt)) {}

  // Binds `value` to parameter `index` (1-based): integers of any width as
  // int64, text (std::string, string_view, const char*) as TEXT, Blob as a
  // BLOB, std::nullopt or an empty optional as NULL.
  core::Status Bind(int index, std::nullopt_t null);
  core::Status Bind(int index, int64_t value);
  core::Status Bind(int index, double value);
  core::Status Bind(int index, std::string_view value);
  core::Status Bind(int index, Blob value);
  template <std::integral T>
  core::Status Bind(int index, T value) {
    return Bind(index, static_cast<int64_t>(value));
  }
  template <typename T>
  core::Status Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : Bind(index, std::nullopt);
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
    [[maybe_unused]] int index = 0;
    core::Status status;
    // && stops the fold at the first failure.
    static_cast<void>(((status = Bind(++index, values)) && ...));
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
  // and blobs are copied. A NULL reads as 0, 0.0 or "".
  int ColumnCount() const;
  ValueType ColumnType(int column) const;
  bool IsNull(int column) const {
    return ColumnType(column) == ValueType::kNull;
  }
  int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;
  std::optional<int64_t> OptionalInt64(int column) const {
    return Column<std::optional<int64_t>>(column);
  }
  std::optional<double> OptionalDouble(int column) const {
    return Column<std::optional<double>>(column);
  }
  std::optional<std::string> OptionalText(int column) const {
    return Column<std::optional<std::string>>(column);
  }

  // Returns column `column` as T: an integer type (bool is "not 0"), double,
  // std::string (its text; ColumnBlob reads the bytes of a BLOB), or
  // std::optional of one of them (nullopt for NULL).
  template <typename T>
  T Column(int column) const {
    if constexpr (OptionalValue<T>) {
      if (IsNull(column)) return std::nullopt;
      return Column<typename T::value_type>(column);
    } else if constexpr (std::integral<T>) {  // bool too: "not 0"
      return static_cast<T>(ColumnInt64(column));
    } else if constexpr (std::floating_point<T>) {
      return static_cast<T>(ColumnDouble(column));
    } else {
      static_assert(std::is_same_v<T, std::string>, "unsupported column type");
      return ColumnText(column);
    }
  }

  // Returns the SQL text the statement was prepared from.
  std::string_view sql() const;

 private:
  core::Status Check(int rc, std::string_view what) const;

  SqliteStmtPtr stmt_;
};

// The row type `read(const Statement&)` returns.
template <typename Read>
using RowOf = std::invoke_result_t<Read&, const Statement&>;

template <typename... Ts, size_t... I>
std::tuple<Ts...> ReadTuple(const Statement& s,
                            std::index_sequence<I...> /*columns*/) {
  return std::tuple<Ts...>(s.Column<Ts>(static_cast<int>(I))...);
}

// A row reader for QueryOne / QueryAll: the first sizeof...(Ts) columns as
// Statement::Column<T> reads them, the one value when there is one, else a
// tuple. QueryOne(sql, ReadColumns<int64_t>, id) is a
// Result<std::optional<int64_t>>.
template <typename... Ts>
inline constexpr auto ReadColumns = [](const Statement& s) {
  if constexpr (sizeof...(Ts) == 1) {
    return s.Column<Ts...>(0);
  } else {
    return ReadTuple<Ts...>(s, std::index_sequence_for<Ts...>());
  }
};

enum class OpenMode {
  kReadWriteCreate,  // create the file when missing
  kReadWrite,        // the file must exist
  kReadOnly,         // SQLITE_OPEN_READONLY
};

// One connection, with the statements prepared on it. Paths may be ":memory:"
// or "file:" URIs (e.g. "file:x.db?mode=ro").
//
// Exec, QueryOne, QueryAll and Cached keep each statement, keyed by its SQL
// text, for the life of the connection (SQLITE_PREPARE_PERSISTENT) and reset
// it (clearing its bindings) after each use, so a kept statement never holds a
// read snapshot open between uses. Prepare and ExecScript prepare afresh.
class Connection {
 public:
  // A kept statement lent out by Cached(): reset, its bindings cleared, when
  // the lease goes out of scope. Valid while the connection lives.
  struct ResetOnRelease {
    void operator()(Statement* statement) const noexcept { statement->Reset(); }
  };
  using Lease = std::unique_ptr<Statement, ResetOnRelease>;

  // Opens the database at `path`. Extended result codes are enabled. Fails with
  // kStorage naming the path.
  static core::Result<Connection> Open(
      const std::string& path, OpenMode mode = OpenMode::kReadWriteCreate);

  // Movable (the kept statements move along); not copyable: one owner per
  // connection.
  Connection(Connection&&) = default;
  Connection& operator=(Connection&&) = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs the kept statement `sql` with `args` bound to ?1, ?2, ... and steps
  // it to the end, calling `on_row(const Statement&)` on each row.
  template <typename OnRow, typename... Args>
  core::Status ForEachRow(std::string_view sql, OnRow on_row,
                          const Args&... args) {
    core::Result<Lease> st = Cached(sql);
    if (!st) return st.error();
    if (core::Status bound = (*st)->BindAll(args...); !bound) return bound;
    while (true) {
      core::Result<bool> has_row = (*st)->Step();
      if (!has_row) return has_row.error();
      if (!*has_row) return {};
      on_row(static_cast<const Statement&>(**st));
    }
  }

  // ForEachRow ignoring the rows (INSERT, UPDATE, DELETE, PRAGMA).
  template <typename... Args>
  core::Status Exec(std::string_view sql, const Args&... args) {
    return ForEachRow(
        sql, [](const Statement& /*row*/) {}, args...);
  }

  // ForEachRow returning the first row read by `read(const Statement&)`, or
  // nullopt when there is none. Meant for statements of at most one row (a
  // lookup, an aggregate, INSERT ... RETURNING); any further rows are stepped
  // over, which is what completes an UPDATE ... RETURNING.
  template <typename Read, typename... Args>
  auto QueryOne(std::string_view sql, Read read, const Args&... args)
      -> core::Result<std::optional<RowOf<Read>>> {
    std::optional<RowOf<Read>> row;
    core::Status status = ForEachRow(
        sql,
        [&](const Statement& s) {
          if (!row) row = read(s);
        },
        args...);
    if (!status) return status.error();
    return row;
  }

  // ForEachRow returning every row, in order, read by `read`.
  template <typename Read, typename... Args>
  auto QueryAll(std::string_view sql, Read read, const Args&... args)
      -> core::Result<std::vector<RowOf<Read>>> {
    std::vector<RowOf<Read>> rows;
    core::Status status = ForEachRow(
        sql, [&](const Statement& s) { rows.push_back(read(s)); }, args...);
    if (!status) return status.error();
    return rows;
  }

  // Returns the kept statement for `sql`, preparing it on first use, for a
  // caller that steps it itself.
  core::Result<Lease> Cached(std::string_view sql);
  // Returns how many statements are kept.
  size_t cached_count() const { return statements_.size(); }
  // Finalises the kept statements.
  void ClearCache() { statements_.clear(); }

  // Runs SQL text of one or more statements that take no parameters
  // (migrations, PRAGMAs, BEGIN/COMMIT) with sqlite3_exec.
  core::Status ExecScript(const std::string& sql);
  // Prepares one statement, not kept. `persistent` hints SQLite that the
  // caller keeps and reuses it. Fails when `sql` holds more than one
  // statement (the others would be ignored).
  core::Result<Statement> Prepare(std::string_view sql,
                                  bool persistent = false);
  // Runs the kept statement `sql` that returns one integer (e.g. "PRAGMA
  // user_version") or one text (e.g. "PRAGMA journal_mode"); no row or NULL
  // reads as 0 or "".
  core::Result<int64_t> QueryInt64(std::string_view sql) {
    auto value = QueryOne(sql, ReadColumns<int64_t>);
    if (!value) return value.error();
    return value->value_or(0);
  }
  core::Result<std::string> QueryText(std::string_view sql) {
    auto value = QueryOne(sql, ReadColumns<std::string>);
    if (!value) return value.error();
    return value->value_or(std::string());
  }

  // Sets how long a statement waits for another connection's lock before
  // failing with SQLITE_BUSY.
  core::Status SetBusyTimeout(int milliseconds);
  // Turns off the checkpoint SQLite runs when the last connection to a WAL
  // database closes (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE).
  core::Status DisableCheckpointOnClose();

  // Returns true while an explicit transaction is open on this connection.
  bool InTransaction() const;
  int64_t LastInsertRowId() const;
  // Returns the rows changed by the last INSERT / UPDATE / DELETE.
  int64_t Changes() const;
  // Returns the path the database was opened with.
  const std::string& path() const { return path_; }

 private:
  friend class Transaction;

  // Transparent hashing: Cached() looks up by string_view without building a
  // std::string per call.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const noexcept {
      return std::hash<std::string_view>{}(sql);
    }
  };

  Connection(SqliteDbPtr db, std::string path)
      : db_(std::move(db)), path_(std::move(path)) {}

  sqlite3* handle() const { return db_.get(); }

  SqliteDbPtr db_;
  std::string path_;
  // After db_: destroyed first.
  std::unordered_map<std::string, Statement, SqlHash, std::equal_to<>>
      statements_;
};

// An explicit write transaction: BEGIN IMMEDIATE when made, COMMIT only through
// Commit(), ROLLBACK in the destructor otherwise (also after a failed
// Commit()). BEGIN IMMEDIATE takes the write lock up front, so a busy database
// fails at Begin() (after the busy timeout) instead of midway. Begun while the
// connection is already in a transaction (a batch: FrontierStore::BeginBatch),
// it is a savepoint of that transaction instead: Commit() releases it into the
// outer transaction, and the destructor undoes only its own writes.
class Transaction {
 public:
  // Begins a transaction on `db`, which must outlive it.
  static core::Result<Transaction> Begin(Connection& db);

  Transaction(Transaction&&) = default;
  Transaction& operator=(Transaction&&) = default;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() = default;  // the deleter rolls back when still active

  // Commits (a savepoint: releases it). On failure the transaction stays
  // active and is rolled back by the destructor.
  core::Status Commit();
  bool active() const { return db_ != nullptr; }

 private:
  // Not a close: "deleting" the guarded connection rolls back the open
  // transaction (or savepoint).
  struct Rollback {
    bool savepoint = false;
    void operator()(sqlite3* db) const noexcept;
  };
  Transaction(sqlite3* db, bool savepoint) : db_(db, Rollback{savepoint}) {}

  std::unique_ptr<sqlite3, Rollback> db_;
};

// One connection that several stores share (the records store and the
// frontier of a crawl, so that a page's record and its frontier state commit
// in one transaction), with the mutex that serialises its use.
struct SharedConnection {
  explicit SharedConnection(Connection connection)
      : db(std::move(connection)) {}
  std::mutex mutex;
  Connection db;
};

// Runs `body` (returning a core::Status or core::Result) in one transaction on
// `db`: committed when it succeeds, rolled back when it fails or when the
// commit does. Returns what `body` returned, or the error of BEGIN / COMMIT.
template <typename Body>
auto InTransaction(Connection& db, Body&& body) -> decltype(body()) {
  core::Result<Transaction> tx = Transaction::Begin(db);
  if (!tx) return tx.error();
  auto result = std::forward<Body>(body)();
  if (!result) return result;  // ~Transaction rolls back
  if (core::Status status = tx->Commit(); !status) return status.error();
  return result;
}

}  // namespace storage
