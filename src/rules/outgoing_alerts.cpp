#include "rules/outgoing_alerts.h"

#include <fmt/format.h>

namespace tocsin::rules {
namespace {

// Go's url.QueryEscape: space becomes '+', unreserved bytes stay.
std::string query_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

std::string graph_link(std::string_view base_url, std::string_view expr) {
  while (base_url.ends_with('/')) base_url.remove_suffix(1);
  return fmt::format("{}/graph?g0.expr={}&g0.tab=1", base_url, query_escape(expr));
}

std::vector<notify::Alert> outgoing_alerts(
    std::span<const Alert> alerts, std::string_view expr,
    const std::map<std::string, std::string>& external_labels, std::string_view graph_base_url,
    Timestamp now) {
  std::vector<notify::Alert> out;
  out.reserve(alerts.size());
  std::string generator = graph_link(graph_base_url, expr);
  for (const Alert& a : alerts) {
    notify::Alert n;
    LabelsBuilder labels(a.labels);
    for (const auto& [name, value] : external_labels) {
      if (!a.labels.has(name)) labels.set(name, value);
    }
    n.labels = labels.labels();
    n.annotations = a.annotations;
    n.starts_at = a.fired_at;
    n.ends_at = a.resolved() ? a.resolved_at : a.valid_until;
    n.updated_at = now;
    n.generator_url = generator;
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace tocsin::rules
