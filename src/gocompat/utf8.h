// Go's unicode/utf8: utf8.DecodeRuneInString, utf8.AppendRune,
// utf8.RuneCountInString and utf8.ValidString. Overlong forms, surrogates
// and values past U+10FFFF are invalid, as in Go; each byte of an invalid
// sequence decodes as its own U+FFFD.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tocsin::gocompat {

// utf8.RuneError.
inline constexpr char32_t kRuneError = 0xfffd;

// The code point starting at s[i] (i < s.size()) and its length in bytes,
// or 0 when the bytes there are not valid UTF-8.
int decode_utf8(std::string_view s, std::size_t i, char32_t& code_point);

// utf8.DecodeRuneInString(s[i:]): an invalid byte decodes as U+FFFD of
// width 1; `width` is 0 only at the end of s.
char32_t decode_rune(std::string_view s, std::size_t i, int& width);

// utf8.AppendRune: surrogates and values past U+10FFFF append U+FFFD.
void append_rune(std::string& out, char32_t r);

// utf8.RuneCountInString.
std::size_t rune_count(std::string_view s);

// utf8.ValidString.
bool valid_utf8(std::string_view s);

}  // namespace tocsin::gocompat
