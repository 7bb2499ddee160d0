#include "cli/cli.h"

#include <cctype>
#include <charconv>
#include <iostream>
#include <limits>
#include <string_view>
#include <tuple>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "cli/commands.h"
#include "core/log.h"
#include "store/postgres_store.h"

namespace tocsin::cli {
namespace {

// A size in bytes as Prometheus's flags take it (units.Base2Bytes): a
// number and an optional unit, every unit a power of 2.
Result<std::size_t> parse_byte_size(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
    ++digits;
  }
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, value);
  if (digits == 0 || ec != std::errc()) {
    return fail(fmt::format("\"{}\" is not a size such as 32MiB", text));
  }
  static constexpr std::pair<std::string_view, int> kUnits[] = {
      {"", 0}, {"B", 0}, {"KB", 10}, {"KiB", 10}, {"MB", 20}, {"MiB", 20}, {"GB", 30}, {"GiB", 30}};
  std::string_view unit = text.substr(digits);
  for (auto [name, shift] : kUnits) {
    if (unit != name) continue;
    if (value > (std::numeric_limits<std::uint64_t>::max() >> shift)) break;
    return static_cast<std::size_t>(value << shift);
  }
  return fail(fmt::format("\"{}\" is not a size such as 32MiB", text));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tocsin: Prometheus alerting rules and notifications in one binary"};
  app.require_subcommand(1);
  // Flags of a command also work after its subcommands, as amtool and
  // promtool users type them (`tocsin routes test --config F ...`).
  app.fallthrough();
  std::string log_level = "info";
  std::string log_format = "logfmt";
  app.add_option("--log.level", log_level, "debug, info, warn or error")->capture_default_str();
  app.add_option("--log.format", log_format, "logfmt or json")->capture_default_str();

  RunOptions run_options;
  CLI::App* run_cmd = app.add_subcommand("run", "Evaluate rules and serve the API");
  run_cmd->add_option("--config", run_options.config_file, "tocsin.yml")->required();
  run_cmd->add_option("--web.listen-address", run_options.listen_address,
                      "host:port to listen on (overrides web.listen_address)");
  CLI::Option* storage_path =
      run_cmd
          ->add_option(
              "--storage.path", run_options.storage_path,
              "Directory of the store (tocsin.db): alerts, silences, the notification log, "
              "the state of the rules' alerts and the history, written as they change and "
              "restored at start")
          ->capture_default_str();
  CLI::Option* storage_url =
      run_cmd
          ->add_option("--storage.url", run_options.storage_url,
                       "Keep all of it in this PostgreSQL database instead: a libpq URL, "
                       "postgres://USER@HOST:PORT/DB?sslmode=verify-full (any libpq parameter; "
                       "give the password in PGPASSWORD or PGPASSFILE, not in the URL)")
          ->excludes(storage_path)
          ->check([](const std::string& url) -> std::string {
            if (!store::is_postgres_url(url)) return "must start with postgres:// or postgresql://";
            auto redacted = store::redacted_postgres_url(url);
            return redacted ? "" : redacted.error().message();
          });
  run_cmd
      ->add_option("--cluster.replica", run_options.replica_id,
                   "This replica's name among the tocsins sharing --storage.url (shown in "
                   "/api/v2/status); default: a random one at every start")
      ->needs(storage_url)
      ->check([](const std::string& id) -> std::string {
        if (id.empty() || id.size() > 128) return "must be 1 to 128 characters";
        for (char c : id) {
          if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' &&
              c != ':')
            return "may hold only letters, digits and - _ . :";
        }
        return "";
      });
  bool storage_memory = false;
  run_cmd
      ->add_flag("--storage.memory", storage_memory,
                 "Keep everything in memory only: nothing is written, and a restart forgets "
                 "alerts, silences, what was notified, the state of alerts and the history")
      ->excludes(storage_path)
      ->excludes(storage_url);
  std::string storage_retention = "30d";
  run_cmd
      ->add_option("--storage.retention", storage_retention,
                   "How long the history (GET /api/v1/history) keeps events; older ones are "
                   "dropped every hour (0s: kept for ever)")
      ->capture_default_str();
  std::string outage_tolerance = "1h";
  run_cmd
      ->add_option("--rules.alert.for-outage-tolerance", outage_tolerance,
                   "How long tocsin may have been down for a pending alert to keep the time it "
                   "had spent pending; after a longer outage its `for` starts over")
      ->capture_default_str();
  std::string grace_period = "10m";
  run_cmd
      ->add_option("--rules.alert.for-grace-period", grace_period,
                   "The least a restored pending alert still waits before it fires; a rule "
                   "whose `for` is shorter than this starts its `for` over after a restart")
      ->capture_default_str();
  run_cmd->add_flag("--web.enable-lifecycle", run_options.enable_lifecycle,
                    "Enable shutdown and reload via HTTP request (POST or PUT /-/quit and "
                    "/-/reload); without it they answer 403. SIGHUP reloads either way");
  run_cmd
      ->add_option("--web.max-connections", run_options.max_connections,
                   "Maximum number of simultaneous connections; one more is answered 503 (0: no "
                   "limit). Prometheus's default is 512; tocsin's is 4096 because a connection "
                   "costs it a socket and a buffer, not a thread, and senders, probes, "
                   "dashboards and amtool may hold a thousand idle keep-alive connections at "
                   "once")
      ->capture_default_str();
  std::string read_timeout = "5m";
  run_cmd
      ->add_option("--web.read-timeout", read_timeout,
                   "Maximum duration before timing out read of the request, and closing idle "
                   "connections; a new connection must also start its request within 30s, and "
                   "a header arrive within 30s of its first byte (or within this, if shorter)")
      ->capture_default_str();
  std::string max_body = "32MiB";
  run_cmd
      ->add_option("--web.max-request-body-size", max_body,
                   "Largest request body accepted (B, KiB, MiB, GiB; KB, MB, GB are the same "
                   "powers of 2); a larger one is answered 413 with a JSON message")
      ->capture_default_str();

  CLI::App* check_cmd = app.add_subcommand("check", "Check configuration and rule files");
  check_cmd->require_subcommand(1);
  CheckRulesOptions rules_options;
  CLI::App* check_rules_cmd = check_cmd->add_subcommand("rules", "Check rule files");
  check_rules_cmd->add_option("files", rules_options.files, "rule files")->required();
  check_rules_cmd->add_option("--datasource", rules_options.datasource,
                              "Prometheus URL; asks it to parse every expression");
  CheckConfigOptions config_options;
  CLI::App* check_config_cmd = check_cmd->add_subcommand(
      "config", "Check tocsin.yml and the rule files it names, or an alertmanager.yml");
  check_config_cmd->add_option("file", config_options.file, "tocsin.yml or alertmanager.yml")
      ->required();

  ReplayOptions replay_options;
  CLI::App* replay_cmd =
      app.add_subcommand("replay", "Evaluate rules over past data and print state changes");
  replay_cmd->add_option("--rules", replay_options.rule_files, "rule files")->required();
  replay_cmd->add_option("--datasource", replay_options.datasource, "Prometheus URL")->required();
  replay_cmd->add_option("--from", replay_options.from, "RFC 3339 or Unix seconds")->required();
  replay_cmd->add_option("--to", replay_options.to, "RFC 3339 or Unix seconds")->required();
  replay_cmd
      ->add_option("--evaluation-interval", replay_options.evaluation_interval,
                   "interval for groups without their own")
      ->capture_default_str();

  RoutesOptions routes_options;
  CLI::App* routes_cmd =
      app.add_subcommand("routes", "Show the routing tree, or test where labels are routed");
  routes_cmd
      ->add_option("--config,--config.file", routes_options.config_file,
                   "tocsin.yml or alertmanager.yml")
      ->required();
  CLI::App* routes_test_cmd =
      routes_cmd->add_subcommand("test", "Print the receivers labels reach");
  routes_test_cmd->add_flag("--tree", routes_options.tree, "Print the matching routes");
  routes_test_cmd->add_option("--verify.receivers", routes_options.verify_receivers,
                              "Fail unless the labels reach exactly these receivers (a,b)");
  routes_test_cmd->add_option("labels", routes_options.labels, "name=value ...");
  routes_cmd->add_subcommand("show", "Print the routing tree");

  HistoryOptions history_options;
  CLI::App* history_cmd = app.add_subcommand(
      "history", "Print what happened: alert state changes, notifications, silences, reloads");
  history_cmd->add_option("--url,--tocsin.url", history_options.url, "The running tocsin's URL")
      ->envname("TOCSIN_URL")
      ->capture_default_str();
  history_cmd->add_option("matchers", history_options.matchers,
                          "Label matchers, as amtool takes them: alertname=X severity=~crit.*");
  history_cmd->add_option("--kind", history_options.kind, "alert, notification, silence or reload");
  history_cmd->add_option("--state", history_options.state,
                          "firing, pending, resolved, inactive, sent, failed, created, ...");
  history_cmd->add_option("--receiver", history_options.receiver, "A receiver's name");
  history_cmd->add_option("--fingerprint", history_options.fingerprint, "One alert's fingerprint");
  history_cmd->add_option("--from", history_options.from,
                          "Events since: RFC 3339, Unix seconds, or a duration ago (2h)");
  history_cmd->add_option("--to", history_options.to, "Events until, as --from");
  history_cmd->add_option("--limit", history_options.limit, "Events printed, newest first")
      ->capture_default_str();
  history_cmd->add_option("-o,--output", history_options.output, "table or json")
      ->capture_default_str();

  AckOptions ack_options;
  ack_options.by = default_user();
  CLI::App* ack_cmd = app.add_subcommand(
      "ack", "Acknowledge firing alerts, or their groups: no repeats, no escalation");
  ack_cmd->add_option("--url,--tocsin.url", ack_options.url, "The running tocsin's URL")
      ->envname("TOCSIN_URL")
      ->capture_default_str();
  ack_cmd->add_option("matchers", ack_options.matchers,
                      "Label matchers selecting firing alerts: alertname=X severity=~crit.*");
  ack_cmd->add_option("--fingerprint", ack_options.fingerprints, "An alert's fingerprint");
  ack_cmd->add_flag("--group", ack_options.group,
                    "Acknowledge the aggregation groups holding the alerts");
  ack_cmd->add_option("--receiver", ack_options.receiver,
                      "With --group: only the group of this receiver's route");
  ack_cmd->add_option("-a,--by", ack_options.by, "Who acknowledges")->capture_default_str();
  ack_cmd->add_option("-c,--comment", ack_options.comment, "Why, or what is being done");
  ack_cmd->add_option("--expires", ack_options.expires,
                      "Until when: a duration (2h) or RFC 3339; default: until resolved");
  ack_cmd->add_option("-o,--output", ack_options.output, "table or json")->capture_default_str();
  CLI::App* ack_list_cmd = ack_cmd->add_subcommand("list", "Print the acknowledgements in force");
  ack_list_cmd->add_option("-o,--output", ack_options.output, "table or json")
      ->capture_default_str();

  UnackOptions unack_options;
  unack_options.by = default_user();
  CLI::App* unack_cmd = app.add_subcommand("unack", "End acknowledgements, by id");
  unack_cmd->add_option("--url,--tocsin.url", unack_options.url, "The running tocsin's URL")
      ->envname("TOCSIN_URL")
      ->capture_default_str();
  unack_cmd->add_option("ids", unack_options.ids, "Acknowledgement ids (tocsin ack list)");
  unack_cmd->add_option("-a,--by", unack_options.by, "Who ends them")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  auto level = log::parse_level(log_level);
  auto format = log::parse_format(log_format);
  if (!level || !format) {
    std::cerr << (level ? format.error() : level.error()).to_string() << "\n";
    return 2;
  }
  log::configure(*level, *format);

  if (*run_cmd) {
    auto timeout = parse_duration(read_timeout);
    auto body = parse_byte_size(max_body);
    if (!timeout || *timeout <= Duration::zero() || !body || *body == 0) {
      std::cerr << (!timeout ? "--web.read-timeout: " + timeout.error().to_string()
                    : !body  ? "--web.max-request-body-size: " + body.error().to_string()
                             : std::string("--web.read-timeout and --web.max-request-body-size "
                                            "must be more than 0"))
                << "\n";
      return 2;
    }
    if (storage_memory) run_options.storage_path.clear();
    for (auto [flag, text, target] :
         {std::tuple{"--rules.alert.for-outage-tolerance", &outage_tolerance,
                     &run_options.for_outage_tolerance},
          std::tuple{"--rules.alert.for-grace-period", &grace_period,
                     &run_options.for_grace_period},
          std::tuple{"--storage.retention", &storage_retention, &run_options.storage_retention}}) {
      auto parsed = parse_duration(*text);
      if (!parsed) {
        std::cerr << flag << ": " << parsed.error().to_string() << "\n";
        return 2;
      }
      *target = *parsed;
    }
    run_options.read_timeout = *timeout;
    run_options.max_request_body_bytes = *body;
    if (run_options.max_connections == 0) {
      run_options.max_connections = std::numeric_limits<std::size_t>::max();
    }
    return run(run_options);
  }
  if (*check_rules_cmd) return check_rules(rules_options, std::cout, std::cerr);
  if (*check_config_cmd) return check_config(config_options, std::cout, std::cerr);
  if (*replay_cmd) return replay(replay_options, std::cout, std::cerr);
  if (*history_cmd) return history(history_options, std::cout, std::cerr);
  if (*ack_cmd) {
    ack_options.list = ack_list_cmd->parsed();
    return ack(ack_options, std::cout, std::cerr);
  }
  if (*unack_cmd) return unack(unack_options, std::cout, std::cerr);
  if (*routes_cmd) {
    routes_options.test = routes_test_cmd->parsed();
    return routes(routes_options, std::cout, std::cerr);
  }
  return 2;
}

}  // namespace tocsin::cli
