/** What every command handler gets, and gives back. */
import type { Paint } from '../ansi.ts';
import type { TerminalClient } from '../client.ts';
import type { Invocation } from '../parse.ts';

export interface CommandContext {
  client: TerminalClient;
  paint: Paint;
  /** Whether the output may hold ANSI escape sequences. */
  color: boolean;
  /** The terminal's width in characters, when known: tables leave out columns to fit. */
  width: number | undefined;
}

export interface CommandResult {
  output: string;
  exitCode: number;
}

/** A handler may answer with plain text (exit code 0). */
export type Handler = (invocation: Invocation, context: CommandContext) => Promise<CommandResult | string>;

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const enc = encodeURIComponent;
