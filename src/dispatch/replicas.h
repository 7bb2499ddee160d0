// What one replica knows of the cluster it shares a database with
// (store/cluster.h): the replicas alive at the last announcement, and the
// claims it makes before sending a notification.
//
// When the database cannot be reached, no claim can be made; then each
// notification is sent by the one replica that rendezvous hashing of its
// group key picks among the replicas last known alive, so that replicas
// that agree on who is alive (the usual case: the database went away for
// all of them at once) still send each notification once. A replica that
// disagrees (it missed a join or a departure just before) may make one
// duplicate or leave one notification to a replica that is gone.
//
// Threads: every method is safe from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/time.h>

#include "store/cluster.h"

namespace tocsin::dispatch {

class Replicas {
 public:
  // `cluster` must not be null.
  explicit Replicas(std::shared_ptr<store::Cluster> cluster);

  store::Cluster& cluster() const { return *cluster_; }
  const std::string& self() const { return cluster_->replica(); }

  // The replicas alive as of the last announcement (this one among them).
  void update(std::vector<store::ReplicaRow> live);
  std::vector<store::ReplicaRow> live() const;

  // Whether this replica is the one rendezvous hashing picks for `key`
  // among those last known alive (itself when it knows of none).
  bool preferred(std::string_view key) const;

 private:
  const std::shared_ptr<store::Cluster> cluster_;
  mutable std::mutex mu_;
  std::vector<store::ReplicaRow> live_;  // guarded by mu_
};

// The rendezvous weight of `replica` for `key`: FNV-1a 64 of both, so that
// every replica, whatever its build, computes the same.
std::uint64_t rendezvous_weight(std::string_view replica, std::string_view key);

}  // namespace tocsin::dispatch
