-- Routing with failover (issue #16): offer groups (`route_groups`: the same offer on several
-- providers, saved by the user) and routed orders (`routes`: one routed request, its key and
-- what it asked for). Each attempt of a route is an ordinary journaled order whose idempotency
-- key is `<route key>/route/<n>` (n = 1, 2, …), so the order rules hold for every attempt.

CREATE TABLE route_groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL UNIQUE,                          -- lowercase name
    rule        TEXT    NOT NULL CHECK (rule IN ('cheapest', 'preference')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- A group's members, in the user's preference order (position 1 first).
CREATE TABLE route_members (
    group_id    INTEGER NOT NULL REFERENCES route_groups (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 1),
    provider_id INTEGER NOT NULL REFERENCES providers (id),
    service_id  TEXT    NOT NULL,                                 -- the provider's service id
    PRIMARY KEY (group_id, position),
    UNIQUE (group_id, provider_id, service_id)
);
CREATE INDEX route_members_provider ON route_members (provider_id);

-- One routed request. `group_id` is NULL once the group was removed (the route and its
-- attempts stay); `group_name` keeps the name it was placed under.
CREATE TABLE routes (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT    NOT NULL UNIQUE,
    group_id        INTEGER REFERENCES route_groups (id) ON DELETE SET NULL,
    group_name      TEXT    NOT NULL,
    request         TEXT    NOT NULL CHECK (json_valid(request)),  -- what was asked (no key)
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER                                        -- NULL: still routing
);
