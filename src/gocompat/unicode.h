// Go's unicode package: unicode.IsPrint, IsLetter, IsDigit, IsSpace and the
// simple case mappings ToUpper, ToLower and ToTitle, for printing and parsing
// exactly as Go does. ASCII is exact; above it the classes follow the C
// library's C.UTF-8 tables, corrected where Go differs (space separators and
// format characters are not printable in Go).
#pragma once

namespace tocsin::gocompat {

bool is_print(char32_t r);
bool is_letter(char32_t r);
bool is_digit(char32_t r);
bool is_space(char32_t r);
char32_t to_upper(char32_t r);
char32_t to_lower(char32_t r);
char32_t to_title(char32_t r);

}  // namespace tocsin::gocompat
