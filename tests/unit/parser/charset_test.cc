// Charsets (issue 3, item 4): BOM, HTTP Content-Type, <meta charset> /
// http-equiv within the first 1024 bytes, then UTF-8 validity with a
// windows-1252 fallback; always valid UTF-8 out.
#include "parser/charset.h"

#include <gtest/gtest.h>

#include "parser/text_util.h"

namespace parser {
namespace {

TEST(CharsetTest, KeepsValidUtf8) {
  auto r = ToUtf8("<p>caf\xC3\xA9</p>", "");
  EXPECT_EQ(r.text, "<p>caf\xC3\xA9</p>");
  EXPECT_EQ(r.charset, "utf-8");
  EXPECT_TRUE(r.problem.empty());
}

TEST(CharsetTest, StripsUtf8Bom) {
  EXPECT_EQ(ToUtf8("\xEF\xBB\xBFhi", "").text, "hi");
}

TEST(CharsetTest, ConvertsUtf16WithBom) {
  const std::string le("\xFF\xFEh\0i\0", 6);
  EXPECT_EQ(ToUtf8(le, "").text, "hi");
}

TEST(CharsetTest, HonoursMetaCharset) {
  auto r = ToUtf8(
      "<meta charset=\"windows-1252\"><p>\x93quote\x94 \x80 \x9C</p>", "");
  EXPECT_EQ(r.charset, "windows-1252");
  EXPECT_NE(r.text.find("\xE2\x80\x9Cquote\xE2\x80\x9D \xE2\x82\xAC \xC5\x93"),
            std::string::npos);
}

TEST(CharsetTest, HonoursHttpEquiv) {
  auto r = ToUtf8(
      "<meta http-equiv=\"Content-Type\" content=\"text/html; "
      "charset=ISO-8859-1\"><p>\xE9</p>",
      "");
  EXPECT_EQ(r.charset, "windows-1252");
  EXPECT_NE(r.text.find("\xC3\xA9"), std::string::npos);
}

TEST(CharsetTest, ContentTypeWinsOverMeta) {
  auto r = ToUtf8("<meta charset=utf-8><p>\xE9</p>",
                  "text/html; charset=iso-8859-15");
  EXPECT_EQ(r.charset, "iso-8859-15");
  EXPECT_NE(r.text.find("\xC3\xA9"), std::string::npos);
}

TEST(CharsetTest, FallsBackToWindows1252WhenUndeclaredAndInvalid) {
  auto r = ToUtf8("<p>caf\xE9</p>", "");
  EXPECT_EQ(r.charset, "windows-1252");
  EXPECT_EQ(r.text, "<p>caf\xC3\xA9</p>");
}

TEST(CharsetTest, ReplacesInvalidBytesWhenDeclaredUtf8) {
  auto r = ToUtf8("<meta charset=utf-8><p>caf\xE9</p>", "");
  EXPECT_TRUE(IsValidUtf8(r.text));
  EXPECT_FALSE(r.problem.empty());
}

TEST(CharsetTest, UnknownLabelReadsAsUtf8) {
  auto r = ToUtf8("<meta charset=x-no-such><p>ok</p>", "");
  EXPECT_TRUE(IsValidUtf8(r.text));
  EXPECT_EQ(r.charset, "utf-8");
}

TEST(CharsetTest, ReadsLabels) {
  EXPECT_EQ(CharsetFromContentType("text/html; Charset=\"UTF-8\""), "utf-8");
  EXPECT_EQ(CharsetFromContentType("text/html"), "");
  EXPECT_EQ(SniffMetaCharset("<META CHARSET='Shift_JIS'>"), "shift_jis");
  // Found by parse_page_fuzzer
  // (tests/data/crashers/invalid-utf8-in-charset-error.html): a label is an
  // ASCII token; other bytes are no label and never reach an error message.
  EXPECT_EQ(SniffMetaCharset("<metacharset\xac"), "");
  EXPECT_EQ(CharsetFromContentType("text/html; charset=\xff\xfe"), "");
}

}  // namespace
}  // namespace parser
