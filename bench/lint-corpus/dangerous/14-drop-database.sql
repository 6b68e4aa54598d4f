-- expect: drop-database
DROP DATABASE legacy_reports;
