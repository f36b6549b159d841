-- Schema 8: webhooks (Standard Webhooks 1.0 signed POSTs) and their persisted outbox.
-- Same conventions as schema 1: INTEGER unix ms.

-- A receiver the user added. The `whsec_` signing secret is encrypted under the master key
-- (AES-256-GCM, associated data: the negated webhook id, so it never decrypts as a provider
-- key); a removed webhook keeps its row (deliveries stay readable) but loses its secret.
CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY,
    url        TEXT    NOT NULL,
    secret_enc BLOB    NOT NULL,
    events     TEXT    NOT NULL CHECK (json_valid(events)), -- JSON array of event types
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    removed_at INTEGER
);

-- One message to one webhook. `next_attempt_at` is set while the message waits to be sent
-- (NULL once delivered or given up); a sender leases a row by moving it forward first.
CREATE TABLE webhook_outbox (
    id              INTEGER PRIMARY KEY,
    msg_id          TEXT    NOT NULL UNIQUE,          -- the `webhook-id` header, msg_…
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id),
    event_type      TEXT    NOT NULL,                 -- order.status_changed, balance.low, webhook.test
    source          TEXT    NOT NULL,                 -- order_events, alerts, test
    source_id       INTEGER,                          -- the row it came from (NULL for tests)
    payload         TEXT    NOT NULL CHECK (json_valid(payload)),
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_attempt_at INTEGER,
    delivered_at    INTEGER,
    given_up_at     INTEGER,
    last_status     INTEGER,                          -- the receiver's HTTP status
    last_error      TEXT                              -- why the last attempt failed (no secrets)
);
CREATE UNIQUE INDEX webhook_outbox_source ON webhook_outbox (webhook_id, source, source_id)
    WHERE source_id IS NOT NULL;
CREATE INDEX webhook_outbox_due ON webhook_outbox (webhook_id, next_attempt_at, id)
    WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_outbox_created ON webhook_outbox (id DESC, webhook_id);

-- How far the outbox has read the durable timelines: everything after `last_id` is still to
-- be turned into messages. History before this schema is not sent.
CREATE TABLE webhook_cursors (
    source  TEXT    PRIMARY KEY,                      -- order_events, alerts
    last_id INTEGER NOT NULL
);
INSERT INTO webhook_cursors (source, last_id)
    VALUES ('order_events', (SELECT coalesce(max(id), 0) FROM order_events)),
           ('alerts', (SELECT coalesce(max(id), 0) FROM alerts));
