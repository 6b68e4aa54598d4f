-- expect: none
BEGIN;
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric(12,2) NOT NULL);
CREATE INDEX invoices_total ON invoices (total);
COMMIT;
