// Where the notification pipeline's durable state (silences, the
// notification log) is kept between runs. A snapshot is a list of records,
// each a one-line JSON document the state's owner writes and reads back
// (silences.h, notification_log.h); a store only keeps them.
//
// Today's store is a file of JSON lines replaced atomically, as Alertmanager
// replaces its snapshot files; SQLite will implement the same interface.
// Implementations are thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <tocsin/error.h>

namespace tocsin::dispatch {

class SnapshotStore {
 public:
  virtual ~SnapshotStore() = default;

  // Replaces the stored snapshot with `records`, all or nothing. Records
  // hold no newline.
  virtual Status save(const std::vector<std::string>& records) = 0;

  // The records last saved, in order; none when nothing was saved yet.
  virtual Result<std::vector<std::string>> load() const = 0;
};

// One record a line in `path`. A save writes a temporary file beside it,
// syncs it and renames it over `path`, so a crash leaves the old snapshot or
// the new one, never half of one.
class FileSnapshotStore final : public SnapshotStore {
 public:
  explicit FileSnapshotStore(std::string path) : path_(std::move(path)) {}

  Status save(const std::vector<std::string>& records) override;
  Result<std::vector<std::string>> load() const override;

  const std::string& path() const { return path_; }

 private:
  const std::string path_;
  mutable std::mutex mu_;  // one save or load at a time
};

// Keeps the records in memory: for tests, and for running without a data
// directory.
class MemorySnapshotStore final : public SnapshotStore {
 public:
  Status save(const std::vector<std::string>& records) override;
  Result<std::vector<std::string>> load() const override;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> records_;  // guarded by mu_
};

}  // namespace tocsin::dispatch
