-- expect: alter-domain-add-constraint
ALTER DOMAIN us_postal_code ADD CONSTRAINT us_postal_code_check
  CHECK (VALUE ~ '^\d{5}$' OR VALUE ~ '^\d{5}-\d{4}$');
