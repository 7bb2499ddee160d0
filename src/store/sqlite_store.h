// The Store on SQLite (Debian's libsqlite3): one file, by default
// data/tocsin.db.
//
// - WAL mode: the writer appends to the log and readers (sqlite3 on the
//   command line, for one, and the store's own second, read-only
//   connection that serves history reads) do not block it.
// - synchronous=FULL: every commit syncs the log to the disk before it
//   returns, so what a commit acknowledged survives a power cut or a kernel
//   crash, not only a killed process (NORMAL in WAL mode would lose the last
//   commits to a power cut). The API promises that an answered silence is
//   kept; the writer batches changes into one commit, so the sync is paid per
//   batch, never on the evaluation or dispatch threads.
// - busy_timeout: a statement waits this long for another connection's lock
//   before it fails with "database is locked" (and the writer retries).
// - The schema is migrated forward at open, in one transaction (schema.h).
// - Statements are prepared once per connection and reused.
// - The file is held with an exclusive flock(2) while open, so a second
//   tocsin pointed at the same --storage.path refuses to start instead of
//   sharing the file.
//
// - History reads build their statement for the filters given, so that
//   SQLite uses the index of the most selective one (store/schema.cpp).
//
// Threads: none of its own; load/write/purge_history from one thread at a
// time, history/size_bytes from any (store.h).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "store/store.h"

namespace tocsin::store {

struct SqliteOptions {
  Duration busy_timeout = std::chrono::seconds(5);
};

// Opens the database at `path`, creating it (and its directory) when
// missing, checks it and migrates it to latest_schema_version(); ":memory:"
// is a database that lives in memory only. Each refusal names the file and
// says what is wrong: a directory that cannot be created or written, a file
// that cannot be read, a file that is not a database or is corrupt
// (PRAGMA quick_check of every table but the history, whose size would
// make every start slow), a file written by a newer tocsin's schema, a file in
// use by another tocsin.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const SqliteOptions& options = {});

}  // namespace tocsin::store
