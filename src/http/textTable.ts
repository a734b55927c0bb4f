/** Tables for `/text/*`: pipe-separated for people, CSV or TSV for spreadsheets and scripts. */

export type TableFormat = 'pipe' | 'csv' | 'tsv';

export const TABLE_MEDIA: Record<TableFormat, string> = {
  pipe: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
};

/** Picked by the Accept header; anything else gets the pipe-separated text. */
export function tableFormat(accept: string | undefined): TableFormat {
  const wanted = (accept ?? '').toLowerCase();
  if (wanted.includes('text/csv')) return 'csv';
  if (wanted.includes('text/tab-separated-values')) return 'tsv';
  return 'pipe';
}

export type Cell = string | number | boolean | null | undefined;

/** The first line names the columns; an unknown value is an empty cell. */
export function renderTable(
  columns: readonly string[],
  rows: readonly Cell[][],
  format: TableFormat,
): string {
  const lines = [columns, ...rows].map((row) => row.map((cell) => formatCell(cell, format)));
  if (format === 'csv') return lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
  if (format === 'tsv') return lines.map((cells) => cells.join('\t')).join('\n') + '\n';
  return lines.map((cells) => cells.join(' | ')).join('\n') + '\n';
}

function formatCell(cell: Cell, format: TableFormat): string {
  const text = cell === null || cell === undefined ? '' : String(cell);
  if (format === 'tsv') return text.replace(/[\t\r\n]+/g, ' ');
  if (format === 'pipe') return text.replace(/[|\r\n]+/g, ' ');
  // A spreadsheet would run a cell starting with = + - @ as a formula: quote it as text.
  const safe = typeof cell === 'string' && /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}
