#include "storage/archive.h"

#include <xxhash.h>
#include <zlib.h>
#include <zstd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

namespace storage {

namespace {

// The first bytes of a zstd frame (RFC 8878 3.1.1: 0xFD2FB528, little-endian).
// A zlib stream starts with 0x?8 (its CMF byte), so the two never collide.
constexpr std::array<unsigned char, 4> kZstdMagic = {0x28, 0xB5, 0x2F, 0xFD};
constexpr int kZstdLevel = 1;
// What tells a ContentHash from a LegacyContentHash (16 hex digits first).
constexpr const char* kContentHashPrefix = "xxh3-";

bool IsZstdFrame(std::string_view data) {
  return data.size() >= kZstdMagic.size() &&
         std::memcmp(data.data(), kZstdMagic.data(), kZstdMagic.size()) == 0;
}

core::Error CorruptArchive(const std::string& why) {
  return {core::ErrorCode::kStorage,
          "archived page does not decompress: " + why};
}

// The archive of databases from before the switch to zstd.
core::Result<std::string> InflateZlib(std::string_view compressed,
                                      int64_t raw_size) {
  if (static_cast<uint64_t>(raw_size) > std::numeric_limits<uLong>::max()) {
    return CorruptArchive("size out of range");
  }
  std::string out(static_cast<size_t>(raw_size), '\0');
  auto out_size = static_cast<uLongf>(raw_size);
  // uncompress() needs a non-null destination even for an empty page.
  Bytef empty = 0;
  Bytef* dest = out.empty() ? &empty : reinterpret_cast<Bytef*>(out.data());
  if (out.empty()) out_size = 1;
  const int rc = uncompress(dest, &out_size,
                            reinterpret_cast<const Bytef*>(compressed.data()),
                            static_cast<uLong>(compressed.size()));
  if (rc != Z_OK ||
      (raw_size > 0 && out_size != static_cast<uLongf>(raw_size)) ||
      (raw_size == 0 && out_size != 0)) {
    return CorruptArchive(rc == Z_OK ? "size mismatch" : zError(rc));
  }
  return out;
}

// Frees a zstd compression context.
struct CCtxDeleter {
  void operator()(ZSTD_CCtx* cctx) const { ZSTD_freeCCtx(cctx); }
};

}  // namespace

core::Result<std::string> Compress(std::string_view bytes) {
  // One context per thread, reused: the crawl's workers archive concurrently.
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
  if (!cctx) {
    return core::Error(core::ErrorCode::kStorage,
                       "zstd compress failed: out of memory");
  }
  ZSTD_CCtx_reset(cctx.get(), ZSTD_reset_session_and_parameters);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, kZstdLevel);
  // The frame carries a checksum of the page: a damaged archive row is an
  // error, never a silently different page.
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const size_t size = ZSTD_compress2(cctx.get(), out.data(), out.size(),
                                     bytes.data(), bytes.size());
  if (ZSTD_isError(size) != 0) {
    return core::Error(
        core::ErrorCode::kStorage,
        std::string("zstd compress failed: ") + ZSTD_getErrorName(size));
  }
  out.resize(size);
  return out;
}

core::Result<std::string> Decompress(std::string_view compressed,
                                     int64_t raw_size) {
  if (raw_size < 0) return CorruptArchive("invalid size");
  if (!IsZstdFrame(compressed)) return InflateZlib(compressed, raw_size);
  const unsigned long long content_size =  // NOLINT(google-runtime-int)
      ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  if (content_size == ZSTD_CONTENTSIZE_ERROR)
    return CorruptArchive("bad frame");
  if (content_size != ZSTD_CONTENTSIZE_UNKNOWN &&
      content_size != static_cast<uint64_t>(raw_size)) {
    return CorruptArchive("size mismatch");
  }
  std::string out(static_cast<size_t>(raw_size), '\0');
  const size_t size = ZSTD_decompress(out.data(), out.size(), compressed.data(),
                                      compressed.size());
  if (ZSTD_isError(size) != 0) return CorruptArchive(ZSTD_getErrorName(size));
  if (size != out.size()) return CorruptArchive("size mismatch");
  return out;
}

std::string ContentHash(std::string_view bytes) {
  const XXH128_hash_t hash = XXH3_128bits(bytes.data(), bytes.size());
  std::array<char, 33> hex{};
  std::snprintf(hex.data(), hex.size(), "%016llx%016llx",
                static_cast<unsigned long long>(  // NOLINT(google-runtime-int)
                    hash.high64),
                static_cast<unsigned long long>(  // NOLINT(google-runtime-int)
                    hash.low64));
  return kContentHashPrefix + std::string(hex.data()) + "-" +
         std::to_string(bytes.size());
}

bool SameContent(std::string_view stored, std::string_view bytes,
                 std::string_view hash) {
  if (stored == hash) return true;
  if (stored.substr(0, std::strlen(kContentHashPrefix)) == kContentHashPrefix) {
    return false;  // a hash of this kind: other bytes
  }
  return stored == LegacyContentHash(bytes);
}

std::string LegacyContentHash(std::string_view bytes) {
  uint64_t hash = 14695981039346656037ULL;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  std::array<char, 17> hex{};
  std::snprintf(hex.data(), hex.size(), "%016llx",
                static_cast<unsigned long long>(  // NOLINT(google-runtime-int)
                    hash));
  return std::string(hex.data()) + "-" + std::to_string(bytes.size());
}

}  // namespace storage
