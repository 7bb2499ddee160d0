// The parts of Go's strconv, unicode and unicode/utf8 packages that the
// template engine needs to read and print values exactly as Go does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <tocsin/error.h>

#include "core/go_unicode.h"

namespace tocsin::tmpl::strconv {

// utf8.DecodeRuneInString at s[i]: invalid bytes decode as U+FFFD of width 1.
// `width` is 0 only at the end of s.
char32_t decode_rune(std::string_view s, std::size_t i, int& width);
void append_rune(std::string& out, char32_t r);
// utf8.RuneCountInString.
std::size_t rune_count(std::string_view s);

// Go's unicode classes live in core (core/go_unicode.h), shared with go::quote.
using go::is_digit;
using go::is_letter;
using go::is_print;
using go::is_space;
using go::to_lower;
using go::to_title;
using go::to_upper;

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

// strconv.QuoteRune, strconv.QuoteToASCII, strconv.QuoteRuneToASCII, strconv.CanBackquote.
std::string quote_rune(char32_t r);
std::string quote_to_ascii(std::string_view s);
std::string quote_rune_to_ascii(char32_t r);
bool can_backquote(std::string_view s);

}  // namespace tocsin::tmpl::strconv
