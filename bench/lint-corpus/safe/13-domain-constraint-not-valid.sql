-- expect: none
ALTER DOMAIN us_postal_code ADD CONSTRAINT us_postal_code_check CHECK (VALUE ~ '^\d{5}$') NOT VALID;
