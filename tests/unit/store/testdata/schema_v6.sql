-- A database as schema version 6 (tocsin with replicas on PostgreSQL)
-- wrote it: its tables, as migrations 1 to 6 made them, and rows as that
-- version wrote them. Kept as it shipped; never edit it.
BEGIN;
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
INSERT INTO silences VALUES('00000000-0000-4000-8000-000000000001','[{"name":"alertname","pattern":"ServiceDown","type":"="},{"name":"env","pattern":"prod|stage","type":"=~"}]',1714564800000,1714572000250,1714564800000,'ops','maintenance',1715004000250);
INSERT INTO silences VALUES('00000000-0000-4000-8000-000000000002','[{"name":"team","pattern":"x","type":"!="}]',1714568400000,1714575600000,1714564800000,'bob','',1715007600000);
INSERT INTO notification_log VALUES('{}:{alertname="ServiceDown"}','team','webhook',0,1714564830000,'["0123456789abcdef"]','[]',1714996830000);
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
INSERT INTO rule_alerts VALUES('rules/slo.yml;slo','PolicyLatencyHigh{}#0','8c1e1b6f4a2d3e5f','PolicyLatencyHigh','{"alertname":"PolicyLatencyHigh","severity":"critical"}','{"summary":"p99 over 2s"}','firing',1714564800000,1714565100000,0,0,2.5);
INSERT INTO rule_alerts VALUES('rules/slo.yml;slo','ErrorRateHigh{}#0','0f1e2d3c4b5a6978','ErrorRateHigh','{"alertname":"ErrorRateHigh","severity":"warning"}','{}','pending',1714564860000,0,0,0,NULL);
INSERT INTO rule_groups VALUES('rules/slo.yml;slo',1714564920000);
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
INSERT INTO alerts VALUES('3f2a6c1d9e8b7a65','{"alertname":"TokenBudgetLow","team":"ai"}','{"summary":"10% left"}',1714564800000,1714565400000,1714564800000,'http://prometheus:9090/graph',1,'api');
INSERT INTO history VALUES(1,1714564800000,'alert','firing','3f2a6c1d9e8b7a65','TokenBudgetLow','{"alertname":"TokenBudgetLow","team":"ai"}',NULL,NULL,NULL,NULL,'{"source":"api"}');
INSERT INTO history VALUES(2,1714564830000,'notification','sent',NULL,NULL,'{"alertname":"TokenBudgetLow"}','team','webhook','{}:{alertname="TokenBudgetLow"}',NULL,'{"attempt":1}');
INSERT INTO heartbeats VALUES('backup',300000,'{"team":"ops"}','{}',1714564800000,1714564800000,0,'cron');
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
INSERT INTO acknowledgements VALUES('6f1c0b7e-0d1a-4c59-9a55-2b7f3f1d8e42','3f2a6c1d9e8b7a65',NULL,'["3f2a6c1d9e8b7a65"]','{"alertname":"TokenBudgetLow","team":"ai"}','alice','on it',1714564900000,0);
INSERT INTO acknowledgements VALUES('0b6a3c1e-5d2f-4e8a-9c7b-1a2b3c4d5e6f',NULL,'{}:{alertname="ServiceDown"}','["0123456789abcdef","fedcba9876543210"]','{"alertname":"ServiceDown"}','bob','',1714564910000,1714572110000);
CREATE TABLE escalations (
  group_key       TEXT PRIMARY KEY,  -- the aggregation group's
  first_fired_at  INTEGER NOT NULL   -- when its current episode started
) WITHOUT ROWID;
ALTER TABLE silences ADD COLUMN ends_when_resolved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE silences ADD COLUMN matched INTEGER NOT NULL DEFAULT 0;  -- 1: it matched a firing alert
ALTER TABLE silences ADD COLUMN schedule TEXT NOT NULL DEFAULT '';   -- JSON time intervals; '': always
INSERT INTO escalations VALUES('{}:{alertname="ServiceDown"}',1714564830000);
INSERT INTO silences VALUES('00000000-0000-4000-8000-000000000003','[{"name":"alertname","pattern":"Nightly","type":"="}]',1714564800000,1746100800000,1714564800000,'ops','nightly batch',1746532800000,1,0,'[{"times":[{"start_time":"01:00","end_time":"03:00"}]}]');
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
INSERT INTO replicas VALUES('a1b2c3d4e5f60718','127.0.0.1:9093',1714564800000,1714564805000);
INSERT INTO notification_claims VALUES('{}:{alertname="ServiceDown"}','team','webhook',0,'',3,1714564840000);
PRAGMA user_version = 6;
COMMIT;
