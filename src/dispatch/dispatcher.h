// Sorts alerts into aggregation groups by route and group_by labels, and
// flushes every group on its own schedule through the notification
// pipeline (Alertmanager's dispatch.Dispatcher).
//
// Threads: `process` may be called from any thread. One timer thread starts
// flushes when they come due; each flush runs on a thread of its own, so a
// receiver that never answers delays nobody else. A group's flushes never
// overlap: a flush that comes due while the previous one runs starts when
// that one ends. Empty groups are dropped every 30 seconds, as Alertmanager
// does (so an alert that returns soon after joins its old group).
//
// Time: "now" is read from the clock once per `process` call and per timer
// pass, and the timer waits on the clock, so a fake clock drives every
// flush.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <stop_token>
#include <thread>
#include <vector>

#include <tocsin/notify.h>

#include "dispatch/aggregation_group.h"
#include "dispatch/alert_store.h"
#include "dispatch/route.h"

namespace tocsin::dispatch {

// One flush of one group: what the pipeline notifies about.
struct Flush {
  const Route* route = nullptr;
  std::string group_key;
  Labels group_labels;
  std::vector<notify::Alert> alerts;
  Timestamp now{};       // the flush time, the pipeline's "now"
  Timestamp deadline{};  // notifications and their retries stop here
};

// Runs the pipeline; true when every receiver integration succeeded (then
// resolved alerts that were sent leave the group). Must return soon after
// `stop` is requested.
using FlushFunc = std::function<bool(const Flush& flush, std::stop_token stop)>;

class Dispatcher {
 public:
  // `clock` must outlive the dispatcher.
  Dispatcher(std::shared_ptr<const Route> root, FlushFunc flush,
             const Clock& clock = Clock::system());
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Routes `alert` and adds it to each group it belongs to.
  void process(const notify::Alert& alert);
  // The same for each alert, in order, sharing the given copies with the
  // groups.
  void process(std::span<const AlertPtr> alerts);

  // Cancels flushes under way and waits for them; no flush starts after.
  void stop();

  struct GroupView {
    const Route* route;
    Labels labels;
    std::string key;
    std::vector<notify::Alert> alerts;
  };
  std::vector<GroupView> groups() const;
  std::size_t group_count() const;

  const Route& root() const { return *root_; }

 private:
  struct Worker {
    std::jthread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  void run(std::stop_token stop);
  void start_flush(const std::shared_ptr<AggregationGroup>& group, Timestamp now);
  void drop_empty_groups();

  const std::shared_ptr<const Route> root_;
  const FlushFunc flush_;
  const Clock& clock_;

  mutable std::mutex mu_;
  std::condition_variable_any wake_;
  // By route, then by the fingerprint of the group labels.
  std::map<std::pair<const Route*, std::uint64_t>, std::shared_ptr<AggregationGroup>> groups_;
  std::set<const AggregationGroup*> in_flight_;
  std::vector<Worker> workers_;
  std::uint64_t changes_ = 0;      // counts what may move a flush time; wakes the timer
  std::stop_source flushes_stop_;  // cancels flushes under way
  bool stopped_ = false;
  std::jthread timer_;  // last: started once everything else exists
};

// The labels of `alert` a route groups by.
Labels group_labels(const Route& route, const Labels& alert_labels);

}  // namespace tocsin::dispatch
