-- expect: transaction-control
BEGIN;
CREATE TABLE a (id int);
BEGIN;
CREATE TABLE b (id int);
COMMIT;
COMMIT;
