// One HTTP request as tocsin's handlers see it, and the response they fill
// in. The server (server.h) reads the whole request, body included, before a
// handler runs, and writes the whole response after it returns.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tocsin::web {

// Header names compare without regard to case, as HTTP's do.
struct HeaderNameLess {
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::multimap<std::string, std::string, HeaderNameLess>;

struct Request {
  std::string method;  // "GET"
  std::string target;  // as sent: "/api/v2/alerts?filter=a%3D%22b%22"
  std::string path;    // the target's path, percent-decoded
  std::string raw_query;
  // The query as Go's url.ParseQuery reads it (see parse_query).
  std::multimap<std::string, std::string> params;
  // What the route's pattern captured, in order (router.h).
  std::vector<std::string> path_params;
  Headers headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1:51234"

  // The first value of a header or parameter, "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  std::string param(const std::string& name) const;
  bool has_param(const std::string& name) const;
};

struct Response {
  int status = 200;
  // In the order written; a name may repeat (Vary, Set-Cookie).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Replaces every header of that name.
  void set_header(std::string_view name, std::string value);
  // Adds one more header of that name.
  void add_header(std::string name, std::string value);
  const std::string* find_header(std::string_view name) const;
  void set_content(std::string content, std::string content_type);
};

// Go's url.ParseQuery, as the APIs tocsin imitates read their parameters:
// pairs split at '&', each at its first '=', '+' and %XX decoded; a pair
// with a ';' or a bad escape is dropped (Go returns it as an error the
// handlers ignore). Values of one name keep their order.
std::multimap<std::string, std::string> parse_query(std::string_view query);

// %XX decoded; '+' stays '+' (a path, not a query). False on a bad escape.
bool unescape_path(std::string_view in, std::string& out);

}  // namespace tocsin::web
