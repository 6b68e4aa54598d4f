-- expect: none (linted as a directory, in order)
-- step 1: the check, without scanning
ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;
