/**
 * The line being typed at the prompt: a buffer, a cursor, and the escape sequences that redraw it
 * in place — including when it wraps over several rows of a narrow (phone) terminal. Pure: no DOM.
 */

export class LineEditor {
  buffer = '';
  cursor = 0;
  /** The row (relative to the prompt's first row) the terminal cursor is on after the last draw. */
  #row = 0;

  set(text: string, cursor = text.length): void {
    this.buffer = text;
    this.cursor = Math.max(0, Math.min(cursor, text.length));
  }

  insert(text: string): void {
    this.buffer = this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor);
    this.cursor += text.length;
  }

  backspace(): void {
    if (this.cursor === 0) return;
    this.buffer = this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor);
    this.cursor -= 1;
  }

  deleteForward(): void {
    this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1);
  }

  /** Ctrl+W: the word before the cursor (and the blanks after it). */
  deleteWordBack(): void {
    const before = this.buffer.slice(0, this.cursor).replace(/\S*\s*$/, '');
    this.buffer = before + this.buffer.slice(this.cursor);
    this.cursor = before.length;
  }

  /** Ctrl+U */
  deleteToStart(): void {
    this.buffer = this.buffer.slice(this.cursor);
    this.cursor = 0;
  }

  /** Ctrl+K */
  deleteToEnd(): void {
    this.buffer = this.buffer.slice(0, this.cursor);
  }

  move(delta: number): void {
    this.cursor = Math.max(0, Math.min(this.buffer.length, this.cursor + delta));
  }

  wordLeft(): void {
    const match = /\S*\s*$/.exec(this.buffer.slice(0, this.cursor));
    this.cursor -= match ? match[0].length : 0;
  }

  wordRight(): void {
    const match = /^\s*\S*/.exec(this.buffer.slice(this.cursor));
    this.cursor += match ? match[0].length : 0;
  }

  /** The prompt and buffer were just written from column 0 of a fresh row. */
  reset(): void {
    this.#row = 0;
  }

  /**
   * Redraws prompt + buffer from the prompt's first row and puts the cursor where it belongs.
   * `promptWidth` is the prompt's visible length (without colour codes).
   */
  render(prompt: string, promptWidth: number, cols: number): string {
    let out = this.#row > 0 ? `\x1b[${this.#row}A` : '';
    out += `\r\x1b[J${prompt}${this.buffer}`;
    const total = promptWidth + this.buffer.length;
    // At the exact end of a row the terminal waits to wrap; step onto the next row so the
    // arithmetic below holds.
    if (total > 0 && total % cols === 0) out += '\r\n';
    const endRow = Math.floor(total / cols);
    const target = promptWidth + this.cursor;
    const row = Math.floor(target / cols);
    const col = target % cols;
    if (endRow > row) out += `\x1b[${endRow - row}A`;
    out += '\r';
    if (col > 0) out += `\x1b[${col}C`;
    this.#row = row;
    return out;
  }

  /** Moves the terminal cursor below the line (before output), and forgets the line's rows. */
  leave(promptWidth: number, cols: number): string {
    const endRow = Math.floor((promptWidth + this.buffer.length) / cols);
    const down = endRow - this.#row;
    this.#row = 0;
    return `${down > 0 ? `\x1b[${down}B` : ''}\r\n`;
  }
}
