-- A small shop in SQLite: customers place orders of products.
-- The same schema, built up step by step, is in migrations/; PostgreSQL and MySQL
-- spellings are the first migrations of migrations-postgres/ and migrations-mysql/.
--
--   cargo run -q --bin sextant -- inspect examples/schemas/shop.sqlite.sql --dialect sqlite

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    email       TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    phone       TEXT
);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    stock       INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    active      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
    placed_at   TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    total_cents INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE order_items (
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       INTEGER NOT NULL REFERENCES products (id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, product_id)
);

-- SQLite does not index foreign key columns by itself.
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
-- Only open orders are looked up by date; shipped and cancelled ones stay out.
CREATE INDEX orders_open_placed_at_idx ON orders (placed_at) WHERE status IN ('pending', 'paid');

CREATE VIEW order_summaries AS
SELECT o.id AS order_id,
       c.email,
       o.status,
       count(i.product_id) AS items,
       o.total_cents
FROM orders o
JOIN customers c ON c.id = o.customer_id
LEFT JOIN order_items i ON i.order_id = o.id
GROUP BY o.id, c.email, o.status, o.total_cents;

-- Keep orders.total_cents in step with the order's items.
CREATE TRIGGER order_items_add_to_total
AFTER INSERT ON order_items
BEGIN
    UPDATE orders
    SET total_cents = total_cents + NEW.quantity * NEW.unit_price_cents
    WHERE id = NEW.order_id;
END;

CREATE TRIGGER order_items_subtract_from_total
AFTER DELETE ON order_items
BEGIN
    UPDATE orders
    SET total_cents = total_cents - OLD.quantity * OLD.unit_price_cents
    WHERE id = OLD.order_id;
END;
