#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "config/tocsin_config.h"
#include "notifiers/notifier_registry.h"
#include "query/prometheus_client.h"
#include "remote/remote_storage.h"
#include "rules/group.h"
#include "rules/rule_file.h"
#include "template/notification_templates.h"

namespace tocsin::cli {
namespace {

void print_errors(const std::vector<Error>& errors, std::ostream& err) {
  for (const Error& e : errors) fmt::print(err, "{}\n", e.to_string());
}

// Asks Prometheus to parse `spec.expr`; only syntax errors are reported.
std::optional<Error> check_expression(query::PrometheusClient& client,
                                      const rules::RuleGroupSpec& group, std::size_t index) {
  const rules::RuleSpec& rule = group.rules[index];
  auto result = client.instant_query(rule.expr, SystemClock().now());
  if (result || result.error().type != "bad_data") return std::nullopt;
  return Error(rule.expr_position, fmt::format("{}: could not parse expression: {}",
                                               rules::describe_rule(group.name, index, rule.name),
                                               result.error().message));
}

// Checks one rule file; prints its summary or its problems. True if valid.
bool check_rule_file(const std::string& path, query::PrometheusClient* client, std::ostream& out,
                     std::ostream& err) {
  rules::RuleFileResult read = rules::read_rule_file(path);
  std::vector<Error> errors = read.errors;
  std::size_t rules = 0, recording = 0;
  for (const rules::RuleGroupSpec& spec : read.file.groups) {
    auto group = rules::RuleGroup::build(spec, std::chrono::minutes(1));
    if (!group) errors.insert(errors.end(), group.error().begin(), group.error().end());
    for (std::size_t i = 0; i < spec.rules.size(); ++i) {
      ++rules;
      if (!spec.rules[i].alerting()) ++recording;
      if (client && !spec.rules[i].expr.empty()) {
        if (auto e = check_expression(*client, spec, i)) errors.push_back(std::move(*e));
      }
    }
  }
  if (!errors.empty()) {
    print_errors(errors, err);
    return false;
  }
  fmt::print(out, "{}: {} rules found", path, rules);
  if (recording > 0) {
    fmt::print(out, " ({} recording rules; tocsin evaluates them when remote_write is configured)",
               recording);
  }
  fmt::print(out, "\n");
  return true;
}

}  // namespace

int check_rules(const CheckRulesOptions& options, std::ostream& out, std::ostream& err) {
  std::unique_ptr<query::PrometheusClient> client;
  if (!options.datasource.empty()) {
    query::ClientConfig config;
    config.url = options.datasource;
    auto created = query::PrometheusClient::create(config);
    if (!created) {
      fmt::print(err, "{}\n", created.error().to_string());
      return 1;
    }
    client = std::move(*created);
  }
  bool ok = true;
  for (const std::string& file : options.files) ok &= check_rule_file(file, client.get(), out, err);
  return ok ? 0 : 1;
}

namespace {

// The notification templates parse, as `run` and amtool check-config load
// them, and every receiver's integrations build, as `run` builds them (so a
// configuration `run` refuses, such as one with oauth2, is refused here too).
bool check_alerting(const config::AlertmanagerConfig& alerting, std::ostream& err) {
  auto files = config::expand_templates(alerting);
  auto templates =
      files ? tmpl::NotificationTemplates::load(*files, "") : std::unexpected(files.error());
  if (!templates) {
    fmt::print(err, "{}\n", templates.error().to_string());
    return false;
  }
  notifiers::NotifierSettings settings;
  settings.templates = *templates;
  bool ok = true;
  for (const config::Receiver& receiver : alerting.receivers) {
    auto built = notifiers::build_integrations(receiver, settings);
    if (!built) print_errors(built.error(), err);
    ok = ok && built.has_value();
  }
  return ok;
}

}  // namespace

int check_config(const CheckConfigOptions& options, std::ostream& out, std::ostream& err) {
  auto any = config::load_any_config(options.file, notifiers::receiver_kinds());
  if (!any) {
    print_errors(any.error(), err);
    return 1;
  }
  if (auto* alerting = std::get_if<config::AlertmanagerConfig>(&*any)) {
    if (!check_alerting(*alerting, err)) return 1;
    fmt::print(out, "{}: valid alertmanager.yml, {} receivers, {} inhibit rules\n", options.file,
               alerting->receivers.size(), alerting->inhibit_rules.size());
    return 0;
  }
  const config::Config& config = std::get<config::Config>(*any);
  if (config.alerting && !check_alerting(*config.alerting, err)) return 1;
  // The remote_write clients build, as `run` builds them.
  if (auto remote_write = remote::RemoteStorage::prepare(config.remote_write); !remote_write) {
    print_errors(remote_write.error(), err);
    return 1;
  }
  auto files = config::expand_rule_files(config);
  if (!files) {
    fmt::print(err, "{}\n", files.error().to_string());
    return 1;
  }
  fmt::print(out, "{}: valid, {} rule files found\n", options.file, files->size());
  bool ok = true;
  for (const std::string& file : *files) ok &= check_rule_file(file, nullptr, out, err);
  return ok ? 0 : 1;
}

}  // namespace tocsin::cli
