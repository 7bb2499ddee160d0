// A store for tests that keeps every batch it is asked to write, in order.
// The writer owns it; the test keeps a pointer and reads it once the writer
// has written what it waits for. Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace tocsin::test {

class RecordingStore final : public store::Store {
 public:
  const std::string& name() const override { return name_; }
  Result<std::size_t> purge_history(Timestamp, std::size_t) override { return 0; }
  Result<store::HistoryPage> history(const store::HistoryQuery&) override {
    return store::HistoryPage{};
  }
  Result<std::uint64_t> size_bytes() override { return 0; }
  Result<store::StoredState> load() override { return store::StoredState{}; }
  Status write(const store::Batch& batch) override {
    std::lock_guard lock(mu_);
    changes_.insert(changes_.end(), batch.begin(), batch.end());
    return {};
  }

  // Every change written so far; clears the record.
  std::vector<store::Change> take() {
    std::lock_guard lock(mu_);
    return std::exchange(changes_, {});
  }

 private:
  const std::string name_ = "recording.db";
  std::mutex mu_;
  std::vector<store::Change> changes_;
};

}  // namespace tocsin::test
