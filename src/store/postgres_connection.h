// What the PostgreSQL store and the cluster coordinator share of libpq:
// owning handles, statement parameters, result rows, errors that name the
// database without its password, and connecting with tocsin's session
// settings. Private to src/store.
//
// Threads: none of its own; a connection is used by one thread at a time.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <libpq-fe.h>

#include <tocsin/error.h>

#include "store/postgres_store.h"
#include "store/row_codec.h"

namespace tocsin::store::pg {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;
struct ConnectionDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using Connection = std::unique_ptr<PGconn, ConnectionDeleter>;

// libpq's messages end in a newline and may span lines (DETAIL, HINT):
// one line for a log field.
std::string one_line(std::string_view message);

// PostgreSQL's text holds valid UTF-8 without NUL bytes; anything else
// (which no API lets in, but a store must not be stopped by one row) is
// written with U+FFFD in place of each bad byte, as Go's encoders do.
std::string valid_text(std::string_view s);

// A statement's parameters as the text libpq sends.
class Params {
 public:
  explicit Params(const Values& values);
  int size() const { return static_cast<int>(pointers_.size()); }
  const char* const* values() const { return pointers_.data(); }

 private:
  std::vector<std::string> texts_;  // reserved: never reallocated under pointers_
  std::vector<const char*> pointers_;
};

// One row of a result in libpq's text format.
class PgColumns final : public Columns {
 public:
  PgColumns(const PGresult* result, int row) : result_(result), row_(row) {}
  bool is_null(int i) const override { return PQgetisnull(result_, row_, i) != 0; }
  std::string text(int i) const override;
  std::int64_t integer(int i) const override;
  double real(int i) const override;

 private:
  const PGresult* result_;
  int row_;
};

// Each table's columns, in the row codec's order (row_codec.h).
namespace columns {
inline constexpr std::string_view kSilenceColumns[] = {
    "id",      "matchers",   "starts_at",          "ends_at", "updated_at", "created_by",
    "comment", "expires_at", "ends_when_resolved", "matched", "schedule"};
inline constexpr std::string_view kNotificationColumns[] = {
    "group_key", "receiver",      "integration",     "idx",
    "timestamp", "firing_alerts", "resolved_alerts", "expires_at"};
inline constexpr std::string_view kRuleAlertColumns[] = {
    "group_key",         "rule_key", "fingerprint", "rule",     "labels",
    "annotations",       "state",    "active_at",   "fired_at", "resolved_at",
    "keep_firing_since", "value"};
inline constexpr std::string_view kRuleGroupColumns[] = {"group_key", "last_evaluation"};
inline constexpr std::string_view kAlertColumns[] = {"fingerprint",   "labels",  "annotations",
                                                     "starts_at",     "ends_at", "updated_at",
                                                     "generator_url", "timeout", "source"};
inline constexpr std::string_view kHeartbeatColumns[] = {"name",        "timeout",    "labels",
                                                         "annotations", "created_at", "renewed_at",
                                                         "missing",     "created_by"};
inline constexpr std::string_view kAcknowledgementColumns[] = {
    "id", "fingerprint", "group_key",  "covered",   "labels",
    "by", "comment",     "created_at", "expires_at"};
inline constexpr std::string_view kEscalationColumns[] = {"group_key", "first_fired_at"};

}  // namespace columns

// "a, b, c": the columns for a SELECT or an INSERT.
std::string column_list(std::span<const std::string_view> columns);

// An upsert of `table`'s row, keyed by its first `key_columns` columns:
// the row, or its replacement when its key is there; with `only_if`, a
// replacement only where that condition on the held row and EXCLUDED holds.
std::string upsert(std::string_view table, std::span<const std::string_view> columns,
                   std::size_t key_columns, std::string_view only_if = {});

// Whether a result is a success (a command or rows).
bool ok(const PGresult* r);

// A PostgreSQL array literal of `texts` ({"a","b\"c"}), for `= ANY($1)`.
std::string text_array(const std::vector<std::string>& texts);

// One database, named without its password, and how to connect to it.
class Database {
 public:
  Database(std::string url, std::string name, PostgresOptions options)
      : url_(std::move(url)), name_(std::move(name)), options_(std::move(options)) {}

  const std::string& name() const { return name_; }
  const PostgresOptions& options() const { return options_; }

  // "NAME: DOING: the server's or libpq's message".
  Error error(std::string_view doing, PGconn* connection, const PGresult* result = nullptr) const;
  // A new connection: UTF-8, the statement timeout, the replica's name in
  // the session (`tocsin.replica`, which the change log records).
  Result<Connection> connect() const;
  // Runs one statement with parameters.
  Result<PgResult> exec(PGconn* connection, const std::string& sql, const Values& values,
                        std::string_view doing) const;

 private:
  const std::string url_;
  const std::string name_;
  const PostgresOptions options_;
};

}  // namespace tocsin::store::pg
