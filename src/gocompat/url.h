// The parts of Go's net/url that tocsin reproduces: url.Parse as far as
// deciding whether a URL parses and what its scheme and host are (with
// Go's error texts, which Alertmanager's config errors show), and the query
// and path unescaping every Go HTTP server applies to what clients send.
// Pure functions.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <string_view>

namespace tocsin::gocompat {

struct UrlParts {
  std::string scheme;  // lower-cased; "" when the URL has none
  std::string host;    // without the port; "" when the URL has no authority
};

// url.Parse: the parts, or Go's error ("parse \"x\": missing protocol
// scheme", "invalid port \":x\" after host", "invalid URL escape \"%zz\"", ...).
std::expected<UrlParts, std::string> parse_url(std::string_view url);

// url.ParseQuery as handlers read it (r.URL.Query()): pairs split at '&',
// each at its first '=', '+' and %XX decoded; a pair with a ';' or a bad
// escape is dropped (Go reports it as an error the handlers ignore). Values
// of one name keep their order.
std::multimap<std::string, std::string> parse_query(std::string_view query);

// url.QueryEscape: unreserved bytes (A-Z a-z 0-9 - _ . ~) as they are, ' '
// as '+', every other byte as %XX (upper-case hex).
void append_query_escaped(std::string& out, std::string_view s);
std::string query_escape(std::string_view s);

// url.PathUnescape: %XX decoded, '+' left as it is. False on a bad escape.
bool path_unescape(std::string_view in, std::string& out);

}  // namespace tocsin::gocompat
