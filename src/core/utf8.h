// UTF-8 decoding shared by validation and Go-style quoting.
#pragma once

#include <string_view>

namespace tocsin::utf8 {

// Decodes the code point starting at s[i]. Returns its length in bytes, or 0
// when the bytes there are not valid UTF-8 (overlong forms and surrogates
// included, as Go rejects them).
int decode(std::string_view s, std::size_t i, char32_t& code_point);

bool valid(std::string_view s);

}  // namespace tocsin::utf8
