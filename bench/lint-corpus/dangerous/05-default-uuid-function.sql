-- expect: add-column-volatile-default
ALTER TABLE users ADD COLUMN public_id uuid NOT NULL DEFAULT uuid();
