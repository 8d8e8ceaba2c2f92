#include "parser/arena.h"

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

namespace parser {
namespace {

constexpr size_t kAlign = alignof(std::max_align_t);

size_t RoundUp(size_t size) { return (size + kAlign - 1) & ~(kAlign - 1); }

// The blocks of kBlockSize a thread's finished arenas left, for its next ones.
using BlockData =
    std::unique_ptr<std::byte[]>;  // NOLINT(modernize-avoid-c-arrays)

std::vector<BlockData>& ThreadCache() {
  thread_local std::vector<BlockData> cache;
  return cache;
}

}  // namespace

Arena::~Arena() {
  auto& cache = ThreadCache();
  for (Block& block : blocks_) {
    if (block.size == kBlockSize &&
        (cache.size() + 1) * kBlockSize <= kThreadCacheBytes) {
      cache.push_back(std::move(block.data));
    }
  }
}

void* Arena::Allocate(size_t size) {
  if (size > SIZE_MAX - kAlign) throw std::bad_alloc();
  size = RoundUp(size == 0 ? 1 : size);
  allocated_ += size;
  if (size > kBlockSize / 4) {
    // A large allocation gets a block of its own, kept before the shared one
    // so the shared block's free space stays usable.
    Block block{BlockData(new std::byte[size]), size};
    void* p = block.data.get();
    if (blocks_.empty()) {
      blocks_.push_back(std::move(block));
      used_ = size;  // full: the next small allocation opens a shared block
    } else {
      blocks_.insert(blocks_.end() - 1, std::move(block));
    }
    return p;
  }
  if (blocks_.empty() || blocks_.back().size != kBlockSize ||
      kBlockSize - used_ < size) {
    auto& cache = ThreadCache();
    Block block;
    block.size = kBlockSize;
    if (!cache.empty()) {
      block.data = std::move(cache.back());
      cache.pop_back();
    } else {
      block.data.reset(new std::byte[kBlockSize]);
    }
    blocks_.push_back(std::move(block));
    used_ = 0;
  }
  void* p = blocks_.back().data.get() + used_;
  used_ += size;
  return p;
}

void* Arena::GumboAllocate(void* userdata, size_t size) {
  return static_cast<Arena*>(userdata)->Allocate(size);
}

void Arena::GumboDeallocate(void* /*userdata*/, void* /*ptr*/) {}

}  // namespace parser
