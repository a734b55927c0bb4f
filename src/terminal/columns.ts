/**
 * Aligned columns with coloured cells. Widths are measured on the plain text, colour is added after
 * padding; on a narrow screen (a phone) the least important columns are left out until it fits.
 */
import type { Colour, Paint } from './ansi.ts';

export interface Column {
  header: string;
  /** Higher goes first when the table is too wide; 0 (default) is never dropped. */
  drop?: number;
}

export type Cell = string | number | null | undefined | { text: string; colour: Colour };

export interface TableOptions {
  paint: Paint;
  /** Characters available; undefined = no limit. */
  width?: number | undefined;
}

const GAP = 2;

export function renderColumns(
  columns: readonly Column[],
  rows: readonly Cell[][],
  options: TableOptions,
): string {
  const plain = rows.map((row) => row.map(cellText));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...plain.map((row) => row[i]!.length)));
  const keep = columns.map(() => true);
  const total = () => widths.reduce((sum, w, i) => (keep[i] ? sum + w + GAP : sum), -GAP);
  const order = columns
    .map((c, i) => ({ i, drop: c.drop ?? 0 }))
    .filter((c) => c.drop > 0)
    .sort((a, b) => b.drop - a.drop);
  for (const { i } of order) {
    if (options.width === undefined || total() <= options.width) break;
    keep[i] = false;
  }
  const last = keep.lastIndexOf(true);
  // The last column is not padded, so no line carries trailing blanks (inside colour codes or not).
  const line = (cells: string[], colour: (i: number, text: string) => string) =>
    cells
      .map((text, i) => (keep[i] ? colour(i, i === last ? text : text.padEnd(widths[i]!)) : null))
      .filter((text) => text !== null)
      .join(' '.repeat(GAP));
  const { paint } = options;
  const header = line(
    columns.map((c) => c.header),
    (_, text) => paint.bold(text),
  );
  const body = rows.map((row, r) =>
    line(plain[r]!, (i, text) => {
      const cell = row[i];
      return typeof cell === 'object' && cell !== null ? paint[cell.colour](text) : text;
    }),
  );
  return [header, ...body].join('\n');
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined || cell === '') return '-';
  if (typeof cell === 'object') return cell.text;
  return String(cell);
}
