-- expect: none
CREATE VIEW active_users AS SELECT id, email FROM users WHERE deleted_at IS NULL;
GRANT SELECT ON active_users TO reporting;
COMMENT ON VIEW active_users IS 'users not soft-deleted';
