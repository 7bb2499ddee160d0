// The schema of schema.cpp in PostgreSQL's dialect: the same tables and
// columns in the same order, the same encodings (times as Unix
// milliseconds, fingerprints as 16 hex digits, JSON as text), so that one
// row codec (row_codec.h) serves both backends. The version lives in the
// one-row table tocsin_schema.
#include "store/schema.h"

namespace tocsin::store {
namespace {

constexpr Migration kPostgresMigrations[] = {
    {1, "silences and the notification log", R"sql(
CREATE TABLE silences (
  id          TEXT PRIMARY KEY,
  matchers    TEXT NOT NULL,
  starts_at   BIGINT NOT NULL,
  ends_at     BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  created_by  TEXT NOT NULL,
  comment     TEXT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE TABLE notification_log (
  group_key        TEXT NOT NULL,
  receiver         TEXT NOT NULL,
  integration      TEXT NOT NULL,
  idx              BIGINT NOT NULL,
  timestamp        BIGINT NOT NULL,
  firing_alerts    TEXT NOT NULL,
  resolved_alerts  TEXT NOT NULL,
  expires_at       BIGINT NOT NULL,
  PRIMARY KEY (group_key, receiver, integration, idx)
);
)sql"},
    {2, "the state of alerting rules' alerts", R"sql(
CREATE TABLE rule_alerts (
  group_key          TEXT NOT NULL,
  rule_key           TEXT NOT NULL,
  fingerprint        TEXT NOT NULL,
  rule               TEXT NOT NULL,
  labels             TEXT NOT NULL,
  annotations        TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('pending', 'firing', 'inactive')),
  active_at          BIGINT NOT NULL,
  fired_at           BIGINT NOT NULL,
  resolved_at        BIGINT NOT NULL,
  keep_firing_since  BIGINT NOT NULL,
  value              DOUBLE PRECISION,  -- NULL: NaN
  PRIMARY KEY (group_key, rule_key, fingerprint)
);
CREATE TABLE rule_groups (
  group_key        TEXT PRIMARY KEY,
  last_evaluation  BIGINT NOT NULL
);
)sql"},
    {3, "the alerts held for notification, the history and heartbeats", R"sql(
CREATE TABLE alerts (
  fingerprint    TEXT PRIMARY KEY,
  labels         TEXT NOT NULL,
  annotations    TEXT NOT NULL,
  starts_at      BIGINT NOT NULL,
  ends_at        BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  generator_url  TEXT NOT NULL,
  timeout        BIGINT NOT NULL,
  source         TEXT NOT NULL CHECK (source IN ('api', 'rule', 'heartbeat'))
);
-- A sequence never gives an id twice, even once the purge has emptied the
-- table (ids are the API's cursors).
CREATE TABLE history (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           BIGINT NOT NULL,
  kind         TEXT NOT NULL,
  state        TEXT NOT NULL,
  fingerprint  TEXT,
  alertname    TEXT,
  labels       TEXT NOT NULL,
  receiver     TEXT,
  integration  TEXT,
  group_key    TEXT,
  by           TEXT,
  details      TEXT NOT NULL
);
CREATE INDEX history_at ON history (at);
CREATE INDEX history_kind ON history (kind);
CREATE INDEX history_alertname ON history (alertname) WHERE alertname IS NOT NULL;
CREATE INDEX history_fingerprint ON history (fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX history_receiver ON history (receiver) WHERE receiver IS NOT NULL;
CREATE TABLE heartbeats (
  name         TEXT PRIMARY KEY,
  timeout      BIGINT NOT NULL,
  labels       TEXT NOT NULL,
  annotations  TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  renewed_at   BIGINT NOT NULL,
  missing      BIGINT NOT NULL,
  created_by   TEXT NOT NULL
);
)sql"},
    {4, "acknowledgements", R"sql(
CREATE TABLE acknowledgements (
  id           TEXT PRIMARY KEY,
  fingerprint  TEXT,
  group_key    TEXT,
  covered      TEXT NOT NULL,
  labels       TEXT NOT NULL,
  by           TEXT NOT NULL,
  comment      TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  CHECK ((fingerprint IS NULL) <> (group_key IS NULL))
);
)sql"},
    {5, "escalation progress, silences that end when their alerts resolve, recurring silences",
     R"sql(
CREATE TABLE escalations (
  group_key       TEXT PRIMARY KEY,
  first_fired_at  BIGINT NOT NULL
);
ALTER TABLE silences ADD COLUMN ends_when_resolved BIGINT NOT NULL DEFAULT 0;
ALTER TABLE silences ADD COLUMN matched BIGINT NOT NULL DEFAULT 0;
ALTER TABLE silences ADD COLUMN schedule TEXT NOT NULL DEFAULT '';
)sql"},
    {6, "replicas: their registry, the change log they follow, notification claims", R"sql(
CREATE TABLE replicas (
  id          TEXT PRIMARY KEY,
  address     TEXT NOT NULL,
  started_at  BIGINT NOT NULL,
  seen_at     BIGINT NOT NULL
);
CREATE TABLE changes (
  seq     BIGSERIAL PRIMARY KEY,
  kind    TEXT NOT NULL,
  key     TEXT NOT NULL,
  origin  TEXT NOT NULL,
  at      BIGINT NOT NULL
);
CREATE TABLE notification_claims (
  group_key    TEXT NOT NULL,
  receiver     TEXT NOT NULL,
  integration  TEXT NOT NULL,
  idx          BIGINT NOT NULL,
  replica      TEXT NOT NULL,
  epoch        BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  PRIMARY KEY (group_key, receiver, integration, idx)
);
CREATE FUNCTION tocsin_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := to_jsonb(OLD); ELSE changed := to_jsonb(NEW); END IF;
  PERFORM pg_advisory_xact_lock(8390033978155728899);
  INSERT INTO changes (kind, key, origin, at)
  VALUES (TG_TABLE_NAME, changed ->> TG_ARGV[0],
          coalesce(current_setting('tocsin.replica', true), ''),
          (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
  PERFORM pg_notify('tocsin_changes', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER silences_changes AFTER INSERT OR UPDATE OR DELETE ON silences
  FOR EACH ROW EXECUTE FUNCTION tocsin_record_change('id');
CREATE TRIGGER acknowledgements_changes AFTER INSERT OR UPDATE OR DELETE ON acknowledgements
  FOR EACH ROW EXECUTE FUNCTION tocsin_record_change('id');
CREATE TRIGGER heartbeats_changes AFTER INSERT OR UPDATE OR DELETE ON heartbeats
  FOR EACH ROW EXECUTE FUNCTION tocsin_record_change('name');
CREATE TRIGGER alerts_changes AFTER INSERT OR UPDATE ON alerts
  FOR EACH ROW EXECUTE FUNCTION tocsin_record_change('fingerprint');
CREATE TRIGGER notification_log_changes AFTER INSERT OR UPDATE ON notification_log
  FOR EACH ROW EXECUTE FUNCTION tocsin_record_change('group_key');
)sql"},
    {7, "rule group leases: which replica evaluates each rule group", R"sql(
CREATE TABLE rule_group_leases (
  group_key   TEXT PRIMARY KEY,
  replica     TEXT NOT NULL,
  epoch       BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
-- Fencing: a replica writes a rule group's state only while no other
-- replica holds the group's lease. A write queued by a replica that was
-- paused past its lease, committed once it runs again, is dropped row by
-- row here rather than overwrite what the new holder stored.
CREATE FUNCTION tocsin_fence_rule_state() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  group_key_ TEXT;
BEGIN
  IF TG_OP = 'DELETE' THEN group_key_ := OLD.group_key; ELSE group_key_ := NEW.group_key; END IF;
  IF EXISTS (SELECT 1 FROM rule_group_leases l WHERE l.group_key = group_key_
             AND l.replica <> coalesce(current_setting('tocsin.replica', true), '')
             AND l.expires_at > (extract(epoch FROM clock_timestamp()) * 1000)::bigint) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER rule_alerts_fence BEFORE INSERT OR UPDATE OR DELETE ON rule_alerts
  FOR EACH ROW EXECUTE FUNCTION tocsin_fence_rule_state();
CREATE TRIGGER rule_groups_fence BEFORE INSERT OR UPDATE OR DELETE ON rule_groups
  FOR EACH ROW EXECUTE FUNCTION tocsin_fence_rule_state();
)sql"},
};

}  // namespace

std::span<const Migration> postgres_migrations() {
  return kPostgresMigrations;
}

}  // namespace tocsin::store
