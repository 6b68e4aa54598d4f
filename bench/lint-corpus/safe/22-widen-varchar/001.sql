-- expect: none (linted as a directory, in order)
CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(50));
