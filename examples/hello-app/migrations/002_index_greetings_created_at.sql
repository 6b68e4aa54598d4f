-- An index on an existing table: built CONCURRENTLY so writes keep flowing (the runner runs this
-- file outside a transaction).
CREATE INDEX CONCURRENTLY IF NOT EXISTS greetings_created_at_idx ON greetings (created_at);
