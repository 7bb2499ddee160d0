// Go's header-name and HTML escaping helpers that several layers need:
// net/textproto's CanonicalMIMEHeaderKey (which http.CanonicalHeaderKey
// is) and html.EscapeString. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace tocsin::gocompat {

// textproto.CanonicalMIMEHeaderKey (Go 1.19): upper case at the start and
// after each '-', lower case elsewhere ("x-MAILER-id" is "X-Mailer-Id"); a
// key holding a byte that is not an RFC 7230 token character (a space, a
// colon, ...) is returned as it is.
std::string canonical_mime_header_key(std::string_view key);

// html.EscapeString: '<', '>', '&', '\'' and '"' as entities ("&lt;",
// "&gt;", "&amp;", "&#39;", "&#34;"), every other byte as it is.
std::string html_escape_string(std::string_view text);

}  // namespace tocsin::gocompat
