#include "app/cluster_follower.h"

#include <condition_variable>
#include <mutex>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include "core/log.h"
#include "store/postgres_cluster.h"

namespace tocsin::app {
namespace {

// Change-log entries one read takes at most; the rest wait for the next.
constexpr std::size_t kMaxChangesPerRead = 10'000;

}  // namespace

struct ClusterFollower::Metrics {
  explicit Metrics(prometheus::Registry& registry)
      : replicas(prometheus::BuildGauge()
                     .Name("tocsin_cluster_replicas")
                     .Help("Replicas alive in the cluster, this one included, as of the last "
                           "announcement.")
                     .Register(registry)
                     .Add({})),
        position(prometheus::BuildGauge()
                     .Name("tocsin_cluster_change_log_position")
                     .Help("The point of the cluster's change log this replica has read up to.")
                     .Register(registry)
                     .Add({})),
        merged(prometheus::BuildCounter()
                   .Name("tocsin_cluster_changes_merged_total")
                   .Help("Rows other replicas wrote that this replica took.")
                   .Register(registry)
                   .Add({})),
        failures(prometheus::BuildCounter()
                     .Name("tocsin_cluster_failures_total")
                     .Help("Announcements and change-log reads that failed (the database away).")
                     .Register(registry)
                     .Add({})) {}
  prometheus::Gauge& replicas;
  prometheus::Gauge& position;
  prometheus::Counter& merged;
  prometheus::Counter& failures;
};

ClusterFollower::ClusterFollower(Options options)
    : metrics_(options.registry ? std::make_unique<Metrics>(*options.registry) : nullptr),
      options_(std::move(options)),
      through_(options_.read_from),
      last_read_(std::chrono::steady_clock::now()) {}

ClusterFollower::~ClusterFollower() {
  stop();
}

void ClusterFollower::start() {
  if (thread_.joinable()) return;
  announce();
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void ClusterFollower::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
  if (Status left = options_.replicas->cluster().leave(); !left) {
    log::warn(
        "Could not leave the cluster; the others count this replica gone once it is "
        "not heard from",
        {{"err", left.error().message()}});
  }
}

void ClusterFollower::announce() {
  last_announce_ = std::chrono::steady_clock::now();
  auto view = options_.replicas->cluster().announce(options_.address, options_.live_within);
  if (view) {
    if (metrics_) metrics_->replicas.Set(static_cast<double>(view->replicas.size()));
    options_.replicas->update(std::move(view->replicas));
  } else {
    failed("announcing this replica", view.error());
  }
  // Even when the announcement failed: a renewal failing too is what keeps
  // the leases held while the database is away.
  if (options_.leases != nullptr) {
    if (Status renewed = options_.leases->renew(); !renewed) {
      failed("renewing rule group leases", renewed.error());
    }
  }
}

Status ClusterFollower::follow() {
  store::Cluster& cluster = options_.replicas->cluster();
  const auto now = std::chrono::steady_clock::now();
  // Away longer than half the log's retention: what it dropped meanwhile
  // cannot be read, so everything is.
  const bool behind = now - last_read_ > store::kChangeLogRetention / 2;
  auto changes =
      behind ? cluster.everything() : cluster.changes_after(through_, kMaxChangesPerRead);
  if (!changes) return std::unexpected(changes.error());
  if (behind) log::info("Reading every shared row: this replica fell behind the change log");
  last_read_ = now;
  through_ = changes->through;
  // Set once what was read is merged: a reader of the gauge may count on it.
  struct SetPosition {
    Metrics* metrics;
    std::int64_t through;
    ~SetPosition() {
      if (metrics) metrics->position.Set(static_cast<double>(through));
    }
  } set_position{metrics_.get(), through_};
  if (changes->empty()) return {};
  if (metrics_) {
    const store::PeerChanges& c = *changes;
    metrics_->merged.Increment(static_cast<double>(
        c.silences.size() + c.acknowledgements.size() + c.removed_acknowledgements.size() +
        c.heartbeats.size() + c.removed_heartbeats.size() + c.alerts.size() +
        c.notifications.size()));
  }
  if (Status merged = options_.merge(*changes); !merged) {
    log::warn("Some changes of other replicas could not be taken",
              {{"err", merged.error().message()}});
  }
  return {};
}

void ClusterFollower::failed(std::string_view what, const Error& error) {
  if (metrics_) metrics_->failures.Increment();
  if (failing_) return;
  failing_ = true;
  log::warn(
      "The cluster's database cannot be reached; this replica goes on alone and catches "
      "up when it is back",
      {{"doing", what}, {"err", error.message()}});
}

void ClusterFollower::recovered() {
  if (!failing_) return;
  failing_ = false;
  log::info("The cluster's database is back; caught up with the other replicas");
}

void ClusterFollower::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    if (std::chrono::steady_clock::now() - last_announce_ >= options_.announce_interval) {
      announce();
    }
    auto woken = options_.replicas->cluster().wait_for_change(options_.poll_interval);
    if (stop.stop_requested()) break;
    if (!woken) {
      failed("waiting for changes", woken.error());
      // The listening connection is gone: wait a poll interval rather than
      // spin on connecting.
      std::mutex mu;
      std::unique_lock lock(mu);
      std::condition_variable_any().wait_for(lock, stop, options_.poll_interval,
                                             [] { return false; });
      continue;
    }
    if (Status s = follow(); !s) {
      failed("reading the change log", s.error());
      continue;
    }
    recovered();
  }
}

}  // namespace tocsin::app
