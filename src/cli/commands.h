// tocsin's subcommands, shaped like promtool's and amtool's. Each returns the
// process exit code; output goes to the streams handed in.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include <tocsin/time.h>

namespace tocsin::cli {

struct CheckRulesOptions {
  std::vector<std::string> files;
  std::string datasource;  // when set, Prometheus parses every expression
};
// "FILE: N rules found" per valid file (exit 0), or one
// "FILE:LINE:COL: message" line per problem (exit 1).
int check_rules(const CheckRulesOptions& options, std::ostream& out, std::ostream& err);

struct CheckConfigOptions {
  std::string file;
};
// Checks tocsin.yml and every rule file it names.
int check_config(const CheckConfigOptions& options, std::ostream& out, std::ostream& err);

struct RunOptions {
  std::string config_file;
  std::string listen_address;          // overrides web.listen_address when set
  std::string storage_path = "data/";  // the store's directory; empty: memory only
  std::string storage_url;             // a PostgreSQL database instead (postgres://...)
  std::string replica_id;              // this replica's id among those sharing storage_url
  Duration storage_retention = std::chrono::hours(24 * 30);  // the history's
  bool enable_lifecycle = false;                             // POST/PUT /-/reload and /-/quit
  Duration for_outage_tolerance = std::chrono::hours(1);     // rules/restore.h
  Duration for_grace_period = std::chrono::minutes(10);
  std::size_t max_connections = 4096;
  Duration read_timeout = std::chrono::minutes(5);
  std::size_t max_request_body_bytes = std::size_t{32} << 20;
};
// The daemon: runs until SIGTERM, SIGINT or /-/quit; SIGHUP reloads.
int run(const RunOptions& options);

struct ReplayOptions {
  std::vector<std::string> rule_files;
  std::string datasource;
  std::string from;
  std::string to;
  std::string evaluation_interval = "1m";  // for groups without their own interval
};
// One JSON object per line for each alert state change.
int replay(const ReplayOptions& options, std::ostream& out, std::ostream& err);

struct RoutesOptions {
  std::string config_file;  // a tocsin.yml or an alertmanager.yml
  bool test = false;        // `routes test`; otherwise `routes show`
  bool tree = false;
  std::string verify_receivers;
  std::vector<std::string> labels;  // name=value
};
// amtool's `config routes [test]`, with its output.
int routes(const RoutesOptions& options, std::ostream& out, std::ostream& err);

struct HistoryOptions {
  std::string url = "http://127.0.0.1:9095";  // the running tocsin
  std::vector<std::string> matchers;          // label matchers: alertname="X"
  std::string kind;
  std::string state;
  std::string receiver;
  std::string fingerprint;
  std::string from;  // RFC 3339, Unix seconds, or a duration ago ("2h")
  std::string to;
  std::size_t limit = 100;       // events printed, newest first
  std::string output = "table";  // or "json"
};
// GET /api/v1/history as a table (or the API's events as JSON).
int history(const HistoryOptions& options, std::ostream& out, std::ostream& err);

struct AckOptions {
  std::string url = "http://127.0.0.1:9095";
  bool list = false;                      // `ack list`: those in force
  std::vector<std::string> matchers;      // the firing alerts to acknowledge
  std::vector<std::string> fingerprints;  // and these
  bool group = false;                     // acknowledge the aggregation groups holding them instead
  std::string receiver;                   // with `group`: only the group of this receiver's route
  std::string by;                         // default: the user's name
  std::string comment;
  std::string expires;           // a duration from now or RFC 3339; empty: until resolved
  std::string output = "table";  // or "json"
};
// Acknowledges, and prints what it made (or, with `list`, what is in force).
int ack(const AckOptions& options, std::ostream& out, std::ostream& err);

struct UnackOptions {
  std::string url = "http://127.0.0.1:9095";
  std::vector<std::string> ids;
  std::string by;
};
// Ends the acknowledgements; prints each id it ended.
int unack(const UnackOptions& options, std::ostream& out, std::ostream& err);

// $USER (or $LOGNAME): who `ack` and `unack` say acted, as amtool's
// --author defaults to the user.
std::string default_user();

}  // namespace tocsin::cli
