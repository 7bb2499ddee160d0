#include "core/go_regexp_error.h"

#include <string_view>

#include <fmt/format.h>

#include "core/go_format.h"

namespace tocsin {
namespace {

// Go's regexp/syntax error codes for RE2's (RE2's parser is Go's twin).
std::string_view go_error_code(re2::RE2::ErrorCode code) {
  switch (code) {
    case re2::RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case re2::RE2::ErrorBadCharClass:
      return "invalid character class";
    case re2::RE2::ErrorBadCharRange:
      return "invalid character class range";
    case re2::RE2::ErrorMissingBracket:
      return "missing closing ]";
    case re2::RE2::ErrorMissingParen:
      return "missing closing )";
    case re2::RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case re2::RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case re2::RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case re2::RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case re2::RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case re2::RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case re2::RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case re2::RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      break;
  }
  // RE2 versions with ErrorUnexpectedParen report it with this text.
  return "unexpected )";
}

}  // namespace

std::string go_regexp_error(const re2::RE2& re) {
  return fmt::format("error parsing regexp: {}: {}", go_error_code(re.error_code()),
                     go::backquote_or_quote(re.error_arg()));
}

}  // namespace tocsin
