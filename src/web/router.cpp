#include "web/router.h"

#include <stdexcept>

namespace tocsin::web {

void Router::add(std::string method, const std::string& pattern, Handler handler, Runs runs) {
  auto re = std::make_unique<re2::RE2>(pattern);
  if (!re->ok()) throw std::invalid_argument("route pattern " + pattern + ": " + re->error());
  routes_.push_back(Route{std::move(method), std::move(re), std::move(handler), runs});
}

void Router::set_not_found(Handler handler) {
  not_found_ = std::move(handler);
}

Router::Match Router::match(std::string_view method, const std::string& path) const {
  for (const Route& route : routes_) {
    if (route.method != method && route.method != kAnyMethod) continue;
    int n = route.pattern->NumberOfCapturingGroups();
    std::vector<std::string> groups(static_cast<std::size_t>(n));
    std::vector<re2::RE2::Arg> args;
    args.reserve(groups.size());
    for (std::string& group : groups) args.emplace_back(&group);
    std::vector<const re2::RE2::Arg*> arg_ptrs;
    for (const re2::RE2::Arg& arg : args) arg_ptrs.push_back(&arg);
    if (!re2::RE2::FullMatchN(path, *route.pattern, arg_ptrs.data(), n)) continue;
    return Match{&route.handler, route.runs, std::move(groups)};
  }
  static const Handler kNotFound = [](const Request&, Response& res) {
    res.status = 404;
    res.set_content("404 page not found\n", "text/plain; charset=utf-8");
    res.set_header("X-Content-Type-Options", "nosniff");
  };
  return Match{not_found_ ? &not_found_ : &kNotFound, Runs::kOnWorker, {}};
}

}  // namespace tocsin::web
