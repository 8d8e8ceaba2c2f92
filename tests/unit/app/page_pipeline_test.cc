// app/page_pipeline.h: the parse -> store -> links pipeline every fetched page
// goes through (DESIGN.md "Architecture"), on a real SQLite database in a temp
// dir, with the fake clock stamping the fetches.
#include "app/page_pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

#include "tests/support/db_query.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fixtures.h"
#include "tests/support/handle_page.h"
#include "tests/support/site_generator.h"
#include "tests/support/temp_dir.h"

namespace {

using testsupport::QueryInt;
using testsupport::QueryText;

constexpr int64_t kStart = 1'764'000'000'000;  // 2025-11-24, Unix ms
constexpr std::string_view kHost = "http://pods.example.org";

class PagePipelineTest : public testing::Test {
 protected:
  void SetUp() override {
    site_ = testsupport::GenerateSite(dir_.path() / "site", 2, 2);
    auto store = storage::Store::Open(db_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(store).value();
  }

  // The generated page at `path` as if fetched from kHost in 0.25 s.
  core::FetchedPage Page(const std::string& path) const {
    core::FetchedPage page;
    page.url = std::string(kHost) + path;
    page.final_url = page.url;
    page.status = 200;
    page.content_type = "text/html; charset=utf-8";
    const std::string file = path.back() == '/' ? path + "index.html" : path;
    page.body = testsupport::ReadFile((dir_.path() / "site").string() + file);
    page.seconds = 0.25;
    return page;
  }

  testsupport::TempDir dir_;
  const std::string db_ = dir_.File("p.db");
  testsupport::GeneratedSite site_;
  std::unique_ptr<storage::Store> store_;
  testsupport::FakeClock clock_{kStart};
};

// OnPage stores the record and a fetch-log row stamped at the fetch's start
// (clock time minus the transfer time), and returns the page's links for the
// crawler to queue.
TEST_F(PagePipelineTest, StoresTheRecordAndReturnsItsLinks) {
  app::StorePipeline pipeline(store_.get(), {}, &clock_);
  const std::string episode = site_.episode_paths[0];
  auto handled = testsupport::HandlePage(pipeline, Page(episode));
  ASSERT_TRUE(handled) << handled.error().message;
  EXPECT_EQ(handled->kind, core::PageKind::kEpisode);
  EXPECT_TRUE(handled->changed);
  const std::string show_url = std::string(kHost) + site_.show_paths[0];
  EXPECT_NE(std::find(handled->links.begin(), handled->links.end(), show_url),
            handled->links.end())
      << "links do not hold the episode's show page " << show_url;

  EXPECT_EQ(QueryInt(db_, "SELECT COUNT(*) FROM episodes"), 1);
  EXPECT_EQ(QueryText(db_, "SELECT url FROM episodes"),
            std::string(kHost) + episode + "\n");
  EXPECT_EQ(QueryInt(db_, "SELECT COUNT(*) FROM fetches"), 1);
  EXPECT_EQ(QueryInt(db_, "SELECT fetched_at_ms FROM fetches"), kStart - 250);
  EXPECT_EQ(QueryInt(db_, "SELECT status FROM fetches"), 200);
}

// The same bytes again: logged as a fetch, but the record is unchanged.
TEST_F(PagePipelineTest, SamePageAgainIsUnchanged) {
  app::StorePipeline pipeline(store_.get(), {}, &clock_);
  ASSERT_TRUE(testsupport::HandlePage(pipeline, Page(site_.episode_paths[0])));
  clock_.Advance(60'000);
  auto again = testsupport::HandlePage(pipeline, Page(site_.episode_paths[0]));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(QueryInt(db_, "SELECT COUNT(*) FROM fetches"), 2);
  EXPECT_EQ(QueryInt(db_, "SELECT COUNT(*) FROM episodes"), 1);
}

// A failed fetch is a fetch-log row with the error's code and message.
TEST_F(PagePipelineTest, OnFailureLogsTheError) {
  app::StorePipeline pipeline(store_.get(), {}, &clock_);
  ASSERT_TRUE(pipeline.OnFailure(
      std::string(kHost) + "/gone",
      core::Error(core::ErrorCode::kNetwork, "connection refused"), nullptr));
  EXPECT_EQ(QueryText(db_, "SELECT error_message FROM fetches"),
            "connection refused\n");
  EXPECT_EQ(QueryInt(db_, "SELECT fetched_at_ms FROM fetches"), kStart);
  EXPECT_EQ(QueryInt(db_, "SELECT status FROM fetches"), 0);
}

// Without a store (fetch without --db) the pipeline only parses.
TEST_F(PagePipelineTest, WithoutStoreOnlyParses) {
  app::StorePipeline pipeline(nullptr, {}, &clock_);
  bool changed = false;
  auto parsed = pipeline.Handle(Page(site_.episode_paths[1]), kStart, &changed);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->record.kind, core::PageKind::kEpisode);
  EXPECT_TRUE(changed);
  EXPECT_EQ(QueryInt(db_, "SELECT COUNT(*) FROM fetches"), 0);
}

// ReparseArchive parses the archived bytes again: nothing changes with the
// same options; options that extract less (an input cap the pages exceed)
// change every record.
TEST_F(PagePipelineTest, ReparseArchiveUpdatesChangedRecords) {
  app::StorePipeline pipeline(store_.get(), {}, &clock_);
  ASSERT_TRUE(testsupport::HandlePage(pipeline, Page(site_.episode_paths[0])));
  ASSERT_TRUE(testsupport::HandlePage(pipeline, Page(site_.show_paths[1])));

  auto same = app::ReparseArchive(store_.get(), {});
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->pages, 2);
  EXPECT_EQ(same->changed, 0);

  parser::ParseOptions capped;
  capped.max_input_bytes = 16;
  auto changed = app::ReparseArchive(store_.get(), capped);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->pages, 2);
  EXPECT_EQ(changed->changed, 2);
}

}  // namespace
