// Tests of the export conventions (app/export_target.h, issue 16): the format
// follows the output file's extension unless --format says otherwise; an
// existing file is refused unless --force or --append (Scrapy's -o / -O);
// --since takes durations and dates (app/time_text.h).
#include "app/export_target.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "app/time_text.h"
#include "tests/support/temp_dir.h"

namespace app {
namespace {

using storage::ExportFormat;
using ::testing::HasSubstr;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ExportTargetTest, FormatFollowsTheExtension) {
  EXPECT_EQ(ExportFormatForPath("shows.csv"), ExportFormat::kCsv);
  EXPECT_EQ(ExportFormatForPath("dir/Shows.CSV"), ExportFormat::kCsv);
  EXPECT_EQ(ExportFormatForPath("e.jsonl"), ExportFormat::kJsonl);
  EXPECT_EQ(ExportFormatForPath("e.ndjson"), ExportFormat::kJsonl);
  EXPECT_EQ(ExportFormatForPath("e.json"), ExportFormat::kJson);
  EXPECT_EQ(ExportFormatForPath("e.txt"), std::nullopt);
  EXPECT_EQ(ExportFormatForPath("csv"), std::nullopt);
}

TEST(ExportTargetTest, FormatFlagWinsOverTheExtension) {
  EXPECT_EQ(ChooseExportFormat(std::string("jsonl"), std::string("a.csv")),
            ExportFormat::kJsonl);
  EXPECT_EQ(ChooseExportFormat(std::nullopt, std::string("a.csv")),
            ExportFormat::kCsv);
  EXPECT_EQ(ChooseExportFormat(std::nullopt, std::string("a.out")),
            ExportFormat::kJsonl);
  EXPECT_EQ(ChooseExportFormat(std::nullopt, std::nullopt),
            ExportFormat::kJsonl);
  EXPECT_EQ(ChooseExportFormat(std::string("json"), std::nullopt),
            ExportFormat::kJson);
}

TEST(ExportTargetTest, ExistingFileIsRefusedUnlessForcedOrAppended) {
  testsupport::TempDir dir;
  const std::string path = dir.File("out.csv");
  {
    std::ofstream file;
    auto fresh =
        OpenExportFile(path, ExportFormat::kCsv, ExistingFile::kRefuse, &file);
    ASSERT_TRUE(fresh) << fresh.error().message;
    EXPECT_FALSE(*fresh);
    file << "a\r\n1\r\n";
  }
  std::ofstream file;
  auto refused =
      OpenExportFile(path, ExportFormat::kCsv, ExistingFile::kRefuse, &file);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(refused.error().message, HasSubstr("--force"));
  EXPECT_THAT(refused.error().message, HasSubstr("--append"));
  EXPECT_EQ(Read(path), "a\r\n1\r\n");  // untouched

  auto appended =
      OpenExportFile(path, ExportFormat::kCsv, ExistingFile::kAppend, &file);
  ASSERT_TRUE(appended);
  EXPECT_TRUE(*appended);  // it has a header already
  file << "2\r\n";
  file.close();
  EXPECT_EQ(Read(path), "a\r\n1\r\n2\r\n");

  std::ofstream again;
  auto forced = OpenExportFile(path, ExportFormat::kCsv,
                               ExistingFile::kOverwrite, &again);
  ASSERT_TRUE(forced);
  EXPECT_FALSE(*forced);
  again.close();
  EXPECT_EQ(Read(path), "");
}

TEST(ExportTargetTest, JsonArrayCannotBeAppendedTo) {
  testsupport::TempDir dir;
  const std::string path = dir.File("out.json");
  std::ofstream(path) << "[]\n";
  std::ofstream file;
  auto refused =
      OpenExportFile(path, ExportFormat::kJson, ExistingFile::kAppend, &file);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("JSON array"));
  EXPECT_EQ(Read(path), "[]\n");
}

TEST(ExportTargetTest, SinceTakesDurationsAndTimes) {
  const int64_t now = 1'795'878'000'000;  // 2026-11-28T15:00:00Z
  EXPECT_EQ(ParseSinceArgument("7d", now), now - 7 * 86'400'000LL);
  EXPECT_EQ(ParseSinceArgument("24h", now), now - 86'400'000LL);
  EXPECT_EQ(ParseSinceArgument("90m", now), now - 90 * 60'000LL);
  EXPECT_EQ(ParseSinceArgument("2026-11-28", now), now - 15 * 3'600'000LL);
  EXPECT_EQ(ParseSinceArgument("2026-11-28T15:00:00Z", now), now);
  EXPECT_EQ(ParseSinceArgument("1795878000", now), now);
  EXPECT_EQ(ParseSinceArgument("yesterday", now), std::nullopt);
  EXPECT_EQ(ParseSinceArgument("-7d", now), std::nullopt);
}

}  // namespace
}  // namespace app
