// Tests of storage/sqlite.h, the RAII layer over the SQLite C API: binding,
// stepping, errors that carry SQLite's message and code, transactions that roll
// back unless committed, the statements a connection keeps, and its one-line
// Exec / QueryOne / QueryAll helpers.
#include "storage/sqlite.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "tests/support/temp_dir.h"

namespace storage {
namespace {

using ::testing::HasSubstr;

Connection OpenMemory() {
  core::Result<Connection> db = Connection::Open(":memory:");
  EXPECT_TRUE(db.has_value()) << db.error().message;
  return std::move(db).value();
}

int64_t CountRows(Connection& db, const std::string& table) {
  core::Result<int64_t> count = db.QueryInt64("SELECT count(*) FROM " + table);
  EXPECT_TRUE(count.has_value()) << count.error().message;
  return count ? *count : -1;
}

TEST(SqliteStatementTest, BindsAndReadsEveryType) {
  Connection db = OpenMemory();
  ASSERT_TRUE(
      db.ExecScript("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT)"));
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
  Connection db = OpenMemory();
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
  Connection db = OpenMemory();
  core::Result<Statement> select = db.Prepare("SELECT :a");
  ASSERT_TRUE(select.has_value());
  core::Status status = select->Bind(":nope", 1);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(status.error().message, HasSubstr(":nope"));
}

TEST(SqliteStatementTest, ResetClearsBindingsAndAllowsRerun) {
  Connection db = OpenMemory();
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
  Connection db = OpenMemory();
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
  Connection db = OpenMemory();
  ASSERT_TRUE(db.ExecScript(
      "CREATE TABLE t (k TEXT UNIQUE); INSERT INTO t VALUES ('a')"));
  core::Status status = db.ExecScript("INSERT INTO t VALUES ('a')");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(status.error().message, HasSubstr("UNIQUE constraint failed"));
  EXPECT_THAT(status.error().message, HasSubstr("SQLITE_CONSTRAINT"));
  EXPECT_THAT(status.error().message, HasSubstr("extended code 2067"));
}

TEST(SqliteDatabaseTest, OpeningMissingFileWithoutCreateFailsNamingThePath) {
  testsupport::TempDir dir;
  std::string path = dir.File("missing.db");
  core::Result<Connection> db = Connection::Open(path, OpenMode::kReadWrite);
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
  core::Result<Connection> db = Connection::Open(dir.File("full.db"));
  ASSERT_TRUE(db.has_value()) << db.error().message;
  ASSERT_TRUE(db->ExecScript("CREATE TABLE t (b BLOB)"));
  ASSERT_TRUE(db->ExecScript("PRAGMA max_page_count = 8"));
  {
    core::Result<Transaction> tx = Transaction::Begin(*db);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(db->ExecScript("INSERT INTO t VALUES (x'00')"));
    core::Status status =
        db->ExecScript("INSERT INTO t VALUES (zeroblob(1000000))");
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
  ASSERT_TRUE(db->ExecScript("INSERT INTO t VALUES (x'01')"));
  EXPECT_EQ(CountRows(*db, "t"), 1);
}

// A database opened read-only (here through a "file:" URI with mode=ro, which
// also stops root, unlike chmod) refuses writes with a kStorage error, not a
// crash.
TEST(SqliteDatabaseTest, ReadOnlyDatabaseIsAStorageErrorSayingReadOnly) {
  testsupport::TempDir dir;
  std::string path = dir.File("ro.db");
  {
    core::Result<Connection> db = Connection::Open(path);
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE(db->ExecScript("CREATE TABLE t (x INTEGER)"));
  }
  core::Result<Connection> db = Connection::Open("file:" + path + "?mode=ro");
  ASSERT_TRUE(db.has_value()) << db.error().message;
  core::Status status = db->ExecScript("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(status.error().message, HasSubstr("read-only"));
  EXPECT_THAT(status.error().message, HasSubstr("SQLITE_READONLY"));

  core::Result<Connection> ro = Connection::Open(path, OpenMode::kReadOnly);
  ASSERT_TRUE(ro.has_value());
  status = ro->ExecScript("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("read-only"));
}

TEST(SqliteTransactionTest, RollsBackInDestructorUnlessCommitted) {
  Connection db = OpenMemory();
  ASSERT_TRUE(db.ExecScript("CREATE TABLE t (x INTEGER)"));
  {
    core::Result<Transaction> tx = Transaction::Begin(db);
    ASSERT_TRUE(tx.has_value());
    EXPECT_TRUE(db.InTransaction());
    ASSERT_TRUE(db.ExecScript("INSERT INTO t VALUES (1)"));
  }
  EXPECT_FALSE(db.InTransaction());
  EXPECT_EQ(CountRows(db, "t"), 0);
  {
    core::Result<Transaction> tx = Transaction::Begin(db);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(db.ExecScript("INSERT INTO t VALUES (2)"));
    ASSERT_TRUE(tx->Commit());
    EXPECT_FALSE(tx->active());
  }
  EXPECT_EQ(CountRows(db, "t"), 1);
}

TEST(SqliteTransactionTest, MovedTransactionRollsBackOnce) {
  Connection db = OpenMemory();
  ASSERT_TRUE(db.ExecScript("CREATE TABLE t (x INTEGER)"));
  core::Result<Transaction> tx = Transaction::Begin(db);
  ASSERT_TRUE(tx.has_value());
  ASSERT_TRUE(db.ExecScript("INSERT INTO t VALUES (1)"));
  Transaction moved = std::move(tx).value();
  EXPECT_TRUE(moved.active());
  ASSERT_TRUE(moved.Commit());
  EXPECT_EQ(CountRows(db, "t"), 1);
}

// BEGIN inside a transaction fails: SQLite has no nested BEGIN, and the error
// says so.
// A transaction begun inside another is a savepoint of it: committed, its
// writes join the outer transaction (and go with it); rolled back, only its
// own writes are undone.
TEST(SqliteTransactionTest, NestedBeginIsASavepointOfTheOuter) {
  Connection db = OpenMemory();
  ASSERT_TRUE(db.ExecScript("CREATE TABLE t (v INTEGER)"));
  {
    core::Result<Transaction> outer = Transaction::Begin(db);
    ASSERT_TRUE(outer.has_value());
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)"));
    {
      core::Result<Transaction> kept = Transaction::Begin(db);
      ASSERT_TRUE(kept.has_value()) << kept.error().message;
      ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (2)"));
      ASSERT_TRUE(kept->Commit());
    }
    {
      core::Result<Transaction> undone = Transaction::Begin(db);
      ASSERT_TRUE(undone.has_value());
      ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (3)"));
    }                                 // rolled back: 3 goes, 1 and 2 stay
    EXPECT_TRUE(db.InTransaction());  // the outer one is still open
    ASSERT_TRUE(outer->Commit());
  }
  EXPECT_EQ(db.QueryText("SELECT group_concat(v) FROM t ORDER BY v").value(),
            "1,2");
  {
    core::Result<Transaction> outer = Transaction::Begin(db);
    ASSERT_TRUE(outer.has_value());
    core::Result<Transaction> inner = Transaction::Begin(db);
    ASSERT_TRUE(inner.has_value());
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (4)"));
    ASSERT_TRUE(inner->Commit());
  }  // the outer one rolls back, and the inner's write with it
  EXPECT_EQ(db.QueryInt64("SELECT COUNT(*) FROM t").value(), 2);
  EXPECT_FALSE(db.InTransaction());
}

TEST(SqliteConnectionTest, KeepsOneStatementPerSqlAndResetsItAfterUse) {
  Connection db = OpenMemory();
  const Statement* first = nullptr;
  {
    core::Result<Connection::Lease> lease = db.Cached("SELECT ?1");
    ASSERT_TRUE(lease.has_value());
    first = lease->get();
    ASSERT_TRUE((*lease)->Bind(1, 5));
    ASSERT_TRUE(
        (*lease)->Step().value());  // left mid-result: the lease resets it
  }
  core::Result<Connection::Lease> again = db.Cached("SELECT ?1");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->get(), first);
  EXPECT_EQ(db.cached_count(), 1U);
  ASSERT_TRUE((*again)->Step().value());
  EXPECT_TRUE((*again)->IsNull(0));  // bindings were cleared
}

TEST(SqliteConnectionTest, PrepareErrorIsReturnedAndNotKept) {
  Connection db = OpenMemory();
  core::Result<Connection::Lease> lease = db.Cached("SELECT * FROM nowhere");
  ASSERT_FALSE(lease.has_value());
  EXPECT_THAT(lease.error().message, HasSubstr("no such table"));
  EXPECT_EQ(db.cached_count(), 0U);
}

// The one-line helpers bind each kind of value: integers of any width, bool,
// double, text (std::string, string_view, const char*), and NULL from an
// empty optional or std::nullopt (blobs: ReadsColumnTypesAndBlobBytes).
TEST(SqliteConnectionTest, ExecBindsEveryTypeAndQueryOneReadsThemBack) {
  Connection db = OpenMemory();
  ASSERT_TRUE(db.ExecScript(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, small INTEGER, "
      "flag INTEGER, d REAL, s TEXT, v TEXT, c TEXT, n1, n2)"));
  const std::string text("caf\xC3\xA9", 5);
  std::optional<int64_t> missing;
  ASSERT_TRUE(
      db.Exec("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
              1, int64_t{1} << 40, uint16_t{65535}, true, -2.5, text,
              std::string_view("view"), "chars", missing, std::nullopt));
  EXPECT_EQ(db.Changes(), 1);

  auto row = db.QueryOne(
      "SELECT i, small, flag, d, s, v, c, n1, n2 FROM t WHERE id = ?1",
      ReadColumns<int64_t, int, bool, double, std::string, std::string,
                  std::string, std::optional<int64_t>,
                  std::optional<std::string>>,
      1);
  ASSERT_TRUE(row.has_value()) << row.error().message;
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ(**row, std::make_tuple(int64_t{1} << 40, 65535, true, -2.5, text,
                                   std::string("view"), std::string("chars"),
                                   std::nullopt, std::nullopt));
}

// Column types, and a blob's bytes (NUL and 0xFF included) as stored.
TEST(SqliteConnectionTest, ReadsColumnTypesAndBlobBytes) {
  Connection db = OpenMemory();
  ASSERT_TRUE(db.ExecScript("CREATE TABLE t (i, d, s, b, n)"));
  const std::string bytes("\x00\xFF\x01z", 4);
  ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)", 7, 0.5, "x",
                      Blob{bytes}, std::nullopt));
  auto typed =
      db.QueryOne("SELECT i, d, s, b, n FROM t", [](const Statement& s) {
        std::vector<ValueType> types(static_cast<size_t>(s.ColumnCount()));
        for (size_t column = 0; column < types.size(); ++column)
          types[column] = s.ColumnType(static_cast<int>(column));
        return std::make_pair(types, s.ColumnBlob(3));
      });
  ASSERT_TRUE(typed.has_value() && typed->has_value());
  EXPECT_EQ((*typed)->first,
            (std::vector<ValueType>{ValueType::kInteger, ValueType::kFloat,
                                    ValueType::kText, ValueType::kBlob,
                                    ValueType::kNull}));
  EXPECT_EQ((*typed)->second, bytes);
  // A blob compares as a blob, not as text.
  EXPECT_EQ(db.QueryOne("SELECT count(*) FROM t WHERE b = ?1",
                        ReadColumns<int64_t>, Blob{bytes})
                .value(),
            1);
  EXPECT_EQ(db.QueryOne("SELECT count(*) FROM t WHERE b = ?1",
                        ReadColumns<int64_t>, bytes)
                .value(),
            0);
}

TEST(SqliteConnectionTest, EmptyBlobIsNotNull) {
  Connection db = OpenMemory();
  auto row = db.QueryOne(
      "SELECT ?1, length(?1)",
      [](const Statement& s) {
        return std::make_pair(s.ColumnType(0), s.ColumnBlob(0));
      },
      Blob{});
  ASSERT_TRUE(row.has_value() && row->has_value());
  EXPECT_EQ((*row)->first, ValueType::kBlob);
  EXPECT_EQ((*row)->second, "");
}

// NULL columns: an optional reads nullopt; the plain getters read 0, 0.0, "".
TEST(SqliteConnectionTest, NullColumnsReadAsNulloptOrZero) {
  Connection db = OpenMemory();
  auto row = db.QueryOne(
      "SELECT NULL, NULL, NULL, NULL, NULL, "
      "NULL",
      ReadColumns<std::optional<int64_t>, std::optional<double>,
                  std::optional<std::string>, int64_t, double, std::string>);
  ASSERT_TRUE(row.has_value() && row->has_value());
  EXPECT_EQ(**row, std::make_tuple(std::nullopt, std::nullopt, std::nullopt,
                                   int64_t{0}, 0.0, std::string()));
  auto blob = db.QueryOne("SELECT NULL",
                          [](const Statement& s) { return s.ColumnBlob(0); });
  ASSERT_TRUE(blob.has_value() && blob->has_value());
  EXPECT_EQ(**blob, "");
}

TEST(SqliteConnectionTest, QueryOneReturnsNulloptWithoutARow) {
  Connection db = OpenMemory();
  ASSERT_TRUE(db.ExecScript("CREATE TABLE t (x INTEGER)"));
  core::Result<std::optional<int64_t>> none =
      db.QueryOne("SELECT x FROM t WHERE x = ?1", ReadColumns<int64_t>, 3);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(*none, std::nullopt);
}

// QueryOne runs the statement to its end: an UPDATE ... RETURNING updates
// every row it matches, though only the first is read.
TEST(SqliteConnectionTest, QueryOneCompletesTheStatement) {
  Connection db = OpenMemory();
  ASSERT_TRUE(db.ExecScript(
      "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)"));
  core::Result<std::optional<int64_t>> first =
      db.QueryOne("UPDATE t SET x = x * 10 RETURNING x", ReadColumns<int64_t>);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_TRUE(first->has_value());
  EXPECT_EQ(db.QueryInt64("SELECT sum(x) FROM t").value(), 60);
}

TEST(SqliteConnectionTest, QueryAllReturnsEveryRowInOrder) {
  Connection db = OpenMemory();
  ASSERT_TRUE(db.ExecScript("CREATE TABLE t (k TEXT, v INTEGER)"));
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(
        db.Exec("INSERT INTO t VALUES (?1, ?2)", "k" + std::to_string(i), i));
  }
  auto pairs = db.QueryAll("SELECT k, v FROM t WHERE v >= ?1 ORDER BY v DESC",
                           ReadColumns<std::string, int64_t>, 2);
  ASSERT_TRUE(pairs.has_value()) << pairs.error().message;
  EXPECT_EQ(*pairs, (std::vector<std::tuple<std::string, int64_t>>{{"k3", 3},
                                                                   {"k2", 2}}));
  auto doubled =
      db.QueryAll("SELECT v FROM t ORDER BY v",
                  [](const Statement& s) { return s.ColumnInt64(0) * 2; });
  ASSERT_TRUE(doubled.has_value());
  EXPECT_EQ(*doubled, (std::vector<int64_t>{2, 4, 6}));
  auto none = db.QueryAll("SELECT v FROM t WHERE v > 9", ReadColumns<int64_t>);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

TEST(SqliteConnectionTest, BadStatementIsAStorageErrorNamingTheSql) {
  Connection db = OpenMemory();
  core::Status status = db.Exec("INSERT INTO nowhere VALUES (?1)", 1);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(status.error().message, HasSubstr("no such table: nowhere"));
  EXPECT_THAT(status.error().message, HasSubstr("INSERT INTO nowhere"));

  auto rows = db.QueryAll("SELEC 1", ReadColumns<int64_t>);
  ASSERT_FALSE(rows.has_value());
  EXPECT_THAT(rows.error().message, HasSubstr("syntax error"));

  // An error while stepping (not preparing) comes back the same way.
  ASSERT_TRUE(db.ExecScript("CREATE TABLE u (k TEXT UNIQUE)"));
  ASSERT_TRUE(db.Exec("INSERT INTO u VALUES (?1)", "a"));
  status = db.Exec("INSERT INTO u VALUES (?1)", "a");
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("SQLITE_CONSTRAINT"));
  // The kept statement was reset: it runs again with new values.
  EXPECT_TRUE(db.Exec("INSERT INTO u VALUES (?1)", "b"));

  // Too many values for the statement's parameters.
  status = db.Exec("INSERT INTO u VALUES (?1)", "c", "d");
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("SQLITE_RANGE"));
}

// A prepared statement is one statement: the rest of the text would be
// ignored, so it is refused (ExecScript runs several).
TEST(SqliteConnectionTest, MoreThanOneStatementIsRefused) {
  Connection db = OpenMemory();
  core::Status status = db.Exec("CREATE TABLE a (x); CREATE TABLE b (x)");
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("more than one SQL statement"));
  EXPECT_EQ(db.QueryInt64("SELECT count(*) FROM sqlite_schema").value(), 0);
  // Whitespace and comments after the statement are fine.
  EXPECT_TRUE(db.Exec("CREATE TABLE a (x); -- the only one\n  "));
}

// A connection moves with its kept statements.
TEST(SqliteConnectionTest, MovedConnectionKeepsItsStatements) {
  Connection db = OpenMemory();
  ASSERT_TRUE(db.QueryOne("SELECT ?1", ReadColumns<int64_t>, 1).has_value());
  Connection moved = std::move(db);
  EXPECT_EQ(moved.cached_count(), 1U);
  EXPECT_EQ(moved.QueryOne("SELECT ?1 + 1", ReadColumns<int64_t>, 1).value(),
            2);
}

}  // namespace
}  // namespace storage
