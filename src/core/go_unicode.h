// Go's unicode package classes (IsPrint, IsLetter, IsDigit, IsSpace and the
// simple case mappings), for printing and parsing exactly as Go does. Above
// ASCII they follow the C library's C.UTF-8 tables, corrected where Go
// differs (space separators and format characters are not printable in Go).
#pragma once

namespace tocsin::go {

bool is_print(char32_t r);
bool is_letter(char32_t r);
bool is_digit(char32_t r);
bool is_space(char32_t r);
char32_t to_upper(char32_t r);
char32_t to_lower(char32_t r);
char32_t to_title(char32_t r);

}  // namespace tocsin::go
