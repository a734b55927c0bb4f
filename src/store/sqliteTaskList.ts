/** Filtered, paged task listings, newest first; one pair of statements per combination of filters. */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { rowToTask, TASK_COLUMNS, type TaskRow } from './sqliteRows.ts';
import type { TaskListQuery, TaskPage } from './store.ts';

const FILTERS = [
  ['status', 'status'],
  ['task_type', 'task_type'],
  ['priority', 'priority'],
  ['device_id', 'assigned_device_id'],
] as const;

interface ListStatements {
  page: StatementSync;
  count: StatementSync;
}

export class TaskLister {
  #db: DatabaseSync;
  // At most 2^4 entries: the set of filters decides the SQL, the values are bound.
  #cache = new Map<string, ListStatements>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  list(query: TaskListQuery): TaskPage {
    const columns: string[] = [];
    const values: SQLInputValue[] = [];
    for (const [field, column] of FILTERS) {
      const value = query[field];
      if (value === undefined) continue;
      columns.push(column);
      values.push(value);
    }
    const statements = this.#statements(columns);
    const total = Number(statements.count.get(...values)!.n);
    const rows = statements.page.all(...values, query.limit, query.offset) as unknown as TaskRow[];
    return { tasks: rows.map(rowToTask), total };
  }

  #statements(columns: string[]): ListStatements {
    const key = columns.join(',');
    let statements = this.#cache.get(key);
    if (!statements) {
      const where = columns.length === 0 ? '' : `WHERE ${columns.map((c) => `${c} = ?`).join(' AND ')}`;
      statements = {
        page: this.#db.prepare(
          `SELECT ${TASK_COLUMNS} FROM tasks ${where} ORDER BY seq DESC LIMIT ? OFFSET ?`,
        ),
        count: this.#db.prepare(`SELECT count(*) AS n FROM tasks ${where}`),
      };
      statements.page.setReturnArrays(true);
      this.#cache.set(key, statements);
    }
    return statements;
  }
}
