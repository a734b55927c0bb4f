import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandSyntaxError, quoteWord, tokenize, tokenizeLenient } from '../../src/terminal/tokenize.ts';

const words = (line: string) => tokenize(line).map((t) => (t.kind === 'pipe' ? '|' : t.value));

test('words split on blanks; runs of blanks and leading/trailing blanks do not make empty words', () => {
  assert.deepEqual(words('  devices   list  '), ['devices', 'list']);
  assert.deepEqual(words(''), []);
  assert.deepEqual(words('\t'), []);
});

test('single quotes are literal; double quotes honour \\" and \\\\; quoted parts join their neighbours', () => {
  assert.deepEqual(words(`tasks submit echo --payload='{"m": 1}'`), [
    'tasks',
    'submit',
    'echo',
    '--payload={"m": 1}',
  ]);
  assert.deepEqual(words(`--payload="{\\"m\\": \\"a b\\"}"`), ['--payload={"m": "a b"}']);
  assert.deepEqual(words(`"a\\\\b" 'c\\d'`), ['a\\b', 'c\\d']);
  assert.deepEqual(words(`a"b c"d`), ['ab cd']);
  assert.deepEqual(words(`'' ""`), ['', ''], 'empty quotes are empty words');
});

test('a backslash outside quotes escapes the next character, including blanks and pipes', () => {
  assert.deepEqual(words('grep a\\ b'), ['grep', 'a b']);
  assert.deepEqual(words('grep a\\|b'), ['grep', 'a|b']);
  assert.deepEqual(words('end\\'), ['end\\']);
});

test('an unquoted | is a pipe, with or without blanks around it; a quoted one is text', () => {
  assert.deepEqual(words('devices list|grep on'), ['devices', 'list', '|', 'grep', 'on']);
  assert.deepEqual(words(`tasks list | grep 'a|b'`), ['tasks', 'list', '|', 'grep', 'a|b']);
});

test('tokens carry their offsets in the line', () => {
  const tokens = tokenize(`a 'b c' | d`);
  assert.deepEqual(
    tokens.map((t) => [t.start, t.end]),
    [
      [0, 1],
      [2, 7],
      [8, 9],
      [10, 11],
    ],
  );
});

test('an unterminated quote is an error naming the column; the lenient form reports it instead', () => {
  assert.throws(
    () => tokenize(`tasks show 'abc`),
    (error: Error) => {
      assert.ok(error instanceof CommandSyntaxError);
      assert.match(error.message, /unterminated ' quote \(opened at column 12\)/);
      return true;
    },
  );
  const lenient = tokenizeLenient(`--payload='{"m`);
  assert.deepEqual(lenient.openQuote, { char: "'", at: 10 });
  assert.equal(lenient.tokens[0]!.value, '--payload={"m');
});

test('quoteWord quotes only what needs it, and round-trips through the tokenizer', () => {
  assert.equal(quoteWord('w1'), 'w1');
  assert.equal(quoteWord('--status=online'), '--status=online');
  for (const word of ['a b', "it's", '', 'x|y', '{"m":1}', 'back\\slash']) {
    assert.notEqual(quoteWord(word), word);
    assert.deepEqual(words(quoteWord(word)), [word]);
  }
});
