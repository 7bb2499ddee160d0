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
  // The query as Go's url.ParseQuery reads it (gocompat::parse_query).
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

}  // namespace tocsin::web
