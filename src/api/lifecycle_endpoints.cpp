#include "api/lifecycle_endpoints.h"

#include <atomic>
#include <memory>

#include <fmt/format.h>

namespace tocsin::api {
namespace {

constexpr const char* kText = "text/plain; charset=utf-8";

void text(web::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), kText);
}

// http.Error: the text, a newline, and nosniff.
void http_error(web::Response& res, int status, const std::string& message) {
  text(res, status, message + "\n");
  res.set_header("X-Content-Type-Options", "nosniff");
}

}  // namespace

void add_lifecycle_endpoints(HttpRouterRoutes& routes, Lifecycle lifecycle) {
  auto shared = std::make_shared<const Lifecycle>(std::move(lifecycle));

  routes.add(
      "GET", "/-/healthy",
      [](const web::Request&, web::Response& res) { text(res, 200, "tocsin is Healthy.\n"); },
      web::Runs::kInline);
  routes.add(
      "HEAD", "/-/healthy", [](const web::Request&, web::Response&) {}, web::Runs::kInline);
  auto ready = [shared](const web::Request& req, web::Response& res) {
    if (!shared->ready || !shared->ready()) return text(res, 503, "Service Unavailable");
    if (req.method == "GET") text(res, 200, "tocsin is Ready.\n");
  };
  routes.add("GET", "/-/ready", ready, web::Runs::kInline);
  routes.add("HEAD", "/-/ready", ready, web::Runs::kInline);

  web::Handler reload = [shared](const web::Request&, web::Response& res) {
    Status outcome = shared->reload ? shared->reload() : Status{};
    if (!outcome) {
      http_error(res, 500, fmt::format("failed to reload config: {}", outcome.error().to_string()));
    }
  };
  auto requested = std::make_shared<std::atomic<bool>>(false);
  web::Handler quit = [shared, requested](const web::Request&, web::Response& res) {
    if (requested->exchange(true)) return text(res, 200, "Termination already in progress.");
    text(res, 200, "Requesting termination... Goodbye!");
    if (shared->quit) shared->quit();
  };
  web::Handler forbidden = [](const web::Request&, web::Response& res) {
    text(res, 403, "Lifecycle API is not enabled.");
  };
  for (const char* method : {"POST", "PUT"}) {
    routes.add(method, "/-/reload", shared->enabled ? reload : forbidden);
    routes.add(method, "/-/quit", shared->enabled ? quit : forbidden, web::Runs::kInline);
  }
  web::Handler only_post_or_put = [](const web::Request&, web::Response& res) {
    text(res, 405, "Only POST or PUT requests allowed");
  };
  routes.add("GET", "/-/reload", only_post_or_put, web::Runs::kInline);
  routes.add("GET", "/-/quit", only_post_or_put, web::Runs::kInline);
}

}  // namespace tocsin::api
