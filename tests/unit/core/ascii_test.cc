// Tests for core/ascii.h: ASCII case folding and trimming, which must leave
// every byte outside A-Z (UTF-8 included) alone and ignore the C locale.
#include "core/ascii.h"

#include <gtest/gtest.h>

#include <string>

namespace core {
namespace {

TEST(AsciiTest, LowersOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower('A'), 'a');
  EXPECT_EQ(AsciiLower('Z'), 'z');
  EXPECT_EQ(AsciiLower('a'), 'a');
  EXPECT_EQ(AsciiLower('@'), '@');  // just before 'A'
  EXPECT_EQ(AsciiLower('['), '[');  // just after 'Z'
  EXPECT_EQ(AsciiLower("Content-Type: TEXT/Html"), "content-type: text/html");
  // UTF-8 is untouched: "ÉCOUTE" keeps its É (0xC3 0x89).
  EXPECT_EQ(AsciiLower("\xC3\x89"
                       "COUTE"),
            "\xC3\x89"
            "coute");
  EXPECT_EQ(AsciiLower(std::string_view("A\0B", 3)), std::string("a\0b", 3));
  EXPECT_EQ(AsciiLower(""), "");
  std::string s = "MiXeD";
  AsciiLowerInPlace(s);
  EXPECT_EQ(s, "mixed");
}

TEST(AsciiTest, EqualsIgnoreCase) {
  EXPECT_TRUE(AsciiEqualsIgnoreCase("ETag", "etag"));
  EXPECT_TRUE(AsciiEqualsIgnoreCase("", ""));
  EXPECT_FALSE(AsciiEqualsIgnoreCase("etag", "etags"));
  EXPECT_FALSE(AsciiEqualsIgnoreCase("a", "b"));
  // Only A-Z fold: '@' and '`' (0x40 / 0x60) are different bytes.
  EXPECT_FALSE(AsciiEqualsIgnoreCase("@", "`"));
  EXPECT_FALSE(AsciiEqualsIgnoreCase("\xC3\x89", "\xC3\xA9"));  // É vs é
  static_assert(AsciiEqualsIgnoreCase("GMT", "gmt"));
}

TEST(AsciiTest, DigitsOnly) {
  EXPECT_TRUE(IsAsciiDigit('0'));
  EXPECT_TRUE(IsAsciiDigit('9'));
  EXPECT_FALSE(IsAsciiDigit('/'));
  EXPECT_FALSE(IsAsciiDigit(':'));
  EXPECT_FALSE(IsAsciiDigit('\xD9'));  // a UTF-8 byte, not a digit
}

// Trim removes only the bytes of the set its caller names.
TEST(AsciiTest, TrimsTheNamedWhitespace) {
  EXPECT_EQ(Trim(" \t\n\v\f\r x y \r\n"), "x y");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("x"), "x");
  // HTML whitespace has no vertical tab (WHATWG Infra).
  EXPECT_EQ(Trim("\v x \f", kHtmlWhitespace), "\v x");
  // HTTP header lines: space, tab, CR, LF only.
  EXPECT_EQ(Trim(" text/html\r\n", kSpaceTabCrLf), "text/html");
  EXPECT_EQ(Trim("\fvalue\v", kSpaceTabCrLf), "\fvalue\v");
  // NBSP (U+00A0, 0xC2 0xA0) is not ASCII whitespace.
  EXPECT_EQ(Trim("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");
  // A NUL byte is not whitespace either.
  EXPECT_EQ(Trim(std::string_view(" \0 ", 3)), std::string_view("\0", 1));
  // The result views the input.
  const std::string text = "  abc  ";
  EXPECT_EQ(Trim(text).data(), text.data() + 2);
}

}  // namespace
}  // namespace core
