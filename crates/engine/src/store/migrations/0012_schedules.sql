-- Scheduled orders (issue #16): an order request and a rule, and one row per occurrence.
-- Times are INTEGER unix ms (UTC); the rule's local times and zone are in `rule` (JSON).

CREATE TABLE schedules (
    id          INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id),
    service_id  TEXT    NOT NULL,                                -- the provider's service id
    request     TEXT    NOT NULL CHECK (json_valid(request)),    -- the order (NewOrder, no key)
    rule        TEXT    NOT NULL CHECK (json_valid(rule)),       -- ScheduleRule
    missed      TEXT    NOT NULL CHECK (missed IN ('skip', 'latest')),
    active      INTEGER NOT NULL DEFAULT 1,
    next_at     INTEGER,                                         -- NULL: the series is over
    next_index  INTEGER NOT NULL DEFAULT 0,                      -- 0-based, in the series
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER                                          -- soft delete
);
CREATE INDEX schedules_due ON schedules (next_at)
    WHERE active = 1 AND deleted_at IS NULL AND next_at IS NOT NULL;

-- One occurrence: claimed (being placed), placed (an order exists, see order_id), skipped
-- (a check failed before anything was journaled) or missed (SMM Desk was not running).
-- UNIQUE (schedule_id, occurrence_at): an occurrence is claimed once, by one program.
CREATE TABLE schedule_runs (
    id               INTEGER PRIMARY KEY,
    schedule_id      INTEGER NOT NULL REFERENCES schedules (id),
    occurrence_at    INTEGER NOT NULL,
    occurrence_index INTEGER NOT NULL,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    state            TEXT    NOT NULL CHECK (state IN ('claimed', 'placed', 'skipped', 'missed')),
    order_id         INTEGER REFERENCES orders (id),
    reason           TEXT,                                       -- an error code
    message          TEXT,
    claimed_at       INTEGER NOT NULL,
    finished_at      INTEGER,
    UNIQUE (schedule_id, occurrence_at)
);
CREATE INDEX schedule_runs_claimed ON schedule_runs (claimed_at) WHERE state = 'claimed';
CREATE INDEX schedule_runs_schedule ON schedule_runs (schedule_id, occurrence_at DESC);
