-- expect: validate-in-same-migration
ALTER TABLE accounts
  ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID,
  VALIDATE CONSTRAINT email_nn;
