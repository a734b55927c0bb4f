-- From this version on, tasks.data holds only what the columns do not (see taskParams in
-- sqliteRows.ts); rows written before keep the whole task, and both read the same. A program from
-- before this version cannot read the new rows: this version number makes it refuse the file
-- instead of loading tasks without ids.
SELECT 1;
