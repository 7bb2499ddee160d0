#include "gocompat/url.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace tocsin::gocompat {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Go's url.unescape: %XX everywhere, and '+' as a space in a query.
bool unescape(std::string_view in, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Characters Go's url package lets stand unescaped in a host name.
bool is_host_char(char c) {
  if (static_cast<unsigned char>(c) >= 0x80) return true;
  if (is_alpha(c) || is_digit(c)) return true;
  return std::string_view("-_.~!$&'()*+,;=:[]<>\"%").find(c) != std::string_view::npos;
}

std::string parse_error(std::string_view url, std::string_view message) {
  return fmt::format("parse \"{}\": {}", url, message);
}

}  // namespace

std::expected<UrlParts, std::string> parse_url(std::string_view url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return std::unexpected(parse_error(url, "net/url: invalid control character in URL"));
    }
  }
  for (std::size_t i = 0; i < url.size(); ++i) {
    if (url[i] != '%') continue;
    if (i + 2 >= url.size() || !is_hex(url[i + 1]) || !is_hex(url[i + 2])) {
      std::string_view bad = url.substr(i, 3);
      return std::unexpected(parse_error(url, fmt::format("invalid URL escape \"{}\"", bad)));
    }
  }
  UrlParts out;
  std::string_view rest = url;
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);

  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  for (std::size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (is_alpha(c)) continue;
    if ((is_digit(c) || c == '+' || c == '-' || c == '.') && i > 0) continue;
    if (c == ':') {
      if (i == 0) return std::unexpected(parse_error(url, "missing protocol scheme"));
      out.scheme = std::string(rest.substr(0, i));
      std::transform(out.scheme.begin(), out.scheme.end(), out.scheme.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      rest.remove_prefix(i + 1);
    }
    break;
  }
  if (auto q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);
  if (!rest.starts_with("//")) return out;  // no authority: a path or an opaque URL
  rest.remove_prefix(2);
  std::string_view authority = rest.substr(0, rest.find('/'));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return std::unexpected(parse_error(url, "missing ']' in host"));
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return std::unexpected(
          parse_error(url, fmt::format("invalid port \"{}\" after host", after)));
    }
    port = after;
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon);
  }
  if (!port.empty() && !std::all_of(port.begin() + 1, port.end(), is_digit)) {
    return std::unexpected(parse_error(url, fmt::format("invalid port \"{}\" after host", port)));
  }
  for (char c : host) {
    if (!is_host_char(c)) {
      return std::unexpected(
          parse_error(url, fmt::format("invalid character \"{}\" in host name", c)));
    }
  }
  out.host = std::string(host);
  return out;
}

std::multimap<std::string, std::string> parse_query(std::string_view query) {
  std::multimap<std::string, std::string> out;
  std::string key, value;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty() || pair.find(';') != std::string_view::npos) continue;
    std::size_t eq = pair.find('=');
    std::string_view raw_key = pair.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (!unescape(raw_key, true, key) || !unescape(raw_value, true, value)) continue;
    out.emplace(key, value);
  }
  return out;
}

void append_query_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
}

std::string query_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_query_escaped(out, s);
  return out;
}

bool path_unescape(std::string_view in, std::string& out) {
  return unescape(in, false, out);
}

}  // namespace tocsin::gocompat
