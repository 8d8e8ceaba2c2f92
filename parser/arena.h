// Arena: the memory of one Gumbo parse (parser-internal). Gumbo allocates a
// small block for every node, attribute, string and vector of a page and frees
// each one when the tree is destroyed; through malloc that was about a sixth
// of a crawl's CPU (bench/README.md). An arena hands out memory from large
// blocks, frees nothing one by one (Gumbo's deallocator is a no-op), and
// releases everything at once, so the tree needs no destroy walk at all.
// Growing a Gumbo vector or string allocates the new size and abandons the old
// one, so the arena holds at most about twice what the tree uses.
//
// Blocks go back to a small per-thread cache when the arena dies, so a worker
// parsing page after page reuses the same memory instead of asking the system
// for fresh pages each time. Not thread-safe: one arena per parse.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace parser {

class Arena {
 public:
  // Blocks are this large (an allocation larger than a quarter of it gets a
  // block of its own).
  static constexpr size_t kBlockSize = size_t{256} << 10;
  // Bytes of blocks a thread keeps for its next arenas.
  static constexpr size_t kThreadCacheBytes = size_t{8} << 20;

  Arena() = default;
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Returns `size` bytes aligned for any type (alignof(std::max_align_t)),
  // never nullptr (throws std::bad_alloc when memory runs out, as new does).
  void* Allocate(size_t size);

  // Bytes handed out so far (for tests).
  size_t allocated() const { return allocated_; }

  // Gumbo's allocator interface: `userdata` is the Arena.
  static void* GumboAllocate(void* userdata, size_t size);
  static void GumboDeallocate(void* userdata, void* ptr);

 private:
  // unique_ptr<byte[]> rather than a vector: a block is not zeroed first.
  struct Block {
    std::unique_ptr<std::byte[]> data;  // NOLINT(modernize-avoid-c-arrays)
    size_t size = 0;
  };

  std::vector<Block> blocks_;
  size_t used_ = 0;  // of blocks_.back() when it is a shared block
  size_t allocated_ = 0;
};

}  // namespace parser
