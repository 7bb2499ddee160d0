// Go's text/template escapers (HTMLEscapeString, JSEscapeString) and
// net/url's QueryEscape, byte for byte.
#pragma once

#include <string>
#include <string_view>

namespace tocsin::tmpl {

std::string html_escape(std::string_view s);
std::string js_escape(std::string_view s);
std::string url_query_escape(std::string_view s);

}  // namespace tocsin::tmpl
