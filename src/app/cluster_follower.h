// The thread that keeps one replica in its cluster (store/cluster.h): it
// announces the replica every `announce_interval` (so the others count it
// alive, and learns who else is), renews its rule group leases after each
// announcement (rule_leases.h), and follows the change log, taking what
// other replicas wrote into the notification service — at once when the
// database's NOTIFY wakes it, and at least every `poll_interval` anyway
// (NOTIFY is not durable: the log is the record).
//
// The database away: the follower logs it once, keeps trying every
// poll_interval, and reads on from where it was when the database is back;
// if it was away longer than half the change log's retention it reads
// every shared row instead. Nothing it meets stops the daemon.
//
// Threads: its own; `start` and `stop` from the daemon's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <prometheus/registry.h>

#include <tocsin/time.h>

#include "app/rule_leases.h"
#include "dispatch/notification_service.h"
#include "dispatch/replicas.h"
#include "store/cluster.h"

namespace tocsin::app {

class ClusterFollower {
 public:
  struct Options {
    std::shared_ptr<dispatch::Replicas> replicas;  // never null
    // Where what other replicas changed goes.
    std::function<Status(const store::PeerChanges&)> merge;
    // Renewed after every announcement; may be null (no rules shared).
    RuleLeases* leases = nullptr;
    std::string address;         // where this replica's API listens, for the others
    std::int64_t read_from = 0;  // the change log's point the restored state is as of
    // Often enough that a lease (15 s) held by a replica that died passes
    // on within 18 s: its last announcement and renewal run out together,
    // and another replica renews within this (and a poll_interval) after.
    Duration announce_interval = std::chrono::seconds(2);
    // A replica not heard from for this long is no longer counted alive.
    Duration live_within = std::chrono::seconds(15);
    Duration poll_interval = std::chrono::seconds(1);
    prometheus::Registry* registry = nullptr;  // where its metrics go; none if null
  };

  explicit ClusterFollower(Options options);
  ~ClusterFollower();  // stops, and leaves the cluster
  ClusterFollower(const ClusterFollower&) = delete;
  ClusterFollower& operator=(const ClusterFollower&) = delete;

  // Announces the replica once (so that it counts as alive before it
  // serves), then starts the thread.
  void start();
  void stop();

  // Reads and merges what changed since the last read, now (tests).
  Status follow();

 private:
  void run(std::stop_token stop);
  void announce();
  // Logs `what` failing once, until it works again.
  void failed(std::string_view what, const Error& error);
  void recovered();

  // tocsin_cluster_*: the replicas alive, the change log's point read up
  // to, changes taken, and the database's failures as the follower met
  // them. Null without a registry.
  struct Metrics;
  std::unique_ptr<Metrics> metrics_;

  const Options options_;
  std::int64_t through_;  // the change log's point read up to; the thread's
  std::chrono::steady_clock::time_point last_read_;
  std::chrono::steady_clock::time_point last_announce_{};
  bool failing_ = false;
  std::jthread thread_;
};

}  // namespace tocsin::app
