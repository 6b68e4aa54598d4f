-- expect: alter-domain-add-constraint
ALTER DOMAIN amount ADD CONSTRAINT amount_nn NOT NULL;
