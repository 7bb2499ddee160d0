#include "store/postgres_store.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "core/log.h"
#include "store/postgres_cluster.h"
#include "store/postgres_connection.h"
#include "store/row_codec.h"
#include "store/schema.h"

namespace tocsin::store {
namespace {

using pg::Connection;
using pg::ok;
using pg::one_line;
using pg::Params;
using pg::PgColumns;
using pg::PgResult;
using pg::upsert;
using namespace pg::columns;

// The advisory lock a migration holds (a transaction-level one: tocsins
// started together migrate once). The change log's is in postgres_cluster.h.
constexpr std::int64_t kMigrationLock = 0x746f6373696e0002;

// Queries sent in one pipeline round trip before their results are read:
// bounds what the server buffers for a client still sending.
constexpr std::size_t kPipelineChunk = 256;
// Rows one history read fetches at a time while its matchers run.
constexpr std::size_t kHistoryChunk = 1000;

// Every row of a table, in the order `order_by` gives; text keys in byte
// order (COLLATE "C"), as SQLite's BINARY collation sorts them, whatever
// the database's own collation.
std::string select_all(std::string_view table, std::span<const std::string_view> columns,
                       std::string_view order_by) {
  return fmt::format("SELECT {} FROM {} ORDER BY {}", pg::column_list(columns), table, order_by);
}

// The statements the writing connection prepares, by name.
struct Prepared {
  const char* name;
  std::string sql;
};

std::vector<Prepared> prepared_statements() {
  return {
      {"lock_change_log", fmt::format("SELECT pg_advisory_xact_lock({})", kChangeLogLock)},
      {"put_silence", upsert("silences", kSilenceColumns, 1)},
      {"purge_silences", "DELETE FROM silences WHERE expires_at <= $1"},
      {"put_notification", upsert("notification_log", kNotificationColumns, 4)},
      {"purge_notifications", "DELETE FROM notification_log WHERE expires_at <= $1"},
      {"put_rule_alert", upsert("rule_alerts", kRuleAlertColumns, 3)},
      {"delete_rule_alert",
       "DELETE FROM rule_alerts WHERE group_key = $1 AND rule_key = $2 AND fingerprint = $3"},
      {"put_rule_group", upsert("rule_groups", kRuleGroupColumns, 1)},
      {"delete_rule_group_alerts", "DELETE FROM rule_alerts WHERE group_key = $1"},
      {"delete_rule_group", "DELETE FROM rule_groups WHERE group_key = $1"},
      {"put_alert", upsert("alerts", kAlertColumns, 1)},
      {"purge_alerts", "DELETE FROM alerts WHERE ends_at != 0 AND ends_at <= $1"},
      {"put_heartbeat", upsert("heartbeats", kHeartbeatColumns, 1)},
      {"delete_heartbeat", "DELETE FROM heartbeats WHERE name = $1"},
      {"put_acknowledgement", upsert("acknowledgements", kAcknowledgementColumns, 1)},
      {"delete_acknowledgement", "DELETE FROM acknowledgements WHERE id = $1"},
      {"put_escalation", upsert("escalations", kEscalationColumns, 1)},
      {"delete_escalation", "DELETE FROM escalations WHERE group_key = $1"},
      {"append_history",
       "INSERT INTO history (at, kind, state, fingerprint, alertname, labels, receiver, "
       "integration, group_key, by, details) "
       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"},
      {"purge_history",
       "DELETE FROM history WHERE id IN "
       "(SELECT id FROM history WHERE at < $1 ORDER BY at LIMIT $2)"},
  };
}

// The prepared statement a step runs, by name (prepared_statements()).
const char* statement_name(StatementId id) {
  static constexpr const char* kNames[] = {"put_silence",
                                           "purge_silences",
                                           "put_notification",
                                           "purge_notifications",
                                           "put_rule_alert",
                                           "delete_rule_alert",
                                           "put_rule_group",
                                           "delete_rule_group_alerts",
                                           "delete_rule_group",
                                           "put_alert",
                                           "purge_alerts",
                                           "put_heartbeat",
                                           "delete_heartbeat",
                                           "put_acknowledgement",
                                           "delete_acknowledgement",
                                           "put_escalation",
                                           "delete_escalation",
                                           "append_history"};
  static_assert(std::size(kNames) == kStatementCount);
  return kNames[static_cast<std::size_t>(id)];
}

class PostgresStore final : public Store {
 public:
  static Result<std::unique_ptr<Store>> open(const std::string& url,
                                             const PostgresOptions& options);

  const std::string& name() const override { return name_; }
  Result<StoredState> load() override;
  Status write(const Batch& batch) override;
  Result<std::size_t> purge_history(Timestamp before, std::size_t max_events) override;
  Result<HistoryPage> history(const HistoryQuery& query) override;
  Result<std::uint64_t> size_bytes() override;

 private:
  PostgresStore(std::string url, std::string name, PostgresOptions options)
      : db_(std::move(url), name, std::move(options)), name_(std::move(name)) {}

  Error error(std::string_view doing, PGconn* connection, const PGresult* result = nullptr) const {
    return db_.error(doing, connection, result);
  }
  Result<Connection> connect() const { return db_.connect(); }
  Result<PgResult> exec(PGconn* connection, const std::string& sql, const Values& values,
                        std::string_view doing) const {
    return db_.exec(connection, sql, values, doing);
  }
  // The writing connection, opened anew (statements prepared) if it is not
  // open or broke.
  Result<PGconn*> writer();
  Status migrate(PGconn* connection) const;
  Status prepare(PGconn* connection) const;
  // The reading connection, opened anew if needed; under reader_mu_.
  Result<PGconn*> reader();
  // Runs a read on the reading connection, once more on a new connection
  // if the first was found broken; under reader_mu_.
  Result<PgResult> read(const std::string& sql, const Values& values, std::string_view doing);
  // Runs `steps` in one transaction on `connection`.
  Status run_batch(PGconn* connection, const std::vector<Step>& steps);

  const pg::Database db_;
  const std::string name_;
  Connection writer_;
  std::mutex reader_mu_;
  Connection reader_;  // guarded by reader_mu_
};

Status PostgresStore::migrate(PGconn* connection) const {
  auto run = [&](const std::string& sql, std::string_view doing) -> Result<PgResult> {
    PgResult result(PQexec(connection, sql.c_str()));
    if (result == nullptr || !ok(result.get())) {
      return std::unexpected(error(doing, connection, result.get()));
    }
    return result;
  };
  if (auto begun = run("BEGIN", "starting the migration"); !begun)
    return std::unexpected(begun.error());
  auto done = [&](Status s) {
    if (!s) PgResult(PQexec(connection, "ROLLBACK"));
    return s;
  };
  // Tocsins started together wait here for the first one's migration.
  if (auto locked = exec(connection, "SELECT pg_advisory_xact_lock($1)", {kMigrationLock},
                         "waiting for another tocsin's migration");
      !locked) {
    return done(std::unexpected(locked.error()));
  }
  if (auto made = run("CREATE TABLE IF NOT EXISTS tocsin_schema (version INTEGER NOT NULL)",
                      "creating tocsin_schema");
      !made) {
    return done(std::unexpected(made.error()));
  }
  auto read = run("SELECT version FROM tocsin_schema", "reading the schema version");
  if (!read) return done(std::unexpected(read.error()));
  if (PQntuples(read->get()) > 1) {
    return done(fail(fmt::format("{}: corrupt (tocsin_schema holds {} rows; it holds one)", name_,
                                 PQntuples(read->get()))));
  }
  const int version = PQntuples(read->get()) == 0 ? 0 : std::atoi(PQgetvalue(read->get(), 0, 0));
  const int latest = latest_schema_version();
  if (version > latest) {
    return done(fail(fmt::format(
        "{}: written by a newer tocsin (schema version {}; this tocsin knows versions up to {}): "
        "run that tocsin or a newer one, or point this one at another database",
        name_, version, latest)));
  }
  if (version == 0) {
    auto tables = run(
        "SELECT string_agg(table_name, ', ' ORDER BY table_name) FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_name IN ('silences', "
        "'notification_log', 'rule_alerts', 'rule_groups', 'alerts', 'history', 'heartbeats', "
        "'acknowledgements', 'escalations')",
        "reading the tables");
    if (!tables) return done(std::unexpected(tables.error()));
    if (PQgetisnull(tables->get(), 0, 0) == 0) {
      return done(fail(
          fmt::format("{}: not a tocsin database (it holds tables named {} but no schema version "
                      "in tocsin_schema)",
                      name_, PQgetvalue(tables->get(), 0, 0))));
    }
  }
  auto commit = [&]() -> Status {
    if (auto c = run("COMMIT", "ending the migration"); !c) return std::unexpected(c.error());
    return {};
  };
  if (version == latest) return done(commit());
  for (const Migration& m : postgres_migrations()) {
    if (m.version <= version) continue;
    log::info("Migrating the store", {{"database", name_},
                                      {"from_version", m.version - 1},
                                      {"to_version", m.version},
                                      {"change", m.description}});
    if (auto applied =
            run(std::string(m.sql), fmt::format("migrating to schema version {}", m.version));
        !applied) {
      return done(std::unexpected(applied.error()));
    }
  }
  if (auto set = run(
          fmt::format("DELETE FROM tocsin_schema; INSERT INTO tocsin_schema VALUES ({})", latest),
          "setting the schema version");
      !set) {
    return done(std::unexpected(set.error()));
  }
  return done(commit());
}

Status PostgresStore::prepare(PGconn* connection) const {
  for (const Prepared& p : prepared_statements()) {
    PgResult result(PQprepare(connection, p.name, p.sql.c_str(), 0, nullptr));
    if (result == nullptr || !ok(result.get())) {
      return std::unexpected(
          error(fmt::format("preparing \"{}\"", p.sql), connection, result.get()));
    }
  }
  return {};
}

Result<std::unique_ptr<Store>> PostgresStore::open(const std::string& url,
                                                   const PostgresOptions& options) {
  auto name = redacted_postgres_url(url);
  if (!name) return std::unexpected(name.error());
  std::unique_ptr<PostgresStore> store(new PostgresStore(url, *name, options));
  auto connection = store->connect();
  if (!connection) return std::unexpected(connection.error());
  if (Status s = store->migrate(connection->get()); !s) return std::unexpected(s.error());
  if (Status s = store->prepare(connection->get()); !s) return std::unexpected(s.error());
  store->writer_ = std::move(*connection);
  return std::unique_ptr<Store>(std::move(store));
}

Result<PGconn*> PostgresStore::writer() {
  if (writer_ != nullptr && PQstatus(writer_.get()) == CONNECTION_OK) return writer_.get();
  if (writer_ != nullptr) {
    log::warn("The connection to the database broke; connecting again", {{"database", name_}});
    writer_.reset();
  }
  auto connection = connect();
  if (!connection) return std::unexpected(connection.error());
  if (Status s = prepare(connection->get()); !s) return std::unexpected(s.error());
  writer_ = std::move(*connection);
  log::info("Connected to the database again", {{"database", name_}});
  return writer_.get();
}

Result<PGconn*> PostgresStore::reader() {
  if (reader_ != nullptr && PQstatus(reader_.get()) == CONNECTION_OK) return reader_.get();
  reader_.reset();
  auto connection = connect();
  if (!connection) return std::unexpected(connection.error());
  reader_ = std::move(*connection);
  return reader_.get();
}

Result<StoredState> PostgresStore::load() {
  auto connection = writer();
  if (!connection) return std::unexpected(connection.error());
  StoredState state;
  auto read = [&](std::string_view table, std::span<const std::string_view> columns,
                  std::string_view order_by, std::string_view what, auto decode,
                  auto& out) -> Status {
    auto result = exec(*connection, select_all(table, columns, order_by), {},
                       fmt::format("reading {}", what));
    if (!result) return std::unexpected(result.error());
    const int rows = PQntuples(result->get());
    out.reserve(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      PgColumns c(result->get(), i);
      auto row = decode(c);
      if constexpr (requires { row.has_value(); }) {
        if (!row) return fail(fmt::format("{}: {}", name_, row.error().message()));
        out.push_back(std::move(*row));
      } else {
        out.push_back(std::move(row));
      }
    }
    return {};
  };
  Status s = read("silences", kSilenceColumns, "id COLLATE \"C\"", "silences", silence_from,
                  state.silences);
  if (s) {
    s = read("notification_log", kNotificationColumns,
             "group_key COLLATE \"C\", receiver COLLATE \"C\", integration COLLATE \"C\", idx",
             "the notification log", notification_from, state.notifications);
  }
  if (s) {
    s = read("rule_alerts", kRuleAlertColumns,
             "group_key COLLATE \"C\", rule_key COLLATE \"C\", fingerprint COLLATE \"C\"",
             "rule alerts", rule_alert_from, state.rule_alerts);
  }
  if (s) {
    s = read("rule_groups", kRuleGroupColumns, "group_key COLLATE \"C\"", "rule groups",
             rule_group_from, state.rule_groups);
  }
  if (s)
    s = read("alerts", kAlertColumns, "fingerprint COLLATE \"C\"", "alerts", alert_from,
             state.alerts);
  if (s) {
    s = read("heartbeats", kHeartbeatColumns, "name COLLATE \"C\"", "heartbeats", heartbeat_from,
             state.heartbeats);
  }
  if (s) {
    s = read("acknowledgements", kAcknowledgementColumns, "id COLLATE \"C\"", "acknowledgements",
             acknowledgement_from, state.acknowledgements);
  }
  if (s) {
    s = read("escalations", kEscalationColumns, "group_key COLLATE \"C\"", "escalations",
             escalation_from, state.escalations);
  }
  if (!s) return std::unexpected(s.error());
  return state;
}

Status PostgresStore::run_batch(PGconn* connection, const std::vector<Step>& steps) {
  if (PQenterPipelineMode(connection) != 1) {
    return std::unexpected(error("starting a pipeline", connection));
  }
  // Reads the result of one query (and the null that ends it); the first
  // failure is kept.
  std::optional<Error> failed;
  auto read_one = [&](std::string_view doing) {
    PgResult result(PQgetResult(connection));
    if (result == nullptr) {
      if (!failed) failed = error(doing, connection);
      return false;
    }
    const ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_PIPELINE_SYNC) return true;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && !failed) {
      failed = error(doing, connection, result.get());
    }
    PgResult end(PQgetResult(connection));  // null: this query's results are done
    return true;
  };
  auto send = [&](const char* sql, const Params* params, const char* prepared) {
    if (prepared != nullptr) {
      return PQsendQueryPrepared(connection, prepared, params->size(), params->values(), nullptr,
                                 nullptr, 0) == 1;
    }
    return PQsendQueryParams(connection, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  };
  std::vector<std::string_view> doing;  // of each query sent since the last sync
  auto sync = [&] {
    if (PQpipelineSync(connection) != 1) {
      if (!failed) failed = error("sending a batch", connection);
      return false;
    }
    for (std::string_view d : doing) {
      if (!read_one(d)) return false;
    }
    doing.clear();
    // The sync's own result.
    PgResult result(PQgetResult(connection));
    if (result == nullptr || PQresultStatus(result.get()) != PGRES_PIPELINE_SYNC) {
      if (!failed) failed = error("sending a batch", connection, result.get());
      return false;
    }
    return !failed;
  };

  bool going = send("BEGIN", nullptr, nullptr);
  doing.push_back("starting a transaction");
  // First, before any row is written: the change log's order is the order
  // in which transactions take this lock (postgres_cluster.h), and taking
  // it before any row lock keeps two replicas writing the same row from
  // deadlocking.
  if (going) {
    Params none(Values{});
    going = send(nullptr, &none, "lock_change_log");
    doing.push_back("waiting for the change log");
  }
  for (std::size_t i = 0; going && i < steps.size(); ++i) {
    Params params(steps[i].values);
    going = send(nullptr, &params, statement_name(steps[i].statement));
    doing.push_back(steps[i].doing);
    if (going && doing.size() >= kPipelineChunk) going = sync();
  }
  if (going) {
    going = send("COMMIT", nullptr, nullptr);
    doing.push_back("committing");
  }
  if (going) going = sync();
  if (!going && !failed) failed = error("sending a batch", connection);
  if (failed) {
    // The transaction is rolled back with the connection: the next call
    // opens a fresh one, with no half-read pipeline in it.
    writer_.reset();
    return std::unexpected(*failed);
  }
  PQexitPipelineMode(connection);
  return {};
}

Status PostgresStore::write(const Batch& batch) {
  if (batch.empty()) return {};
  auto connection = writer();
  if (!connection) return std::unexpected(connection.error());
  std::vector<Step> steps;
  steps.reserve(batch.size());
  for (const Change& change : batch) steps_of(change, steps);
  return run_batch(*connection, steps);
}

Result<std::size_t> PostgresStore::purge_history(Timestamp before, std::size_t max_events) {
  auto connection = writer();
  if (!connection) return std::unexpected(connection.error());
  Params params(
      {std::int64_t{before.time_since_epoch().count()}, static_cast<std::int64_t>(max_events)});
  PgResult result(PQexecPrepared(*connection, "purge_history", params.size(), params.values(),
                                 nullptr, nullptr, 0));
  if (result == nullptr || !ok(result.get())) {
    return std::unexpected(error("dropping old history", *connection, result.get()));
  }
  return static_cast<std::size_t>(std::strtoull(PQcmdTuples(result.get()), nullptr, 10));
}

Result<HistoryPage> PostgresStore::history(const HistoryQuery& query) {
  // The filters the database applies; the matchers run here, on chunks of
  // events read newest first by id (the primary key) until the page is
  // full or max_examined events were examined.
  std::string where;
  Values values;
  auto add = [&](std::string_view clause, Value value) {
    values.push_back(std::move(value));
    where += fmt::format(" AND {} ${}", clause, values.size());
  };
  if (query.from != Timestamp{}) add("at >=", std::int64_t{query.from.time_since_epoch().count()});
  if (query.to != Timestamp{}) add("at <=", std::int64_t{query.to.time_since_epoch().count()});
  if (!query.kind.empty()) add("kind =", query.kind);
  if (!query.state.empty()) add("state =", query.state);
  if (!query.receiver.empty()) add("receiver =", query.receiver);
  if (!query.alertname.empty()) add("alertname =", query.alertname);
  if (query.fingerprint != 0) add("fingerprint =", fingerprint_text(query.fingerprint));
  const std::size_t base = values.size();
  const std::string sql = fmt::format(
      "SELECT id, at, kind, state, fingerprint, labels, receiver, integration, group_key, by, "
      "details FROM history WHERE id < ${}{} ORDER BY id DESC LIMIT ${}",
      base + 1, where, base + 2);

  std::lock_guard lock(reader_mu_);
  HistoryCollector page(query);
  std::size_t read_rows = 0;
  std::int64_t before = query.before_id > 0 ? query.before_id : INT64_MAX;
  const std::size_t chunk = query.matches ? kHistoryChunk : std::max<std::size_t>(query.limit, 1);
  while (true) {
    // Never more rows than max_examined lets the collector examine.
    const std::size_t want = std::min(chunk, query.max_examined - read_rows);
    if (want == 0) return page.take();  // max_examined 0: nothing may be examined
    Values chunk_values = values;
    chunk_values.push_back(before);
    chunk_values.push_back(static_cast<std::int64_t>(want));
    auto result = read(sql, chunk_values, "reading the history");
    if (!result) return std::unexpected(result.error());
    const int rows = PQntuples(result->get());
    for (int i = 0; i < rows; ++i) {
      PgColumns columns(result->get(), i);
      auto more = page.add(columns);
      if (!more) return fail(fmt::format("{}: {}", name_, more.error().message()));
      if (!*more) return page.take();
      before = columns.integer(0);
    }
    read_rows += static_cast<std::size_t>(rows);
    if (static_cast<std::size_t>(rows) < want) return page.take();  // nothing older
  }
}

Result<std::uint64_t> PostgresStore::size_bytes() {
  std::lock_guard lock(reader_mu_);
  auto result = read(
      "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema() AND c.relkind = 'r'",
      {}, "reading its size");
  if (!result) return std::unexpected(result.error());
  return std::strtoull(PQgetvalue(result->get(), 0, 0), nullptr, 10);
}

Result<PgResult> PostgresStore::read(const std::string& sql, const Values& values,
                                     std::string_view doing) {
  // A connection the server closed (it restarted) shows only when used:
  // then the read is tried once more on a new one.
  for (int attempt = 0;; ++attempt) {
    auto connection = reader();
    if (!connection) return std::unexpected(connection.error());
    auto result = exec(*connection, sql, values, doing);
    if (result || PQstatus(*connection) == CONNECTION_OK || attempt > 0) {
      if (!result && PQstatus(*connection) != CONNECTION_OK) reader_.reset();
      return result;
    }
    reader_.reset();
  }
}

}  // namespace

bool is_postgres_url(std::string_view url) {
  return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

Result<std::string> redacted_postgres_url(const std::string& url) {
  char* why = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &why);
  if (options == nullptr) {
    std::string message = why != nullptr ? one_line(why) : "out of memory";
    PQfreemem(why);
    return fail(fmt::format("not a PostgreSQL URL: {}", message));
  }
  std::string user, host, port, dbname;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    std::string_view key = o->keyword;
    if (key == "user") user = o->val;
    if (key == "host") host = o->val;
    if (key == "port") port = o->val;
    if (key == "dbname") dbname = o->val;
  }
  PQconninfoFree(options);
  return fmt::format("postgres://{}{}{}{}/{}", user, user.empty() ? "" : "@", host,
                     port.empty() ? "" : ":" + port, dbname);
}

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url,
                                                   const PostgresOptions& options) {
  return PostgresStore::open(url, options);
}

}  // namespace tocsin::store
