// Heartbeats, or dead man's switches (alerta's model): a sender posts
// `POST /api/v1/heartbeats/NAME` every so often; one not renewed within its
// timeout becomes the firing alert HeartbeatMissing{heartbeat="NAME"},
// routed, grouped, silenced and notified like any other, and resolves when
// the heartbeat is renewed (or deleted). Prometheus's always-firing
// `Watchdog` alert can renew one through a webhook receiver pointed at that
// URL (README, "Heartbeats").
//
// The missing alert is put into the alert store as a sender would post it:
// starting when the heartbeat went missing, re-put every `refresh` with its
// end three refreshes ahead, and put resolved on renewal.
//
// Durability: every change (creation, new timeout or labels, a renewal, the
// switch to missing, deletion) is queued to the store under the lock, and
// `renew` and `remove` wait for their commit before they answer, as a
// silence does. At restore, a heartbeat that was not missing gets a whole
// timeout from the restart before it can go missing (its sender may have
// tried to renew it while tocsin was down); one that was missing stays
// missing, and its alert fires on.
//
// History: "created", "updated" (new timeout, labels or annotations),
// "missing", "recovered" (renewed while missing) and "deleted", as kind
// "heartbeat"; plain renewals are not events.
//
// Threads: every method from any thread; one thread of its own watches the
// deadlines on Options::clock.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/labels.h>
#include <tocsin/notify.h>
#include <tocsin/time.h>

#include "store/store.h"
#include "store/writer.h"

namespace tocsin::dispatch {

struct Heartbeat {
  std::string name;
  Duration timeout{};
  Labels labels;       // added to the alert's (alertname and heartbeat excepted)
  Labels annotations;  // the alert's, over the default summary
  Timestamp created_at{};
  Timestamp renewed_at{};
  Timestamp due{};  // when it goes missing unless renewed
  bool missing = false;
  std::string created_by;
};

// What a renewal may say; unset fields keep what the heartbeat has (a new
// heartbeat's timeout defaults to kDefaultHeartbeatTimeout).
struct HeartbeatPost {
  std::optional<Duration> timeout;
  std::optional<Labels> labels;
  std::optional<Labels> annotations;
  std::string created_by;
};

inline constexpr Duration kDefaultHeartbeatTimeout = std::chrono::minutes(5);
inline constexpr std::string_view kHeartbeatAlertName = "HeartbeatMissing";

// Why a change was refused: kInvalid is 400, kNotFound 404, kTooMany 429,
// kNotDurable 500 (in force, not yet confirmed by the store).
struct HeartbeatError {
  enum class Kind { kInvalid, kNotFound, kTooMany, kNotDurable };
  Kind kind = Kind::kInvalid;
  std::string message;
};
template <typename T>
using HeartbeatResult = std::expected<T, HeartbeatError>;

class Heartbeats {
 public:
  // Where the missing alerts go (the alert store).
  using AlertSink = std::function<void(std::vector<notify::Alert>)>;

  struct Options {
    std::shared_ptr<store::Writer> journal;  // null: memory only
    AlertSink alerts;
    const Clock* clock = &Clock::system();  // never null; must outlive this
    // How often a missing heartbeat's alert is put again.
    Duration refresh = std::chrono::minutes(1);
    std::size_t max_heartbeats = 10'000;
    // How long renew and remove wait for the store's commit.
    Duration durable_timeout = std::chrono::seconds(10);
  };

  explicit Heartbeats(Options options);
  ~Heartbeats();  // stops
  Heartbeats(const Heartbeats&) = delete;
  Heartbeats& operator=(const Heartbeats&) = delete;

  // What the store held, before `start`.
  void restore(const std::vector<store::HeartbeatRow>& rows, Timestamp now);
  // Takes what other replicas wrote (cluster.h): a renewal there is a
  // renewal here; a removed heartbeat stops being watched. Queues nothing
  // and puts no alert: the replica that saw the change put its alert, and
  // alerts reach every replica.
  void merge_from_peers(const std::vector<store::HeartbeatRow>& rows,
                        const std::vector<std::string>& removed);
  // Starts watching: missing heartbeats fire from now on.
  void start();
  void stop();

  // Creates the heartbeat or renews it; a missing one recovers.
  HeartbeatResult<Heartbeat> renew(std::string_view name, const HeartbeatPost& post, Timestamp now);
  // Stops watching it; its alert, if firing, resolves.
  HeartbeatResult<void> remove(std::string_view name, Timestamp now);

  std::vector<Heartbeat> list() const;  // by name
  std::optional<Heartbeat> get(std::string_view name) const;

  // Marks every heartbeat past its due time missing and puts the alerts of
  // the missing ones; the watching thread calls it, tests may too.
  void check(Timestamp now);

 private:
  notify::Alert alert_of(const Heartbeat& h, Timestamp now, bool resolved) const;
  store::HistoryRow event(const Heartbeat& h, std::string_view state, Timestamp at,
                          std::string_view by) const;
  store::Writer::Sequence queue_locked(store::Batch changes);
  HeartbeatResult<void> durable(store::Writer::Sequence sequence, std::string_view name) const;
  void run(std::stop_token stop);

  const Options options_;
  mutable std::mutex mu_;
  std::condition_variable_any changed_;
  std::map<std::string, Heartbeat, std::less<>> heartbeats_;  // guarded by mu_
  Timestamp next_refresh_{};                                  // guarded by mu_
  std::uint64_t version_ = 0;  // counts changes, to wake the thread; guarded by mu_
  std::jthread thread_;
};

// A heartbeat's name: 1 to 128 of [A-Za-z0-9_.-].
Status validate_heartbeat_name(std::string_view name);

}  // namespace tocsin::dispatch
