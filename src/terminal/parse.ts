/**
 * A command line -> the command it names, its arguments and flags, and the `| grep` stages after it.
 * Flags come as `--k=v`, `--k v` (when the flag takes a value) or `--switch`; `--` ends the flags;
 * `-h`/`--help` anywhere asks for the command's help. Every mistake is a UsageError that says what
 * was expected. Pure: the browser bundles it too.
 */
import {
  type CommandSpec,
  findCommand,
  findGroup,
  type FlagSpec,
  subcommands,
  topLevelNames,
  usage,
  type ValueKind,
} from './grammar.ts';
import { similar } from './similar.ts';
import { type Token, tokenize } from './tokenize.ts';

export const ExitCode = {
  Ok: 0,
  Failed: 1,
  Usage: 2,
  Interrupted: 130,
  UnknownCommand: 127,
} as const;

export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode: number;
  /** Shown under the message: usage line, "did you mean", "try help". */
  readonly hints: string[];
  constructor(message: string, hints: string[] = [], exitCode: number = ExitCode.Usage) {
    super(message);
    this.hints = hints;
    this.exitCode = exitCode;
  }
}

export interface Invocation {
  command: CommandSpec;
  args: string[];
  flags: Record<string, string | true>;
  /** `-h` / `--help` was given. */
  help: boolean;
}

export interface GrepStage {
  pattern: string;
  invert: boolean;
}

export interface ParsedLine {
  /** Null for an empty line. */
  invocation: Invocation | null;
  filters: GrepStage[];
}

export function parseLine(line: string): ParsedLine {
  const segments = splitPipes(tokenize(line));
  const [first, ...rest] = segments;
  const words = (first ?? []).map((t) => t.value);
  if (words.length === 0) {
    if (rest.length > 0)
      throw new UsageError('a pipe needs a command before it', ['e.g. devices list | grep online']);
    return { invocation: null, filters: [] };
  }
  return { invocation: parseInvocation(words), filters: rest.map(parseGrep) };
}

/** Words split at pipes; an empty segment after a pipe is an error. */
export function splitPipes(tokens: readonly Token[]): Token[][] {
  const segments: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'pipe') segments.push([]);
    else segments.at(-1)!.push(token);
  }
  if (segments.length > 1 && segments.at(-1)!.length === 0) {
    throw new UsageError('the line ends with a pipe', ['e.g. tasks list | grep failed']);
  }
  return segments;
}

/** Which command the leading words name, and how many words that took. */
export function resolveCommand(words: readonly string[]): { command: CommandSpec; used: number } {
  const [head = '', sub] = words;
  const single = findCommand([head]);
  if (single) return { command: single, used: 1 };
  const group = findGroup(head);
  if (!group) {
    const guesses = similar(head, topLevelNames());
    throw new UsageError(
      `unknown command: ${head}`,
      [guesses.length ? `did you mean: ${guesses.join(', ')}?` : '', 'type help to see every command'].filter(
        Boolean,
      ),
      ExitCode.UnknownCommand,
    );
  }
  const subs = subcommands(group.name).map((c) => c.path[1]!);
  if (sub === undefined || sub.startsWith('-')) {
    if (group.defaultSub) return { command: findCommand([group.name, group.defaultSub])!, used: 1 };
    throw new UsageError(`${group.name} needs one of: ${subs.join(', ')}`, [`e.g. ${group.name} ${subs[0]}`]);
  }
  const command = findCommand([group.name, sub]);
  if (command) return { command, used: 2 };
  const guesses = similar(sub, subs);
  throw new UsageError(
    `unknown command: ${group.name} ${sub}`,
    [
      guesses.length ? `did you mean: ${guesses.map((g) => `${group.name} ${g}`).join(', ')}?` : '',
      `${group.name} takes: ${subs.join(', ')}`,
    ].filter(Boolean),
    ExitCode.UnknownCommand,
  );
}

export function parseInvocation(words: readonly string[]): Invocation {
  const { command, used } = resolveCommand(words);
  const args: string[] = [];
  const flags: Record<string, string | true> = {};
  let help = false;
  let flagsEnded = false;
  const rest = words.slice(used);
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (flagsEnded || !word.startsWith('-') || word === '-' || /^-\d/.test(word)) {
      args.push(word);
      continue;
    }
    if (word === '--') {
      flagsEnded = true;
      continue;
    }
    if (word === '-h' || word === '--help') {
      help = true;
      continue;
    }
    const eq = word.indexOf('=');
    const name = word.slice(word.startsWith('--') ? 2 : 1, eq === -1 ? undefined : eq);
    const spec = command.flags.find((f) => f.name === name);
    if (!spec || !word.startsWith('--')) throw unknownFlag(command, word, name);
    if (name in flags) throw new UsageError(`--${name} is given twice`, [usageHint(command)]);
    if (!spec.value) {
      flags[name] = eq === -1 ? true : switchValue(spec, word.slice(eq + 1));
      continue;
    }
    let value: string;
    if (eq !== -1) value = word.slice(eq + 1);
    else if (i + 1 < rest.length) value = rest[++i]!;
    else throw new UsageError(`--${name} needs a value`, [`--${name}=${spec.placeholder ?? 'VALUE'}`]);
    checkValue(spec, value);
    flags[name] = value;
  }
  if (!help) checkArgs(command, args);
  return { command, args, flags, help };
}

function checkArgs(command: CommandSpec, args: readonly string[]): void {
  const required = command.args.filter((a) => a.required);
  if (args.length < required.length) {
    const missing = required[args.length]!;
    throw new UsageError(`${command.path.join(' ')} needs ${article(missing.name)}`, [usageHint(command)]);
  }
  // `help tasks submit` names a command in several words.
  if (command.path[0] === 'help') return;
  if (args.length > command.args.length) {
    const extra = args[command.args.length]!;
    const hint = command.flags.some((f) => f.value) ? [`quote a value that has spaces: --flag='a b'`] : [];
    throw new UsageError(`unexpected argument: ${extra}`, [usageHint(command), ...hint]);
  }
  command.args.forEach((spec, i) => {
    const value = args[i];
    if (value !== undefined && spec.kind.type === 'choice' && !spec.kind.choices.includes(value)) {
      throw new UsageError(`${spec.name} must be one of: ${spec.kind.choices.join(', ')}`, [
        usageHint(command),
      ]);
    }
  });
}

function checkValue(spec: FlagSpec, value: string): void {
  const kind = spec.value as ValueKind;
  if (kind.type === 'choice' && !kind.choices.includes(value)) {
    const guesses = similar(value, kind.choices, 1);
    throw new UsageError(
      `--${spec.name} must be one of: ${kind.choices.join(', ')} (got "${value}")`,
      guesses.length ? [`did you mean --${spec.name}=${guesses[0]}?`] : [],
    );
  }
  if (kind.type === 'number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < (kind.min ?? -Infinity)) {
      throw new UsageError(
        `--${spec.name} must be a number${kind.min === undefined ? '' : ` >= ${kind.min}`} (got "${value}")`,
      );
    }
  }
  if (value === '' && kind.type !== 'json') throw new UsageError(`--${spec.name} needs a value`);
}

function switchValue(spec: FlagSpec, value: string): true | string {
  if (['', 'true', 'yes', '1'].includes(value)) return true;
  if (['false', 'no', '0'].includes(value)) return 'false';
  throw new UsageError(`--${spec.name} is a switch: give it alone, or as --${spec.name}=false`);
}

function unknownFlag(command: CommandSpec, word: string, name: string): UsageError {
  const known = command.flags.map((f) => f.name);
  if (known.length === 0)
    return new UsageError(`${command.path.join(' ')} takes no flags (got ${word})`, [usageHint(command)]);
  const guesses = similar(name, known);
  return new UsageError(
    `unknown flag: ${word}`,
    [
      guesses.length ? `did you mean: ${guesses.map((g) => `--${g}`).join(', ')}?` : '',
      usageHint(command),
    ].filter(Boolean),
  );
}

/** A switch given as `--wait=false` is off. */
export function flagOn(invocation: Invocation, name: string): boolean {
  return invocation.flags[name] === true;
}

export function flagValue(invocation: Invocation, name: string): string | undefined {
  const value = invocation.flags[name];
  return typeof value === 'string' ? value : undefined;
}

function parseGrep(segment: readonly Token[]): GrepStage {
  const [name, ...rest] = segment.map((t) => t.value);
  if (name !== 'grep') {
    throw new UsageError(`only grep can follow a pipe (got "${name}")`, ['e.g. devices list | grep online']);
  }
  let invert = false;
  const patterns: string[] = [];
  for (const word of rest) {
    if (word === '-v') invert = true;
    else if (word === '-i')
      continue; // Always case-insensitive; accepted for habit's sake.
    else patterns.push(word);
  }
  if (patterns.length !== 1) {
    throw new UsageError(
      patterns.length === 0
        ? 'grep needs a text to look for'
        : `grep takes one text (quote it: grep '${patterns.join(' ')}')`,
      ['grep [-v] TEXT   keeps the lines containing TEXT (any case); -v keeps the others'],
    );
  }
  return { pattern: patterns[0]!, invert };
}

function usageHint(command: CommandSpec): string {
  return `usage: ${usage(command)}`;
}

function article(name: string): string {
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}
