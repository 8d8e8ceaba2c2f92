#include "storage/archive.h"

#include <zlib.h>

#include <array>
#include <cstdio>
#include <limits>

namespace storage {

core::Result<std::string> Compress(std::string_view bytes) {
  if (bytes.size() > std::numeric_limits<uLong>::max() / 2) {
    return core::Error(core::ErrorCode::kStorage, "page too large to archive");
  }
  const auto size = static_cast<uLong>(bytes.size());
  std::string out(compressBound(size), '\0');
  auto out_size = static_cast<uLongf>(out.size());
  const int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &out_size,
                           reinterpret_cast<const Bytef*>(bytes.data()), size,
                           Z_DEFAULT_COMPRESSION);
  if (rc != Z_OK) {
    return core::Error(core::ErrorCode::kStorage,
                       std::string("zlib compress failed: ") + zError(rc));
  }
  out.resize(out_size);
  return out;
}

core::Result<std::string> Decompress(std::string_view compressed,
                                     int64_t raw_size) {
  if (raw_size < 0 ||
      static_cast<uint64_t>(raw_size) > std::numeric_limits<uLong>::max()) {
    return core::Error(core::ErrorCode::kStorage,
                       "archived page has an invalid size");
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
    return core::Error(core::ErrorCode::kStorage,
                       std::string("archived page does not decompress: ") +
                           (rc == Z_OK ? "size mismatch" : zError(rc)));
  }
  return out;
}

std::string ContentHash(std::string_view bytes) {
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
