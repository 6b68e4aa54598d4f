-- expect: none
SAVEPOINT before_seed;
INSERT INTO settings (key, value) VALUES ('theme', 'light') ON CONFLICT DO NOTHING;
RELEASE SAVEPOINT before_seed;
