// Go's text/template/parse: turns template text into trees. One parse
// yields the named template and every {{define}} and {{block}} in the text.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <tocsin/error.h>

#include "template/ast.h"
#include "template/callable.h"

namespace tocsin::tmpl {

// Parses `text` as the template `name`. Identifiers must name a function in
// `funcs` (checked first) or `builtins`, as in Go. On failure the error
// reads as Go's ("template: NAME:LINE: message") and its position holds the
// line and the 1-based byte column of the token where parsing stopped.
Result<std::unique_ptr<Source>> parse_template(std::string_view name, std::string text,
                                               const FuncMap& funcs, const FuncMap& builtins);

}  // namespace tocsin::tmpl
