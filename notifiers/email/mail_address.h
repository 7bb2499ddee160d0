// Email address lists as Go's net/mail.ParseAddressList reads the `to` and
// `from` fields: "a@example.com", "Jane <jane@example.com>",
// "\"Doe, Jane\" <jane@example.com>", "a@example.com (comment)", separated
// by commas, empty entries skipped. Groups and obsolete RFC 5322 forms are
// not accepted. The errors read as Go's ("mail: no angle-addr").
//
// Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>

namespace tocsin::notifiers {

// The addr-specs ("local@domain") of every address, in order, for the SMTP
// envelope. A quoted local part comes back unquoted, as Go returns it.
Result<std::vector<std::string>> parse_address_list(std::string_view list);

}  // namespace tocsin::notifiers
