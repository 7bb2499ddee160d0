// Walks a parsed template with data, as Go's text/template/exec.go does.
// One Executor per execution; it is not shared between threads.
#pragma once

#include <string>
#include <string_view>

#include <tocsin/error.h>

#include "template/template.h"

namespace tocsin::tmpl {

// Runs `tree` (template `name` of `set`) with `data`, appending to `out`.
Status execute_tree(const TemplateSet& set, const Tree& tree, std::string_view name,
                    std::string& out, const Value& data, const Host& host, Arena& arena);

}  // namespace tocsin::tmpl
