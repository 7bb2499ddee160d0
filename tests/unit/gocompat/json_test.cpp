// Go's encoding/json: its scanner's errors and its string encoding.
// Expected strings are Go 1.19's.
#include "gocompat/json.h"

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

TEST(GoJson, QuotesAsGoDoes) {
  EXPECT_EQ(json_quote("a<b>&\"\\\n\t\x01\xe2\x80\xa8", true),
            R"("a\u003cb\u003e\u0026\"\\\n\t\u0001\u2028")");
  EXPECT_EQ(json_quote("a<b>&", false), R"("a<b>&")");
  EXPECT_TRUE(json_key_matches("CreatedBy", "createdBy"));
  EXPECT_FALSE(json_key_matches("created_by", "createdBy"));
}

}  // namespace
}  // namespace tocsin::gocompat
