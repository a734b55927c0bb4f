/** `help`, `help GROUP`, `help COMMAND` and `COMMAND --help`, all derived from the command table. */
import type { Paint } from '../ansi.ts';
import { COMMANDS, type CommandSpec, findGroup, GROUPS, subcommands, usage } from '../grammar.ts';
import { ExitCode, resolveCommand, UsageError } from '../parse.ts';

/**
 * Name and description side by side, or (on a narrow terminal, where they would wrap into each
 * other) the description under the name.
 */
function described(rows: readonly [string, string][], paint: Paint, width: number | undefined): string[] {
  const left = Math.max(...rows.map(([name]) => name.length)) + 2;
  const fits = width === undefined || rows.every(([, text]) => 2 + left + text.length <= width);
  return rows.flatMap(([name, text]) =>
    fits
      ? [`  ${paint.cyan(name.padEnd(left))}${paint.dim(text)}`]
      : [`  ${paint.cyan(name)}`, `      ${paint.dim(text)}`],
  );
}

export function overview(paint: Paint, width?: number): string {
  const rows: [string, string][] = [];
  for (const command of COMMANDS) {
    if (command.path.length === 1) rows.push([brief(command), command.summary]);
  }
  for (const group of GROUPS) {
    const subs = subcommands(group.name);
    rows.push([`${group.name} ${subs.map((c) => c.path[1]).join('|')}`, group.summary]);
  }
  return [
    paint.bold('Commands'),
    ...described(rows, paint, width),
    '',
    paint.bold('Pipes'),
    ...described([['COMMAND | grep [-v] TEXT', 'keep the lines containing TEXT (any case)']], paint, width),
    '',
    paint.bold('Keys'),
    '  Tab completes, ↑/↓ history, Ctrl+C stops, Ctrl+L clears, Esc then Tab leaves the terminal',
    '',
    `More: help COMMAND, e.g. ${paint.cyan('help tasks submit')}`,
  ].join('\n');
}

export function helpFor(words: readonly string[], paint: Paint, width?: number): string {
  if (words.length === 0) return overview(paint, width);
  const group = findGroup(words[0]!);
  if (group && words.length === 1) {
    const rows = subcommands(group.name).map((c): [string, string] => [brief(c), c.summary]);
    const lines = [`${paint.bold(group.name)}: ${group.summary}`, ...described(rows, paint, width)];
    if (group.defaultSub)
      lines.push(paint.dim(`a bare "${group.name}" runs "${group.name} ${group.defaultSub}"`));
    return lines.join('\n');
  }
  let command: CommandSpec;
  try {
    command = resolveCommand(words).command;
  } catch (error) {
    if (error instanceof UsageError) {
      throw new UsageError(`no help for "${words.join(' ')}": ${error.message}`, error.hints, ExitCode.Usage);
    }
    throw error;
  }
  return commandHelp(command, paint, width);
}

export function commandHelp(command: CommandSpec, paint: Paint, width?: number): string {
  const lines = [`${paint.bold('usage:')} ${usage(command)}`, `  ${command.summary}`];
  if (command.flags.length) {
    const rows = command.flags.map((f): [string, string] => [
      f.value ? `--${f.name}=${f.placeholder ?? 'VALUE'}` : `--${f.name}`,
      f.description,
    ]);
    lines.push('', paint.bold('flags'), ...described(rows, paint, width));
  }
  if (command.examples?.length) {
    lines.push('', paint.bold('examples'));
    for (const example of command.examples) lines.push(`  ${example}`);
  }
  if (command.browser) lines.push('', paint.dim('(runs live in the dashboard terminal)'));
  return lines.join('\n');
}

/** `devices show ID`, without the flags. */
function brief(command: CommandSpec): string {
  return [...command.path, ...command.args.map((a) => (a.required ? a.name : `[${a.name}]`))].join(' ');
}
