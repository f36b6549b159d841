-- Top-ups the user recorded (issue #15): money added to a provider account, so that a balance
-- rising between two readings is explained and reconciliation can find what is not.
CREATE TABLE balance_topups (
    id          INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id),
    amount      TEXT    NOT NULL,            -- money, > 0, in the account's currency
    note        TEXT,
    at          INTEGER NOT NULL
);
CREATE INDEX balance_topups_provider ON balance_topups (provider_id, at);
-- Reconciliation reads the orders a provider finished between two readings (those journaled
-- come from orders_provider_created).
CREATE INDEX orders_provider_finished ON orders (provider_id, finished_at)
    WHERE finished_at IS NOT NULL;
