#include "dispatch/route.h"

#include <algorithm>

#include <fmt/format.h>

#include "gocompat/strconv.h"

namespace tocsin::dispatch {

std::unique_ptr<Route> Route::build(const config::Route& config) {
  return std::unique_ptr<Route>(new Route(config, nullptr));
}

Route::Route(const config::Route& config, const Route* parent) : config_(config), parent_(parent) {
  key_ = parent ? parent->key() + "/" + to_string(config.matchers) : to_string(config.matchers);
  for (const config::Route& child : config.routes) {
    routes_.push_back(std::unique_ptr<Route>(new Route(child, this)));
  }
}

std::vector<const Route*> Route::match(const Labels& labels) const {
  std::vector<const Route*> out;
  match_into(labels, out);
  return out;
}

void Route::match_into(const Labels& labels, std::vector<const Route*>& out) const {
  if (!matches_all(config_.matchers, labels)) return;
  std::size_t before = out.size();
  for (const auto& child : routes_) {
    std::size_t had = out.size();
    child->match_into(labels, out);
    if (out.size() > had && !child->continue_matching()) break;
  }
  if (out.size() == before) out.push_back(this);
}

void Route::walk(const std::function<void(const Route&)>& visit) const {
  visit(*this);
  for (const auto& child : routes_) child->walk(visit);
}

std::string label_set_string(const Labels& labels) {
  std::vector<std::string> pairs;
  for (Label l : labels) pairs.push_back(fmt::format("{}={}", l.name, gocompat::quote(l.value)));
  std::sort(pairs.begin(), pairs.end());
  return fmt::format("{{{}}}", fmt::join(pairs, ", "));
}

std::string group_key(const Route& route, const Labels& group_labels) {
  return route.key() + ":" + label_set_string(group_labels);
}

}  // namespace tocsin::dispatch
