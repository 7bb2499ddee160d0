// Go's encoding/json: its scanner's errors and its string encoding.
// Expected strings are Go 1.19's.
#include "gocompat/json.h"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

namespace tocsin::gocompat {
namespace {

TEST(GoJson, ScannerStopsWhereGoStops) {
  EXPECT_EQ(json_first_value(" {\"a\":[1,2.5e-3,true,null]} rest").value(),
            " {\"a\":[1,2.5e-3,true,null]}");
  EXPECT_EQ(json_first_value("5x").value(), "5");
  EXPECT_EQ(json_first_value("   ").error(), "EOF");
  EXPECT_EQ(json_first_value("-").error(), "unexpected EOF");
  EXPECT_EQ(json_first_value("-x").error(), "invalid character 'x' in numeric literal");
  EXPECT_EQ(json_first_value("[1.]").error(),
            "invalid character ']' after decimal point in numeric literal");
  EXPECT_EQ(json_first_value("[1e]").error(),
            "invalid character ']' in exponent of numeric literal");
  EXPECT_EQ(json_first_value("[01]").error(), "invalid character '1' after array element");
  EXPECT_EQ(json_first_value("\"\\u12x4\"").error(),
            "invalid character 'x' in \\u hexadecimal character escape");
  EXPECT_EQ(json_first_value("\"a\nb\"").error(), "invalid character '\\n' in string literal");
  EXPECT_EQ(json_first_value("nul").error(), "unexpected EOF");
  EXPECT_EQ(json_first_value("fals3").error(),
            "invalid character '3' in literal false (expecting 'e')");
  EXPECT_EQ(json_first_value("\xe9").error(),
            "invalid character '\xc3\xa9' looking for beginning of value");
  EXPECT_EQ(json_first_value("'").error(),
            R"(invalid character '\'' looking for beginning of value)");
}

TEST(GoJson, ScannerStopsAtGosNestingDepth) {
  std::string ok = std::string(10000, '[') + std::string(10000, ']');
  EXPECT_EQ(json_first_value(ok).value(), ok);
  EXPECT_EQ(json_first_value(std::string(10001, '[') + std::string(10001, ']')).error(),
            "invalid character '[' exceeded max depth");
  std::string objects;
  for (int i = 0; i < 10000; ++i) objects += R"({"a":)";
  EXPECT_EQ(json_first_value(objects + "{}").error(), "invalid character '{' exceeded max depth");
  EXPECT_TRUE(json_first_value(objects + "1" + std::string(10000, '}')).has_value());
  // Deeper still: no recursion, so no crash, whatever the depth.
  EXPECT_EQ(json_first_value(std::string(1000000, '[')).error(),
            "invalid character '[' exceeded max depth");
  // Depth counts what is open, not what was ever opened.
  std::string wide;
  for (int i = 0; i < 20000; ++i) wide += "[[]],";
  EXPECT_TRUE(json_first_value("[" + wide + "1]").has_value());
}

TEST(GoJson, ScannerErrorsInsideContainersReadAsGo) {
  EXPECT_EQ(json_first_value("{").error(), "unexpected EOF");
  EXPECT_EQ(json_first_value("{1").error(),
            "invalid character '1' looking for beginning of object key string");
  EXPECT_EQ(json_first_value(R"({"a" 1})").error(), "invalid character '1' after object key");
  EXPECT_EQ(json_first_value(R"({"a":1 "b")").error(),
            "invalid character '\"' after object key:value pair");
  EXPECT_EQ(json_first_value(R"({"a":1,})").error(),
            "invalid character '}' looking for beginning of object key string");
  EXPECT_EQ(json_first_value("[1 2]").error(), "invalid character '2' after array element");
  EXPECT_EQ(json_first_value("[1,]").error(),
            "invalid character ']' looking for beginning of value");
  EXPECT_EQ(json_first_value(R"([{"a":[{}]},[]] x)").value(), R"([{"a":[{}]},[]])");
  EXPECT_EQ(json_first_value("[").error(), "unexpected EOF");
}

TEST(GoJson, QuotesAsGoDoes) {
  EXPECT_EQ(json_quote("a<b>&\"\\\n\t\x01\xe2\x80\xa8", true),
            R"("a\u003cb\u003e\u0026\"\\\n\t\u0001\u2028")");
  EXPECT_EQ(json_quote("a<b>&", false), R"("a<b>&")");
  EXPECT_TRUE(json_key_matches("CreatedBy", "createdBy"));
  EXPECT_FALSE(json_key_matches("created_by", "createdBy"));
}

// The string encoding of encoding/json in Go 1.19 to 1.21 (Alertmanager
// 0.25's Go), as its documentation and encode.go describe it.
TEST(GoJson, QuoteWritesEachInvalidUtf8ByteAsFffd) {
  EXPECT_EQ(json_quote("a\xffz"), R"("a\ufffdz")");
  // A sequence cut short is one U+FFFD per byte, as utf8.DecodeRuneInString
  // reads it; so are surrogates and overlong forms, which Go rejects.
  EXPECT_EQ(json_quote("\xe2\x80!"), R"("\ufffd\ufffd!")");
  EXPECT_EQ(json_quote("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");
  EXPECT_EQ(json_quote("\xc0\xaf"), R"("\ufffd\ufffd")");
  // The same without HTML escaping.
  EXPECT_EQ(json_quote("<\xff>", false), R"("<\ufffd>")");
  // A U+FFFD that is there is valid UTF-8, written as it is.
  EXPECT_EQ(json_quote("\xef\xbf\xbd"), "\"\xef\xbf\xbd\"");
}

TEST(GoJson, QuoteEscapesHtmlOnlyWhenAsked) {
  EXPECT_EQ(json_quote("<a href='x'>&amp;</a>"),
            R"("\u003ca href='x'\u003e\u0026amp;\u003c/a\u003e")");
  EXPECT_EQ(json_quote("<a href='x'>&amp;</a>", false), R"("<a href='x'>&amp;</a>")");
}

TEST(GoJson, QuoteAlwaysEscapesLineAndParagraphSeparators) {
  EXPECT_EQ(json_quote("a\u2028b\u2029c"), R"("a\u2028b\u2029c")");
  EXPECT_EQ(json_quote("a\u2028b\u2029c", false), R"("a\u2028b\u2029c")");
  // Any other rune, and DEL, as it is.
  EXPECT_EQ(json_quote("\u00e9\u20ac\U0001f600\x7f"), "\"\u00e9\u20ac\U0001f600\x7f\"");
}

TEST(GoJson, QuoteWritesControlCharactersAsGo119Does) {
  // \b and \f as \u0008 and \u000c: Go 1.22 writes \b and \f, Alertmanager
  // 0.25's Go did not.
  EXPECT_EQ(json_quote(std::string("\b\f\n\r\t\0\x1f\"\\", 9)),
            R"("\u0008\u000c\n\r\t\u0000\u001f\"\\")");
}

TEST(GoJson, FloatsAsEncodingJsonWritesThem) {
  EXPECT_EQ(json_float(0).value(), "0");
  EXPECT_EQ(json_float(-2.5).value(), "-2.5");
  EXPECT_EQ(json_float(1e20).value(), "100000000000000000000");
  EXPECT_EQ(json_float(1e21).value(), "1e+21");
  EXPECT_EQ(json_float(0.000001).value(), "0.000001");
  EXPECT_EQ(json_float(1e-7).value(), "1e-7");
  EXPECT_EQ(json_float(1.5e-300).value(), "1.5e-300");
  EXPECT_EQ(json_float(std::nan("")).error().message(), "json: unsupported value: NaN");
  EXPECT_EQ(json_float(-HUGE_VAL).error().message(), "json: unsupported value: -Inf");
}

}  // namespace
}  // namespace tocsin::gocompat
