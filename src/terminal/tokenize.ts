/**
 * Splits a command line into words the way a POSIX shell would, minus expansion: whitespace
 * separates words, `'...'` is literal, `"..."` honours `\"` and `\\`, a backslash outside quotes
 * escapes the next character, and an unquoted `|` is a pipe. Quoted parts join their neighbours, so
 * `--payload='{"m": 1}'` is one word. Pure: the browser bundles it too.
 */

export interface Token {
  kind: 'word' | 'pipe';
  /** The word with its quotes and escapes resolved. */
  value: string;
  /** Offsets in the line (end exclusive), for completion and error carets. */
  start: number;
  end: number;
}

export interface Tokenized {
  tokens: Token[];
  /** Set when the line ends inside a quote (an error unless the line is still being typed). */
  openQuote: { char: "'" | '"'; at: number } | null;
}

export class CommandSyntaxError extends Error {
  override name = 'CommandSyntaxError';
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** Never throws: an unterminated quote is reported in `openQuote` (completion needs partial lines). */
export function tokenizeLenient(line: string): Tokenized {
  const tokens: Token[] = [];
  let word: { value: string; start: number } | null = null;
  let quote: "'" | '"' | null = null;
  let quoteStart = 0;
  const append = (text: string, at: number) => {
    word ??= { value: '', start: at };
    word.value += text;
  };
  const finish = (end: number) => {
    if (word) tokens.push({ kind: 'word', value: word.value, start: word.start, end });
    word = null;
  };

  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else append(ch, i);
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) append(line[++i]!, i);
      else append(ch, i);
    } else if (ch === "'" || ch === '"') {
      // An empty quoted word ('') is still a word.
      append('', i);
      quote = ch;
      quoteStart = i;
    } else if (ch === '\\') {
      append(i + 1 < line.length ? line[++i]! : '\\', i);
    } else if (ch === '|') {
      finish(i);
      tokens.push({ kind: 'pipe', value: '|', start: i, end: i + 1 });
    } else if (/\s/.test(ch)) {
      finish(i);
    } else {
      append(ch, i);
    }
  }
  finish(line.length);
  return { tokens, openQuote: quote ? { char: quote, at: quoteStart } : null };
}

/** Throws CommandSyntaxError on an unterminated quote. */
export function tokenize(line: string): Token[] {
  const { tokens, openQuote } = tokenizeLenient(line);
  if (openQuote) {
    const { char, at } = openQuote;
    throw new CommandSyntaxError(`unterminated ${char} quote (opened at column ${at + 1})`, at);
  }
  return tokens;
}

/** Quotes a word only when the tokenizer would otherwise split or change it. */
export function quoteWord(word: string): string {
  if (word !== '' && /^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
