// The routes outside /api/v2, answered as julienschmidt/httprouter 1.3
// answers them behind Prometheus's and Alertmanager's routers: a path
// served for some methods answers OPTIONS with 200 and an Allow header,
// and any other method with 405 "Method Not Allowed\n" and the same Allow
// header (the path's methods and OPTIONS, sorted, ", "-joined: "GET,
// OPTIONS, POST, PUT"). A path served for none is the router's not-found
// answer, Go's http.NotFound.
//
// Built before the server starts, then installed once; not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "web/router.h"

namespace tocsin::api {

class HttpRouterRoutes {
 public:
  // `path` is matched exactly.
  void add(std::string method, std::string path, web::Handler handler,
           web::Runs runs = web::Runs::kOnWorker);
  // A route on an RE2 pattern (Prometheus's OPTIONS /api/v1/*path): it
  // comes before the answers above and joins no Allow list.
  void add_pattern(std::string method, std::string pattern, web::Handler handler);

  // Every route in the order added, then the 405 and OPTIONS answers.
  void install(web::Router& router) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    web::Handler handler;
    web::Runs runs;
  };
  std::vector<Route> routes_;
  std::vector<std::pair<std::string, std::vector<std::string>>> paths_;  // path, methods
};

}  // namespace tocsin::api
