// The schema as a list of forward migrations, one list per backend.
// Version N is what migrations 1..N built. SQLite keeps a database's
// version in its `PRAGMA user_version`, PostgreSQL in the one-row table
// tocsin_schema; either is set in the same transaction as the migrations
// that reach it, so a crash while migrating leaves the database at the old
// version, whole. (In SQLite, user_version rather than a table: one number
// in the file's header that cannot disagree with a table.)
//
// Never edit a migration that has shipped: add the next one, to both lists.
// Each earlier version has a SQLite fixture under tests/unit/store/testdata/
// that proves a file it wrote still opens.
#pragma once

#include <span>
#include <string_view>

namespace tocsin::store {

struct Migration {
  int version;                   // what user_version becomes once it is applied
  std::string_view description;  // for the log line that reports it
  std::string_view sql;          // one or more statements
};

// In version order, from 1: SQLite's.
std::span<const Migration> migrations();

// The same versions with the same tables, columns and indexes in
// PostgreSQL's dialect (postgres_store.h); a version's description is the
// same in both.
std::span<const Migration> postgres_migrations();

// The version this build writes: the last migration's.
int latest_schema_version();

}  // namespace tocsin::store
