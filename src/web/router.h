// Which handler answers a request: the first route, in the order added,
// whose method matches (a route added for kAnyMethod matches every method)
// and whose pattern (an RE2 regular expression: linear time, no recursion,
// whatever the path's length) matches the whole decoded path. Groups of the
// pattern become Request::path_params.
//
// Thread safety: built before the server starts, read-only afterwards.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "web/http.h"

namespace tocsin::web {

using Handler = std::function<void(const Request&, Response&)>;

// Where a handler runs. Most run on the server's worker threads; a handler
// that answers at once without taking a lock that others hold long (the
// liveness and readiness probes) may run on the I/O thread, so it answers
// even when every worker is busy.
enum class Runs { kOnWorker, kInline };

inline constexpr std::string_view kAnyMethod = "*";

class Router {
 public:
  void add(std::string method, const std::string& pattern, Handler handler,
           Runs runs = Runs::kOnWorker);
  // What answers when no route matches; by default what Go's http.NotFound
  // answers: 404 "404 page not found\n", text/plain, nosniff.
  void set_not_found(Handler handler);

  struct Match {
    const Handler* handler = nullptr;
    Runs runs = Runs::kOnWorker;
    std::vector<std::string> path_params;
  };
  Match match(std::string_view method, const std::string& path) const;

 private:
  struct Route {
    std::string method;
    std::unique_ptr<re2::RE2> pattern;
    Handler handler;
    Runs runs;
  };
  std::vector<Route> routes_;
  Handler not_found_;
};

}  // namespace tocsin::web
