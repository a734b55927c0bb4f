import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_TASK_TYPES } from '../../src/protocol/messages.ts';
import { BUILTIN_HANDLERS, resolveTaskType, selectTaskTypes } from '../../src/worker/tasks/registry.ts';

test('every built-in task type has a handler registered under its name', () => {
  assert.deepEqual([...BUILTIN_HANDLERS.keys()], [...BUILTIN_TASK_TYPES]);
  for (const [type, handler] of BUILTIN_HANDLERS) assert.equal(handler.type, type);
});

test('aliases resolve to the canonical type; other names pass through', () => {
  assert.equal(resolveTaskType('command'), 'shell_command');
  assert.equal(resolveTaskType('echo'), 'echo');
  assert.equal(resolveTaskType('constructor'), 'constructor');
});

test('selectTaskTypes accepts everything by default', () => {
  assert.deepEqual(selectTaskTypes(), [...BUILTIN_TASK_TYPES]);
  assert.deepEqual(selectTaskTypes({ allow: [] }), [...BUILTIN_TASK_TYPES]);
});

test('allow narrows and deny removes, aliases included', () => {
  assert.deepEqual(selectTaskTypes({ allow: ['echo', 'command', 'sleep'] }), [
    'echo',
    'sleep',
    'shell_command',
  ]);
  assert.deepEqual(selectTaskTypes({ deny: ['command', 'python_eval'] }), [
    'echo',
    'sleep',
    'system_info',
    'http_request',
  ]);
  assert.deepEqual(selectTaskTypes({ allow: ['echo', 'sleep'], deny: ['sleep'] }), ['echo']);
});

test('unknown names in allow or deny are an error naming them', () => {
  assert.throws(
    () => selectTaskTypes({ allow: ['echo', 'rm_rf', 'bogus'] }),
    /unknown task type\(s\) in --allow: rm_rf, bogus/,
  );
  assert.throws(
    () => selectTaskTypes({ deny: ['shel_command'] }),
    /unknown task type\(s\) in --deny: shel_command/,
  );
});
