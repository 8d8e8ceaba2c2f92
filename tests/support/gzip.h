// Gzip: compresses bytes for tests that serve compressed bodies (gzip bombs,
// Content-Encoding), through cpp-httplib's compressor: the test targets do not
// link zlib themselves, and cpp-httplib's library does.
#pragma once

#include <string>

namespace testsupport {

// Returns `data` gzipped (RFC 1952), or "" (and a test failure) when zlib
// fails.
std::string Gzip(const std::string& data);

}  // namespace testsupport
