#include "http/url.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "http/curl_url.h"

namespace tocsin::http {
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

// How a base URL appears in an error: never with what could be credentials.
std::string shown(std::string_view url) {
  if (url.find('@') != std::string_view::npos) return "the datasource url";
  return fmt::format("url \"{}\"", url);
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
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

std::string BaseUrl::endpoint(std::string_view path) const {
  return endpoint_at(host, path);
}

std::string BaseUrl::endpoint_at(std::string_view other_host, std::string_view path) const {
  return fmt::format("{}://{}:{}{}{}", scheme, other_host, port, path_prefix, path);
}

std::string BaseUrl::host_header() const {
  return explicit_port ? fmt::format("{}:{}", host, port) : host;
}

Result<BaseUrl> parse_base_url(std::string_view text) {
  if (text.empty()) return fail("url must be set");
  if (!starts_with_nocase(text, "http://") && !starts_with_nocase(text, "https://")) {
    return fail(fmt::format("{} must start with http:// or https://", shown(text)));
  }
  CurlUrl url(curl_url());
  if (!url) return fail("out of memory parsing the datasource url");
  std::string copy(text);
  if (CURLUcode rc = curl_url_set(url.get(), CURLUPART_URL, copy.c_str(), 0); rc != CURLUE_OK) {
    return fail(fmt::format("{} is not a valid URL: {}", shown(text), curl_url_strerror(rc)));
  }
  if (url_part(url.get(), CURLUPART_USER) || url_part(url.get(), CURLUPART_PASSWORD)) {
    return fail("credentials in the datasource url are not supported; use basic_auth");
  }
  if (url_part(url.get(), CURLUPART_QUERY) || url_part(url.get(), CURLUPART_FRAGMENT)) {
    return fail(fmt::format("{} must not have a query or a fragment", shown(text)));
  }
  BaseUrl out;
  out.scheme = url_part(url.get(), CURLUPART_SCHEME).value_or("");
  out.host = url_part(url.get(), CURLUPART_HOST).value_or("");
  if (out.host.empty()) return fail(fmt::format("{} has no host", shown(text)));
  out.explicit_port = url_part(url.get(), CURLUPART_PORT).has_value();
  out.port = url_part(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("");
  out.path_prefix = url_part(url.get(), CURLUPART_PATH).value_or("");
  while (!out.path_prefix.empty() && out.path_prefix.back() == '/') out.path_prefix.pop_back();
  return out;
}

}  // namespace tocsin::http
