// The tocsin binary under test, run as a user runs it: `tocsin run` with a
// tocsin.yml in a private directory, which is also its working directory
// (so its store, data/ by default, is private too), on a free 127.0.0.1
// port. start() may follow stop() or kill(): the same directory and port,
// as after a restart. The destructor stops it.
//
// Not thread-safe: the test's thread owns it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <tocsin/error.h>

#include "support/process.h"
#include "support/temp_dir.h"

namespace tocsin::test {

// The tocsin binary this build produced.
std::string tocsin_binary();

class TocsinServer {
 public:
  TocsinServer();
  ~TocsinServer();
  TocsinServer(const TocsinServer&) = delete;
  TocsinServer& operator=(const TocsinServer&) = delete;

  // Files (config, rules) go here before start(); paths are dir()-relative.
  const TempDir& dir() const { return dir_; }
  std::string write(std::string_view name, std::string_view content) const {
    return dir_.write(name, content);
  }

  // Runs `tocsin run --config dir()/<config> [flags...]` and waits for
  // /-/ready.
  Status start(std::string_view config = "tocsin.yml", std::vector<std::string> flags = {});
  // Waits up to `timeout` for tocsin to exit on its own (/-/quit).
  std::optional<ExitStatus> wait_for_exit(Duration timeout);
  // SIGTERM; SIGKILL if it has not exited after `grace`.
  ExitStatus stop(Duration grace = std::chrono::seconds(10));
  // SIGKILL at once: a crash, with nothing written on the way out.
  ExitStatus kill();
  // Sends SIGHUP (a reload, as an operator would trigger it).
  void signal_reload();

  int port() const { return port_; }
  // The running process's id; -1 when not running.
  int pid() const { return process_ ? process_->pid() : -1; }
  std::string url() const;
  // GET url()+path, parsed; nullopt when there is no answer or no JSON.
  std::optional<nlohmann::json> get_json(const std::string& path) const;
  std::string log() const;
  // Whether everything queued for the store is committed
  // (tocsin_store_pending_changes is 0): a SIGKILL now loses none of it.
  bool store_is_idle() const;
  // The value /metrics shows for `series`, written as the text format writes
  // it ("name", or "name{label=\"value\",...}" with labels in name order);
  // nullopt when it is not there.
  std::optional<double> metric(std::string_view series) const;

 private:
  TempDir dir_;
  int port_;
  std::string log_path_;
  std::optional<Process> process_;
};

}  // namespace tocsin::test
