#include "config/url.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace tocsin::config {
namespace {

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

struct ParsedUrl {
  std::string scheme;  // lower-cased
  std::string host;    // without port; empty when the URL has no authority
};

// The subset of Go's url.Parse that decides whether it fails and what the
// scheme and host are.
Result<ParsedUrl> parse_url(std::string_view url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return fail(parse_error(url, "net/url: invalid control character in URL"));
    }
  }
  for (std::size_t i = 0; i < url.size(); ++i) {
    if (url[i] != '%') continue;
    if (i + 2 >= url.size() || !is_hex(url[i + 1]) || !is_hex(url[i + 2])) {
      std::string_view bad = url.substr(i, 3);
      return fail(parse_error(url, fmt::format("invalid URL escape \"{}\"", bad)));
    }
  }
  ParsedUrl out;
  std::string_view rest = url;
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);

  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  for (std::size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (is_alpha(c)) continue;
    if ((is_digit(c) || c == '+' || c == '-' || c == '.') && i > 0) continue;
    if (c == ':') {
      if (i == 0) return fail(parse_error(url, "missing protocol scheme"));
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
    if (close == std::string_view::npos) return fail(parse_error(url, "missing ']' in host"));
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return fail(parse_error(url, fmt::format("invalid port \"{}\" after host", after)));
    }
    port = after;
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon);
  }
  if (!port.empty() && !std::all_of(port.begin() + 1, port.end(), is_digit)) {
    return fail(parse_error(url, fmt::format("invalid port \"{}\" after host", port)));
  }
  for (char c : host) {
    if (!is_host_char(c)) {
      return fail(parse_error(url, fmt::format("invalid character \"{}\" in host name", c)));
    }
  }
  out.host = std::string(host);
  return out;
}

}  // namespace

Status check_http_url(std::string_view url) {
  auto parsed = parse_url(url);
  if (!parsed) return std::unexpected(parsed.error());
  if (parsed->scheme != "http" && parsed->scheme != "https") {
    return fail(fmt::format("unsupported scheme \"{}\" for URL", parsed->scheme));
  }
  if (parsed->host.empty()) return fail("missing host for URL");
  return {};
}

Status check_url_syntax(std::string_view url) {
  auto parsed = parse_url(url);
  if (!parsed) return std::unexpected(parsed.error());
  return {};
}

std::string HostPort::to_string() const {
  if (empty()) return "";
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

Result<HostPort> parse_host_port(std::string_view text) {
  if (text.empty()) return HostPort{};
  auto bad = [&](std::string_view why) { return fail(fmt::format("address {}: {}", text, why)); };
  HostPort out;
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad("missing port in address");
  std::string_view host;
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return bad("missing ']' in address");
    if (close + 1 == text.size()) return bad("missing port in address");
    if (close + 1 != colon) {
      return bad(text[close + 1] == ':' ? "too many colons in address" : "missing port in address");
    }
    host = text.substr(1, close - 1);
  } else {
    host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) return bad("too many colons in address");
  }
  std::string_view port = text.substr(colon + 1);
  if (host.find_first_of("[]") != std::string_view::npos && text.front() != '[') {
    return bad("unexpected '[' in address");
  }
  if (port.find_first_of("[]") != std::string_view::npos) return bad("unexpected ']' in address");
  if (port.empty()) return fail(fmt::format("address \"{}\": port cannot be empty", text));
  out.host = std::string(host);
  out.port = std::string(port);
  return out;
}

}  // namespace tocsin::config
