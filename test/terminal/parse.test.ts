import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMANDS, usage } from '../../src/terminal/grammar.ts';
import { ExitCode, flagOn, flagValue, parseLine, UsageError } from '../../src/terminal/parse.ts';
import { distance, similar } from '../../src/terminal/similar.ts';

function parse(line: string) {
  const { invocation, filters } = parseLine(line);
  assert.ok(invocation, `"${line}" names a command`);
  return {
    path: invocation.command.path.join(' '),
    args: invocation.args,
    flags: invocation.flags,
    help: invocation.help,
    filters,
    invocation,
  };
}

function usageError(line: string, message: RegExp, exitCode: number = ExitCode.Usage): UsageError {
  let caught: unknown;
  try {
    parseLine(line);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof UsageError, `"${line}" is a usage error (got ${String(caught)})`);
  assert.match(caught.message, message);
  assert.equal(caught.exitCode, exitCode);
  return caught;
}

test('an empty line is no command', () => {
  assert.deepEqual(parseLine('   '), { invocation: null, filters: [] });
});

test('commands, subcommands, and the default subcommand of a bare group', () => {
  assert.equal(parse('cluster status').path, 'cluster status');
  assert.equal(parse('cluster').path, 'cluster status');
  assert.equal(parse('devices').path, 'devices list');
  assert.equal(parse('devices --status=online').path, 'devices list');
  assert.equal(parse('tasks').path, 'tasks list');
  assert.deepEqual(parse('devices show w1').args, ['w1']);
  assert.deepEqual(parse('help tasks submit').args, ['tasks', 'submit']);
});

test('flags as --k=v, as --k v, and switches', () => {
  const a = parse(`tasks submit echo --payload='{"m":1}' --priority high --wait`);
  assert.deepEqual(a.args, ['echo']);
  assert.deepEqual(a.flags, { payload: '{"m":1}', priority: 'high', wait: true });
  assert.equal(flagOn(a.invocation, 'wait'), true);
  assert.equal(flagValue(a.invocation, 'priority'), 'high');
  const b = parse('tasks submit echo --wait=false --payload=');
  assert.equal(flagOn(b.invocation, 'wait'), false);
  assert.equal(flagValue(b.invocation, 'payload'), '', 'a JSON flag may be empty text');
  assert.deepEqual(parse('devices list --status online --format=json').flags, {
    status: 'online',
    format: 'json',
  });
  assert.deepEqual(
    parse('tasks submit echo --payload=a=b').flags,
    { payload: 'a=b' },
    'only the first = splits',
  );
});

test('flags may come before arguments; -- ends the flags', () => {
  assert.deepEqual(parse('tasks submit --wait echo').args, ['echo']);
  assert.deepEqual(parse('devices show -- --odd-id').args, ['--odd-id']);
});

test('-h and --help ask for the help of the command, whatever else is missing', () => {
  const p = parse('tasks submit --help');
  assert.equal(p.help, true);
  assert.equal(p.path, 'tasks submit');
  assert.equal(parse('devices show -h').help, true);
});

test('pipes: grep stages after the command, with -v and -i', () => {
  assert.deepEqual(parse('devices list | grep online').filters, [{ pattern: 'online', invert: false }]);
  assert.deepEqual(parse(`tasks list | grep -v 'echo x' | grep -i FAIL`).filters, [
    { pattern: 'echo x', invert: true },
    { pattern: 'FAIL', invert: false },
  ]);
});

test('unknown commands say so and suggest the nearest ones (exit 127)', () => {
  const a = usageError('devcies list', /unknown command: devcies/, ExitCode.UnknownCommand);
  assert.match(a.hints.join('\n'), /did you mean: devices\?/);
  assert.match(a.hints.join('\n'), /help/);
  const b = usageError('devices lst', /unknown command: devices lst/, ExitCode.UnknownCommand);
  assert.match(b.hints.join('\n'), /did you mean: devices list\?/);
  assert.match(b.hints.join('\n'), /list, show, drain, undrain, remove/);
  const c = usageError('frobnicate', /unknown command: frobnicate/, ExitCode.UnknownCommand);
  assert.doesNotMatch(c.hints.join('\n'), /did you mean/);
});

test('usage errors name the problem and show the usage', () => {
  const missing = usageError('tasks show', /tasks show needs an ID/);
  assert.match(missing.hints[0]!, /^usage: tasks show ID$/);
  usageError('tasks submit', /needs a TYPE/);
  usageError('monitor', /monitor needs one of: devices, tasks, logs/);
  const flag = usageError('devices list --stauts=online', /unknown flag: --stauts=online/);
  assert.match(flag.hints[0]!, /did you mean: --status\?/);
  usageError(
    'devices list --status=onlin',
    /--status must be one of: online, disconnected, offline, draining/,
  );
  usageError('devices list --status', /--status needs a value/);
  usageError('devices list --format=xml', /--format must be one of/);
  usageError('tasks list --limit=abc', /--limit must be a number >= 1/);
  usageError('tasks list --limit=0', /--limit must be a number >= 1/);
  usageError('devices list --role=a --role=b', /--role is given twice/);
  usageError('devices show w1 w2', /unexpected argument: w2/);
  usageError('cluster status --json', /cluster status takes no flags/);
  usageError('tasks submit echo --wait=maybe', /--wait is a switch/);
  usageError('theme blue', /THEME must be one of: dark, light/);
});

test('pipe mistakes are usage errors', () => {
  usageError('devices list |', /the line ends with a pipe/);
  usageError('| grep x', /a pipe needs a command before it/);
  usageError('devices list | sort', /only grep can follow a pipe/);
  usageError('devices list | grep', /grep needs a text/);
  usageError('devices list | grep a b', /grep takes one text \(quote it: grep 'a b'\)/);
});

test('every command has a usage line naming its arguments and flags', () => {
  assert.equal(
    usage(COMMANDS.find((c) => c.path.join(' ') === 'tasks submit')!),
    'tasks submit TYPE [--payload=JSON] [--priority=low|normal|high|urgent] [--device=ID] [--timeout=S] [--retries=N] [--wait]',
  );
  for (const command of COMMANDS) assert.ok(usage(command).startsWith(command.path.join(' ')));
});

test('similar() finds near misses and prefixes, best first', () => {
  assert.equal(distance('devcies', 'devices'), 1, 'a swap of neighbours is one edit');
  assert.deepEqual(similar('tsks', ['tasks', 'theme', 'devices']), ['tasks']);
  assert.deepEqual(similar('mon', ['monitor', 'help']), ['monitor']);
  assert.deepEqual(similar('zzz', ['tasks']), []);
});
