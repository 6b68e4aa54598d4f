-- expect: none
REINDEX SYSTEM app;
