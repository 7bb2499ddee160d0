// Go's regexp package behaviour on top of RE2 (Go's regexp is RE2 syntax):
// compile errors worded as Go's, MatchString, and ReplaceAllString with Go's
// $1 / ${1} / $name / ${name} / $$ expansion. Compiled patterns are cached,
// since templates compile the same pattern on every expansion.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <re2/re2.h>

#include <tocsin/error.h>

namespace tocsin::tmpl::goregexp {

// regexp.Compile; the error reads "error parsing regexp: CODE: `EXPR`".
Result<std::shared_ptr<const RE2>> compile(std::string_view pattern);

// regexp.MustCompile's panic text for a pattern that does not compile:
// "regexp: Compile(`PATTERN`): error parsing regexp: ...".
std::string must_compile_message(std::string_view pattern, const Error& error);

// regexp.MatchString: an unanchored search.
bool match(const RE2& re, std::string_view text);

// Regexp.ReplaceAllString(src, repl).
std::string replace_all(const RE2& re, std::string_view src, std::string_view repl);

}  // namespace tocsin::tmpl::goregexp
