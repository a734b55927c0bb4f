-- From this version on, rows hold each fact once: tasks.data holds only what the task's columns do
-- not (see taskParams in sqliteRows.ts), and an event of a task the store holds records the task's
-- seq without its id (found again through the seq). Rows written before keep everything, and both
-- read the same. A program from before this version cannot read the new rows: this version number
-- makes it refuse the file instead of loading tasks without ids.
SELECT 1;
