#include "api/openapi_routes.h"

#include <algorithm>
#include <memory>

#include <fmt/format.h>
#include <re2/re2.h>

#include "api/api_error.h"
#include "api/cors.h"
#include "gocompat/textproto.h"

namespace tocsin::api {
namespace {

constexpr std::string_view kBasePath = "/api/v2";

// "/silence/{silenceID}" as a pattern under /api/v2, trailing slash optional.
std::string pattern_of(std::string_view path) {
  std::string out = re2::RE2::QuoteMeta(kBasePath);
  while (!path.empty()) {
    std::size_t open = path.find('{');
    out += re2::RE2::QuoteMeta(path.substr(0, open));
    if (open == std::string_view::npos) break;
    std::size_t close = path.find('}', open);
    out += "([^/]+)";
    path.remove_prefix(close == std::string_view::npos ? path.size() : close + 1);
  }
  return out + "/?";
}

}  // namespace

void OpenApiRoutes::add(std::string method, std::string_view path, web::Handler handler) {
  std::string pattern = pattern_of(path);
  auto known = std::find_if(paths_.begin(), paths_.end(),
                            [&](const auto& entry) { return entry.first == pattern; });
  if (known == paths_.end()) known = paths_.insert(paths_.end(), {pattern, {}});
  known->second.push_back(method);
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler)});
}

void OpenApiRoutes::install(web::Router& router) const {
  for (const Route& route : routes_) {
    router.add(route.method, route.pattern,
               [handler = route.handler](const web::Request& req, web::Response& res) {
                 web::Response answer;
                 add_cors_headers(req, answer);
                 handler(req, res);
                 for (auto& header : res.headers) answer.headers.push_back(std::move(header));
                 res.headers = std::move(answer.headers);
               });
  }

  // Go's ServeMux: the subtree's root without its slash.
  router.add(
      std::string(web::kAnyMethod), re2::RE2::QuoteMeta(kBasePath),
      [](const web::Request& req, web::Response& res) {
        std::string location = std::string(kBasePath) + "/";
        if (!req.raw_query.empty()) location += "?" + req.raw_query;
        res.status = 301;
        res.set_header("Location", location);
        // http.Redirect: a short HTML body for GET (HEAD's is never sent).
        if (req.method == "GET" || req.method == "HEAD") {
          res.set_content(fmt::format("<a href=\"{}\">Moved Permanently</a>.\n\n",
                                      gocompat::html_escape_string(location)),
                          "text/html; charset=utf-8");
        }
      },
      web::Runs::kInline);

  // Everything else below /api/v2/.
  auto compiled =
      std::make_shared<std::vector<std::pair<std::unique_ptr<re2::RE2>, std::string>>>();
  for (const auto& [pattern, methods] : paths_) {
    std::string allow;
    for (const std::string& m : methods) allow += (allow.empty() ? "" : ",") + m;
    compiled->emplace_back(std::make_unique<re2::RE2>(pattern), std::move(allow));
  }
  router.add(
      std::string(web::kAnyMethod), re2::RE2::QuoteMeta(kBasePath) + "/.*",
      [compiled](const web::Request& req, web::Response& res) {
        if (is_cors_preflight(req)) {
          res = cors_preflight_response(req);
          return;
        }
        add_cors_headers(req, res);
        for (const auto& [pattern, allow] : *compiled) {
          if (!re2::RE2::FullMatch(req.path, *pattern)) continue;
          web::Response refused = error_response(coded_error(
              405, fmt::format("method {} is not allowed, but [{}] are", req.method, allow)));
          res.status = refused.status;
          res.body = std::move(refused.body);
          res.set_header("Allow", allow);
          res.set_header("Content-Type", *refused.find_header("Content-Type"));
          return;
        }
        web::Response missing =
            error_response(coded_error(404, fmt::format("path {} was not found", req.path)));
        res.status = missing.status;
        res.body = std::move(missing.body);
        res.set_header("Content-Type", *missing.find_header("Content-Type"));
      },
      web::Runs::kInline);
}

}  // namespace tocsin::api
