#include "cli/cli.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "core/log.h"

namespace tocsin::cli {

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
  run_cmd->add_option("--storage.path", run_options.storage_path,
                      "directory for silences and the notification log (kept across restarts); "
                      "without it they live in memory only");

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

  if (*run_cmd) return run(run_options);
  if (*check_rules_cmd) return check_rules(rules_options, std::cout, std::cerr);
  if (*check_config_cmd) return check_config(config_options, std::cout, std::cerr);
  if (*replay_cmd) return replay(replay_options, std::cout, std::cerr);
  if (*routes_cmd) {
    routes_options.test = routes_test_cmd->parsed();
    return routes(routes_options, std::cout, std::cerr);
  }
  return 2;
}

}  // namespace tocsin::cli
