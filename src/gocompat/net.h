// The parts of Go's net package that Prometheus's stripPort and stripDomain
// template functions use: net.SplitHostPort, net.JoinHostPort and whether
// net.ParseIP accepts a string. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tocsin::gocompat {

// What net.SplitHostPort returns: views into its argument.
struct HostPort {
  std::string_view host;
  std::string_view port;
};
// net.SplitHostPort; nullopt where Go returns an error.
std::optional<HostPort> split_host_port(std::string_view hostport);
// net.JoinHostPort.
std::string join_host_port(std::string_view host, std::string_view port);
// net.ParseIP(s) != nil.
bool is_ip(std::string_view s);

}  // namespace tocsin::gocompat
