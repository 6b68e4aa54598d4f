-- expect: none (linted as a directory, in order)
ALTER TABLE users ADD CONSTRAINT users_email_ok CHECK (email IS NOT NULL AND email <> '') NOT VALID;
