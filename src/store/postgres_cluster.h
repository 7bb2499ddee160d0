// The Cluster (cluster.h) on PostgreSQL: replicas pointed at one database
// (postgres_store.h) coordinate through it.
//
// - The change log is the table `changes`, written by triggers on the
//   shared tables (silences, acknowledgements, heartbeats, alerts, the
//   notification log) in the writing transaction, with the replica's id
//   from the session (`tocsin.replica`). Every writing transaction takes
//   the advisory lock kChangeLogLock first, so the log's sequence order is
//   the commit order and a reader that has read up to N never later finds
//   an entry below N. The triggers NOTIFY `tocsin_changes`; NOTIFY is only
//   the wake-up, the log is the record (a replica that reconnects reads
//   on from where it was). Entries older than ten minutes are dropped.
// - Claims are rows of `notification_claims` taken with SELECT ... FOR
//   UPDATE; the epoch grows at every claim, and a settle only ends the
//   claim of its own epoch.
// - Time (liveness, claim expiry) is the database server's clock, so that
//   replicas whose clocks disagree still agree on it.
//
// Threads: `wait_for_change` uses a connection of its own and is called
// from one thread at a time; every other call is safe from any thread (they
// share one connection under a mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <tocsin/error.h>

#include "store/cluster.h"
#include "store/postgres_store.h"

namespace tocsin::store {

// The advisory lock every writing transaction takes first (0x746f6373696e0003).
inline constexpr std::int64_t kChangeLogLock = 0x746f6373696e0003;

// How long the change log keeps an entry: a replica that has not read it
// for longer reads everything again.
inline constexpr Duration kChangeLogRetention = std::chrono::minutes(10);

// Connects to the database `url` names as replica `options.replica` (which
// must not be empty). The schema must be there already: open the store
// first (open_postgres_store migrates it).
Result<std::unique_ptr<Cluster>> open_postgres_cluster(const std::string& url,
                                                       const PostgresOptions& options);

}  // namespace tocsin::store
