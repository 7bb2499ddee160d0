#include "dispatch/dispatcher.h"

#include <algorithm>

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;

// Alertmanager gives a flush at least this long to notify (notify.MinTimeout).
constexpr Duration kMinFlushTimeout = 10s;
constexpr Duration kMaintenanceInterval = 30s;

}  // namespace

Labels group_labels(const Route& route, const Labels& alert_labels) {
  if (route.options().group_by_all) return alert_labels;
  LabelsBuilder b;
  for (const std::string& name : route.options().group_by) {
    if (auto v = alert_labels.get(name)) b.set(name, *v);
  }
  return b.labels();
}

Dispatcher::Dispatcher(std::shared_ptr<const Route> root, FlushFunc flush, const Clock& clock)
    : root_(std::move(root)),
      flush_(std::move(flush)),
      clock_(clock),
      timer_([this](std::stop_token s) { run(s); }) {}

Dispatcher::~Dispatcher() {
  stop();
}

void Dispatcher::process(const notify::Alert& alert) {
  AlertPtr copy = std::make_shared<const notify::Alert>(alert);
  process(std::span<const AlertPtr>(&copy, 1));
}

void Dispatcher::process(std::span<const AlertPtr> alerts) {
  if (alerts.empty()) return;
  Timestamp now = clock_.now();
  std::lock_guard lock(mu_);
  if (stopped_) return;
  // The timer needs waking only when a flush may come due sooner: a new
  // group, or a group whose first flush moved earlier.
  bool sooner = false;
  std::vector<const Route*> routes;  // one allocation for the batch
  for (const AlertPtr& alert : alerts) {
    routes.clear();
    root_->match_into(alert->labels, routes);
    for (const Route* route : routes) {
      Labels labels = group_labels(*route, alert->labels);
      auto key = std::make_pair(route, labels.fingerprint());
      auto it = groups_.find(key);
      if (it == groups_.end()) {
        it =
            groups_.emplace(key, std::make_shared<AggregationGroup>(*route, std::move(labels), now))
                .first;
        sooner = true;
      }
      if (it->second->insert(alert, now)) sooner = true;
    }
  }
  if (!sooner) return;
  ++changes_;
  wake_.notify_all();
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  timer_.request_stop();
  wake_.notify_all();
  if (timer_.joinable()) timer_.join();
  flushes_stop_.request_stop();
  std::vector<Worker> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  workers.clear();  // joins every flush
}

void Dispatcher::run(std::stop_token stop) {
  Timestamp next_maintenance = clock_.now() + kMaintenanceInterval;
  std::unique_lock lock(mu_);
  while (!stop.stop_requested()) {
    std::uint64_t seen = changes_;
    Timestamp now = clock_.now();
    Timestamp wake_at = next_maintenance;
    for (const auto& [key, group] : groups_) {
      if (in_flight_.contains(group.get())) continue;
      Timestamp due = group->next_flush();
      if (due <= now) {
        start_flush(group, now);
      } else {
        wake_at = std::min(wake_at, due);
      }
    }
    if (now >= next_maintenance) {
      drop_empty_groups();
      next_maintenance = now + kMaintenanceInterval;
      wake_at = std::min(wake_at, next_maintenance);
    }
    std::erase_if(workers_, [](const Worker& w) { return w.done->load(); });
    clock_.wait_until(lock, wake_, wake_at, stop, [&] { return changes_ != seen; });
  }
}

void Dispatcher::start_flush(const std::shared_ptr<AggregationGroup>& group, Timestamp now) {
  const config::RouteOptions& options = group->route().options();
  group->set_next_flush(now + options.group_interval);
  group->mark_flushed();
  Flush flush;
  flush.route = &group->route();
  flush.group_key = group->key();
  flush.group_labels = group->labels();
  flush.alerts = group->alerts_to_flush(now);
  flush.now = now;
  flush.deadline = now + std::max(options.group_interval, kMinFlushTimeout);
  if (flush.alerts.empty()) return;

  in_flight_.insert(group.get());
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::stop_token cancel = flushes_stop_.get_token();
  workers_.push_back(Worker{std::jthread([this, group, flush = std::move(flush), done, cancel] {
                              bool ok = flush_(flush, cancel);
                              if (ok) group->forget_sent_resolved(flush.alerts, clock_.now());
                              {
                                std::lock_guard lock(mu_);
                                in_flight_.erase(group.get());
                                ++changes_;
                              }
                              done->store(true);
                              wake_.notify_all();
                            }),
                            done});
}

void Dispatcher::drop_empty_groups() {
  std::erase_if(groups_, [&](const auto& entry) {
    return !in_flight_.contains(entry.second.get()) && entry.second->empty();
  });
}

std::vector<Dispatcher::GroupView> Dispatcher::groups() const {
  std::lock_guard lock(mu_);
  std::vector<GroupView> out;
  out.reserve(groups_.size());
  for (const auto& [key, group] : groups_) {
    out.push_back(GroupView{&group->route(), group->labels(), group->key(), group->alerts()});
  }
  return out;
}

std::size_t Dispatcher::group_count() const {
  std::lock_guard lock(mu_);
  return groups_.size();
}

}  // namespace tocsin::dispatch
