-- The first migration of the shop of ../shop.sqlite.sql, in MySQL / MariaDB: AUTO_INCREMENT keys, an inline ENUM,
-- indexes declared in CREATE TABLE, a single-statement trigger.
-- The example startup service embeds this directory; 002 adds to it.
--
--   cargo run -q --bin sextant -- inspect examples/schemas/migrations-mysql/001_shop.sql --dialect mysql

CREATE TABLE customers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  email VARCHAR(255) NOT NULL,
  name VARCHAR(200) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  phone VARCHAR(32) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY customers_email_key (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE products (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  sku VARCHAR(32) NOT NULL,
  name VARCHAR(200) NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  stock INT NOT NULL DEFAULT 0,
  active TINYINT(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  UNIQUE KEY products_sku_key (sku),
  CONSTRAINT products_price_check CHECK (price >= 0),
  CONSTRAINT products_stock_check CHECK (stock >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE orders (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  customer_id BIGINT UNSIGNED NOT NULL,
  status ENUM('pending','paid','shipped','cancelled') NOT NULL DEFAULT 'pending',
  placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  total DECIMAL(12,2) NOT NULL DEFAULT 0.00 COMMENT 'Sum of the items'' prices',
  PRIMARY KEY (id),
  KEY orders_customer_id_idx (customer_id),
  KEY orders_status_placed_at_idx (status, placed_at),
  CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='One checkout by one customer.';

CREATE TABLE order_items (
  order_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  quantity INT NOT NULL,
  unit_price DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (order_id, product_id),
  KEY order_items_product_id_idx (product_id),
  CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT order_items_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT order_items_quantity_check CHECK (quantity > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE VIEW order_summaries AS
SELECT o.id AS order_id,
       c.email,
       o.status,
       count(i.product_id) AS items,
       o.total
FROM orders o
JOIN customers c ON c.id = o.customer_id
LEFT JOIN order_items i ON i.order_id = o.id
GROUP BY o.id, c.email, o.status, o.total;

-- Keep orders.total in step with the order's items.
CREATE TRIGGER order_items_add_to_total
AFTER INSERT ON order_items
FOR EACH ROW
UPDATE orders SET total = total + NEW.quantity * NEW.unit_price WHERE id = NEW.order_id;
