-- expect: transaction-control
BEGIN;
CREATE TABLE audit_log (id bigint PRIMARY KEY, body text);
