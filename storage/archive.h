// Helpers of the page archive and the page hashes (storage::Store::SavePage):
// compression of page bytes and a content hash for change detection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace storage {

// Returns `bytes` as one zstd frame (RFC 8878) at level 1: on page-sized HTML
// it compresses about as well as zlib's default level, ten times faster
// (bench/README.md). Fails with kStorage only when zstd reports an error (out
// of memory).
core::Result<std::string> Compress(std::string_view bytes);

// Decompresses `compressed`, which must hold exactly `raw_size` bytes once
// decompressed: a zstd frame, or a zlib stream (RFC 1950) as databases written
// before the switch to zstd hold, told apart by the zstd magic number. Fails
// with kStorage when the data is corrupt or of another size.
core::Result<std::string> Decompress(std::string_view compressed,
                                     int64_t raw_size);

// Returns the 128-bit XXH3 hash of `bytes` with the byte count: "xxh3-", 32
// lowercase hex digits, "-", and the decimal size. A change detector, not a
// cryptographic hash.
std::string ContentHash(std::string_view bytes);

// Returns whether `stored`, a ContentHash of some bytes stored earlier, is
// the hash of `bytes`, whose ContentHash is `hash`. Databases written before
// 0.3 hold LegacyContentHash values, compared as such.
bool SameContent(std::string_view stored, std::string_view bytes,
                 std::string_view hash);

// The content hash of databases written before 0.3: a 64-bit FNV-1a hash as
// 16 lowercase hex digits, "-", and the decimal size.
std::string LegacyContentHash(std::string_view bytes);

}  // namespace storage
