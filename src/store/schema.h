// The SQLite schema as a list of forward migrations. Version N is what
// migrations 1..N built; a database's version is its `PRAGMA user_version`,
// which is set in the same transaction as the migrations that reach it, so
// a crash while migrating leaves the database at the old version, whole.
// (user_version, not a schema_migrations table: one number in the file's
// header that cannot disagree with a table.)
//
// Never edit a migration that has shipped: add the next one. Each earlier
// version has a fixture under tests/unit/store/testdata/ that proves a file
// it wrote still opens.
#pragma once

#include <span>
#include <string_view>

namespace tocsin::store {

struct Migration {
  int version;                   // what user_version becomes once it is applied
  std::string_view description;  // for the log line that reports it
  std::string_view sql;          // one or more statements
};

// In version order, from 1.
std::span<const Migration> migrations();

// The version this build writes: the last migration's.
int latest_schema_version();

}  // namespace tocsin::store
