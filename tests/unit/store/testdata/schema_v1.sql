-- A database as schema version 1 (tocsin with silences and the notification
-- log in the store) wrote it: its tables, as migration 1 made them, and rows
-- as that version wrote them. Kept as it shipped; never edit it.
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
PRAGMA user_version = 1;
COMMIT;
