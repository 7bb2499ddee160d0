#include "notifiers/email/mail_address.h"

#include <cstring>

namespace tocsin::notifiers {
namespace {

// RFC 5322 atext: letters, digits and !#$%&'*+-/=?^_`{|}~ ; non-ASCII
// bytes are accepted too, as Go accepts UTF-8 (RFC 6532).
bool is_atext(char c) {
  auto b = static_cast<unsigned char>(c);
  if (b >= 0x80) return true;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr && c != '\0';
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Result<std::vector<std::string>> list() {
    std::vector<std::string> out;
    for (;;) {
      skip_space();
      if (consume(',')) continue;  // empty entries (obs-addr-list)
      auto address = this->address();
      if (!address) return std::unexpected(address.error());
      out.push_back(std::move(*address));
      if (!skip_comments()) return fail("mail: misformatted parenthetical comment");
      if (empty()) break;
      if (peek() != ',') return fail("mail: expected comma");
      while (consume(',')) skip_space();
      if (empty()) break;
    }
    return out;
  }

 private:
  Result<std::string> address() {
    if (empty()) return fail("mail: no address");
    std::size_t start = pos_;
    if (auto spec = addr_spec()) {
      skip_space();
      if (!empty() && peek() == '(' && !skip_comments()) {
        return fail("mail: misformatted parenthetical comment");
      }
      return spec;
    }
    pos_ = start;
    std::string name;
    if (peek() != '<') {
      auto phrase = this->phrase();
      if (!phrase) return std::unexpected(phrase.error());
      name = std::move(*phrase);
    }
    skip_space();
    if (!consume('<')) {
      bool atext = !name.empty();
      for (char c : name) atext = atext && (is_atext(c) || c == '.');
      return fail(atext ? "mail: missing '@' or angle-addr" : "mail: no angle-addr");
    }
    auto spec = addr_spec();
    if (!spec) return spec;
    if (!consume('>')) return fail("mail: unclosed angle-addr");
    return spec;
  }

  // local-part "@" domain, as dot-atoms (or a quoted local part, or a
  // domain literal).
  Result<std::string> addr_spec() {
    skip_space();
    std::string local;
    if (!empty() && peek() == '"') {
      auto quoted = quoted_string();
      if (!quoted) return quoted;
      local = std::move(*quoted);
    } else {
      auto atom = dot_atom();
      if (!atom) return atom;
      local = std::move(*atom);
    }
    if (!consume('@')) return fail("mail: missing @ in addr-spec");
    skip_space();
    if (empty()) return fail("mail: no domain in addr-spec");
    std::string domain;
    if (peek() == '[') {
      std::size_t end = s_.find(']', pos_);
      if (end == std::string_view::npos) return fail("mail: unclosed domain-literal");
      domain = std::string(s_.substr(pos_, end + 1 - pos_));
      pos_ = end + 1;
    } else {
      auto atom = dot_atom();
      if (!atom) return fail("mail: invalid domain in addr-spec");
      domain = std::move(*atom);
    }
    return local + "@" + domain;
  }

  Result<std::string> dot_atom() {
    std::size_t start = pos_;
    bool last_dot = true;  // a dot may not come first, last or twice
    while (!empty() && (is_atext(peek()) || peek() == '.')) {
      bool dot = peek() == '.';
      if (dot && last_dot) return fail("mail: invalid string");
      last_dot = dot;
      ++pos_;
    }
    if (pos_ == start) return fail("mail: invalid string");
    if (last_dot) return fail("mail: invalid string");
    return std::string(s_.substr(start, pos_ - start));
  }

  Result<std::string> quoted_string() {
    ++pos_;  // opening quote
    std::string out;
    while (!empty()) {
      char c = s_[pos_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (empty()) break;
        c = s_[pos_++];
      }
      out += c;
    }
    return fail("mail: unclosed quoted-string");
  }

  // display-name: words (atoms or quoted strings) up to the '<'.
  Result<std::string> phrase() {
    std::string out;
    for (;;) {
      skip_space();
      if (empty() || peek() == '<' || peek() == ',') break;
      std::string word;
      if (peek() == '"') {
        auto quoted = quoted_string();
        if (!quoted) return quoted;
        word = std::move(*quoted);
      } else {
        std::size_t start = pos_;
        while (!empty() && (is_atext(peek()) || peek() == '.')) ++pos_;
        if (pos_ == start) return fail("mail: no angle-addr");
        word = std::string(s_.substr(start, pos_ - start));
      }
      if (!out.empty()) out += ' ';
      out += word;
    }
    if (out.empty()) return fail("mail: missing word in phrase");
    return out;
  }

  // White space and (nested) comments; false on an unclosed comment.
  bool skip_comments() {
    skip_space();
    while (!empty() && peek() == '(') {
      int depth = 0;
      while (!empty()) {
        char c = s_[pos_++];
        if (c == '\\' && !empty()) {
          ++pos_;
        } else if (c == '(') {
          ++depth;
        } else if (c == ')' && --depth == 0) {
          break;
        }
      }
      if (depth != 0) return false;
      skip_space();
    }
    return true;
  }

  void skip_space() {
    while (!empty() && is_space(peek())) ++pos_;
  }
  bool empty() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }
  bool consume(char c) {
    if (empty() || peek() != c) return false;
    ++pos_;
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<std::vector<std::string>> parse_address_list(std::string_view list) {
  return Parser(list).list();
}

}  // namespace tocsin::notifiers
