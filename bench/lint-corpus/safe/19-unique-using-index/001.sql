-- expect: none (linted as a directory, in order)
CREATE UNIQUE INDEX CONCURRENTLY users_email_key_idx ON users (email);
