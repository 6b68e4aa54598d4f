-- expect: none
UPDATE users SET nickname = name WHERE id IN (SELECT id FROM users WHERE nickname IS NULL LIMIT 1000);
