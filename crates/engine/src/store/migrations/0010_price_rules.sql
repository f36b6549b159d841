-- The selling price list (issue #15): markup rules at four levels, most specific first.
-- `target` is '' for the default rule, a platform name (`instagram`), a category name, or a
-- service's local id; each level and target has at most one rule. Amounts are exact decimal
-- text, like every other amount in this database.
CREATE TABLE price_rules (
    id          INTEGER PRIMARY KEY,
    scope       TEXT    NOT NULL CHECK (scope IN ('default', 'platform', 'category', 'service')),
    target      TEXT    NOT NULL,
    percent     TEXT,            -- markup on the cost, in percent
    fixed       TEXT,            -- added per 1000, in the service's currency
    min_margin  TEXT,            -- the least margin, in percent of the selling price
    step        TEXT,            -- the selling rate is rounded up to a multiple of this
    price       TEXT,            -- a manual selling rate per 1000 (service rules only)
    updated_at  INTEGER NOT NULL,
    UNIQUE (scope, target),
    CHECK ((scope = 'default') = (target = '')),
    CHECK (price IS NULL OR scope = 'service')
);
