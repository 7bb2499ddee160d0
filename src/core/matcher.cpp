#include <fmt/format.h>
#include <re2/re2.h>

#include <tocsin/matcher.h>

#include "gocompat/regexp.h"
#include "gocompat/utf8.h"

namespace tocsin {
namespace {

std::string open_metrics_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '"':
        out += "\\\"";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

}  // namespace

std::string_view to_string(MatchType type) {
  switch (type) {
    case MatchType::kEqual:
      return "=";
    case MatchType::kNotEqual:
      return "!=";
    case MatchType::kRegexp:
      return "=~";
    case MatchType::kNotRegexp:
      return "!~";
  }
  return "=";
}

Result<Matcher> Matcher::create(MatchType type, std::string name, std::string value) {
  std::shared_ptr<const re2::RE2> re;
  if (type == MatchType::kRegexp || type == MatchType::kNotRegexp) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_dot_nl(false);
    auto compiled = std::make_shared<re2::RE2>("^(?:" + value + ")$", options);
    if (!compiled->ok()) {
      return fail(gocompat::regexp_syntax_error(*compiled));
    }
    re = std::move(compiled);
  }
  return Matcher(type, std::move(name), std::move(value), std::move(re));
}

bool Matcher::matches(std::string_view value) const {
  switch (type_) {
    case MatchType::kEqual:
      return value == value_;
    case MatchType::kNotEqual:
      return value != value_;
    case MatchType::kRegexp:
      return re2::RE2::FullMatch(value, *re_);
    case MatchType::kNotRegexp:
      return !re2::RE2::FullMatch(value, *re_);
  }
  return false;
}

std::string Matcher::to_string() const {
  return fmt::format("{}{}\"{}\"", name_, tocsin::to_string(type_), open_metrics_escape(value_));
}

bool matches_all(const Matchers& matchers, const Labels& labels) {
  for (const Matcher& m : matchers) {
    if (!m.matches(labels)) return false;
  }
  return true;
}

std::string to_string(const Matchers& matchers) {
  std::string out = "{";
  for (std::size_t i = 0; i < matchers.size(); ++i) {
    if (i > 0) out += ',';
    out += matchers[i].to_string();
  }
  out += '}';
  return out;
}

Result<Matcher> parse_matcher(std::string_view text) {
  auto bad = [&] { return fail(fmt::format("bad matcher format: {}", text)); };
  std::string_view s = trim(text);
  std::size_t n = 0;
  while (n < s.size() && is_name_char(s[n], n == 0)) ++n;
  if (n == 0) return bad();
  std::string name(s.substr(0, n));
  s = trim(s.substr(n));

  MatchType type;
  if (s.starts_with("=~")) {
    type = MatchType::kRegexp;
  } else if (s.starts_with("!=")) {
    type = MatchType::kNotEqual;
  } else if (s.starts_with("!~")) {
    type = MatchType::kNotRegexp;
  } else if (s.starts_with("=")) {
    type = MatchType::kEqual;
  } else {
    return bad();
  }
  std::string_view raw_full = trim(s.substr(type == MatchType::kEqual ? 1 : 2));
  std::string_view raw = raw_full;

  bool expect_trailing_quote = false;
  if (raw.starts_with('"')) {
    raw.remove_prefix(1);
    expect_trailing_quote = true;
  }
  if (!gocompat::valid_utf8(raw))
    return fail(fmt::format("matcher value not valid UTF-8: {}", raw_full));

  std::string value;
  bool escaped = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (escaped) {
      escaped = false;
      if (c == 'n') {
        value += '\n';
      } else if (c == '"' || c == '\\') {
        value += c;
      } else {  // a spurious escape keeps its backslash
        value += '\\';
        value += c;
      }
      continue;
    }
    if (c == '\\') {
      if (i + 1 < raw.size()) {
        escaped = true;
      } else {
        value += '\\';
      }
    } else if (c == '"') {
      if (!expect_trailing_quote || i + 1 < raw.size()) {
        return fail(fmt::format("matcher value contains unescaped double quote: {}", raw_full));
      }
      expect_trailing_quote = false;
    } else {
      value += c;
    }
  }
  if (expect_trailing_quote) {
    return fail(fmt::format("matcher value contains unescaped double quote: {}", raw_full));
  }
  return Matcher::create(type, std::move(name), std::move(value));
}

Result<Matchers> parse_matchers(std::string_view text) {
  std::string_view s = text;
  if (s.starts_with('{')) s.remove_prefix(1);
  if (s.ends_with('}')) s.remove_suffix(1);

  std::vector<std::string> tokens;
  std::string token;
  bool inside_quotes = false, escaped = false;
  for (char c : s) {
    switch (c) {
      case ',':
        if (!inside_quotes) {
          tokens.push_back(token);
          token.clear();
          continue;
        }
        break;
      case '"':
        if (!escaped) {
          inside_quotes = !inside_quotes;
        } else {
          escaped = false;
        }
        break;
      case '\\':
        escaped = !escaped;
        break;
      default:
        escaped = false;
    }
    token += c;
  }
  if (auto last = trim(token); !last.empty()) tokens.emplace_back(last);

  Matchers out;
  for (const std::string& t : tokens) {
    auto m = parse_matcher(t);
    if (!m) return std::unexpected(m.error());
    out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace tocsin
