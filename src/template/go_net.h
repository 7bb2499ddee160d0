// The parts of Go's net package that Prometheus's stripPort and stripDomain
// template functions use.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tocsin::tmpl::gonet {

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

}  // namespace tocsin::tmpl::gonet
