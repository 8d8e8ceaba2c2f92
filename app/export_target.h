// Where `podcrawl export` writes, by the conventions of data tools: the
// format follows the output file's extension unless --format says otherwise,
// and an existing file is never overwritten by accident (Scrapy's -o / -O:
// refused unless forced, or appended to). Pure functions and one file open.
#pragma once

#include <fstream>
#include <optional>
#include <string>

#include "core/result.h"
#include "storage/analysis.h"

namespace app {

// Returns the format that `path`'s extension names (any case): ".csv" CSV,
// ".jsonl" and ".ndjson" JSON Lines, ".json" one JSON array; nullopt for any
// other.
std::optional<storage::ExportFormat> ExportFormatForPath(
    const std::string& path);

// Returns --format when given, else the output file's format, else JSON
// Lines. `format_flag` is a name ExportFormatFromName reads.
std::optional<storage::ExportFormat> ChooseExportFormat(
    const std::optional<std::string>& format_flag,
    const std::optional<std::string>& path);

// What to do when the output file exists.
enum class ExistingFile {
  kRefuse,     // the default: an error, nothing written
  kOverwrite,  // --force
  kAppend,     // --append
};

// Opens `path` into `file` for an export in `format`. Returns whether the file
// already held something (an appended CSV then gets no second header).
// Fails with kInvalidArgument when the file exists and `existing` is kRefuse
// (the message names --force and --append), or when appending a JSON array
// (it cannot be extended), and with kIo when the file cannot be opened.
core::Result<bool> OpenExportFile(const std::string& path,
                                  storage::ExportFormat format,
                                  ExistingFile existing, std::ofstream* file);

}  // namespace app
