// Go's strconv package, byte for byte, for the outputs users compare with
// Prometheus and Alertmanager (template results, API values, error texts):
// strconv.FormatFloat, Quote, QuoteToASCII, QuoteRune, QuoteRuneToASCII,
// CanBackquote, Unquote, UnquoteChar, ParseInt, ParseUint and ParseFloat.
// Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <tocsin/error.h>

namespace tocsin::gocompat {

// strconv.FormatFloat(v, format, precision, 64) for format 'b', 'e', 'E',
// 'f', 'g', 'G', 'x' or 'X'; precision -1 means the shortest form that
// reads back exactly.
std::string format_float(double v, char format, int precision);

// strconv.Quote: a double-quoted Go string literal; an invalid UTF-8 byte
// is written as \xXX.
std::string quote(std::string_view s);
// strconv.QuoteToASCII: the same with every non-ASCII rune escaped.
std::string quote_to_ascii(std::string_view s);
// strconv.QuoteRune and strconv.QuoteRuneToASCII: a single-quoted literal.
std::string quote_rune(char32_t r);
std::string quote_rune_to_ascii(char32_t r);

// strconv.CanBackquote: `s` can be written as a raw (backquoted) Go string
// without change: valid UTF-8 with no BOM and no control character but tab.
bool can_backquote(std::string_view s);

// strconv.Unquote for "...", `...` and '...'; fails as Go does ("invalid syntax").
Result<std::string> unquote(std::string_view s);

struct UnquotedChar {
  char32_t value = 0;
  bool multibyte = false;
  std::string_view tail;
};
// strconv.UnquoteChar.
std::optional<UnquotedChar> unquote_char(std::string_view s, char quote);

// strconv.ParseInt(s, 0, 64) and strconv.ParseUint(s, 0, 64): base prefixes,
// underscores as Go allows them. nullopt on a syntax or range error.
std::optional<std::int64_t> parse_int(std::string_view s);
std::optional<std::uint64_t> parse_uint(std::string_view s);

// strconv.ParseFloat(s, 64). The error reads as Go's *NumError:
// `strconv.ParseFloat: parsing "x": invalid syntax` or `...: value out of range`.
Result<double> parse_float(std::string_view s);

}  // namespace tocsin::gocompat
