#include "storage/sqlite.h"

#include <sqlite3.h>

#include <array>
#include <cassert>
#include <string>
#include <utility>

namespace storage {
namespace {

// The primary result codes (https://sqlite.org/rescode.html) by name, so a
// message says "SQLITE_FULL" rather than only "13". Codes 0 to 28 are
// consecutive.
std::string_view PrimaryCodeName(int rc) {
  static constexpr std::array<std::string_view, 29> kNames = {
      "SQLITE_OK",        "SQLITE_ERROR",      "SQLITE_INTERNAL",
      "SQLITE_PERM",      "SQLITE_ABORT",      "SQLITE_BUSY",
      "SQLITE_LOCKED",    "SQLITE_NOMEM",      "SQLITE_READONLY",
      "SQLITE_INTERRUPT", "SQLITE_IOERR",      "SQLITE_CORRUPT",
      "SQLITE_NOTFOUND",  "SQLITE_FULL",       "SQLITE_CANTOPEN",
      "SQLITE_PROTOCOL",  "SQLITE_EMPTY",      "SQLITE_SCHEMA",
      "SQLITE_TOOBIG",    "SQLITE_CONSTRAINT", "SQLITE_MISMATCH",
      "SQLITE_MISUSE",    "SQLITE_NOLFS",      "SQLITE_AUTH",
      "SQLITE_FORMAT",    "SQLITE_RANGE",      "SQLITE_NOTADB",
      "SQLITE_NOTICE",    "SQLITE_WARNING"};
  static_assert(SQLITE_WARNING == 28 && SQLITE_RANGE == 25);
  const int primary = rc & 0xff;
  if (primary == SQLITE_ROW) return "SQLITE_ROW";
  if (primary == SQLITE_DONE) return "SQLITE_DONE";
  if (primary < static_cast<int>(kNames.size()))
    return kNames[static_cast<size_t>(primary)];
  return "SQLITE_UNKNOWN";
}

int ToInt(size_t size) {
  // SQLite takes int lengths; SQLITE_MAX_LENGTH (1e9 by default) is below
  // INT_MAX, so a longer value is refused by SQLite with SQLITE_TOOBIG rather
  // than silently truncated here.
  return size > static_cast<size_t>(INT32_MAX) ? INT32_MAX
                                               : static_cast<int>(size);
}

// Returns `sql` on one line (whitespace runs collapsed), cut after kMax bytes,
// for messages that must stay one line.
std::string ShortSql(std::string_view sql) {
  constexpr size_t kMax = 80;
  std::string out;
  for (char c : sql) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    if (out.size() >= kMax) {
      out.append("...");
      break;
    }
    out.push_back(c);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Builds the kStorage error for SQLite result code `rc` on `db` (may be null):
// "`what`: SQLite's message (SQLITE_NAME, extended code N)", prefixed with
// "disk full" or "database is read-only" for those conditions.
core::Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  // With extended result codes on, sqlite3_extended_errcode() refines `rc`
  // (e.g. SQLITE_IOERR_WRITE); `rc` itself is what the failing call returned.
  int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  if ((extended & 0xff) != (rc & 0xff)) extended = rc;
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message;
  switch (rc & 0xff) {
    case SQLITE_FULL:
      message = "disk full: ";
      break;
    case SQLITE_READONLY:
      message = "database is read-only: ";
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      message = "database is busy (another process holds the lock): ";
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      message = "database file is damaged or not a database: ";
      break;
    default:
      break;
  }
  // Name the file, so a user with several databases knows which one is full or
  // read-only.
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  if (file != nullptr && *file != '\0' &&
      what.find(file) == std::string_view::npos) {
    message += "database \"" + std::string(file) + "\": ";
  }
  message += std::string(what) + ": " + detail + " (" +
             std::string(PrimaryCodeName(rc)) + ", extended code " +
             std::to_string(extended) + ")";
  return {core::ErrorCode::kStorage, std::move(message)};
}

}  // namespace

void SqliteDbDeleter::operator()(sqlite3* db) const noexcept {
  sqlite3_close_v2(db);
}

void SqliteStmtDeleter::operator()(sqlite3_stmt* stmt) const noexcept {
  sqlite3_finalize(stmt);
}

// --- Statement ---

core::Status Statement::Check(int rc, std::string_view what) const {
  if (rc == SQLITE_OK) return {};
  return SqliteError(sqlite3_db_handle(stmt_.get()), rc,
                     std::string(what) + " in \"" + ShortSql(sql()) + "\"");
}

core::Status Statement::Bind(int index, std::nullopt_t /*null*/) {
  return Check(sqlite3_bind_null(stmt_.get(), index), "bind");
}

core::Status Statement::Bind(int index, int64_t value) {
  return Check(sqlite3_bind_int64(stmt_.get(), index, value), "bind");
}

core::Status Statement::Bind(int index, double value) {
  return Check(sqlite3_bind_double(stmt_.get(), index, value), "bind");
}

core::Status Statement::Bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so the caller's buffer may go
  // away before Step().
  return Check(sqlite3_bind_text(stmt_.get(), index, value.data(),
                                 ToInt(value.size()), SQLITE_TRANSIENT),
               "bind");
}

core::Status Statement::Bind(int index, Blob value) {
  // A zero-length blob needs a non-null pointer, or SQLite binds NULL.
  static constexpr char kEmpty = 0;
  return Check(
      sqlite3_bind_blob(stmt_.get(), index,
                        value.bytes.empty() ? &kEmpty : value.bytes.data(),
                        ToInt(value.bytes.size()), SQLITE_TRANSIENT),
      "bind");
}

core::Result<int> Statement::ParameterIndex(std::string_view name) const {
  std::string owned(name);
  int index = sqlite3_bind_parameter_index(stmt_.get(), owned.c_str());
  if (index == 0) {
    return core::Error(core::ErrorCode::kStorage,
                       "no SQL parameter named \"" + owned + "\" in \"" +
                           std::string(sql()) + "\"");
  }
  return index;
}

core::Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  core::Status status = Check(rc, "step");
  return status.error();
}

core::Status Statement::Run() {
  while (true) {
    core::Result<bool> row = Step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

void Statement::Reset() noexcept {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

int Statement::ColumnCount() const { return sqlite3_column_count(stmt_.get()); }

ValueType Statement::ColumnType(int column) const {
  static_assert(SQLITE_INTEGER == 1 && SQLITE_FLOAT == 2 && SQLITE_TEXT == 3 &&
                SQLITE_BLOB == 4 && SQLITE_NULL == 5);
  return static_cast<ValueType>(sqlite3_column_type(stmt_.get(), column));
}

int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

double Statement::ColumnDouble(int column) const {
  return sqlite3_column_double(stmt_.get(), column);
}

std::string Statement::ColumnText(int column) const {
  // Call sqlite3_column_text before sqlite3_column_bytes, as
  // https://sqlite.org/c3ref/column_blob.html advises, so the length is that of
  // the UTF-8 text.
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  if (text == nullptr) return {};
  int bytes = sqlite3_column_bytes(stmt_.get(), column);
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(bytes)};
}

std::string Statement::ColumnBlob(int column) const {
  // sqlite3_column_blob before sqlite3_column_bytes, as for text.
  const void* blob = sqlite3_column_blob(stmt_.get(), column);
  if (blob == nullptr) return {};
  int bytes = sqlite3_column_bytes(stmt_.get(), column);
  return {static_cast<const char*>(blob), static_cast<size_t>(bytes)};
}

std::string_view Statement::sql() const {
  const char* text = sqlite3_sql(stmt_.get());
  return text != nullptr ? std::string_view(text) : std::string_view();
}

// --- Connection ---

core::Result<Connection> Connection::Open(const std::string& path,
                                          OpenMode mode) {
  int flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case OpenMode::kReadWriteCreate:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
    case OpenMode::kReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case OpenMode::kReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // sqlite3_open_v2 usually hands back a handle even on failure; it must be
  // closed either way.
  SqliteDbPtr db(raw);
  if (rc != SQLITE_OK)
    return SqliteError(db.get(), rc, "cannot open database \"" + path + "\"");
  sqlite3_extended_result_codes(db.get(), 1);
  return Connection(std::move(db), path);
}

core::Status Connection::ExecScript(const std::string& sql) {
  char* raw_message = nullptr;
  int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &raw_message);
  sqlite3_free(raw_message);  // sqlite3_errmsg() still holds the same text
  if (rc != SQLITE_OK)
    return SqliteError(db_.get(), rc, "\"" + ShortSql(sql) + "\"");
  return {};
}

core::Result<Statement> Connection::Prepare(std::string_view sql,
                                            bool persistent) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), ToInt(sql.size()),
                              persistent ? SQLITE_PREPARE_PERSISTENT : 0, &raw,
                              &tail);
  SqliteStmtPtr stmt(raw);
  if (rc != SQLITE_OK) {
    return SqliteError(db_.get(), rc, "prepare \"" + ShortSql(sql) + "\"");
  }
  if (stmt == nullptr) {  // only whitespace or a comment
    return core::Error(core::ErrorCode::kInternal, "empty SQL statement");
  }
  // sqlite3_prepare compiles the first statement only: a second one would be
  // silently ignored. What follows may be whitespace or comments only.
  const std::string_view rest =
      sql.substr(static_cast<size_t>(tail - sql.data()));
  sqlite3_stmt* next = nullptr;
  rc = sqlite3_prepare_v2(db_.get(), rest.data(), ToInt(rest.size()), &next,
                          nullptr);
  SqliteStmtPtr next_stmt(next);
  if (rc != SQLITE_OK || next_stmt != nullptr) {
    return core::Error(core::ErrorCode::kInternal,
                       "more than one SQL statement in \"" + ShortSql(sql) +
                           "\"; use ExecScript");
  }
  return Statement(std::move(stmt));
}

core::Status Connection::SetBusyTimeout(int milliseconds) {
  int rc = sqlite3_busy_timeout(db_.get(), milliseconds);
  if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, "busy_timeout");
  return {};
}

core::Status Connection::DisableCheckpointOnClose() {
  // https://sqlite.org/c3ref/c_dbconfig_defensive.html#sqlitedbconfignockptonclose
  int rc = sqlite3_db_config(db_.get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
                             nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, "configure");
  return {};
}

bool Connection::InTransaction() const {
  return sqlite3_get_autocommit(db_.get()) == 0;
}

int64_t Connection::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_.get());
}

int64_t Connection::Changes() const { return sqlite3_changes64(db_.get()); }

// --- Transaction ---

// The statements of a transaction begun inside another, a savepoint (SQLite
// keeps a stack: RELEASE and ROLLBACK TO act on the innermost of that name).
constexpr const char* kBeginSavepoint = "SAVEPOINT podcrawl_nested";
constexpr const char* kReleaseSavepoint = "RELEASE podcrawl_nested";
constexpr const char* kRollbackSavepoint =
    "ROLLBACK TO podcrawl_nested; RELEASE podcrawl_nested";

void Transaction::Rollback::operator()(sqlite3* db) const noexcept {
  // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR,
  // SQLITE_BUSY in some cases, https://sqlite.org/lang_transaction.html
  // "Response To Errors Within A Transaction"); a second ROLLBACK would fail,
  // so only roll back what is still open. A failing ROLLBACK cannot be reported
  // from a destructor; SQLite then rolls back when the connection closes, and
  // the next BEGIN fails with a clear error instead.
  if (sqlite3_get_autocommit(db) != 0) return;
  if (savepoint) {
    sqlite3_exec(db, kRollbackSavepoint, nullptr, nullptr, nullptr);
  } else {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

core::Result<Transaction> Transaction::Begin(Connection& db) {
  const bool savepoint = db.InTransaction();
  core::Status status =
      db.ExecScript(savepoint ? kBeginSavepoint : "BEGIN IMMEDIATE");
  if (!status) return status.error();
  return Transaction(db.handle(), savepoint);
}

core::Status Transaction::Commit() {
  assert(db_ != nullptr && "Commit() on a finished transaction");
  if (db_ == nullptr) {
    return core::Error(core::ErrorCode::kInternal,
                       "commit without an active transaction");
  }
  const char* sql = db_.get_deleter().savepoint ? kReleaseSavepoint : "COMMIT";
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, "commit");
  static_cast<void>(db_.release());  // committed: nothing to roll back; the
                                     // connection is not ours to close
  return {};
}

core::Result<Connection::Lease> Connection::Cached(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    core::Result<Statement> statement = Prepare(sql, /*persistent=*/true);
    if (!statement) return statement.error();
    it = statements_.emplace(std::string(sql), std::move(statement).value())
             .first;
  }
  return Lease(&it->second);
}

}  // namespace storage
