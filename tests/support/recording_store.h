// Test doubles of store::Store: StubStore holds nothing and keeps no
// history, for doubles that only decide what a write does; RecordingStore
// keeps every batch it is asked to write, in order. The writer owns them;
// the test keeps a pointer and reads it once the writer has written what it
// waits for. Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace tocsin::test {

class StubStore : public store::Store {
 public:
  explicit StubStore(std::string name) : name_(std::move(name)) {}

  const std::string& name() const override { return name_; }
  Result<store::StoredState> load() override { return store::StoredState{}; }
  Result<std::size_t> purge_history(Timestamp, std::size_t) override { return 0; }
  Result<store::HistoryPage> history(const store::HistoryQuery&) override {
    return store::HistoryPage{};
  }
  Result<std::uint64_t> size_bytes() override { return 0; }

 private:
  const std::string name_;
};

class RecordingStore final : public StubStore {
 public:
  RecordingStore() : StubStore("recording.db") {}

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
  std::mutex mu_;
  std::vector<store::Change> changes_;
};

}  // namespace tocsin::test
