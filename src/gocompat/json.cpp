#include "gocompat/json.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "gocompat/strconv.h"
#include "gocompat/utf8.h"

namespace tocsin::gocompat {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Go's quoteChar: the offending byte in a syntax error.
std::string quote_char(char c) {
  if (c == '\'') return R"('\'')";
  if (c == '"') return R"('"')";
  // Go quotes string(c): the byte taken as the code point U+00XX.
  unsigned char u = static_cast<unsigned char>(c);
  std::string utf8 = u < 0x80 ? std::string(1, c)
                              : std::string{static_cast<char>(0xc0 | (u >> 6)),
                                            static_cast<char>(0x80 | (u & 0x3f))};
  std::string q = quote(utf8);
  return "'" + q.substr(1, q.size() - 2) + "'";
}

// encoding/json's maxNestingDepth.
constexpr std::size_t kMaxNestingDepth = 10000;

// A JSON syntax checker that stops where Go's scanner stops and says what it
// says. One value is scanned; `end` is where it finished.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  // The end of the first value, or Go's message.
  std::expected<std::size_t, std::string> scan() {
    skip_space();
    if (pos_ >= text_.size()) return std::unexpected(std::string("EOF"));
    if (!value()) return std::unexpected(*error_);
    return pos_;
  }

 private:
  bool fail(std::string_view context) {
    if (pos_ >= text_.size()) {
      error_ = "unexpected EOF";
    } else {
      error_ = fmt::format("invalid character {} {}", quote_char(text_[pos_]), context);
    }
    return false;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void skip_space() {
    while (!at_end() && is_space(peek())) ++pos_;
  }

  // One value, iteratively: the containers still open are a stack, so no
  // nesting can exhaust the thread's stack. Go's scanner refuses a value
  // nested deeper than 10,000 (maxNestingDepth), at the bracket that
  // exceeds it.
  bool value() {
    std::vector<char> open;  // '{' or '[' for each container not yet closed
    for (;;) {
      // A value starts here.
      skip_space();
      if (at_end()) return fail("");
      char c = peek();
      if (c == '{' || c == '[') {
        if (open.size() >= kMaxNestingDepth) return fail("exceeded max depth");
        ++pos_;
        open.push_back(c);
        skip_space();
        char close = c == '{' ? '}' : ']';
        if (!at_end() && peek() == close) {
          ++pos_;
          open.pop_back();
        } else {
          if (c == '{' && !object_key()) return false;
          continue;
        }
      } else if (!scalar()) {
        return false;
      }
      // A value ended: close what it ends, or go on to the next element.
      for (;;) {
        if (open.empty()) return true;
        skip_space();
        if (at_end()) return fail("");
        char next = peek();
        if (open.back() == '{') {
          if (next == '}') {
            ++pos_;
            open.pop_back();
            continue;
          }
          if (next != ',') return fail("after object key:value pair");
          ++pos_;
          skip_space();
          if (!object_key()) return false;
        } else {
          if (next == ']') {
            ++pos_;
            open.pop_back();
            continue;
          }
          if (next != ',') return fail("after array element");
          ++pos_;
        }
        break;
      }
    }
  }

  // `"key":`, with the space around it; the value follows.
  bool object_key() {
    if (at_end() || peek() != '"') return fail("looking for beginning of object key string");
    ++pos_;
    if (!string()) return false;
    skip_space();
    if (at_end() || peek() != ':') return fail("after object key");
    ++pos_;
    return true;
  }

  bool scalar() {
    switch (peek()) {
      case '"':
        ++pos_;
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        if (peek() == '-' || is_digit(peek())) return number();
        return fail("looking for beginning of value");
    }
  }

  // After the opening quote.
  bool string() {
    while (!at_end()) {
      char c = peek();
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return fail("in string literal");
      ++pos_;
      if (c != '\\') continue;
      if (at_end()) break;
      char e = peek();
      if (e == 'u') {
        ++pos_;
        for (int i = 0; i < 4; ++i, ++pos_) {
          if (at_end() || !is_hex(peek())) return fail("in \\u hexadecimal character escape");
        }
        continue;
      }
      if (std::string_view("bfnrt\\/\"").find(e) == std::string_view::npos) {
        return fail("in string escape code");
      }
      ++pos_;
    }
    return fail("");
  }

  bool literal(std::string_view word) {
    ++pos_;  // the first letter chose the word
    for (std::size_t i = 1; i < word.size(); ++i, ++pos_) {
      if (at_end() || peek() != word[i]) {
        return fail(fmt::format("in literal {} (expecting {})", word, quote_char(word[i])));
      }
    }
    return true;
  }

  void digits() {
    while (!at_end() && is_digit(peek())) ++pos_;
  }

  bool number() {
    if (peek() == '-') {
      ++pos_;
      if (at_end() || !is_digit(peek())) return fail("in numeric literal");
    }
    if (peek() == '0') {
      ++pos_;
    } else {
      digits();
    }
    if (!at_end() && peek() == '.') {
      ++pos_;
      if (at_end() || !is_digit(peek())) return fail("after decimal point in numeric literal");
      digits();
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (at_end() || !is_digit(peek())) return fail("in exponent of numeric literal");
      digits();
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::optional<std::string> error_;
};

}  // namespace

std::expected<std::string_view, std::string> json_first_value(std::string_view body) {
  auto end = Scanner(body).scan();
  if (!end) return std::unexpected(end.error());
  return body.substr(0, *end);
}

std::string_view json_kind(const nlohmann::ordered_json& value) {
  if (value.is_object()) return "object";
  if (value.is_array()) return "array";
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "bool";
  return "number";
}

std::string json_type_error(std::string_view kind, std::string_view field, std::string_view type) {
  return fmt::format("json: cannot unmarshal {} into Go struct field {} of type {}", kind, field,
                     type);
}

std::string json_value_type_error(std::string_view kind, std::string_view type) {
  return fmt::format("json: cannot unmarshal {} into Go value of type {}", kind, type);
}

void append_json_string(std::string& out, std::string_view s, bool escape_html) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  out += '"';
  std::size_t start = 0;  // the first byte not yet copied
  auto flush = [&](std::size_t i) { out.append(s.substr(start, i - start)); };
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      bool html = c == '<' || c == '>' || c == '&';
      if (c >= 0x20 && c != '"' && c != '\\' && !(escape_html && html)) {
        ++i;
        continue;
      }
      flush(i);
      out += '\\';
      switch (c) {
        case '"':
        case '\\':
          out += static_cast<char>(c);
          break;
        case '\n':
          out += 'n';
          break;
        case '\r':
          out += 'r';
          break;
        case '\t':
          out += 't';
          break;
        default:
          out += "u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
      }
      start = ++i;
      continue;
    }
    char32_t r = 0;
    int size = decode_utf8(s, i, r);
    if (size == 0) {
      flush(i);
      out += "\\ufffd";  // one per byte, as utf8.DecodeRuneInString reads them
      start = ++i;
      continue;
    }
    i += static_cast<std::size_t>(size);
    if (r == 0x2028 || r == 0x2029) {
      flush(i - static_cast<std::size_t>(size));
      out += r == 0x2028 ? "\\u2028" : "\\u2029";
      start = i;
    }
  }
  flush(s.size());
  out += '"';
}

std::string json_quote(std::string_view s, bool escape_html) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_string(out, s, escape_html);
  return out;
}

Result<std::string> json_float(double v) {
  if (std::isnan(v) || std::isinf(v)) {
    return fail("json: unsupported value: " + format_float(v, 'g', -1));
  }
  double a = std::fabs(v);
  char format = a != 0 && (a < 1e-6 || a >= 1e21) ? 'e' : 'f';
  std::string s = format_float(v, format, -1);
  if (format == 'e') {
    // "e-07" becomes "e-7".
    std::size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') {
      s[n - 2] = s[n - 1];
      s.pop_back();
    }
  }
  return s;
}

bool json_key_matches(std::string_view key, std::string_view field) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return key.size() == field.size() &&
         std::equal(key.begin(), key.end(), field.begin(),
                    [&](char a, char b) { return lower(a) == lower(b); });
}

std::optional<std::string_view> json_field_for(std::string_view key,
                                               std::initializer_list<std::string_view> fields) {
  for (std::string_view f : fields) {
    if (f == key) return f;
  }
  for (std::string_view f : fields) {
    if (json_key_matches(key, f)) return f;
  }
  return std::nullopt;
}

}  // namespace tocsin::gocompat
