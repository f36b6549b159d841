-- Schema 4: the scheduler's bookkeeping and the alerts inbox.
-- Same conventions as schema 1: INTEGER unix ms, money as canonical decimal TEXT.

-- Job health: how long the last run took and how many runs in a row failed (drives the
-- backoff and the "offline" state).
ALTER TABLE job_runs ADD COLUMN last_finished_at INTEGER;
ALTER TABLE job_runs ADD COLUMN last_duration_ms INTEGER;
ALTER TABLE job_runs ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;

-- The alerts inbox. An alert stays "open" (cleared_at IS NULL) while its condition holds;
-- the partial unique index makes raising the same open alert twice a no-op.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,                       -- low_balance, order_finished, order_stuck, provider_failing, service_changed, service_removed
    subject     TEXT    NOT NULL,                       -- what it is about, e.g. "provider:3", "order:17", "price:88"
    provider_id INTEGER REFERENCES providers (id),
    order_id    INTEGER REFERENCES orders (id),
    service_ref INTEGER REFERENCES services (id),
    params      TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params)), -- message parameters
    created_at  INTEGER NOT NULL,
    read_at     INTEGER,
    cleared_at  INTEGER                                 -- the condition went away
);
CREATE UNIQUE INDEX alerts_open_subject ON alerts (kind, subject) WHERE cleared_at IS NULL;
CREATE INDEX alerts_created ON alerts (created_at DESC, id DESC);
CREATE INDEX alerts_unread ON alerts (created_at DESC, id DESC) WHERE read_at IS NULL;

-- Weekly cleanup: finished orders past the retention are archived (hidden from default
-- lists so they stay fast); nothing is deleted.
ALTER TABLE orders ADD COLUMN archived_at INTEGER;
CREATE INDEX orders_archived ON orders (archived_at) WHERE archived_at IS NOT NULL;
