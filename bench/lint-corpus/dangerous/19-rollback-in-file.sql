-- expect: transaction-control
CREATE TABLE d (id int);
ROLLBACK;
