#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "query/prometheus_client.h"
#include "rules/manager.h"
#include "rules/replay.h"

namespace tocsin::cli {
namespace {

nlohmann::ordered_json labels_json(const Labels& labels) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (Label l : labels) out[std::string(l.name)] = l.value;
  return out;
}

// JSON has no NaN or Inf; Prometheus's API writes values as strings for the
// same reason. Finite values stay numbers.
nlohmann::ordered_json value_json(double v) {
  if (std::isfinite(v)) return v;
  return std::isnan(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf");
}

}  // namespace

int replay(const ReplayOptions& options, std::ostream& out, std::ostream& err) {
  auto from = parse_time(options.from);
  auto to = parse_time(options.to);
  auto interval = parse_duration(options.evaluation_interval);
  for (const Error* e : {from ? nullptr : &from.error(), to ? nullptr : &to.error(),
                         interval ? nullptr : &interval.error()}) {
    if (e) {
      fmt::print(err, "{}\n", e->to_string());
      return 2;
    }
  }
  if (*to < *from) {
    fmt::print(err, "--to must not be before --from\n");
    return 2;
  }

  auto rules = rules::load_rule_files(options.rule_files, *interval);
  if (!rules) {
    for (const Error& e : rules.error()) fmt::print(err, "{}\n", e.to_string());
    return 1;
  }
  query::ClientConfig client_config;
  client_config.url = options.datasource;
  auto client = query::PrometheusClient::create(client_config);
  if (!client) {
    fmt::print(err, "{}\n", client.error().to_string());
    return 1;
  }

  rules::GroupEnvironment env;
  env.query = [&client](std::string_view expr, Timestamp at) {
    return (*client)->instant_query(expr, at);
  };
  std::vector<rules::RuleGroup*> groups;
  for (auto& g : rules->groups) groups.push_back(g.get());

  bool failed = false;
  rules::ReplayCallbacks callbacks;
  callbacks.on_change = [&](const rules::StateChange& c) {
    nlohmann::ordered_json line;
    line["time"] = format_rfc3339(c.time);
    line["group"] = c.group->name();
    line["rule"] = c.rule->name();
    line["state"] = to_string(c.state);
    line["labels"] = labels_json(c.labels);
    line["annotations"] = labels_json(c.annotations);
    line["value"] = value_json(c.value);
    out << line.dump() << '\n';
  };
  callbacks.on_error = [&](const rules::ReplayError& e) {
    failed = true;
    fmt::print(err, "{}: group \"{}\", rule \"{}\": {}\n", format_rfc3339(e.time), e.group->name(),
               e.rule->name(), e.message);
  };
  rules::replay(groups, env, *from, *to, callbacks);
  out.flush();
  return failed ? 1 : 0;
}

}  // namespace tocsin::cli
