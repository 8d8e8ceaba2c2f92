// Replay driver for fuzz targets built without libFuzzer (fmt's
// FMT_FUZZ_LINKMAIN, CLI11's FuzzFailTest): feeds every regular file under the
// given files or directories, recursively and in sorted order, to
// LLVMFuzzerTestOneInput once. This lets the gcc and sanitizer builds run the
// fuzz target over tests/data (corpus pages and saved crashers) in ctest.
//
// Usage: parse_page_replay PATH...
// Exit codes: 0 every input ran; 1 a path could not be read or held no file;
// 2 usage. A crashing input aborts the process (its name is printed first).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

// Appends the regular files at or under `path` to `files`. Returns false (and
// says why) when `path` cannot be walked.
bool CollectFiles(const fs::path& path, std::vector<fs::path>& files) {
  std::error_code error;
  if (fs::is_regular_file(path, error)) {
    files.push_back(path);
    return true;
  }
  if (!fs::is_directory(path, error)) {
    std::cerr << "replay: " << path.string() << ": not a file or directory\n";
    return false;
  }
  fs::recursive_directory_iterator it(path, error);
  for (; !error && it != fs::recursive_directory_iterator();
       it.increment(error)) {
    if (it->is_regular_file(error)) files.push_back(it->path());
  }
  if (error) {
    std::cerr << "replay: " << path.string() << ": " << error.message() << "\n";
    return false;
  }
  return true;
}

bool ReadFile(const fs::path& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in),
               std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " FILE_OR_DIR...\n";
    return 2;
  }
  std::vector<fs::path> files;
  bool ok = true;
  for (int i = 1; i < argc; ++i) ok = CollectFiles(argv[i], files) && ok;
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "replay: no input files\n";
    return 1;
  }

  size_t total_bytes = 0;
  std::string bytes;
  for (const fs::path& file : files) {
    if (!ReadFile(file, bytes)) {
      std::cerr << "replay: cannot read " << file.string() << "\n";
      ok = false;
      continue;
    }
    // Printed before the run, so a crash names its input.
    std::cout << "Running: " << file.string() << " (" << bytes.size()
              << " bytes)" << std::endl;
    // An exactly sized copy, as libFuzzer passes it, so ASan sees overreads.
    const std::vector<uint8_t> input(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(input.data(), input.size());
    total_bytes += bytes.size();
  }
  std::cout << "Replayed " << files.size() << " inputs, " << total_bytes
            << " bytes\n";
  return ok ? 0 : 1;
}
