#include "app/export_target.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/ascii.h"

namespace app {
namespace {

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::optional<storage::ExportFormat> ExportFormatForPath(
    const std::string& path) {
  const std::string lower = core::AsciiLower(path);
  if (EndsWith(lower, ".csv")) return storage::ExportFormat::kCsv;
  if (EndsWith(lower, ".jsonl") || EndsWith(lower, ".ndjson"))
    return storage::ExportFormat::kJsonl;
  if (EndsWith(lower, ".json")) return storage::ExportFormat::kJson;
  return std::nullopt;
}

std::optional<storage::ExportFormat> ChooseExportFormat(
    const std::optional<std::string>& format_flag,
    const std::optional<std::string>& path) {
  if (format_flag) return storage::ExportFormatFromName(*format_flag);
  if (path) {
    if (auto format = ExportFormatForPath(*path)) return format;
  }
  return storage::ExportFormat::kJsonl;
}

core::Result<bool> OpenExportFile(const std::string& path,
                                  storage::ExportFormat format,
                                  ExistingFile existing, std::ofstream* file) {
  std::error_code error;
  const bool exists = std::filesystem::exists(path, error);
  const bool has_content =
      exists && std::filesystem::is_regular_file(path, error) &&
      std::filesystem::file_size(path, error) > 0 && !error;
  if (exists && existing == ExistingFile::kRefuse) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       path +
                           " exists; --force overwrites it, --append adds "
                           "the rows to it");
  }
  if (has_content && existing == ExistingFile::kAppend &&
      format == storage::ExportFormat::kJson) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "--append: " + path +
                           " holds a JSON array, which rows cannot be added "
                           "to; use --format jsonl or csv, or --force");
  }
  const auto mode =
      std::ios::binary |
      (existing == ExistingFile::kAppend ? std::ios::app : std::ios::trunc);
  file->open(path, mode);
  if (!*file) {
    return core::Error(core::ErrorCode::kIo,
                       "cannot write " + path + ": " + std::strerror(errno));
  }
  return existing == ExistingFile::kAppend && has_content;
}

}  // namespace app
