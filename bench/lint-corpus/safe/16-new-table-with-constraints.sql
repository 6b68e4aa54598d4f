-- expect: none
CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint, amount numeric);
ALTER TABLE payments ADD CONSTRAINT payments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE payments ADD CONSTRAINT payments_amount_positive CHECK (amount > 0);
CREATE INDEX payments_order ON payments (order_id);
