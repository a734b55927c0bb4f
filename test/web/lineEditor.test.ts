import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyCompletion, columns, commonPrefix } from '../../src/web/shell/completion.ts';
import { History } from '../../src/web/shell/history.ts';
import { LineEditor } from '../../src/web/shell/lineEditor.ts';

test('editing keys change the buffer and the cursor', () => {
  const e = new LineEditor();
  e.insert('devices lst');
  e.move(-2);
  e.insert('i');
  assert.deepEqual([e.buffer, e.cursor], ['devices list', 10]);
  e.move(-Infinity);
  e.deleteForward();
  assert.equal(e.buffer, 'evices list');
  e.set('tasks show abc', 14);
  e.deleteWordBack();
  assert.deepEqual([e.buffer, e.cursor], ['tasks show ', 11]);
  e.wordLeft();
  assert.equal(e.cursor, 6);
  e.deleteToEnd();
  assert.equal(e.buffer, 'tasks ');
  e.wordRight();
  e.deleteToStart();
  assert.deepEqual([e.buffer, e.cursor], ['', 0]);
  e.backspace();
  assert.equal(e.buffer, '');
});

test('render redraws from the prompt and places the cursor, also over wrapped rows', () => {
  const e = new LineEditor();
  e.set('abc', 1);
  // 4-column prompt on a 10-column terminal: the cursor goes back to column 5.
  assert.equal(e.render('$$$ ', 4, 10), '\r\x1b[J$$$ abc\r\x1b[5C');
  e.set('0123456789AB', 12); // 4 + 12 = 16: wraps onto a second row
  assert.equal(e.render('$$$ ', 4, 10), '\r\x1b[J$$$ 0123456789AB\r\x1b[6C');
  e.move(-Infinity);
  // The next draw first climbs back to the prompt's row; the cursor then goes up to row 0.
  assert.equal(e.render('$$$ ', 4, 10), '\x1b[1A\r\x1b[J$$$ 0123456789AB\x1b[1A\r\x1b[4C');
  e.set('012345', 6); // exactly 10 columns: step onto the next row
  assert.equal(e.render('$$$ ', 4, 10), '\r\x1b[J$$$ 012345\r\n\r');
  assert.equal(e.leave(4, 10), '\r\n');
});

test('history: older and newer entries, the draft kept, duplicates and blanks skipped, persisted', () => {
  const store = new Map<string, string>();
  const storage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
  } as Storage;
  const h = new History(storage);
  h.add('devices list');
  h.add('devices list');
  h.add('  ');
  h.add('tasks list');
  assert.equal(h.previous('draft'), 'tasks list');
  assert.equal(h.previous('x'), 'devices list');
  assert.equal(h.previous('x'), null);
  assert.equal(h.next(), 'tasks list');
  assert.equal(h.next(), 'draft');
  assert.equal(h.next(), null);
  assert.deepEqual(new History(storage).entries, ['devices list', 'tasks list']);
  assert.deepEqual(new History(null).entries, []);
});

test('a completion replaces the word, adds a blank after a finished word, or lists the choices', () => {
  const e = new LineEditor();
  e.set('devices sh');
  assert.deepEqual(applyCompletion(e, { suggestions: ['show'], start: 8, end: 10 }), { kind: 'edited' });
  assert.deepEqual([e.buffer, e.cursor], ['devices show ', 13]);
  e.set('devices list --st');
  applyCompletion(e, { suggestions: ['--status='], start: 13, end: 17 });
  assert.equal(e.buffer, 'devices list --status=');
  e.set('tasks s');
  applyCompletion(e, { suggestions: ['submit', 'show'], start: 6, end: 7 });
  assert.equal(e.buffer, 'tasks s', 'no longer common prefix');
  assert.deepEqual(applyCompletion(e, { suggestions: ['submit', 'show'], start: 6, end: 7 }), {
    kind: 'list',
    choices: ['submit', 'show'],
  });
  e.set('devices show p');
  applyCompletion(e, { suggestions: ['pi-4', 'pixel'], start: 13, end: 14 });
  assert.equal(e.buffer, 'devices show pi');
  assert.equal(commonPrefix(['abc', 'abd', 'ab']), 'ab');
  assert.equal(columns(['aa', 'bb', 'cc'], 8), 'aa  bb\r\ncc');
});
