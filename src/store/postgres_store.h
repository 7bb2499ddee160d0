// The Store on PostgreSQL (Debian's libpq), for --storage.url
// postgres://...: the same tables, columns and schema versions as the
// SQLite store (schema.h), read and written through the same row codec, so
// that everything tocsin keeps behaves the same on either.
//
// - The URL is libpq's: postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=...
//   or key=value pairs; every libpq parameter works (sslmode,
//   sslrootcert, sslcert, sslkey, connect_timeout, ...), and so do libpq's
//   environment variables (PGPASSWORD, PGPASSFILE, PGSSLMODE, ...), which
//   keep a password out of the process list. The store's name, in logs
//   and messages, never shows the password.
// - Two connections: one for load, writes and the history purge, one for
//   history reads and the size, so that a read never waits for a write.
// - A batch is one transaction, sent in libpq's pipeline mode: one round
//   trip for the whole batch, not one per change.
// - The schema is migrated forward at open, in one transaction holding a
//   transaction-level advisory lock, so that tocsins started together
//   migrate once.
// - Several tocsins (replicas) may share one database (cluster.h): every
//   transaction first takes the change log's advisory lock, so that the
//   log's order is the commit order, and the database's triggers record
//   each change of a shared table with the replica that made it.
// - A connection that broke (the server restarted, the network went away)
//   is opened anew by the next call; the call
//   that found it broken fails, and the writer retries it with backoff
//   (writer.h), so a database that comes back gets every queued change. (A
//   commit whose answer was lost is retried too: its upserts are the same
//   again, its history events are recorded twice.) A history read found
//   broken is tried once more on a new connection.
//
// Threads: none of its own; load/write/purge_history from one thread at a
// time, history/size_bytes from any (store.h).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "store/store.h"

namespace tocsin::store {

struct PostgresOptions {
  // How long to wait for a connection when the URL does not say
  // (connect_timeout).
  Duration connect_timeout = std::chrono::seconds(10);
  // How long one statement may run before the server cancels it.
  Duration statement_timeout = std::chrono::seconds(30);
  // How long the server lets a session sit idle inside a transaction
  // before it ends it: a tocsin paused (SIGSTOP, a stalled VM) or cut off
  // in the middle of one must not hold the change log's lock, and so every
  // other replica's writes, for longer than this.
  Duration idle_in_transaction_timeout = std::chrono::seconds(5);
  // This replica's id (cluster.h): the change log records it as the origin
  // of what this tocsin writes. Empty: a tocsin that follows no log.
  std::string replica{};
};

// Whether `url` names a PostgreSQL database (postgres:// or postgresql://).
bool is_postgres_url(std::string_view url);

// Connects to the database `url` names, checks it and migrates it to
// latest_schema_version(). Each refusal says what is wrong, naming the
// database without its password: an unparsable URL, a server that cannot
// be reached or refuses the login, a database written by a newer tocsin.
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url,
                                                   const PostgresOptions& options = {});

// The URL without its password, as the store names itself:
// "postgres://tocsin@db.example:5432/tocsin". An unparsable URL is refused.
Result<std::string> redacted_postgres_url(const std::string& url);

}  // namespace tocsin::store
