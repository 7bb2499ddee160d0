// Go's words for a regular expression RE2 refuses. Go's regexp/syntax and
// RE2 are twins, so they refuse the same patterns; only the message differs.
#pragma once

#include <string>

#include <re2/re2.h>

namespace tocsin {

// What regexp.Compile returns for the pattern `re` failed to compile:
// "error parsing regexp: missing closing ): `(`".
std::string go_regexp_error(const re2::RE2& re);

}  // namespace tocsin
