-- Indexes for the order pages, once real traffic showed which lookups are slow.

CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
CREATE INDEX orders_open_placed_at_idx ON orders (placed_at) WHERE status IN ('pending', 'paid');
