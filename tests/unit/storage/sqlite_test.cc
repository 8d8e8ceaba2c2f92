// Tests of storage/sqlite.h, the RAII layer over the SQLite C API: binding,
// stepping, errors that carry SQLite's message and code, transactions that roll
// back unless committed, and the statement cache.
#include "storage/sqlite.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

#include "tests/support/temp_dir.h"

namespace storage {
namespace {

using ::testing::HasSubstr;

Database OpenMemory() {
  core::Result<Database> db = Database::Open(":memory:");
  EXPECT_TRUE(db.has_value()) << db.error().message;
  return std::move(db).value();
}

int64_t CountRows(Database& db, const std::string& table) {
  core::Result<int64_t> count = db.QueryInt64("SELECT count(*) FROM " + table);
  EXPECT_TRUE(count.has_value()) << count.error().message;
  return count ? *count : -1;
}

TEST(SqliteStatementTest, BindsAndReadsEveryType) {
  Database db = OpenMemory();
  ASSERT_TRUE(db.Exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT)"));
  core::Result<Statement> insert =
      db.Prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
  ASSERT_TRUE(insert.has_value()) << insert.error().message;
  std::optional<std::string> missing;
  ASSERT_TRUE(insert->BindAll(int64_t{1} << 40, 4.5,
                              std::string("caf\xC3\xA9 \0x", 8), missing));
  ASSERT_TRUE(insert->Run());
  EXPECT_EQ(db.Changes(), 1);
  EXPECT_EQ(db.LastInsertRowId(), 1);

  core::Result<Statement> select = db.Prepare("SELECT i, d, s, n FROM t");
  ASSERT_TRUE(select.has_value());
  core::Result<bool> row = select->Step();
  ASSERT_TRUE(row.has_value());
  ASSERT_TRUE(*row);
  EXPECT_EQ(select->ColumnCount(), 4);
  EXPECT_EQ(select->ColumnInt64(0), int64_t{1} << 40);
  EXPECT_DOUBLE_EQ(select->ColumnDouble(1), 4.5);
  // Text keeps embedded NUL bytes: its length comes from sqlite3_column_bytes.
  EXPECT_EQ(select->ColumnText(2), std::string("caf\xC3\xA9 \0x", 8));
  EXPECT_TRUE(select->IsNull(3));
  EXPECT_EQ(select->OptionalText(3), std::nullopt);
  EXPECT_EQ(select->OptionalInt64(0), std::optional<int64_t>(int64_t{1} << 40));
  row = select->Step();
  ASSERT_TRUE(row.has_value());
  EXPECT_FALSE(*row);
}

TEST(SqliteStatementTest, BindsByName) {
  Database db = OpenMemory();
  core::Result<Statement> select = db.Prepare("SELECT :a + :b, :name");
  ASSERT_TRUE(select.has_value());
  ASSERT_TRUE(select->Bind(":a", 40));
  ASSERT_TRUE(select->Bind(":b", int64_t{2}));
  ASSERT_TRUE(select->Bind(":name", "x"));
  core::Result<bool> row = select->Step();
  ASSERT_TRUE(row.has_value() && *row);
  EXPECT_EQ(select->ColumnInt64(0), 42);
  EXPECT_EQ(select->ColumnText(1), "x");
}

TEST(SqliteStatementTest, UnknownParameterNameIsAnError) {
  Database db = OpenMemory();
  core::Result<Statement> select = db.Prepare("SELECT :a");
  ASSERT_TRUE(select.has_value());
  core::Status status = select->Bind(":nope", 1);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(status.error().message, HasSubstr(":nope"));
}

TEST(SqliteStatementTest, ResetClearsBindingsAndAllowsRerun) {
  Database db = OpenMemory();
  core::Result<Statement> select = db.Prepare("SELECT ?1");
  ASSERT_TRUE(select.has_value());
  ASSERT_TRUE(select->Bind(1, 7));
  ASSERT_TRUE(select->Step().value());
  EXPECT_EQ(select->ColumnInt64(0), 7);
  select->Reset();
  ASSERT_TRUE(select->Step().value());
  EXPECT_TRUE(select->IsNull(0));
}

TEST(SqliteDatabaseTest, SyntaxErrorCarriesSqliteMessageAndCode) {
  Database db = OpenMemory();
  core::Result<Statement> bad = db.Prepare("SELEC 1");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(bad.error().message, HasSubstr("syntax error"));
  EXPECT_THAT(bad.error().message, HasSubstr("SQLITE_ERROR"));
  EXPECT_THAT(bad.error().message, HasSubstr("SELEC 1"));
}

// Extended result codes are on: a UNIQUE violation reports
// SQLITE_CONSTRAINT_UNIQUE (2067).
TEST(SqliteDatabaseTest, ConstraintErrorCarriesExtendedCode) {
  Database db = OpenMemory();
  ASSERT_TRUE(
      db.Exec("CREATE TABLE t (k TEXT UNIQUE); INSERT INTO t VALUES ('a')"));
  core::Status status = db.Exec("INSERT INTO t VALUES ('a')");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(status.error().message, HasSubstr("UNIQUE constraint failed"));
  EXPECT_THAT(status.error().message, HasSubstr("SQLITE_CONSTRAINT"));
  EXPECT_THAT(status.error().message, HasSubstr("extended code 2067"));
}

TEST(SqliteDatabaseTest, OpeningMissingFileWithoutCreateFailsNamingThePath) {
  testsupport::TempDir dir;
  std::string path = dir.File("missing.db");
  core::Result<Database> db = Database::Open(path, OpenMode::kReadWrite);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(db.error().message, HasSubstr(path));
  EXPECT_THAT(db.error().message, HasSubstr("SQLITE_CANTOPEN"));
}

// SQLITE_FULL must surface as kStorage saying the disk is full. PRAGMA
// max_page_count makes SQLite answer SQLITE_FULL once the file would grow past
// the cap, as a full disk does.
TEST(SqliteDatabaseTest, FullDatabaseIsAStorageErrorSayingDiskFull) {
  testsupport::TempDir dir;
  core::Result<Database> db = Database::Open(dir.File("full.db"));
  ASSERT_TRUE(db.has_value()) << db.error().message;
  ASSERT_TRUE(db->Exec("CREATE TABLE t (b BLOB)"));
  ASSERT_TRUE(db->Exec("PRAGMA max_page_count = 8"));
  {
    core::Result<Transaction> tx = Transaction::Begin(*db);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (x'00')"));
    core::Status status = db->Exec("INSERT INTO t VALUES (zeroblob(1000000))");
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
    EXPECT_THAT(status.error().message, HasSubstr("disk full"));
    EXPECT_THAT(status.error().message, HasSubstr("SQLITE_FULL"));
    // SQLite may already have rolled back by itself; the destructor must cope
    // either way.
  }
  EXPECT_FALSE(db->InTransaction());
  EXPECT_EQ(CountRows(*db, "t"),
            0);  // the small row went with the rolled-back transaction
  // The connection is still usable.
  ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (x'01')"));
  EXPECT_EQ(CountRows(*db, "t"), 1);
}

// A database opened read-only (here through a "file:" URI with mode=ro, which
// also stops root, unlike chmod) refuses writes with a kStorage error, not a
// crash.
TEST(SqliteDatabaseTest, ReadOnlyDatabaseIsAStorageErrorSayingReadOnly) {
  testsupport::TempDir dir;
  std::string path = dir.File("ro.db");
  {
    core::Result<Database> db = Database::Open(path);
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER)"));
  }
  core::Result<Database> db = Database::Open("file:" + path + "?mode=ro");
  ASSERT_TRUE(db.has_value()) << db.error().message;
  core::Status status = db->Exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(status.error().message, HasSubstr("read-only"));
  EXPECT_THAT(status.error().message, HasSubstr("SQLITE_READONLY"));

  core::Result<Database> ro = Database::Open(path, OpenMode::kReadOnly);
  ASSERT_TRUE(ro.has_value());
  status = ro->Exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("read-only"));
}

TEST(SqliteTransactionTest, RollsBackInDestructorUnlessCommitted) {
  Database db = OpenMemory();
  ASSERT_TRUE(db.Exec("CREATE TABLE t (x INTEGER)"));
  {
    core::Result<Transaction> tx = Transaction::Begin(db);
    ASSERT_TRUE(tx.has_value());
    EXPECT_TRUE(db.InTransaction());
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)"));
  }
  EXPECT_FALSE(db.InTransaction());
  EXPECT_EQ(CountRows(db, "t"), 0);
  {
    core::Result<Transaction> tx = Transaction::Begin(db);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (2)"));
    ASSERT_TRUE(tx->Commit());
    EXPECT_FALSE(tx->active());
  }
  EXPECT_EQ(CountRows(db, "t"), 1);
}

TEST(SqliteTransactionTest, MovedTransactionRollsBackOnce) {
  Database db = OpenMemory();
  ASSERT_TRUE(db.Exec("CREATE TABLE t (x INTEGER)"));
  core::Result<Transaction> tx = Transaction::Begin(db);
  ASSERT_TRUE(tx.has_value());
  ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)"));
  Transaction moved = std::move(tx).value();
  EXPECT_TRUE(moved.active());
  ASSERT_TRUE(moved.Commit());
  EXPECT_EQ(CountRows(db, "t"), 1);
}

// BEGIN inside a transaction fails: SQLite has no nested BEGIN, and the error
// says so.
TEST(SqliteTransactionTest, NestedBeginFails) {
  Database db = OpenMemory();
  core::Result<Transaction> outer = Transaction::Begin(db);
  ASSERT_TRUE(outer.has_value());
  core::Result<Transaction> inner = Transaction::Begin(db);
  ASSERT_FALSE(inner.has_value());
  EXPECT_EQ(inner.error().code, core::ErrorCode::kStorage);
  EXPECT_TRUE(db.InTransaction());  // the outer one is untouched
}

TEST(SqliteStatementCacheTest, ReusesOneStatementPerSqlAndResetsAfterUse) {
  Database db = OpenMemory();
  StatementCache cache(db);
  sqlite3_stmt* first = nullptr;
  {
    core::Result<StatementCache::Lease> lease = cache.Get("SELECT ?1");
    ASSERT_TRUE(lease.has_value());
    first = (*lease)->handle();
    ASSERT_TRUE((*lease)->Bind(1, 5));
    ASSERT_TRUE(
        (*lease)->Step().value());  // left mid-result: the lease resets it
  }
  core::Result<StatementCache::Lease> again = cache.Get("SELECT ?1");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ((*again)->handle(), first);
  EXPECT_EQ(cache.size(), 1u);
  ASSERT_TRUE((*again)->Step().value());
  EXPECT_TRUE((*again)->IsNull(0));  // bindings were cleared
}

TEST(SqliteStatementCacheTest, PrepareErrorIsReturnedAndNotCached) {
  Database db = OpenMemory();
  StatementCache cache(db);
  core::Result<StatementCache::Lease> lease =
      cache.Get("SELECT * FROM nowhere");
  ASSERT_FALSE(lease.has_value());
  EXPECT_THAT(lease.error().message, HasSubstr("no such table"));
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace storage
