-- expect: add-column-volatile-default
ALTER TABLE orders ADD COLUMN ref text DEFAULT upper(random_code(8));
