-- Schema 6: the order list's "link contains" filter. A LIKE '%text%' cannot use a b-tree index,
-- so a search that matches few orders read every order. This FTS5 index of trigrams over
-- `orders.link` (external content: it stores no second copy of the links) answers
-- `link LIKE '%text%'` for text with three or more characters in a row from the index; the
-- order list asks it first and keeps the plain scan for text matching many orders. The
-- triggers keep it in step with `orders`; 'rebuild' indexes the orders already there.
CREATE VIRTUAL TABLE orders_link_fts USING fts5(
    link,
    content = 'orders',
    content_rowid = 'id',
    tokenize = 'trigram'
);
CREATE TRIGGER orders_link_fts_insert AFTER INSERT ON orders BEGIN
    INSERT INTO orders_link_fts (rowid, link) VALUES (new.id, new.link);
END;
CREATE TRIGGER orders_link_fts_delete AFTER DELETE ON orders BEGIN
    INSERT INTO orders_link_fts (orders_link_fts, rowid, link) VALUES ('delete', old.id, old.link);
END;
CREATE TRIGGER orders_link_fts_update AFTER UPDATE OF id, link ON orders BEGIN
    INSERT INTO orders_link_fts (orders_link_fts, rowid, link) VALUES ('delete', old.id, old.link);
    INSERT INTO orders_link_fts (rowid, link) VALUES (new.id, new.link);
END;
INSERT INTO orders_link_fts (orders_link_fts) VALUES ('rebuild');
