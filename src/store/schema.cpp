#include "store/schema.h"

namespace tocsin::store {
namespace {

// Times are Unix milliseconds (tocsin's precision); lists are JSON text, so
// that `sqlite3 data/tocsin.db` shows them readably.
constexpr Migration kMigrations[] = {
    {1, "silences and the notification log", R"sql(
CREATE TABLE silences (
  id          TEXT PRIMARY KEY,
  matchers    TEXT NOT NULL,     -- JSON: [{"type":"=~","name":"...","pattern":"..."}]
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  created_by  TEXT NOT NULL,
  comment     TEXT NOT NULL,
  expires_at  INTEGER NOT NULL   -- ends_at + retention: garbage collection drops it then
) WITHOUT ROWID;
CREATE TABLE notification_log (
  group_key        TEXT NOT NULL,
  receiver         TEXT NOT NULL,
  integration      TEXT NOT NULL,
  idx              INTEGER NOT NULL,
  timestamp        INTEGER NOT NULL,
  firing_alerts    TEXT NOT NULL,  -- JSON: alert hashes as 16 hex digits
  resolved_alerts  TEXT NOT NULL,
  expires_at       INTEGER NOT NULL,
  PRIMARY KEY (group_key, receiver, integration, idx)
) WITHOUT ROWID;
)sql"},
    {2, "the state of alerting rules' alerts", R"sql(
CREATE TABLE rule_alerts (
  group_key          TEXT NOT NULL,  -- FILE;GROUP
  rule_key           TEXT NOT NULL,  -- name{label templates}#n: the n-th such rule in its group
  fingerprint        TEXT NOT NULL,  -- of the labels, 16 hex digits
  rule               TEXT NOT NULL,  -- the rule's name
  labels             TEXT NOT NULL,  -- JSON object
  annotations        TEXT NOT NULL,  -- JSON object
  state              TEXT NOT NULL CHECK (state IN ('pending', 'firing', 'inactive')),
  active_at          INTEGER NOT NULL,
  fired_at           INTEGER NOT NULL,  -- 0: not set
  resolved_at        INTEGER NOT NULL,
  keep_firing_since  INTEGER NOT NULL,
  value              REAL,              -- NULL: NaN
  PRIMARY KEY (group_key, rule_key, fingerprint)
) WITHOUT ROWID;
CREATE TABLE rule_groups (
  group_key        TEXT PRIMARY KEY,
  last_evaluation  INTEGER NOT NULL  -- the last evaluation that left pending alerts
) WITHOUT ROWID;
)sql"},
    {3, "the alerts held for notification, the history and heartbeats", R"sql(
CREATE TABLE alerts (
  fingerprint    TEXT PRIMARY KEY,  -- of the labels, 16 hex digits
  labels         TEXT NOT NULL,     -- JSON object
  annotations    TEXT NOT NULL,     -- JSON object
  starts_at      INTEGER NOT NULL,
  ends_at        INTEGER NOT NULL,  -- 0: not set
  updated_at     INTEGER NOT NULL,
  generator_url  TEXT NOT NULL,
  timeout        INTEGER NOT NULL,  -- 1: ends_at came from resolve_timeout
  source         TEXT NOT NULL CHECK (source IN ('api', 'rule', 'heartbeat'))
) WITHOUT ROWID;
-- Newest last; AUTOINCREMENT so that an id is never given twice, even once
-- the retention purge has emptied the table (ids are the API's cursors).
CREATE TABLE history (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  at           INTEGER NOT NULL,
  kind         TEXT NOT NULL,  -- alert, notification, silence, reload, ...
  state        TEXT NOT NULL,  -- what happened
  fingerprint  TEXT,           -- the alert's, 16 hex digits; NULL: not about one alert
  alertname    TEXT,           -- the alertname label, when there is one
  labels       TEXT NOT NULL,  -- JSON object
  receiver     TEXT,
  integration  TEXT,
  group_key    TEXT,
  by           TEXT,
  details      TEXT NOT NULL   -- JSON object
);
CREATE INDEX history_at ON history (at);
CREATE INDEX history_kind ON history (kind);
CREATE INDEX history_alertname ON history (alertname) WHERE alertname IS NOT NULL;
CREATE INDEX history_fingerprint ON history (fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX history_receiver ON history (receiver) WHERE receiver IS NOT NULL;
CREATE TABLE heartbeats (
  name         TEXT PRIMARY KEY,
  timeout      INTEGER NOT NULL,  -- milliseconds
  labels       TEXT NOT NULL,     -- JSON object
  annotations  TEXT NOT NULL,     -- JSON object
  created_at   INTEGER NOT NULL,
  renewed_at   INTEGER NOT NULL,
  missing      INTEGER NOT NULL,  -- 1: its HeartbeatMissing alert fires
  created_by   TEXT NOT NULL
) WITHOUT ROWID;
)sql"},
    {4, "acknowledgements", R"sql(
CREATE TABLE acknowledgements (
  id           TEXT PRIMARY KEY,
  fingerprint  TEXT,              -- the alert's, 16 hex digits; NULL: a group's
  group_key    TEXT,              -- the aggregation group's; NULL: an alert's
  covered      TEXT NOT NULL,     -- JSON: the fingerprints it covers
  labels       TEXT NOT NULL,     -- JSON object: the alert's, or the group's labels
  by           TEXT NOT NULL,
  comment      TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,  -- 0: until what it covers has resolved
  CHECK ((fingerprint IS NULL) <> (group_key IS NULL))
) WITHOUT ROWID;
)sql"},
    {5, "escalation progress, silences that end when their alerts resolve, recurring silences",
     R"sql(
CREATE TABLE escalations (
  group_key       TEXT PRIMARY KEY,  -- the aggregation group's
  first_fired_at  INTEGER NOT NULL   -- when its current episode started
) WITHOUT ROWID;
ALTER TABLE silences ADD COLUMN ends_when_resolved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE silences ADD COLUMN matched INTEGER NOT NULL DEFAULT 0;  -- 1: it matched a firing alert
ALTER TABLE silences ADD COLUMN schedule TEXT NOT NULL DEFAULT '';   -- JSON time intervals; '': always
)sql"},
    // Used on PostgreSQL only (postgres_cluster.h), where replicas share a
    // database; SQLite has the same tables so that both schemas stay one.
    {6, "replicas: their registry, the change log they follow, notification claims", R"sql(
CREATE TABLE replicas (
  id          TEXT PRIMARY KEY,
  address     TEXT NOT NULL,     -- where its API listens
  started_at  INTEGER NOT NULL,
  seen_at     INTEGER NOT NULL   -- its last heartbeat, by the database's clock
) WITHOUT ROWID;
CREATE TABLE changes (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  kind    TEXT NOT NULL,         -- the table changed
  key     TEXT NOT NULL,         -- the changed row's key
  origin  TEXT NOT NULL,         -- the replica that changed it
  at      INTEGER NOT NULL
);
CREATE TABLE notification_claims (
  group_key    TEXT NOT NULL,
  receiver     TEXT NOT NULL,
  integration  TEXT NOT NULL,
  idx          INTEGER NOT NULL,
  replica      TEXT NOT NULL,    -- who is sending; '': nobody
  epoch        INTEGER NOT NULL, -- one more at every claim
  expires_at   INTEGER NOT NULL, -- when another replica may take it over
  PRIMARY KEY (group_key, receiver, integration, idx)
) WITHOUT ROWID;
)sql"},
    {7, "rule group leases: which replica evaluates each rule group", R"sql(
CREATE TABLE rule_group_leases (
  group_key   TEXT PRIMARY KEY,  -- "FILE;NAME"
  replica     TEXT NOT NULL,     -- who evaluates it
  epoch       INTEGER NOT NULL,  -- one more at every change of hands
  expires_at  INTEGER NOT NULL   -- when another replica may take it, by the database's clock
) WITHOUT ROWID;
)sql"},
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return kMigrations[std::size(kMigrations) - 1].version;
}

}  // namespace tocsin::store
