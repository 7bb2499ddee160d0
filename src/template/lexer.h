// The tokens of Go's text/template (text/template/parse/lex.go): text,
// {{ }} actions with "{{- " / " -}}" trimming, comments, and the words and
// literals inside actions. Lexing stops at the first error, which becomes
// the last token.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tocsin::tmpl {

enum class TokenType {
  kError,
  kBool,
  kChar,  // a printable ASCII character inside an action: ',' and the like
  kCharConstant,
  kComplex,
  kAssign,   // =
  kDeclare,  // :=
  kEOF,
  kField,  // .Name
  kIdentifier,
  kLeftDelim,
  kLeftParen,
  kNumber,
  kPipe,
  kRawString,
  kRightDelim,
  kRightParen,
  kSpace,
  kString,
  kText,
  kVariable,  // $ or $name
  // Keywords: everything after kKeyword.
  kKeyword,
  kBlock,
  kBreak,
  kContinue,
  kDot,
  kDefine,
  kElse,
  kEnd,
  kIf,
  kNil,
  kRange,
  kTemplate,
  kWith,
};

struct Token {
  TokenType type = TokenType::kEOF;
  int pos = 0;   // byte offset in the input
  int line = 1;  // line where the token starts
  std::string_view val;
  std::string error;  // the message, for kError

  // How Go's parser names the token in "unexpected X" messages.
  std::string describe() const;
};

// `break_ok`/`continue_ok` are false when the FuncMap defines functions of
// those names, which then win over the keywords (as in Go).
std::vector<Token> lex(std::string_view input, bool break_ok = true, bool continue_ok = true);

}  // namespace tocsin::tmpl
