#include "tests/support/gzip.h"

#include <gtest/gtest.h>
#include <httplib.h>

namespace testsupport {

std::string Gzip(const std::string& data) {
  httplib::detail::gzip_compressor compressor;
  std::string out;
  const bool ok = compressor.compress(data.data(), data.size(), /*last=*/true,
                                      [&out](const char* chunk, size_t size) {
                                        out.append(chunk, size);
                                        return true;
                                      });
  if (!ok) {
    ADD_FAILURE() << "gzip failed";
    return "";
  }
  return out;
}

}  // namespace testsupport
