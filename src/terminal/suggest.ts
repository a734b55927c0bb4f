/**
 * Tab completion: what the word under the cursor may become — a command, a subcommand, a flag, a
 * flag's value, or an id the server knows (devices, recent tasks, task types). Derived from the
 * command table; the ids come from a source the caller provides (the REST API on the main node).
 */
import {
  type CommandSpec,
  findGroup,
  type FlagSpec,
  subcommands,
  topLevelNames,
  type ValueKind,
} from './grammar.ts';
import { resolveCommand } from './parse.ts';
import { quoteWord, tokenizeLenient } from './tokenize.ts';

export interface SuggestSource {
  deviceIds(): Promise<string[]>;
  /** Recent first. */
  taskIds(): Promise<string[]>;
  taskTypes(): Promise<string[]>;
}

export interface Suggestions {
  /** Whole replacement words, already quoted where the tokenizer needs it. */
  suggestions: string[];
  /** The part of the line they replace: `line.slice(start, end)` (end is the cursor). */
  start: number;
  end: number;
}

const MAX_SUGGESTIONS = 50;

export async function suggest(line: string, cursor: number, source: SuggestSource): Promise<Suggestions> {
  const head = line.slice(0, Math.max(0, Math.min(cursor, line.length)));
  const { tokens } = tokenizeLenient(head);
  const last = tokens.at(-1);
  const touching = last?.kind === 'word' && last.end === head.length;
  const current = touching
    ? last
    : { kind: 'word' as const, value: '', start: head.length, end: head.length };
  const before = touching ? tokens.slice(0, -1) : tokens;
  const pipeAt = before.map((t) => t.kind).lastIndexOf('pipe');
  const prior = before.slice(pipeAt + 1).map((t) => t.value);
  const candidates =
    pipeAt === -1 ? await commandCandidates(prior, current.value, source) : grepCandidates(prior);
  const prefix = current.value.toLowerCase();
  const suggestions = [...new Set(candidates)]
    .filter((c) => c.toLowerCase().startsWith(prefix))
    .slice(0, MAX_SUGGESTIONS)
    .map((c) => (c.startsWith('--') ? c : quoteWord(c)));
  return { suggestions, start: current.start, end: head.length };
}

function grepCandidates(prior: readonly string[]): string[] {
  if (prior.length === 0) return ['grep'];
  return prior[0] === 'grep' && !prior.includes('-v') ? ['-v'] : [];
}

async function commandCandidates(
  prior: readonly string[],
  word: string,
  source: SuggestSource,
): Promise<string[]> {
  if (prior.length === 0) return topLevelNames().sort();
  const group = findGroup(prior[0]!);
  if (group && prior.length === 1 && !word.startsWith('-')) {
    return subcommands(group.name).map((c) => c.path[1]!);
  }
  let command: CommandSpec;
  let used: number;
  try {
    ({ command, used } = resolveCommand(prior));
  } catch {
    return [];
  }
  const rest = prior.slice(used);
  if (word.startsWith('--') && word.includes('=')) {
    const name = word.slice(2, word.indexOf('='));
    const flag = command.flags.find((f) => f.name === name);
    if (!flag?.value) return [];
    return (await values(flag.value, source)).map((v) => `--${name}=${v}`);
  }
  if (word.startsWith('-')) return flagCandidates(command, rest);
  const previous = rest.at(-1);
  const pending =
    previous?.startsWith('--') && !previous.includes('=') ? flagNamed(command, previous) : undefined;
  if (pending?.value) return values(pending.value, source);
  if (command.path[0] === 'help') return helpTopics(rest);
  const arg = command.args[positionals(command, rest).length];
  return arg ? values(arg.kind, source) : [];
}

function flagCandidates(command: CommandSpec, rest: readonly string[]): string[] {
  const given = new Set(rest.filter((w) => w.startsWith('--')).map((w) => w.slice(2).split('=')[0]));
  return command.flags
    .filter((f) => !given.has(f.name))
    .map((f) => (f.value ? `--${f.name}=` : `--${f.name}`))
    .concat(given.has('help') ? [] : ['--help']);
}

function flagNamed(command: CommandSpec, word: string): FlagSpec | undefined {
  return command.flags.find((f) => f.name === word.slice(2));
}

/** The words after the command that are arguments (not flags, not the values of `--k v` flags). */
function positionals(command: CommandSpec, rest: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (!word.startsWith('-')) args.push(word);
    else if (!word.includes('=') && flagNamed(command, word)?.value) i++;
  }
  return args;
}

function helpTopics(rest: readonly string[]): string[] {
  const words = rest.filter((w) => !w.startsWith('-'));
  if (words.length === 0) return topLevelNames().sort();
  if (words.length === 1 && findGroup(words[0]!)) return subcommands(words[0]!).map((c) => c.path[1]!);
  return [];
}

async function values(kind: ValueKind, source: SuggestSource): Promise<string[]> {
  switch (kind.type) {
    case 'choice':
      return [...kind.choices];
    case 'device':
      return source.deviceIds();
    case 'task':
      return source.taskIds();
    case 'task_type':
      return source.taskTypes();
    case 'topic':
      return topLevelNames().sort();
    default:
      return [];
  }
}
