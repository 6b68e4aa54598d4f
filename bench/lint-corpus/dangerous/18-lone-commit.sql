-- expect: transaction-control
CREATE TABLE c (id int);
COMMIT;
