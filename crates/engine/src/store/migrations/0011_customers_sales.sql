-- Customers and the sale on each order (issue #15).
-- A customer is a name (unique, ignoring case and surrounding or repeated spaces: `name_key`)
-- and one free-text contact. An order may name one; none is ever required.
CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL UNIQUE,
    contact     TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- What the customer pays for the order, in the order's currency (exact decimal text);
-- NULL when the order was not sold (no price list applied and none was given).
ALTER TABLE orders ADD COLUMN customer_id INTEGER REFERENCES customers (id);
ALTER TABLE orders ADD COLUMN sale_price TEXT;

-- A customer's orders, newest first (the orders filter and the customer's totals).
CREATE INDEX orders_customer_created
    ON orders (customer_id, created_at DESC, id DESC) WHERE customer_id IS NOT NULL;
