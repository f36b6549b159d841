-- Schema 3: what safe placement, resolution and fast order lists need beyond schema 2.

-- The provider's last known balance when the order was journaled (money), and when that
-- balance was fetched: "balance before" when resolving an order in state unknown.
ALTER TABLE orders ADD COLUMN journal_balance TEXT;
ALTER TABLE orders ADD COLUMN journal_balance_at INTEGER;

-- Order list filtered by provider and status, newest first.
CREATE INDEX orders_provider_status_created
    ON orders (provider_id, status, created_at DESC, id DESC);

-- Status polling: only open orders with an external id, oldest checked first. Partial, so it
-- stays small however many finished orders the book holds.
CREATE INDEX orders_open_checked
    ON orders (provider_id, last_checked_at, id)
    WHERE status IN ('pending', 'processing', 'in_progress', 'active') AND external_id IS NOT NULL;

-- Refill polling: only open refills with a provider refill id.
CREATE INDEX refills_open_checked
    ON refills (provider_id, last_checked_at, id)
    WHERE status IN ('pending', 'in_progress') AND external_refill_id IS NOT NULL;
