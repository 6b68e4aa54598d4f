-- expect: add-column-volatile-default
ALTER TABLE documents ADD COLUMN meta jsonb DEFAULT myjsonb();
