// Go's html/template escaping pass (escape.go in Go 1.19, as amtool 0.25 was
// built with): walks template `name` of a set and every template it calls,
// tracks where in the HTML document each action writes (through text, the
// branches of if/range/with, which must end in the same context, and
// {{template}} calls, which run a copy of the callee specialised for the
// context they are called in), and appends the matching escaper functions
// to each action's pipeline.
//
// The set's parsed trees are shared with the sets it was cloned from, so
// nothing is edited in place: every template the pass reaches is copied,
// the copies are edited, and the set is made to point at them.
#pragma once

#include <string_view>

#include <tocsin/error.h>

#include "template/template.h"

namespace tocsin::tmpl::html {

// Escapes template `name` of `set` for execution; errors read as Go's
// ("html/template:NAME:LINE:COL: ...").
Status escape_template(TemplateSet& set, std::string_view name);

}  // namespace tocsin::tmpl::html
