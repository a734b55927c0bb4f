/** Tab: asks the server what the word at the cursor may become, then completes it or lists the choices. */
import type { Api } from '../api.ts';
import type { LineEditor } from './lineEditor.ts';

export interface SuggestAnswer {
  suggestions: string[];
  start: number;
  end: number;
}

export type Completion = { kind: 'none' } | { kind: 'edited' } | { kind: 'list'; choices: string[] };

export async function complete(api: Api, editor: LineEditor): Promise<Completion> {
  const line = editor.buffer;
  const cursor = editor.cursor;
  const answer = await api.post<SuggestAnswer>('/api/v1/suggest', { line, cursor });
  // Typed on while the answer was on its way: it no longer applies.
  if (editor.buffer !== line || editor.cursor !== cursor) return { kind: 'none' };
  return applyCompletion(editor, answer);
}

export function applyCompletion(editor: LineEditor, answer: SuggestAnswer): Completion {
  const { suggestions, start, end } = answer;
  if (suggestions.length === 0) return { kind: 'none' };
  const line = editor.buffer;
  const current = line.slice(start, end);
  const replace = (word: string) => {
    editor.set(line.slice(0, start) + word + line.slice(end), start + word.length);
  };
  if (suggestions.length === 1) {
    const only = suggestions[0]!;
    // A flag that takes a value stays open for it; anything else is a finished word.
    const word = only.endsWith('=') ? only : `${only} `;
    replace(line.slice(end).startsWith(' ') ? word.trimEnd() : word);
    return { kind: 'edited' };
  }
  const prefix = commonPrefix(suggestions);
  if (prefix.length > current.length) {
    replace(prefix);
    return { kind: 'edited' };
  }
  return { kind: 'list', choices: suggestions };
}

export function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** The choices in columns that fit the terminal. */
export function columns(choices: readonly string[], width: number): string {
  const cell = Math.max(...choices.map((c) => c.length)) + 2;
  const perRow = Math.max(1, Math.floor(width / cell));
  const rows: string[] = [];
  for (let i = 0; i < choices.length; i += perRow) {
    rows.push(
      choices
        .slice(i, i + perRow)
        .map((c) => c.padEnd(cell))
        .join('')
        .trimEnd(),
    );
  }
  return rows.join('\r\n');
}
