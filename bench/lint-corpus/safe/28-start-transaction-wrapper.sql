-- expect: none
START TRANSACTION;
ALTER TABLE users ADD COLUMN locale text DEFAULT 'en';
END;
