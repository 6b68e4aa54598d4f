-- expect: none
ALTER TABLE users ADD COLUMN prefs jsonb NOT NULL DEFAULT jsonb_build_object('theme', 'light');
ALTER TABLE users ADD COLUMN year text DEFAULT to_char(CURRENT_DATE, 'YYYY');
