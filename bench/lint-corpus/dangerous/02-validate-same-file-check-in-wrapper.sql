-- expect: validate-in-same-migration
BEGIN;
ALTER TABLE accounts ADD CONSTRAINT balance_positive CHECK (balance >= 0) NOT VALID;
-- validated right away: the ADD's ACCESS EXCLUSIVE lock is still held
ALTER TABLE accounts VALIDATE CONSTRAINT balance_positive;
COMMIT;
