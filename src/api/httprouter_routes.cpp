#include "api/httprouter_routes.h"

#include <algorithm>

#include <re2/re2.h>

namespace tocsin::api {

void HttpRouterRoutes::add(std::string method, std::string path, web::Handler handler,
                           web::Runs runs) {
  auto known = std::find_if(paths_.begin(), paths_.end(),
                            [&](const auto& entry) { return entry.first == path; });
  if (known == paths_.end()) known = paths_.insert(paths_.end(), {path, {}});
  known->second.push_back(method);
  routes_.push_back(Route{std::move(method), re2::RE2::QuoteMeta(path), std::move(handler), runs});
}

void HttpRouterRoutes::add_pattern(std::string method, std::string pattern, web::Handler handler) {
  routes_.push_back(
      Route{std::move(method), std::move(pattern), std::move(handler), web::Runs::kOnWorker});
}

void HttpRouterRoutes::install(web::Router& router) const {
  for (const Route& route : routes_) {
    router.add(route.method, route.pattern, route.handler, route.runs);
  }
  for (const auto& [path, methods] : paths_) {
    std::vector<std::string> allowed = methods;
    allowed.push_back("OPTIONS");
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    std::string allow;
    for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    // Cheap and lock-free: answered on the I/O thread.
    router.add(
        std::string(web::kAnyMethod), re2::RE2::QuoteMeta(path),
        [allow](const web::Request& req, web::Response& res) {
          res.set_header("Allow", allow);
          if (req.method == "OPTIONS") return;
          res.status = 405;
          res.set_content("Method Not Allowed\n", "text/plain; charset=utf-8");
          res.set_header("X-Content-Type-Options", "nosniff");
        },
        web::Runs::kInline);
  }
}

}  // namespace tocsin::api
