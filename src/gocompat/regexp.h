// Go's regexp package on RE2 (Go's regexp syntax is RE2's, and Go's
// regexp/syntax refuses the patterns RE2 refuses): regexp.Compile with
// Go's error wording, regexp.MustCompile's panic text, Regexp.MatchString,
// and Regexp.ReplaceAllString with Go's $1 / ${1} / $name / ${name} / $$
// expansion. Compiled patterns are cached (templates compile the same
// pattern on every expansion); every function here is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <re2/re2.h>

#include <tocsin/error.h>

namespace tocsin::gocompat {

// regexp.Compile; the error reads "error parsing regexp: CODE: `EXPR`".
Result<std::shared_ptr<const RE2>> compile_regexp(std::string_view pattern);

// The *syntax.Error text regexp.Compile returns for a pattern RE2 refused
// (`re.ok()` is false): "error parsing regexp: missing closing ): `(`".
std::string regexp_syntax_error(const RE2& re);

// regexp.MustCompile's panic text for a pattern that does not compile:
// "regexp: Compile(`PATTERN`): error parsing regexp: ...".
std::string must_compile_message(std::string_view pattern, const Error& error);

// Regexp.MatchString: an unanchored search.
bool match_string(const RE2& re, std::string_view text);

// Regexp.ReplaceAllString(src, repl).
std::string replace_all_string(const RE2& re, std::string_view src, std::string_view repl);

}  // namespace tocsin::gocompat
