-- expect: add-column-volatile-default
ALTER TABLE events ADD COLUMN code text DEFAULT app.next_code('ev');
