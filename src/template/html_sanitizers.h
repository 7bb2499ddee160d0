// The functions html/template splices into pipelines to make a value safe
// where it lands (html.go, js.go, css.go, url.go in Go 1.19):
// _html_template_htmlescaper, _html_template_attrescaper,
// _html_template_urlfilter, _html_template_jsvalescaper, ... and
// _eval_args_. Values of html/template's content types (template.HTML,
// template.URL, ... — what safeHtml returns) pass where they are trusted.
#pragma once

#include <string>
#include <string_view>

#include "template/callable.h"
#include "template/html_context.h"
#include "template/value.h"

namespace tocsin::tmpl::html {

// Every escaper function, by its html/template name.
const FuncMap& sanitizer_functions();

// The content type of a value: from its Go type (template.HTML, ...).
ContentType content_type(const Value& v);

// Go's stripTags: the text content of an HTML fragment.
std::string strip_tags(std::string_view html);

}  // namespace tocsin::tmpl::html
