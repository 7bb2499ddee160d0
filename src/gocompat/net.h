// The parts of Go's net package that tocsin reproduces: net.SplitHostPort
// (Prometheus's stripPort and stripDomain template functions, Alertmanager's
// smarthost), net.JoinHostPort and whether net.ParseIP accepts a string.
// Pure functions.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace tocsin::gocompat {

// What net.SplitHostPort returns: views into its argument.
struct HostPort {
  std::string_view host;
  std::string_view port;
};
// net.SplitHostPort, or its error's text ("address X: missing port in
// address", "too many colons in address", ...).
std::expected<HostPort, std::string> split_host_port(std::string_view hostport);
// net.JoinHostPort.
std::string join_host_port(std::string_view host, std::string_view port);
// net.ParseIP(s) != nil.
bool is_ip(std::string_view s);

}  // namespace tocsin::gocompat
