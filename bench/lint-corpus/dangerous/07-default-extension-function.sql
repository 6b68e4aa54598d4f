-- expect: add-column-volatile-default
ALTER TABLE sessions ADD COLUMN token uuid DEFAULT uuid_generate_v4();
