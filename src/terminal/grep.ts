/** `| grep [-v] TEXT`: case-insensitive, on the text as seen (colour codes ignored). Pure. */
import { stripAnsi } from './ansi.ts';
import type { GrepStage } from './parse.ts';

export function matches(line: string, stage: GrepStage): boolean {
  const found = stripAnsi(line).toLowerCase().includes(stage.pattern.toLowerCase());
  return stage.invert ? !found : found;
}

/** The lines every stage keeps. */
export function grepLines(lines: readonly string[], stages: readonly GrepStage[]): string[] {
  return lines.filter((line) => stages.every((stage) => matches(line, stage)));
}
