-- expect: add-check-without-not-valid
ALTER TABLE accounts ADD CONSTRAINT balance_positive CHECK (balance >= 0);
