import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suggest, type SuggestSource } from '../../src/terminal/suggest.ts';

const source: SuggestSource = {
  deviceIds: async () => ['pi-4', 'pixel-3a', 'nas'],
  taskIds: async () => ['5f0c1e2a-0000-4000-8000-000000000001', '77aa0000-0000-4000-8000-000000000002'],
  taskTypes: async () => ['echo', 'shell_command', 'sleep'],
};

async function words(line: string, cursor = line.length): Promise<string[]> {
  return (await suggest(line, cursor, source)).suggestions;
}

test('the first word completes to commands', async () => {
  assert.deepEqual(await words(''), [
    'clear',
    'cluster',
    'devices',
    'export',
    'help',
    'monitor',
    'tasks',
    'theme',
  ]);
  assert.deepEqual(await words('cl'), ['clear', 'cluster']);
  assert.deepEqual(await words('DEV'), ['devices'], 'any case');
  assert.deepEqual(await words('xyz'), []);
});

test('the second word completes to subcommands', async () => {
  assert.deepEqual(await words('devices '), ['list', 'show', 'drain', 'undrain', 'remove']);
  assert.deepEqual(await words('tasks s'), ['submit', 'show']);
  assert.deepEqual(await words('monitor '), ['devices', 'tasks', 'logs']);
});

test('flags complete with = when they take a value, and flags given already are left out', async () => {
  assert.deepEqual(await words('devices list --'), [
    '--status=',
    '--role=',
    '--platform=',
    '--tags=',
    '--format=',
    '--help',
  ]);
  assert.deepEqual(await words('tasks submit echo --w'), ['--wait']);
  assert.deepEqual(await words('devices list --status=online --s'), []);
  assert.deepEqual(await words('devices --st'), ['--status='], 'the default subcommand takes flags');
});

test('flag values complete, after = or as the next word', async () => {
  assert.deepEqual(await words('devices list --status=o'), ['--status=online', '--status=offline']);
  assert.deepEqual(await words('devices list --status '), ['online', 'disconnected', 'offline', 'draining']);
  assert.deepEqual(await words('tasks list --device=pi'), ['--device=pi-4', '--device=pixel-3a']);
  assert.deepEqual(await words('tasks list --type=s'), ['--type=shell_command', '--type=sleep']);
  assert.deepEqual(await words('tasks submit echo --payload='), [], 'free text has nothing to offer');
});

test('arguments complete to what the server knows: device ids, task ids, task types', async () => {
  assert.deepEqual(await words('devices show '), ['pi-4', 'pixel-3a', 'nas']);
  assert.deepEqual(await words('devices drain pi'), ['pi-4', 'pixel-3a']);
  assert.deepEqual(await words('tasks show 5f'), ['5f0c1e2a-0000-4000-8000-000000000001']);
  assert.deepEqual(await words('tasks submit '), ['echo', 'shell_command', 'sleep']);
  assert.deepEqual(
    await words('tasks submit --priority high e'),
    ['echo'],
    'a --k v value is not an argument',
  );
  assert.deepEqual(await words('devices show nas '), [], 'no argument left');
});

test('help completes command names', async () => {
  assert.deepEqual(await words('help ta'), ['tasks']);
  assert.deepEqual(await words('help tasks '), ['list', 'submit', 'show', 'cancel', 'retry']);
});

test('after a pipe only grep (and its -v) is offered', async () => {
  assert.deepEqual(await words('devices list | '), ['grep']);
  assert.deepEqual(await words('devices list |gr'), ['grep']);
  assert.deepEqual(await words('devices list | grep -'), ['-v']);
});

test('the answer says which part of the line the suggestions replace; the cursor may be mid-line', async () => {
  const line = 'devices show pix --status=online';
  const answer = await suggest(line, 'devices show pix'.length, source);
  assert.deepEqual(answer, { suggestions: ['pixel-3a'], start: 13, end: 16 });
  const atEnd = await suggest('tasks list --status=fa', 22, source);
  assert.deepEqual(atEnd, { suggestions: ['--status=failed'], start: 11, end: 22 });
});

test('ids that need quoting come quoted; a source failure is no suggestion, not an error', async () => {
  const odd: SuggestSource = { ...source, deviceIds: async () => ["bob's phone"] };
  assert.deepEqual((await suggest('devices show ', 13, odd)).suggestions, [`'bob'\\''s phone'`]);
  const broken: SuggestSource = { ...source, deviceIds: async () => [] };
  assert.deepEqual((await suggest('devices show ', 13, broken)).suggestions, []);
});
