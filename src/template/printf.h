// Go's fmt over template Values: what text/template's print, printf and
// println call, and how an action prints its value. The formatting is
// gocompat's fmt; this file shows it the Values (their kinds, Go type names
// and String methods) and walks their maps, structs and lists as Go's
// printValue does.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "template/value.h"

namespace tocsin::tmpl {

// fmt.Sprint: spaces between operands when neither side is a string.
void sprint(std::string& out, std::span<const Value> args);
// fmt.Sprintln: spaces between all operands, then a newline.
void sprintln(std::string& out, std::span<const Value> args);
// fmt.Sprintf.
void sprintf(std::string& out, std::string_view format, std::span<const Value> args);
// fmt.Sprint of one value (%v). `indirect` prints a pointer to a struct as
// the struct itself, as text/template does for the value of an action.
void sprint_value(std::string& out, const Value& v, bool indirect = false);

}  // namespace tocsin::tmpl
