// Tests of parser::Arena, the memory of one Gumbo parse: alignment, blocks
// that never overlap, large allocations, and the per-thread reuse of blocks.
#include "parser/arena.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <utility>
#include <vector>

namespace parser {
namespace {

bool Aligned(const void* p) {
  return reinterpret_cast<uintptr_t>(p) % alignof(std::max_align_t) == 0;
}

TEST(ArenaTest, AllocationsAreAlignedAndDisjoint) {
  Arena arena;
  std::vector<std::pair<std::byte*, size_t>> spans;
  // Sizes from 0 up to several blocks, small ones many times (as Gumbo's
  // nodes), large ones now and then (as a long text's buffer).
  for (size_t i = 0; i < 20'000; ++i) {
    const size_t size = i % 997 == 0 ? Arena::kBlockSize + i : i % 133;
    auto* p = static_cast<std::byte*>(arena.Allocate(size));
    ASSERT_NE(p, nullptr);
    ASSERT_TRUE(Aligned(p)) << i;
    std::memset(p, static_cast<int>(i & 0xff), size);  // writable
    spans.emplace_back(p, size);
  }
  std::sort(spans.begin(), spans.end());
  for (size_t i = 1; i < spans.size(); ++i) {
    EXPECT_LE(spans[i - 1].first + spans[i - 1].second, spans[i].first)
        << "allocations " << i - 1 << " and " << i << " overlap";
  }
  EXPECT_GE(arena.allocated(), 20'000u);
}

TEST(ArenaTest, GumboInterfaceAllocatesAndIgnoresFrees) {
  Arena arena;
  void* a = Arena::GumboAllocate(&arena, 40);
  Arena::GumboDeallocate(&arena, a);  // a no-op: the memory stays valid
  void* b = Arena::GumboAllocate(&arena, 40);
  EXPECT_NE(a, b);
  std::memset(a, 1, 40);
  std::memset(b, 2, 40);
  EXPECT_EQ(static_cast<unsigned char*>(a)[39], 1);
}

// A finished arena's blocks serve the thread's next arena.
TEST(ArenaTest, BlocksAreReusedByTheNextArenaOfTheThread) {
  std::set<void*> first_blocks;
  {
    Arena arena;
    for (int i = 0; i < 3; ++i) {
      first_blocks.insert(arena.Allocate(Arena::kBlockSize / 4));
      arena.Allocate(Arena::kBlockSize / 4);
      arena.Allocate(Arena::kBlockSize / 4);
      arena.Allocate(Arena::kBlockSize / 4);
    }
  }
  Arena next;
  void* p = next.Allocate(64);
  EXPECT_TRUE(first_blocks.count(p) == 1) << "a fresh block, not a cached one";

  // Another thread has a cache of its own.
  void* other = nullptr;
  std::thread([&other] {
    Arena arena;
    other = arena.Allocate(64);
  }).join();
  EXPECT_NE(other, p);
}

}  // namespace
}  // namespace parser
