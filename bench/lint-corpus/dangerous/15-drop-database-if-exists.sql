-- expect: drop-database
-- clean up the old analytics database
DROP DATABASE IF EXISTS analytics WITH (FORCE);
