// Go's text/template escapers (HTMLEscapeString, JSEscapeString), byte for
// byte. net/url's QueryEscape is gocompat::query_escape.
#pragma once

#include <string>
#include <string_view>

namespace tocsin::tmpl {

std::string html_escape(std::string_view s);
std::string js_escape(std::string_view s);

}  // namespace tocsin::tmpl
