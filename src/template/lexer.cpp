#include "template/lexer.h"

#include <fmt/format.h>

#include "gocompat/strconv.h"
#include "gocompat/unicode.h"
#include "gocompat/utf8.h"

namespace tocsin::tmpl {
namespace {

constexpr std::string_view kLeftDelimiter = "{{";
constexpr std::string_view kRightDelimiter = "}}";
constexpr std::string_view kLeftComment = "/*";
constexpr std::string_view kRightComment = "*/";
constexpr char32_t kEof = static_cast<char32_t>(-1);
constexpr std::size_t kTrimMarkerLen = 2;  // "- " or " -"

bool is_space(char32_t r) {
  return r == ' ' || r == '\t' || r == '\r' || r == '\n';
}
bool is_alnum(char32_t r) {
  return r != kEof && (r == '_' || gocompat::is_letter(r) || gocompat::is_digit(r));
}
bool has_left_trim_marker(std::string_view s) {
  return s.size() >= 2 && s[0] == '-' && is_space(static_cast<unsigned char>(s[1]));
}
bool has_right_trim_marker(std::string_view s) {
  return s.size() >= 2 && is_space(static_cast<unsigned char>(s[0])) && s[1] == '-';
}
int count_newlines(std::string_view s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}
std::size_t trim_right_length(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && is_space(static_cast<unsigned char>(s[s.size() - 1 - n]))) ++n;
  return n;
}
std::size_t trim_left_length(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && is_space(static_cast<unsigned char>(s[n]))) ++n;
  return n;
}

TokenType keyword(std::string_view word) {
  static constexpr std::pair<std::string_view, TokenType> kWords[] = {
      {".", TokenType::kDot},
      {"block", TokenType::kBlock},
      {"break", TokenType::kBreak},
      {"continue", TokenType::kContinue},
      {"define", TokenType::kDefine},
      {"else", TokenType::kElse},
      {"end", TokenType::kEnd},
      {"if", TokenType::kIf},
      {"range", TokenType::kRange},
      {"nil", TokenType::kNil},
      {"template", TokenType::kTemplate},
      {"with", TokenType::kWith}};
  for (const auto& [w, t] : kWords) {
    if (w == word) return t;
  }
  return TokenType::kError;  // not a keyword
}

// Go's %#U: U+0023 '#'.
std::string sharp_u(char32_t r) {
  if (r == kEof) return "U+FFFFFFFFFFFFFFFF";
  std::string out = fmt::format("U+{:04X}", static_cast<std::uint32_t>(r));
  if (gocompat::is_print(r)) {
    out += " '";
    gocompat::append_rune(out, r);
    out += "'";
  }
  return out;
}

enum class State {
  kText,
  kLeftDelim,
  kComment,
  kRightDelim,
  kInsideAction,
  kSpace,
  kIdentifier,
  kField,
  kVariable,
  kChar,
  kNumber,
  kQuote,
  kRawQuote,
  kDone
};

// Go's lexer as a loop over states; each state consumes input, emits tokens
// and names the next state.
class Lexer {
 public:
  Lexer(std::string_view input, bool break_ok, bool continue_ok)
      : input_(input), break_ok_(break_ok), continue_ok_(continue_ok) {}

  std::vector<Token> run() {
    State state = State::kText;
    while (state != State::kDone) state = step(state);
    return std::move(tokens_);
  }

 private:
  State step(State s) {
    switch (s) {
      case State::kText:
        return lex_text();
      case State::kLeftDelim:
        return lex_left_delim();
      case State::kComment:
        return lex_comment();
      case State::kRightDelim:
        return lex_right_delim();
      case State::kInsideAction:
        return lex_inside_action();
      case State::kSpace:
        return lex_space();
      case State::kIdentifier:
        return lex_identifier();
      case State::kField:
        return lex_field_or_variable(TokenType::kField);
      case State::kVariable:
        return lex_variable();
      case State::kChar:
        return lex_char();
      case State::kNumber:
        return lex_number();
      case State::kQuote:
        return lex_quote();
      case State::kRawQuote:
        return lex_raw_quote();
      case State::kDone:
        break;
    }
    return State::kDone;
  }

  std::string_view rest() const { return input_.substr(pos_); }

  char32_t next() {
    if (pos_ >= input_.size()) {
      at_eof_ = true;
      return kEof;
    }
    int w = 0;
    char32_t r = gocompat::decode_rune(input_, pos_, w);
    pos_ += w;
    if (r == '\n') ++line_;
    return r;
  }

  void backup() {
    if (at_eof_ || pos_ == 0) return;
    // Step back over one (possibly multi-byte) rune.
    std::size_t p = pos_ - 1;
    while (p > 0 && pos_ - p < 4 && (static_cast<unsigned char>(input_[p]) & 0xc0) == 0x80) --p;
    int w = 0;
    gocompat::decode_rune(input_, p, w);
    if (p + w != pos_) p = pos_ - 1;  // invalid bytes step back one at a time
    if (input_[p] == '\n') --line_;
    pos_ = p;
  }

  char32_t peek() {
    char32_t r = next();
    backup();
    return r;
  }

  void emit(TokenType t) {
    Token tok;
    tok.type = t;
    tok.pos = static_cast<int>(start_);
    tok.line = start_line_;
    tok.val = input_.substr(start_, pos_ - start_);
    tokens_.push_back(std::move(tok));
    start_ = pos_;
    start_line_ = line_;
  }

  void ignore() {
    line_ += count_newlines(input_.substr(start_, pos_ - start_));
    start_ = pos_;
    start_line_ = line_;
  }

  bool accept(std::string_view valid) {
    char32_t r = next();
    if (r != kEof && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos) {
      return true;
    }
    backup();
    return false;
  }

  void accept_run(std::string_view valid) {
    while (true) {
      char32_t r = next();
      if (r == kEof || r >= 0x80 || valid.find(static_cast<char>(r)) == std::string_view::npos)
        break;
    }
    backup();
  }

  State errorf(std::string message) {
    Token tok;
    tok.type = TokenType::kError;
    tok.pos = static_cast<int>(start_);
    tok.line = start_line_;
    tok.error = std::move(message);
    tokens_.push_back(std::move(tok));
    return State::kDone;
  }

  State lex_text() {
    std::size_t x = rest().find(kLeftDelimiter);
    if (x != std::string_view::npos) {
      pos_ += x;
      std::size_t trim = 0;
      if (has_left_trim_marker(input_.substr(pos_ + kLeftDelimiter.size()))) {
        trim = trim_right_length(input_.substr(start_, pos_ - start_));
      }
      pos_ -= trim;
      if (pos_ > start_) {
        line_ += count_newlines(input_.substr(start_, pos_ - start_));
        emit(TokenType::kText);
      }
      pos_ += trim;
      ignore();
      return State::kLeftDelim;
    }
    pos_ = input_.size();
    if (pos_ > start_) {
      line_ += count_newlines(input_.substr(start_, pos_ - start_));
      emit(TokenType::kText);
    }
    emit(TokenType::kEOF);
    return State::kDone;
  }

  // Whether a right delimiter (possibly after " -") starts here.
  std::pair<bool, bool> at_right_delim() const {
    if (has_right_trim_marker(rest()) &&
        rest().substr(kTrimMarkerLen).starts_with(kRightDelimiter)) {
      return {true, true};
    }
    if (rest().starts_with(kRightDelimiter)) return {true, false};
    return {false, false};
  }

  State lex_left_delim() {
    pos_ += kLeftDelimiter.size();
    bool trim = has_left_trim_marker(rest());
    std::size_t after_marker = trim ? kTrimMarkerLen : 0;
    if (rest().substr(std::min(after_marker, rest().size())).starts_with(kLeftComment)) {
      pos_ += after_marker;
      ignore();
      return State::kComment;
    }
    emit(TokenType::kLeftDelim);
    pos_ += after_marker;
    ignore();
    paren_depth_ = 0;
    return State::kInsideAction;
  }

  State lex_comment() {
    pos_ += kLeftComment.size();
    std::size_t i = rest().find(kRightComment);
    if (i == std::string_view::npos) return errorf("unclosed comment");
    pos_ += i + kRightComment.size();
    auto [delim, trim] = at_right_delim();
    if (!delim) return errorf("comment ends before closing delimiter");
    if (trim) pos_ += kTrimMarkerLen;
    pos_ += kRightDelimiter.size();
    if (trim) pos_ += trim_left_length(rest());
    ignore();
    return State::kText;
  }

  State lex_right_delim() {
    bool trim = has_right_trim_marker(rest());
    if (trim) {
      pos_ += kTrimMarkerLen;
      ignore();
    }
    pos_ += kRightDelimiter.size();
    emit(TokenType::kRightDelim);
    if (trim) {
      pos_ += trim_left_length(rest());
      ignore();
    }
    return State::kText;
  }

  State lex_inside_action() {
    if (at_right_delim().first) {
      if (paren_depth_ == 0) return State::kRightDelim;
      return errorf("unclosed left paren");
    }
    char32_t r = next();
    if (r == kEof) return errorf("unclosed action");
    if (is_space(r)) {
      backup();  // the space may start " -}}"
      return State::kSpace;
    }
    switch (r) {
      case '=':
        emit(TokenType::kAssign);
        return State::kInsideAction;
      case ':':
        if (next() != '=') return errorf("expected :=");
        emit(TokenType::kDeclare);
        return State::kInsideAction;
      case '|':
        emit(TokenType::kPipe);
        return State::kInsideAction;
      case '"':
        return State::kQuote;
      case '`':
        return State::kRawQuote;
      case '$':
        return State::kVariable;
      case '\'':
        return State::kChar;
      case '.':
        if (pos_ < input_.size() && (input_[pos_] < '0' || input_[pos_] > '9')) {
          return State::kField;
        }
        backup();
        return State::kNumber;
      case '(':
        emit(TokenType::kLeftParen);
        ++paren_depth_;
        return State::kInsideAction;
      case ')':
        emit(TokenType::kRightParen);
        --paren_depth_;
        if (paren_depth_ < 0) return errorf("unexpected right paren " + sharp_u(r));
        return State::kInsideAction;
      default:
        break;
    }
    if (r == '+' || r == '-' || (r >= '0' && r <= '9')) {
      backup();
      return State::kNumber;
    }
    if (is_alnum(r)) {
      backup();
      return State::kIdentifier;
    }
    if (r < 0x80 && gocompat::is_print(r)) {
      emit(TokenType::kChar);
      return State::kInsideAction;
    }
    return errorf("unrecognized character in action: " + sharp_u(r));
  }

  State lex_space() {
    int spaces = 0;
    while (is_space(peek())) {
      next();
      ++spaces;
    }
    if (has_right_trim_marker(input_.substr(pos_ - 1)) &&
        input_.substr(pos_ - 1 + kTrimMarkerLen).starts_with(kRightDelimiter)) {
      backup();  // before the space
      if (spaces == 1) return State::kRightDelim;
    }
    emit(TokenType::kSpace);
    return State::kInsideAction;
  }

  bool at_terminator() {
    char32_t r = peek();
    if (is_space(r)) return true;
    switch (r) {
      case kEof:
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
        return true;
      default:
        break;
    }
    return rest().starts_with(kRightDelimiter);
  }

  State lex_identifier() {
    while (true) {
      char32_t r = next();
      if (is_alnum(r)) continue;
      backup();
      std::string_view word = input_.substr(start_, pos_ - start_);
      if (!at_terminator()) return errorf("bad character " + sharp_u(r));
      TokenType key = keyword(word);
      if (key != TokenType::kError && key != TokenType::kDot) {
        if ((key == TokenType::kBreak && !break_ok_) ||
            (key == TokenType::kContinue && !continue_ok_)) {
          emit(TokenType::kIdentifier);
        } else {
          emit(key);
        }
      } else if (word == "true" || word == "false") {
        emit(TokenType::kBool);
      } else {
        emit(TokenType::kIdentifier);
      }
      return State::kInsideAction;
    }
  }

  State lex_variable() {
    if (at_terminator()) {
      emit(TokenType::kVariable);
      return State::kInsideAction;
    }
    return lex_field_or_variable(TokenType::kVariable);
  }

  State lex_field_or_variable(TokenType type) {
    if (at_terminator()) {
      emit(type == TokenType::kVariable ? TokenType::kVariable : TokenType::kDot);
      return State::kInsideAction;
    }
    char32_t r;
    while (true) {
      r = next();
      if (!is_alnum(r)) {
        backup();
        break;
      }
    }
    if (!at_terminator()) return errorf("bad character " + sharp_u(r));
    emit(type);
    return State::kInsideAction;
  }

  State lex_char() {
    while (true) {
      char32_t r = next();
      if (r == '\\') {
        char32_t e = next();
        if (e != kEof && e != '\n') continue;
        return errorf("unterminated character constant");
      }
      if (r == kEof || r == '\n') return errorf("unterminated character constant");
      if (r == '\'') break;
    }
    emit(TokenType::kCharConstant);
    return State::kInsideAction;
  }

  bool scan_number() {
    accept("+-");
    std::string_view digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    accept_run(digits);
    if (accept(".")) accept_run(digits);
    if (digits.size() == 11 && accept("eE")) {
      accept("+-");
      accept_run("0123456789_");
    }
    if (digits.size() == 23 && accept("pP")) {
      accept("+-");
      accept_run("0123456789_");
    }
    accept("i");
    if (is_alnum(peek())) {
      next();
      return false;
    }
    return true;
  }

  State lex_number() {
    auto bad = [&] {
      return errorf("bad number syntax: " + gocompat::quote(input_.substr(start_, pos_ - start_)));
    };
    if (!scan_number()) return bad();
    char32_t sign = peek();
    if (sign == '+' || sign == '-') {
      if (!scan_number() || input_[pos_ - 1] != 'i') return bad();
      emit(TokenType::kComplex);
    } else {
      emit(TokenType::kNumber);
    }
    return State::kInsideAction;
  }

  State lex_quote() {
    while (true) {
      char32_t r = next();
      if (r == '\\') {
        char32_t e = next();
        if (e != kEof && e != '\n') continue;
        return errorf("unterminated quoted string");
      }
      if (r == kEof || r == '\n') return errorf("unterminated quoted string");
      if (r == '"') break;
    }
    emit(TokenType::kString);
    return State::kInsideAction;
  }

  State lex_raw_quote() {
    while (true) {
      char32_t r = next();
      if (r == kEof) return errorf("unterminated raw quoted string");
      if (r == '`') break;
    }
    emit(TokenType::kRawString);
    return State::kInsideAction;
  }

  std::string_view input_;
  bool break_ok_;
  bool continue_ok_;
  std::size_t pos_ = 0;
  std::size_t start_ = 0;
  bool at_eof_ = false;
  int paren_depth_ = 0;
  int line_ = 1;
  int start_line_ = 1;
  std::vector<Token> tokens_;
};

}  // namespace

std::string Token::describe() const {
  if (type == TokenType::kEOF) return "EOF";
  if (type == TokenType::kError) return error;
  if (type > TokenType::kKeyword) return fmt::format("<{}>", val);
  if (gocompat::rune_count(val) > 10) {
    // Go's %.10q: the first ten runes, quoted, then "...".
    std::size_t i = 0;
    for (int n = 0; n < 10; ++n) {
      int w = 0;
      gocompat::decode_rune(val, i, w);
      i += w;
    }
    return gocompat::quote(val.substr(0, i)) + "...";
  }
  return gocompat::quote(val);
}

std::vector<Token> lex(std::string_view input, bool break_ok, bool continue_ok) {
  return Lexer(input, break_ok, continue_ok).run();
}

}  // namespace tocsin::tmpl
