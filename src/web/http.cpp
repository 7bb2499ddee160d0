#include "web/http.h"

#include <algorithm>

#include <strings.h>

namespace tocsin::web {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

bool HeaderNameLess::operator()(std::string_view a, std::string_view b) const {
  int c = strncasecmp(a.data(), b.data(), std::min(a.size(), b.size()));
  return c != 0 ? c < 0 : a.size() < b.size();
}

std::string Request::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string() : it->second;
}

bool Request::has_header(std::string_view name) const {
  return headers.contains(std::string(name));
}

std::string Request::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

bool Request::has_param(const std::string& name) const {
  return params.contains(name);
}

void Response::set_header(std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return same_name(h.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
}

void Response::add_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
}

const std::string* Response::find_header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (same_name(n, name)) return &v;
  }
  return nullptr;
}

void Response::set_content(std::string content, std::string content_type) {
  body = std::move(content);
  set_header("Content-Type", std::move(content_type));
}

}  // namespace tocsin::web
