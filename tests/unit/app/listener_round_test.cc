// app::StorePipeline and the store's listener counts (README "Listener
// counts"): the pages one pipeline stores are one round, so a page showing
// "12.4K" and another showing "12,431" for one show leave one snapshot, the
// exact count, and a later round's rounded display adds none.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/page_pipeline.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fixtures.h"
#include "tests/support/handle_page.h"
#include "tests/support/temp_dir.h"

namespace {

constexpr int64_t kStart = 1'764'000'000'000;  // 2025-11-24, Unix ms
constexpr int64_t kDay = 86'400'000;
const char kFerry[] = "http://pods.example.org/podcasts/night-ferry/";

// The demo's Harbour Lights page served at `path`, its Night Ferry card
// showing `listeners` and its rating count `ratings`.
core::FetchedPage DemoPage(const std::string& path,
                           const std::string& listeners, int ratings) {
  std::string body =
      testsupport::ReadFile(std::string(PODCRAWL_SOURCE_DIR) +
                            "/demo/site/podcasts/harbour-lights/index.html");
  auto replace = [&body](const std::string& from, const std::string& to) {
    for (size_t at = body.find(from); at != std::string::npos;
         at = body.find(from, at + to.size())) {
      body.replace(at, from.size(), to);
    }
  };
  replace("12.4K Listeners", listeners + " Listeners");
  replace("312", std::to_string(ratings));
  core::FetchedPage page;
  page.url = "http://pods.example.org" + path;
  page.final_url = page.url;
  page.status = 200;
  page.content_type = "text/html; charset=utf-8";
  page.body = body;
  page.seconds = 0.1;
  return page;
}

TEST(ListenerRoundTest, OnePipelineIsOneRoundAndTheExactCountIsKept) {
  testsupport::TempDir dir;
  auto store = storage::Store::Open(dir.File("l.db"));
  ASSERT_TRUE(store) << store.error().message;
  testsupport::FakeClock clock{kStart};
  {
    app::StorePipeline round(store->get(), {}, &clock);
    clock.Advance(1000);
    ASSERT_TRUE(testsupport::HandlePage(round, DemoPage("/a/", "12.4K", 312)));
    clock.Advance(1000);
    ASSERT_TRUE(testsupport::HandlePage(round, DemoPage("/b/", "12,431", 312)));
  }
  auto history = (*store)->ListenerHistory(kFerry);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].listeners, 12431);
  EXPECT_EQ((*history)[0].page_url, "http://pods.example.org/b/");

  // The next day's round: page A changed (its rating count), still "12.4K".
  clock.Advance(kDay);
  {
    app::StorePipeline round(store->get(), {}, &clock);
    clock.Advance(1000);
    ASSERT_TRUE(testsupport::HandlePage(round, DemoPage("/a/", "12.4K", 313)));
  }
  history = (*store)->ListenerHistory(kFerry);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->size(), 1u);
  EXPECT_EQ((*store)->FindShow(kFerry).value()->listeners, 12431);
}

}  // namespace
