#include "dispatch/alert_order.h"

#include <algorithm>

namespace tocsin::dispatch {
bool label_set_before(const Labels& a, const Labels& b) {
  std::size_t na = a.size(), nb = b.size();
  if (na != nb) return na < nb;
  std::vector<std::string_view> names;
  for (Label l : a) names.push_back(l.name);
  for (Label l : b) names.push_back(l.name);
  std::sort(names.begin(), names.end());
  for (std::string_view name : names) {
    auto av = a.get(name);
    if (!av) return true;
    auto bv = b.get(name);
    if (!bv) return false;
    if (*av != *bv) return *av < *bv;
  }
  return false;
}

bool alert_before(const notify::Alert& a, const notify::Alert& b) {
  for (std::string_view key : {"job", "instance"}) {
    auto av = a.labels.get(key);
    auto bv = b.labels.get(key);
    if (!av && !bv) continue;
    if (!av) return false;
    if (!bv) return true;
    if (*av != *bv) return *av < *bv;
  }
  return label_set_before(a.labels, b.labels);
}

}  // namespace tocsin::dispatch
