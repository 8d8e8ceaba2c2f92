// storage_bench: records stored per second through podcrawl's storage layer
// (Store::SaveRecord: show upsert, rating snapshot, related shows with listener
// snapshots, one transaction per record; and Store::SavePage with the page
// hash and the zlib archive) against a bare prepared-statement INSERT loop
// with the same durability settings (WAL, synchronous=NORMAL, one transaction
// per row) as the ceiling. Files live under $TMPDIR. See bench/README.md.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "core/record.h"
#include "storage/store.h"

namespace {

std::string TempDb(const char* name) {
  const char* tmp = std::getenv("TMPDIR");
  std::filesystem::path dir = tmp != nullptr ? tmp : "/tmp";
  std::string path = (dir / (std::string("podcrawl_storage_bench_") + name +
                             "_" + std::to_string(getpid()) + ".db"))
                         .string();
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(path + suffix);
  return path;
}

void RemoveDb(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(path + suffix);
}

// The i-th record: one of 500 shows, its rating count moving every time (a
// snapshot per save), five related shows with listener counts.
core::Record ShowRecord(int64_t i) {
  core::Record r;
  const int64_t show = i % 500;
  r.url = "https://pods.example/show/" + std::to_string(show) + "/";
  r.kind = core::PageKind::kShow;
  r.show_name = "Show number " + std::to_string(show);
  r.description = std::string(400, 'd');
  r.rating = core::Rating{4.5, 1000 + i};
  for (int k = 1; k <= 5; ++k) {
    const int64_t other = (show + k * 37) % 500;
    r.related_shows.push_back(core::RelatedShow{
        "Show number " + std::to_string(other),
        "https://pods.example/show/" + std::to_string(other) + "/",
        1000 + i + k});
  }
  return r;
}

void BM_StoreSaveRecord(benchmark::State& state) {
  const std::string path = TempDb("save_record");
  auto store = storage::Store::Open(path).value();
  int64_t i = 0;
  for (auto _ : state) {
    core::Record record = ShowRecord(i);
    auto status = store->SaveRecord(record, 1'700'000'000'000 + i);
    if (!status) state.SkipWithError(status.error().message.c_str());
    ++i;
  }
  state.SetItemsProcessed(i);
  store.reset();
  RemoveDb(path);
}
BENCHMARK(BM_StoreSaveRecord)->Unit(benchmark::kMicrosecond);

void BM_StoreSavePage(benchmark::State& state) {
  const std::string path = TempDb("save_page");
  auto store = storage::Store::Open(path).value();
  const std::string body_base(20000, 'x');
  int64_t i = 0;
  for (auto _ : state) {
    core::Record record = ShowRecord(i);
    const std::string body = body_base + std::to_string(i);
    storage::PageVersion page{record.url, body, "text/html"};
    auto saved = store->SavePage(page, record, 1'700'000'000'000 + i);
    if (!saved) state.SkipWithError(saved.error().message.c_str());
    ++i;
  }
  state.SetItemsProcessed(i);
  store.reset();
  RemoveDb(path);
}
BENCHMARK(BM_StoreSavePage)->Unit(benchmark::kMicrosecond);

void BM_StoreSavePageUnchanged(benchmark::State& state) {
  const std::string path = TempDb("unchanged");
  auto store = storage::Store::Open(path).value();
  const std::string body(20000, 'x');
  const core::Record record = ShowRecord(0);
  storage::PageVersion page{record.url, body, "text/html"};
  (void)store->SavePage(page, record, 1'700'000'000'000);
  int64_t i = 0;
  for (auto _ : state) {
    auto saved = store->SavePage(page, record, 1'700'000'000'001 + i);
    if (!saved) state.SkipWithError(saved.error().message.c_str());
    ++i;
  }
  state.SetItemsProcessed(i);
  store.reset();
  RemoveDb(path);
}
BENCHMARK(BM_StoreSavePageUnchanged)->Unit(benchmark::kMicrosecond);

// The ceiling: one prepared INSERT of a row of similar width, one transaction
// per row, same PRAGMAs as Store.
void BM_BareInsert(benchmark::State& state) {
  const std::string path = TempDb("bare");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
               "CREATE TABLE t (id INTEGER PRIMARY KEY, url TEXT UNIQUE, "
               "name TEXT, description TEXT, rating_count INTEGER)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO t (url, name, description, rating_count) "
                     "VALUES (?1, ?2, ?3, ?4)",
                     -1, &insert, nullptr);
  const std::string description(400, 'd');
  int64_t i = 0;
  for (auto _ : state) {
    const std::string url = "https://pods.example/show/" + std::to_string(i);
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_bind_text(insert, 1, url.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, "Show", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, description.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(insert, 4, i);
    if (sqlite3_step(insert) != SQLITE_DONE)
      state.SkipWithError(sqlite3_errmsg(db));
    sqlite3_reset(insert);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    ++i;
  }
  state.SetItemsProcessed(i);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  RemoveDb(path);
}
BENCHMARK(BM_BareInsert)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
