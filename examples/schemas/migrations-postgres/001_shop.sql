-- The first migration of the shop of ../shop.sqlite.sql, in PostgreSQL: an enum for the order status, identity
-- columns, money as numeric, a case-insensitive unique email, a partial index.
-- The example startup service embeds this directory; 002 adds to it.
--
--   cargo run -q --bin sextant -- inspect examples/schemas/migrations-postgres/001_shop.sql --dialect postgres

CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE customers (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      text NOT NULL,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    phone      text
);

CREATE TABLE products (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku    varchar(32) NOT NULL UNIQUE,
    name   text NOT NULL,
    price  numeric(10,2) NOT NULL CHECK (price >= 0),
    stock  integer NOT NULL DEFAULT 0 CHECK (stock >= 0),
    active boolean NOT NULL DEFAULT true
);

CREATE TABLE orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
    status      order_status NOT NULL DEFAULT 'pending',
    placed_at   timestamptz NOT NULL DEFAULT now(),
    total       numeric(12,2) NOT NULL DEFAULT 0
);

CREATE TABLE order_items (
    order_id   bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES products (id),
    quantity   integer NOT NULL CHECK (quantity > 0),
    unit_price numeric(10,2) NOT NULL,
    PRIMARY KEY (order_id, product_id)
);

-- One account per address, whatever its case.
CREATE UNIQUE INDEX customers_email_key ON customers (lower(email));
-- PostgreSQL does not index foreign key columns by itself.
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
-- Only open orders are looked up by date; shipped and cancelled ones stay out.
CREATE INDEX orders_open_placed_at_idx ON orders (placed_at) WHERE status IN ('pending', 'paid');

CREATE VIEW order_summaries AS
SELECT o.id AS order_id,
       c.email,
       o.status,
       count(i.product_id) AS items,
       o.total
FROM orders o
JOIN customers c ON c.id = o.customer_id
LEFT JOIN order_items i ON i.order_id = o.id
GROUP BY o.id, c.email;

COMMENT ON TABLE orders IS 'One checkout by one customer.';
COMMENT ON COLUMN orders.total IS 'Sum of the items'' prices, kept by the application.';
COMMENT ON COLUMN products.price IS 'Unit price, tax included.';
