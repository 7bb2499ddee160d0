#include "store/sqlite_store.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <variant>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "store/row_codec.h"
#include "store/schema.h"

namespace tocsin::store {
namespace {

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// Resets a statement when a step sequence ends, however it ends, so that it
// holds no lock and no bound value into the next use.
class Use {
 public:
  explicit Use(const Statement& statement) : s_(statement.get()) {}
  ~Use() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;

  Use& text(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Use& integer(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Use& time(int i, Timestamp t) { return integer(i, t.time_since_epoch().count()); }
  // NaN as NULL: SQLite would store it as NULL anyway, and say so here.
  Use& real(int i, double v) {
    if (std::isnan(v)) {
      sqlite3_bind_null(s_, i);
    } else {
      sqlite3_bind_double(s_, i, v);
    }
    return *this;
  }

  // Binds `values` to ?1, ?2, ... in order.
  Use& bind(const Values& values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              sqlite3_bind_null(s_, at);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              integer(at, v);
            } else if constexpr (std::is_same_v<T, double>) {
              real(at, v);
            } else {
              text(at, v);
            }
          },
          values[i]);
    }
    return *this;
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(s_); }

  bool column_is_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }

  std::string column_text(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, i));
    return p == nullptr ? std::string() : std::string(p, sqlite3_column_bytes(s_, i));
  }
  std::int64_t column_integer(int i) const { return sqlite3_column_int64(s_, i); }
  Timestamp column_time(int i) const { return Timestamp(Duration(column_integer(i))); }
  double column_real(int i) const {
    if (sqlite3_column_type(s_, i) == SQLITE_NULL) return std::nan("");
    return sqlite3_column_double(s_, i);
  }

 private:
  sqlite3_stmt* s_;
};

// A row of a stepped statement, for the shared codec (row_codec.h).
class SqliteColumns final : public Columns {
 public:
  explicit SqliteColumns(const Use& use) : use_(use) {}
  bool is_null(int i) const override { return use_.column_is_null(i); }
  std::string text(int i) const override { return use_.column_text(i); }
  std::int64_t integer(int i) const override { return use_.column_integer(i); }
  double real(int i) const override { return use_.column_real(i); }

 private:
  const Use& use_;
};

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<Store>> open(const std::string& path, const SqliteOptions& options);
  ~SqliteStore() override;

  const std::string& name() const override { return path_; }
  Result<StoredState> load() override;
  Status write(const Batch& batch) override;
  Result<std::size_t> purge_history(Timestamp before, std::size_t max_events) override;
  Result<HistoryPage> history(const HistoryQuery& query) override;
  Result<std::uint64_t> size_bytes() override;

 private:
  explicit SqliteStore(std::string path) : path_(std::move(path)) {}

  Status open_reader(const SqliteOptions& options);
  // Holds reader_mu_ for a write when the reader is the writer's own
  // connection (an in-memory database has only one).
  std::unique_lock<std::mutex> lock_if_shared();

  // "PATH: DOING: SQLite's message".
  Error error(std::string_view doing) const;
  Status exec(std::string_view sql, std::string_view doing);
  Result<Statement> prepare(std::string_view sql);
  Status lock_file();
  Status check();
  Status migrate();
  Status prepare_all();
  const Statement& statement(StatementId id) const;
  void rollback();

  const std::string path_;
  sqlite3* db_ = nullptr;
  int lock_fd_ = -1;
  // The connection history reads and size queries use, so that they never
  // wait for a write (WAL readers see the last commit). For ":memory:" it is
  // db_ itself, and writes take reader_mu_ too.
  sqlite3* reader_ = nullptr;
  std::mutex reader_mu_;

  Statement begin_, commit_, rollback_;
  Statement put_silence_, purge_silences_, load_silences_;
  Statement put_notification_, purge_notifications_, load_notifications_;
  Statement put_rule_alert_, delete_rule_alert_, load_rule_alerts_;
  Statement put_rule_group_, delete_rule_group_, delete_rule_group_alerts_, load_rule_groups_;
  Statement put_alert_, purge_alerts_, load_alerts_;
  Statement append_history_, purge_history_;
  Statement put_heartbeat_, delete_heartbeat_, load_heartbeats_;
  Statement put_acknowledgement_, delete_acknowledgement_, load_acknowledgements_;
  Statement put_escalation_, delete_escalation_, load_escalations_;
};

Result<std::unique_ptr<Store>> SqliteStore::open(const std::string& path,
                                                 const SqliteOptions& options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore(path));
  const bool in_memory = path == ":memory:";
  if (!in_memory) {
    // Refusals a user can act on, in words, before SQLite's own
    // "unable to open database file".
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (dir.empty()) dir = ".";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return fail(fmt::format("{}: cannot create the storage directory {}: {}", path, dir.string(),
                              ec.message()));
    }
    if (::access(dir.c_str(), W_OK) != 0) {
      return fail(fmt::format("{}: the storage directory {} is not writable: {}", path,
                              dir.string(), std::strerror(errno)));
    }
    if (Status locked = store->lock_file(); !locked) return std::unexpected(locked.error());
  }

  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &store->db_, flags, nullptr) != SQLITE_OK) {
    return std::unexpected(store->error("cannot open"));
  }
  sqlite3_extended_result_codes(store->db_, 1);
  sqlite3_busy_timeout(store->db_, static_cast<int>(options.busy_timeout.count()));
  if (Status s = store->check(); !s) return std::unexpected(s.error());
  if (Status s = store->migrate(); !s) return std::unexpected(s.error());
  if (Status s = store->prepare_all(); !s) return std::unexpected(s.error());
  if (Status s = store->open_reader(options); !s) return std::unexpected(s.error());
  return std::unique_ptr<Store>(std::move(store));
}

SqliteStore::~SqliteStore() {
  begin_.reset();
  commit_.reset();
  rollback_.reset();
  put_silence_.reset();
  purge_silences_.reset();
  load_silences_.reset();
  put_notification_.reset();
  purge_notifications_.reset();
  load_notifications_.reset();
  put_rule_alert_.reset();
  delete_rule_alert_.reset();
  load_rule_alerts_.reset();
  put_rule_group_.reset();
  delete_rule_group_.reset();
  delete_rule_group_alerts_.reset();
  load_rule_groups_.reset();
  put_alert_.reset();
  purge_alerts_.reset();
  load_alerts_.reset();
  append_history_.reset();
  purge_history_.reset();
  put_heartbeat_.reset();
  delete_heartbeat_.reset();
  load_heartbeats_.reset();
  put_acknowledgement_.reset();
  delete_acknowledgement_.reset();
  load_acknowledgements_.reset();
  put_escalation_.reset();
  delete_escalation_.reset();
  load_escalations_.reset();
  if (reader_ != nullptr && reader_ != db_) sqlite3_close(reader_);
  if (db_ != nullptr) sqlite3_close(db_);
  // Only now: closing any descriptor of the file would drop SQLite's own
  // POSIX locks on it (a known trap of fcntl locks).
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Error SqliteStore::error(std::string_view doing) const {
  const char* why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
  return Error(fmt::format("{}: {}: {}", path_, doing, why));
}

Status SqliteStore::exec(std::string_view sql, std::string_view doing) {
  char* message = nullptr;
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string why = message != nullptr ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return fail(fmt::format("{}: {}: {}", path_, doing, why));
  }
  return {};
}

Result<Statement> SqliteStore::prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &raw, nullptr) != SQLITE_OK) {
    return std::unexpected(error(fmt::format("preparing \"{}\"", sql)));
  }
  return Statement(raw);
}

Status SqliteStore::lock_file() {
  // Creating the file here is harmless: SQLite takes an empty file for an
  // empty database.
  lock_fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) {
    return fail(
        fmt::format("{}: cannot open it for reading and writing: {}", path_, std::strerror(errno)));
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(lock_fd_);
    lock_fd_ = -1;
    if (err == EWOULDBLOCK) {
      return fail(
          fmt::format("{}: in use by another tocsin; give each its own --storage.path", path_));
    }
    return fail(fmt::format("{}: cannot lock it: {}", path_, std::strerror(err)));
  }
  return {};
}

Status SqliteStore::check() {
  // The first statement that reads the file: a file that is not a
  // database fails here with "file is not a database".
  {
    auto mode = prepare("PRAGMA journal_mode=WAL");
    if (!mode) {
      return fail(
          fmt::format("{}: not a tocsin database, or corrupt: {}", path_, sqlite3_errmsg(db_)));
    }
    Use use(*mode);
    if (use.step() != SQLITE_ROW) {
      return fail(
          fmt::format("{}: not a tocsin database, or corrupt: {}", path_, sqlite3_errmsg(db_)));
    }
    std::string got = use.column_text(0);
    if (got != "wal" && got != "memory") {
      return fail(fmt::format("{}: cannot switch to WAL mode (journal_mode is {})", path_, got));
    }
  }
  if (Status s = exec("PRAGMA synchronous=FULL", "setting synchronous=FULL"); !s) return s;

  // Every table but the history, each with its indexes: what a restart
  // restores is checked before it is trusted, in time proportional to it
  // and not to the history (30 days of history take a quick_check of ten
  // seconds and more; a page of it gone bad shows when it is read).
  std::vector<std::string> tables;
  {
    auto list = prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN ('history', "
        "'sqlite_sequence') ORDER BY name");
    if (!list) return fail(fmt::format("{}: corrupt: {}", path_, sqlite3_errmsg(db_)));
    Use use(*list);
    int rc = SQLITE_ROW;
    while ((rc = use.step()) == SQLITE_ROW) tables.push_back(use.column_text(0));
    if (rc != SQLITE_DONE) return fail(fmt::format("{}: corrupt: {}", path_, sqlite3_errmsg(db_)));
  }
  std::string problems;
  for (const std::string& table : tables) {
    auto quick = prepare(fmt::format("PRAGMA quick_check(\"{}\")", table));
    if (!quick) return fail(fmt::format("{}: corrupt: {}", path_, sqlite3_errmsg(db_)));
    Use use(*quick);
    int rc = SQLITE_ROW;
    while ((rc = use.step()) == SQLITE_ROW) {
      std::string line = use.column_text(0);
      if (line == "ok") continue;
      if (!problems.empty()) problems += "; ";
      problems += line;
    }
    if (rc != SQLITE_DONE) {
      return fail(fmt::format("{}: corrupt: {}", path_, sqlite3_errmsg(db_)));
    }
  }
  if (!problems.empty()) {
    return fail(fmt::format("{}: corrupt (PRAGMA quick_check: {})", path_, problems));
  }
  return {};
}

Status SqliteStore::migrate() {
  if (Status s = exec("BEGIN IMMEDIATE", "starting the migration"); !s) return s;
  auto done = [&](Status s) {
    if (!s) rollback();
    return s;
  };
  auto read_int = [&](std::string_view sql) -> Result<std::int64_t> {
    auto st = prepare(sql);
    if (!st) return std::unexpected(st.error());
    Use use(*st);
    if (use.step() != SQLITE_ROW) return std::unexpected(error("reading the schema version"));
    return use.column_integer(0);
  };
  auto version = read_int("PRAGMA user_version");
  if (!version) return done(std::unexpected(version.error()));
  const int latest = latest_schema_version();
  if (*version > latest) {
    return done(fail(fmt::format(
        "{}: written by a newer tocsin (schema version {}; this tocsin knows versions up to {}): "
        "run that tocsin or a newer one, or move the file away to start afresh",
        path_, *version, latest)));
  }
  if (*version < 0) {
    return done(fail(fmt::format("{}: corrupt (schema version {})", path_, *version)));
  }
  if (*version == 0) {
    auto tables = read_int("SELECT count(*) FROM sqlite_schema");
    if (!tables) return done(std::unexpected(tables.error()));
    if (*tables > 0) {
      return done(fail(fmt::format(
          "{}: not a tocsin database (it holds {} tables but no schema version)", path_, *tables)));
    }
  }
  if (*version == latest) return done(exec("COMMIT", "ending the migration"));

  for (const Migration& m : migrations()) {
    if (m.version <= *version) continue;
    log::info("Migrating the store", {{"file", path_},
                                      {"from_version", m.version - 1},
                                      {"to_version", m.version},
                                      {"change", m.description}});
    if (Status s = exec(m.sql, fmt::format("migrating to schema version {}", m.version)); !s) {
      return done(s);
    }
  }
  if (Status s = exec(fmt::format("PRAGMA user_version = {}", latest), "setting user_version");
      !s) {
    return done(s);
  }
  return done(exec("COMMIT", "ending the migration"));
}

void SqliteStore::rollback() {
  // SQLite has already rolled back after some errors (a full disk, for one).
  if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Status SqliteStore::prepare_all() {
  struct Entry {
    Statement* target;
    std::string_view sql;
  };
  const Entry entries[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      {&put_silence_,
       "INSERT OR REPLACE INTO silences (id, matchers, starts_at, ends_at, updated_at, "
       "created_by, comment, expires_at, ends_when_resolved, matched, schedule) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"},
      {&purge_silences_, "DELETE FROM silences WHERE expires_at <= ?1"},
      {&load_silences_,
       "SELECT id, matchers, starts_at, ends_at, updated_at, created_by, comment, expires_at, "
       "ends_when_resolved, matched, schedule FROM silences ORDER BY id"},
      {&put_notification_,
       "INSERT OR REPLACE INTO notification_log (group_key, receiver, integration, idx, "
       "timestamp, firing_alerts, resolved_alerts, expires_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&purge_notifications_, "DELETE FROM notification_log WHERE expires_at <= ?1"},
      {&load_notifications_,
       "SELECT group_key, receiver, integration, idx, timestamp, firing_alerts, "
       "resolved_alerts, expires_at FROM notification_log "
       "ORDER BY group_key, receiver, integration, idx"},
      {&put_rule_alert_,
       "INSERT OR REPLACE INTO rule_alerts (group_key, rule_key, fingerprint, rule, labels, "
       "annotations, state, active_at, fired_at, resolved_at, keep_firing_since, value) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"},
      {&delete_rule_alert_,
       "DELETE FROM rule_alerts WHERE group_key = ?1 AND rule_key = ?2 AND fingerprint = ?3"},
      {&load_rule_alerts_,
       "SELECT group_key, rule_key, fingerprint, rule, labels, annotations, state, active_at, "
       "fired_at, resolved_at, keep_firing_since, value FROM rule_alerts "
       "ORDER BY group_key, rule_key, fingerprint"},
      {&put_rule_group_,
       "INSERT OR REPLACE INTO rule_groups (group_key, last_evaluation) VALUES (?1, ?2)"},
      {&delete_rule_group_, "DELETE FROM rule_groups WHERE group_key = ?1"},
      {&delete_rule_group_alerts_, "DELETE FROM rule_alerts WHERE group_key = ?1"},
      {&load_rule_groups_, "SELECT group_key, last_evaluation FROM rule_groups ORDER BY group_key"},
      {&put_alert_,
       "INSERT OR REPLACE INTO alerts (fingerprint, labels, annotations, starts_at, ends_at, "
       "updated_at, generator_url, timeout, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
      {&purge_alerts_, "DELETE FROM alerts WHERE ends_at != 0 AND ends_at <= ?1"},
      {&load_alerts_,
       "SELECT fingerprint, labels, annotations, starts_at, ends_at, updated_at, generator_url, "
       "timeout, source FROM alerts ORDER BY fingerprint"},
      {&append_history_,
       "INSERT INTO history (at, kind, state, fingerprint, alertname, labels, receiver, "
       "integration, group_key, by, details) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"},
      {&put_heartbeat_,
       "INSERT OR REPLACE INTO heartbeats (name, timeout, labels, annotations, created_at, "
       "renewed_at, missing, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&delete_heartbeat_, "DELETE FROM heartbeats WHERE name = ?1"},
      {&load_heartbeats_,
       "SELECT name, timeout, labels, annotations, created_at, renewed_at, missing, created_by "
       "FROM heartbeats ORDER BY name"},
      {&put_acknowledgement_,
       "INSERT OR REPLACE INTO acknowledgements (id, fingerprint, group_key, covered, labels, "
       "by, comment, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
      {&delete_acknowledgement_, "DELETE FROM acknowledgements WHERE id = ?1"},
      {&load_acknowledgements_,
       "SELECT id, fingerprint, group_key, covered, labels, by, comment, created_at, expires_at "
       "FROM acknowledgements ORDER BY id"},
      {&put_escalation_,
       "INSERT OR REPLACE INTO escalations (group_key, first_fired_at) VALUES (?1, ?2)"},
      {&delete_escalation_, "DELETE FROM escalations WHERE group_key = ?1"},
      {&load_escalations_, "SELECT group_key, first_fired_at FROM escalations ORDER BY group_key"},
      {&purge_history_,
       "DELETE FROM history WHERE id IN "
       "(SELECT id FROM history WHERE at < ?1 ORDER BY at LIMIT ?2)"},
  };
  for (const Entry& e : entries) {
    auto st = prepare(e.sql);
    if (!st) return std::unexpected(st.error());
    *e.target = std::move(*st);
  }
  return {};
}

Result<StoredState> SqliteStore::load() {
  StoredState state;
  // Every row of one table, decoded by the shared codec; a row that does
  // not decode fails the load with the file's name and the row's.
  auto read = [&](const Statement& statement, std::string_view what, auto decode,
                  auto& out) -> Status {
    Use use(statement);
    SqliteColumns columns(use);
    int rc = SQLITE_ROW;
    while ((rc = use.step()) == SQLITE_ROW) {
      auto row = decode(columns);
      if constexpr (requires { row.has_value(); }) {
        if (!row) return fail(fmt::format("{}: {}", path_, row.error().message()));
        out.push_back(std::move(*row));
      } else {
        out.push_back(std::move(row));
      }
    }
    if (rc != SQLITE_DONE) return std::unexpected(error(fmt::format("reading {}", what)));
    return {};
  };
  Status s = read(load_silences_, "silences", silence_from, state.silences);
  if (s)
    s = read(load_notifications_, "the notification log", notification_from, state.notifications);
  if (s) s = read(load_rule_alerts_, "rule alerts", rule_alert_from, state.rule_alerts);
  if (s) s = read(load_rule_groups_, "rule groups", rule_group_from, state.rule_groups);
  if (s) s = read(load_alerts_, "alerts", alert_from, state.alerts);
  if (s) s = read(load_heartbeats_, "heartbeats", heartbeat_from, state.heartbeats);
  if (s) {
    s = read(load_acknowledgements_, "acknowledgements", acknowledgement_from,
             state.acknowledgements);
  }
  if (s) s = read(load_escalations_, "escalations", escalation_from, state.escalations);
  if (!s) return std::unexpected(s.error());
  return state;
}

const Statement& SqliteStore::statement(StatementId id) const {
  switch (id) {
    case StatementId::kPutSilence:
      return put_silence_;
    case StatementId::kPurgeSilences:
      return purge_silences_;
    case StatementId::kPutNotification:
      return put_notification_;
    case StatementId::kPurgeNotifications:
      return purge_notifications_;
    case StatementId::kPutRuleAlert:
      return put_rule_alert_;
    case StatementId::kDeleteRuleAlert:
      return delete_rule_alert_;
    case StatementId::kPutRuleGroup:
      return put_rule_group_;
    case StatementId::kDeleteRuleGroupAlerts:
      return delete_rule_group_alerts_;
    case StatementId::kDeleteRuleGroup:
      return delete_rule_group_;
    case StatementId::kPutAlert:
      return put_alert_;
    case StatementId::kPurgeAlerts:
      return purge_alerts_;
    case StatementId::kPutHeartbeat:
      return put_heartbeat_;
    case StatementId::kDeleteHeartbeat:
      return delete_heartbeat_;
    case StatementId::kPutAcknowledgement:
      return put_acknowledgement_;
    case StatementId::kDeleteAcknowledgement:
      return delete_acknowledgement_;
    case StatementId::kPutEscalation:
      return put_escalation_;
    case StatementId::kDeleteEscalation:
      return delete_escalation_;
    case StatementId::kAppendHistory:
      return append_history_;
  }
  return append_history_;  // unreachable: every id is a case
}

Status SqliteStore::write(const Batch& batch) {
  if (batch.empty()) return {};
  auto shared = lock_if_shared();
  {
    Use use(begin_);
    if (use.step() != SQLITE_DONE) return std::unexpected(error("starting a transaction"));
  }
  std::vector<Step> steps;
  for (const Change& change : batch) {
    steps.clear();
    steps_of(change, steps);
    for (const Step& step : steps) {
      Use use(statement(step.statement));
      use.bind(step.values);
      if (use.step() != SQLITE_DONE) {
        Error e = error(step.doing);
        rollback();
        return std::unexpected(e);
      }
    }
  }
  Use use(commit_);
  if (use.step() != SQLITE_DONE) {
    Error e = error("committing");
    rollback();
    return std::unexpected(e);
  }
  return {};
}

std::unique_lock<std::mutex> SqliteStore::lock_if_shared() {
  if (reader_ == db_) return std::unique_lock(reader_mu_);
  return {};
}

Status SqliteStore::open_reader(const SqliteOptions& options) {
  if (path_ == ":memory:") {
    reader_ = db_;
    return {};
  }
  int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path_.c_str(), &reader_, flags, nullptr) != SQLITE_OK) {
    std::string why = reader_ != nullptr ? sqlite3_errmsg(reader_) : "out of memory";
    return fail(fmt::format("{}: cannot open it for reading: {}", path_, why));
  }
  sqlite3_extended_result_codes(reader_, 1);
  sqlite3_busy_timeout(reader_, static_cast<int>(options.busy_timeout.count()));
  return {};
}

Result<std::size_t> SqliteStore::purge_history(Timestamp before, std::size_t max_events) {
  auto shared = lock_if_shared();
  Use use(purge_history_);
  use.time(1, before).integer(2, static_cast<std::int64_t>(max_events));
  if (use.step() != SQLITE_DONE) return std::unexpected(error("dropping old history"));
  return static_cast<std::size_t>(sqlite3_changes(db_));
}

Result<HistoryPage> SqliteStore::history(const HistoryQuery& query) {
  // Built for the filters given, so that SQLite picks the index of the
  // most selective one; prepared per read (tens of microseconds).
  std::string sql =
      "SELECT id, at, kind, state, fingerprint, labels, receiver, integration, group_key, by, "
      "details FROM history WHERE 1";
  int next = 1;
  struct Bind {
    int index;
    std::variant<std::int64_t, std::string> value;
  };
  std::vector<Bind> binds;
  auto where = [&](const std::string& clause, std::variant<std::int64_t, std::string> value) {
    sql += fmt::format(" AND {} ?{}", clause, next);
    binds.push_back({next++, std::move(value)});
  };
  const std::int64_t from = query.from.time_since_epoch().count();
  const std::int64_t to = query.to != Timestamp{} ? query.to.time_since_epoch().count() : INT64_MAX;
  // A time window and no equality filter the database indexes: SQLite would
  // read every event of the window by `history_at` and sort them all by id
  // before the first row. The window's ids are found first (from that
  // index alone), and the page read by id, newest first, as without one.
  const bool by_window = (query.from != Timestamp{} || query.to != Timestamp{}) &&
                         query.receiver.empty() && query.alertname.empty() &&
                         query.fingerprint == 0;
  std::lock_guard lock(reader_mu_);
  if (by_window) {
    sqlite3_stmt* raw = nullptr;
    const char* bounds = "SELECT min(id), max(id) FROM history WHERE at >= ?1 AND at <= ?2";
    if (sqlite3_prepare_v2(reader_, bounds, -1, &raw, nullptr) != SQLITE_OK) {
      return fail(fmt::format("{}: reading the history: {}", path_, sqlite3_errmsg(reader_)));
    }
    Statement statement(raw);
    Use use(statement);
    use.integer(1, from).integer(2, to);
    if (use.step() != SQLITE_ROW) {
      return fail(fmt::format("{}: reading the history: {}", path_, sqlite3_errmsg(reader_)));
    }
    if (sqlite3_column_type(raw, 0) == SQLITE_NULL) return HistoryPage{};  // nothing then
    where("id >=", use.column_integer(0));
    where("id <=", use.column_integer(1));
  }
  // `+column`: not by that column's index (the id range is narrower).
  const std::string_view plus = by_window ? "+" : "";
  if (query.before_id > 0) where("id <", query.before_id);
  if (query.from != Timestamp{}) where(fmt::format("{}at >=", plus), from);
  if (query.to != Timestamp{}) where(fmt::format("{}at <=", plus), to);
  if (!query.kind.empty()) where(fmt::format("{}kind =", plus), query.kind);
  if (!query.state.empty()) where("state =", query.state);
  if (!query.receiver.empty()) where("receiver =", query.receiver);
  if (!query.alertname.empty()) where("alertname =", query.alertname);
  if (query.fingerprint != 0) where("fingerprint =", fingerprint_text(query.fingerprint));
  sql += " ORDER BY id DESC";

  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(reader_, sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) !=
      SQLITE_OK) {
    return fail(fmt::format("{}: reading the history: {}", path_, sqlite3_errmsg(reader_)));
  }
  Statement statement(raw);
  for (const Bind& b : binds) {
    if (const auto* i = std::get_if<std::int64_t>(&b.value)) {
      sqlite3_bind_int64(raw, b.index, *i);
    } else {
      const std::string& t = std::get<std::string>(b.value);
      sqlite3_bind_text(raw, b.index, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
    }
  }
  Use use(statement);
  SqliteColumns columns(use);
  HistoryCollector page(query);
  int rc = SQLITE_ROW;
  while ((rc = use.step()) == SQLITE_ROW) {
    auto more = page.add(columns);
    if (!more) return fail(fmt::format("{}: {}", path_, more.error().message()));
    if (!*more) return page.take();
  }
  if (rc != SQLITE_DONE) {
    return fail(fmt::format("{}: reading the history: {}", path_, sqlite3_errmsg(reader_)));
  }
  return page.take();
}

Result<std::uint64_t> SqliteStore::size_bytes() {
  if (reader_ == db_) {
    std::lock_guard lock(reader_mu_);
    auto count = [&](const char* pragma) -> std::int64_t {
      sqlite3_stmt* raw = nullptr;
      if (sqlite3_prepare_v2(db_, pragma, -1, &raw, nullptr) != SQLITE_OK) return -1;
      Statement statement(raw);
      return sqlite3_step(raw) == SQLITE_ROW ? sqlite3_column_int64(raw, 0) : -1;
    };
    std::int64_t pages = count("PRAGMA page_count"), size = count("PRAGMA page_size");
    if (pages < 0 || size < 0) return std::unexpected(error("reading its size"));
    return static_cast<std::uint64_t>(pages * size);
  }
  // The file and its write-ahead log, as `du` would count them.
  std::uint64_t total = 0;
  for (const std::string& file : {path_, path_ + "-wal"}) {
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0) total += static_cast<std::uint64_t>(st.st_size);
  }
  return total;
}

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const SqliteOptions& options) {
  return SqliteStore::open(path, options);
}

}  // namespace tocsin::store
