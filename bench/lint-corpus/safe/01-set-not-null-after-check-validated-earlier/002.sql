-- step 2: validate (SHARE UPDATE EXCLUSIVE only)
ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;
