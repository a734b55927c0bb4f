import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTable, tableFormat } from '../../src/http/textTable.ts';

test('the Accept header picks CSV, TSV or pipe-separated text', () => {
  assert.equal(tableFormat('text/csv'), 'csv');
  assert.equal(tableFormat('text/tab-separated-values;q=0.9'), 'tsv');
  assert.equal(tableFormat('*/*'), 'pipe');
  assert.equal(tableFormat(undefined), 'pipe');
});

test('cells are escaped for each format; a spreadsheet formula is neutralised', () => {
  const rows = [['a,b', 'say "hi"', null, 3, '=HYPERLINK("x")']];
  assert.equal(
    renderTable(['x', 'y', 'z', 'n', 'f'], rows, 'csv'),
    'x,y,z,n,f\r\n"a,b","say ""hi""",,3,"\'=HYPERLINK(""x"")"\r\n',
  );
  assert.equal(renderTable(['x', 'y'], [['a\tb', 'c\nd']], 'tsv'), 'x\ty\na b\tc d\n');
  assert.equal(renderTable(['x', 'y'], [['a|b', undefined]], 'pipe'), 'x | y\na b | \n');
});
