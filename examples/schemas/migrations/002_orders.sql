-- Ordering: orders, their items, a summary view, and triggers that keep the total.

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

-- Couriers asked for a number to call.
ALTER TABLE customers ADD COLUMN phone TEXT;

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
