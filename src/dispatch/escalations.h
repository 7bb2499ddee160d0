// Escalation progress: when each aggregation group with a route's
// `escalation:` first fired in its current episode. Each step notifies its
// receiver once `after` has passed since then; a step counts as done once
// the notification log says its receiver was told after that moment (so
// what was sent and what is done cannot disagree: the log is written only
// after a send succeeded). An episode ends at a flush with nothing firing,
// and the next firing starts a new one.
//
// Durability: `start` queues the group's row and returns its sequence; the
// pipeline waits for it before any step is sent, so a restart never moves
// an episode's start (which would repeat a step already sent or delay the
// next). `end` is queued and not waited for: a crash before it is written
// keeps the old episode, so if the group fires again its steps' receivers
// are told at once rather than after their delays (more pages, never
// fewer), until a flush with nothing firing ends it.
//
// Threads: every method from any thread (flushes of different groups run
// at once). Time is always an argument.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/time.h>

#include "store/store.h"
#include "store/writer.h"

namespace tocsin::dispatch {

class Escalations {
 public:
  explicit Escalations(std::shared_ptr<store::Writer> journal = nullptr)
      : journal_(std::move(journal)) {}

  void restore(const std::vector<store::EscalationRow>& rows);

  struct Episode {
    Timestamp first_fired{};
    store::Writer::Sequence stored = 0;  // wait for it before sending a step; 0: nothing to wait
  };
  // The group's episode, started at `now` if it has none.
  Episode start(std::string_view group_key, Timestamp now);
  // The group's episode start, if one runs.
  std::optional<Timestamp> first_fired(std::string_view group_key) const;
  // Ends the group's episode, if one runs.
  void end(std::string_view group_key);

  const std::shared_ptr<store::Writer>& journal() const { return journal_; }

 private:
  const std::shared_ptr<store::Writer> journal_;
  mutable std::mutex mu_;
  std::map<std::string, Timestamp, std::less<>> episodes_;  // guarded by mu_
};

}  // namespace tocsin::dispatch
