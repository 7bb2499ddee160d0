// Every remote_write target of the running configuration, behind one
// append(): what Prometheus's remote.WriteStorage is to its rule manager.
// Each target has its own WriteQueue (write_queue.h) and WriteClient
// (write_client.h); append() hands every target a copy of the samples,
// each with the external labels it lacks added (as Prometheus labels what
// it remote-writes), and never waits for a receiver.
//
// A reload is two steps, so that it stays all-or-nothing: prepare() builds
// the clients of a configuration (the step that can fail), apply() swaps
// them in. A target whose configuration did not change keeps its queue and
// what it holds; a removed or changed one is stopped (flushing for up to
// its flush deadline), a new one starts.
//
// Threads: append() from any thread (rule group runners); prepare(),
// apply() and stop() from one control thread at a time.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include <tocsin/error.h>
#include <tocsin/series.h>
#include <tocsin/time.h>

#include "config/remote_write_config.h"
#include "remote/write_queue.h"
#include "remote/write_queue_metrics.h"

namespace tocsin::remote {

class RemoteStorage {
 public:
  struct Options {
    prometheus::Registry* registry = nullptr;  // required; must outlive the storage
    const Clock* clock = &Clock::system();     // for the queues; never null
    Duration flush_deadline = std::chrono::seconds(5);
  };

  // A configuration's targets with their clients built, for apply().
  struct Plan {
    struct Target {
      config::RemoteWriteConfig config;
      std::shared_ptr<const WriteClient> client;
    };
    std::vector<Target> targets;
  };

  explicit RemoteStorage(Options options);
  ~RemoteStorage();
  RemoteStorage(const RemoteStorage&) = delete;
  RemoteStorage& operator=(const RemoteStorage&) = delete;

  // Builds a client for each of `configs`; every error together.
  static std::expected<Plan, std::vector<Error>> prepare(
      const std::vector<config::RemoteWriteConfig>& configs);

  // Runs `plan`'s targets from now on, labelling samples with
  // `external_labels` where they lack them.
  void apply(Plan plan, std::map<std::string, std::string> external_labels);

  // Whether any target is configured.
  bool empty() const;

  // Queues `samples` for every target; never blocks on sending.
  void append(std::vector<SeriesSample> samples);

  // Stops every target (each flushing for up to the flush deadline).
  void stop();

 private:
  // Shared with the snapshots append() may still hold: the queue and its
  // metrics go with the last of them.
  struct Target {
    Target(config::RemoteWriteConfig c, std::string n, RemoteWriteMetrics& m)
        : config(std::move(c)), name(std::move(n)), metrics(m) {}
    ~Target();
    Target(const Target&) = delete;
    Target& operator=(const Target&) = delete;

    const config::RemoteWriteConfig config;
    const std::string name;
    RemoteWriteMetrics& metrics;
    std::unique_ptr<WriteQueue> queue;
  };
  struct State {
    std::vector<std::shared_ptr<Target>> targets;
    std::map<std::string, std::string> external_labels;
  };

  std::shared_ptr<Target> start_target(Plan::Target planned);
  void retire(std::vector<std::shared_ptr<Target>> targets);

  const Options options_;
  RemoteWriteMetrics metrics_;
  mutable std::mutex mu_;
  std::shared_ptr<const State> state_;  // guarded by mu_; replaced, never changed
};

}  // namespace tocsin::remote
