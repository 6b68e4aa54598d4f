-- expect: none
-- safe-deploy: allow ban-drop-column
-- unused since v3.1
ALTER TABLE users DROP COLUMN legacy_flag;
