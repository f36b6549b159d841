-- Schema 1: providers, their catalog and price history, the API call log, balance history,
-- job runs and settings.
-- Conventions: times are INTEGER unix milliseconds (UTC); money is TEXT holding a canonical
-- rust_decimal string ("0.9", "100.84292"), never REAL; booleans are INTEGER 0/1.

CREATE TABLE providers (
    id                     INTEGER PRIMARY KEY,
    name                   TEXT    NOT NULL,            -- slug, unique among live providers
    display_name           TEXT    NOT NULL,
    api_url                TEXT    NOT NULL,
    api_key_enc            BLOB    NOT NULL,            -- nonce(12) || AES-256-GCM(ciphertext+tag), AAD = id
    key_last4              TEXT    NOT NULL,
    active                 INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    priority               INTEGER NOT NULL DEFAULT 0,
    currency               TEXT,
    last_balance           TEXT,                        -- money
    balance_checked_at     INTEGER,
    last_error             TEXT,                        -- the last failed connection test / sync, no key
    user_agent             TEXT,
    max_concurrency        INTEGER NOT NULL DEFAULT 4 CHECK (max_concurrency >= 1),
    requests_per_minute    INTEGER NOT NULL DEFAULT 60 CHECK (requests_per_minute >= 1),
    is_demo                INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    low_balance_threshold  TEXT,                        -- money
    low_balance_alerted_at INTEGER,                     -- set when alerted, cleared on recovery
    catalog_synced_at      INTEGER,                     -- the last successful catalog sync
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    removed_at             INTEGER                      -- soft delete: orders and history stay readable
);
CREATE UNIQUE INDEX providers_live_name ON providers (name) WHERE removed_at IS NULL;
CREATE INDEX providers_priority ON providers (removed_at, priority DESC, name);

CREATE TABLE services (
    id           INTEGER PRIMARY KEY,
    provider_id  INTEGER NOT NULL REFERENCES providers (id),
    service_id   TEXT    NOT NULL,                      -- the provider's id, kept as text
    name         TEXT    NOT NULL,
    type         TEXT    NOT NULL,                      -- as the provider spells it
    category     TEXT    NOT NULL,
    rate         TEXT    NOT NULL,                      -- money per 1000, canonical decimal
    rate_sort    TEXT    NOT NULL,                      -- fixed-width text that sorts like the rate
    min          INTEGER NOT NULL,
    max          INTEGER NOT NULL,
    refill       INTEGER NOT NULL CHECK (refill IN (0, 1)),
    cancel       INTEGER NOT NULL CHECK (cancel IN (0, 1)),
    dripfeed     INTEGER NOT NULL CHECK (dripfeed IN (0, 1)),
    description  TEXT,
    platform     TEXT    NOT NULL,                      -- derived: instagram, tiktok, … other
    kind         TEXT    NOT NULL,                      -- derived: followers, likes, views, … other
    offer_key    TEXT    NOT NULL,                      -- derived: groups the same offer across providers
    search_text  TEXT    NOT NULL,                      -- lowercase "service_id name category"
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,                      -- last sync that wrote this row
    removed_at   INTEGER,                               -- gone upstream; never deleted
    UNIQUE (provider_id, service_id)
);
CREATE INDEX services_provider_rate ON services (provider_id, removed_at, rate_sort);
CREATE INDEX services_rate ON services (removed_at, rate_sort);
CREATE INDEX services_platform_rate ON services (platform, removed_at, rate_sort);
CREATE INDEX services_category ON services (category, provider_id);
CREATE INDEX services_offer ON services (offer_key, rate_sort) WHERE removed_at IS NULL;
CREATE INDEX services_first_seen ON services (provider_id, first_seen);
CREATE INDEX services_removed_at ON services (removed_at) WHERE removed_at IS NOT NULL;

CREATE TABLE price_history (
    id          INTEGER PRIMARY KEY,
    service_ref INTEGER NOT NULL REFERENCES services (id),
    provider_id INTEGER NOT NULL REFERENCES providers (id),
    changed_at  INTEGER NOT NULL,
    old_rate    TEXT    NOT NULL,
    new_rate    TEXT    NOT NULL,
    old_min     INTEGER NOT NULL,
    new_min     INTEGER NOT NULL,
    old_max     INTEGER NOT NULL,
    new_max     INTEGER NOT NULL
);
CREATE INDEX price_history_service ON price_history (service_ref, changed_at);
CREATE INDEX price_history_provider ON price_history (provider_id, changed_at);
CREATE INDEX price_history_time ON price_history (changed_at);

CREATE TABLE balance_snapshots (
    id          INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id),
    amount      TEXT    NOT NULL,                       -- money
    currency    TEXT    NOT NULL,
    taken_at    INTEGER NOT NULL
);
CREATE INDEX balance_snapshots_provider ON balance_snapshots (provider_id, taken_at);

-- One row per HTTP call to a provider. Never the key, never the request body.
CREATE TABLE api_calls (
    id          INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id),
    action      TEXT    NOT NULL,                       -- services, add, status, balance, …
    started_at  INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    outcome     TEXT    NOT NULL,                       -- ok | rejected | never_sent | maybe_sent | invalid_reply
    http_status INTEGER
);
CREATE INDEX api_calls_provider_time ON api_calls (provider_id, started_at);
CREATE INDEX api_calls_time ON api_calls (started_at);

CREATE TABLE job_runs (
    id              INTEGER PRIMARY KEY,
    job             TEXT    NOT NULL,                   -- catalog_sync, balance, order_status, …
    provider_id     INTEGER REFERENCES providers (id),  -- NULL for jobs over everything
    last_started_at INTEGER,
    last_success_at INTEGER,
    last_error      TEXT,
    last_error_at   INTEGER,
    next_due_at     INTEGER
);
CREATE UNIQUE INDEX job_runs_job_provider ON job_runs (job, ifnull(provider_id, 0));
CREATE INDEX job_runs_due ON job_runs (next_due_at);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
