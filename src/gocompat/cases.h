// golang.org/x/text/cases's Title(language.AmericanEnglish), which
// Alertmanager's `title` template function uses: each word's first cased
// letter in title case and the rest of the word in lower case ("hELLO wORLD"
// -> "Hello World", "foo_bar" -> "Foo_bar", "a.b" -> "A.b", "1st" -> "1St").
//
// Word boundaries follow x/text's reduction of Unicode's word-break
// classes: letters, digits, '_' and combining marks continue a word; a
// single ' . : (and their Unicode kin) continues it, two in a row end it;
// anything else ends it. ASCII is exact; above ASCII the classes come from
// Go's letter/digit/case tables (gocompat/unicode.h) and a few known ranges.
#pragma once

#include <string>
#include <string_view>

namespace tocsin::gocompat {

// cases.Title(language.AmericanEnglish).String(s).
std::string title_case(std::string_view s);

}  // namespace tocsin::gocompat
