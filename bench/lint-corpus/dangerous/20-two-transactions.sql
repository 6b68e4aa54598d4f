-- expect: transaction-control
BEGIN;
CREATE TABLE e (id int);
COMMIT;
BEGIN;
CREATE TABLE f (id int);
COMMIT;
