-- Customers get an optional loyalty tier.

ALTER TABLE customers ADD COLUMN loyalty_tier text;
