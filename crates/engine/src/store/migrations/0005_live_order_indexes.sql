-- Schema 5: the order list hides archived orders by default (`archived_at IS NULL`). These
-- partial indexes hold only live orders, so the default list, its status counts and its last
-- page never walk the archived ones (with a plain index a page near the end of the live
-- orders, or a count, would read every archived row to skip it). The full indexes of schema
-- 2 and 3 still serve lists that include archived orders.
CREATE INDEX orders_live_created
    ON orders (created_at DESC, id DESC) WHERE archived_at IS NULL;
CREATE INDEX orders_live_status_created
    ON orders (status, created_at DESC, id DESC) WHERE archived_at IS NULL;
CREATE INDEX orders_live_provider_created
    ON orders (provider_id, created_at DESC, id DESC) WHERE archived_at IS NULL;
CREATE INDEX orders_live_provider_status_created
    ON orders (provider_id, status, created_at DESC, id DESC) WHERE archived_at IS NULL;
-- The status chips' counts, of every provider and of one. The trailing `archived_at` (always
-- NULL here) makes them covering: SQLite would otherwise read every row to recheck the
-- index's own condition.
CREATE INDEX orders_live_status
    ON orders (status, archived_at) WHERE archived_at IS NULL;
CREATE INDEX orders_live_provider_status
    ON orders (provider_id, status, archived_at) WHERE archived_at IS NULL;
