-- Schema 2: orders, their timeline, refills and cancel requests.
-- Same conventions as schema 1: INTEGER unix ms, money as canonical decimal TEXT.

CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    provider_id      INTEGER NOT NULL REFERENCES providers (id),
    service_ref      INTEGER REFERENCES services (id),  -- the catalog row, when known
    service_id       TEXT    NOT NULL,                  -- snapshot: the provider's service id
    service_name     TEXT    NOT NULL,                  -- snapshot
    service_type     TEXT    NOT NULL,                  -- snapshot
    service_rate     TEXT    NOT NULL,                  -- snapshot: money per 1000
    link             TEXT,
    quantity         INTEGER,
    params           TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params)), -- type-specific fields
    estimated_cost   TEXT    NOT NULL,                  -- money
    charge           TEXT,                              -- money, from the provider
    currency         TEXT,
    start_count      INTEGER,
    remains          INTEGER,
    status           TEXT    NOT NULL,                  -- normalized: submitting, unknown, rejected, pending, …
    raw_status       TEXT,                              -- the provider's string, kept verbatim
    reject_reason    TEXT,                              -- typed reason when rejected
    external_id      TEXT,                              -- the provider's order id
    last_error       TEXT,
    parent_order_id  INTEGER REFERENCES orders (id),    -- a resubmission points at the attempt before
    created_at       INTEGER NOT NULL,
    submitted_at     INTEGER,
    updated_at       INTEGER NOT NULL,
    finished_at      INTEGER,
    last_checked_at  INTEGER
);
CREATE INDEX orders_created ON orders (created_at DESC, id DESC);
CREATE INDEX orders_status_checked ON orders (status, last_checked_at);
CREATE INDEX orders_provider_status_checked ON orders (provider_id, status, last_checked_at);
CREATE INDEX orders_provider_created ON orders (provider_id, created_at DESC, id DESC);
CREATE INDEX orders_status_created ON orders (status, created_at DESC, id DESC);
CREATE INDEX orders_service_created ON orders (service_ref, created_at DESC, id DESC);
CREATE INDEX orders_external ON orders (provider_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX orders_parent ON orders (parent_order_id) WHERE parent_order_id IS NOT NULL;

-- Append-only timeline of every state change and provider answer.
CREATE TABLE order_events (
    id       INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    at       INTEGER NOT NULL,
    kind     TEXT    NOT NULL,                          -- created, sent, accepted, rejected, status, refill, cancel, …
    status   TEXT,
    detail   TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
CREATE INDEX order_events_order ON order_events (order_id, id);

CREATE TABLE refills (
    id                 INTEGER PRIMARY KEY,
    order_id           INTEGER NOT NULL REFERENCES orders (id),
    provider_id        INTEGER NOT NULL REFERENCES providers (id),
    external_refill_id TEXT,
    status             TEXT    NOT NULL,                -- requesting, unknown, rejected, pending, completed, …
    raw_status         TEXT,
    last_error         TEXT,
    requested_at       INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    last_checked_at    INTEGER
);
CREATE INDEX refills_order ON refills (order_id);
CREATE INDEX refills_status_checked ON refills (status, last_checked_at);
CREATE INDEX refills_provider_status_checked ON refills (provider_id, status, last_checked_at);

CREATE TABLE cancel_requests (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    provider_id  INTEGER NOT NULL REFERENCES providers (id),
    status       TEXT    NOT NULL,                      -- requesting, accepted, rejected, unknown
    last_error   TEXT,
    requested_at INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX cancel_requests_order ON cancel_requests (order_id);
