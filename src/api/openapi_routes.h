// Alertmanager 0.25's API v2 as its server stack routes it:
//
//   - Go's ServeMux redirects /api/v2 to /api/v2/ (301, the query kept);
//   - rs/cors wraps everything below (cors.h): a preflight is answered
//     before any route, and every answer gets its Vary and Allow-Origin;
//   - go-openapi routes by method and path (a trailing slash is ignored),
//     and answers an unknown path with 404 {"code":404,"message":"path
//     /api/v2/x was not found"}, and a known path's other methods with 405
//     {"code":405,"message":"method PUT is not allowed, but [POST,GET] are"}
//     and an Allow header listing its methods in the order added.
//
// Built before the server starts, then installed once; not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "web/router.h"

namespace tocsin::api {

class OpenApiRoutes {
 public:
  // `path` below /api/v2 as openapi.yaml writes it: "/silence/{silenceID}";
  // each {parameter} becomes one of Request::path_params. The handler's
  // answer gets rs/cors's headers.
  void add(std::string method, std::string_view path, web::Handler handler);

  // Every route, then the redirect, the preflight and go-openapi's 404 and
  // 405 for the rest of /api/v2.
  void install(web::Router& router) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    web::Handler handler;
  };
  std::vector<Route> routes_;
  std::vector<std::pair<std::string, std::vector<std::string>>> paths_;  // pattern, methods
};

}  // namespace tocsin::api
