-- expect: none
ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();
