// Go's fmt package over template Values: Sprint, Sprintln and Sprintf with
// Go's verbs, flags, widths, precisions, argument indexes, and its
// "%!verb(type=value)" / "%!(EXTRA ...)" / "%!verb(MISSING)" complaints.
// Every float goes through tocsin::go::format_float.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "template/value.h"

namespace tocsin::tmpl::gofmt {

// fmt.Sprint: spaces between operands when neither side is a string.
void sprint(std::string& out, std::span<const Value> args);
// fmt.Sprintln: spaces between all operands, then a newline.
void sprintln(std::string& out, std::span<const Value> args);
// fmt.Sprintf.
void sprintf(std::string& out, std::string_view format, std::span<const Value> args);
// fmt.Sprint of one value (%v). `indirect` prints a pointer to a struct as
// the struct itself, as text/template does for the value of an action.
void print(std::string& out, const Value& v, bool indirect = false);

}  // namespace tocsin::tmpl::gofmt
