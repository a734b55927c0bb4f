/**
 * The dashboard's terminal: a prompt over xterm.js with line editing, history, Tab completion from
 * the server, and commands run by `POST /api/v1/command`. `clear`, `theme` and a live `monitor`
 * run here in the page. Ctrl+C interrupts whatever runs (or drops the line); Ctrl+L clears.
 */
import type { Terminal } from '@xterm/xterm';
import { painter } from '../../terminal/ansi.ts';
import { parseLine, type ParsedLine } from '../../terminal/parse.ts';
import { ApiError, type Api } from '../api.ts';
import type { Themes } from '../theme.ts';
import { columns, complete } from './completion.ts';
import { History } from './history.ts';
import { LineEditor } from './lineEditor.ts';
import { Monitor } from './monitor.ts';

const paint = painter(true);
export const PROMPT = `\x1b[1;32mcluster@main\x1b[0m:\x1b[1;34m~\x1b[0m$ `;
const PROMPT_WIDTH = 'cluster@main:~$ '.length;

/** Keys as xterm.js reports them in onData. */
const KEYS: Record<string, (shell: Shell) => void> = {
  '\r': (s) => void s.enter(),
  '\x7f': (s) => s.edit((e) => e.backspace()),
  '\b': (s) => s.edit((e) => e.backspace()),
  '\x1b[3~': (s) => s.edit((e) => e.deleteForward()),
  '\x1b[A': (s) => s.recall(-1),
  '\x1b[B': (s) => s.recall(1),
  '\x1b[C': (s) => s.edit((e) => e.move(1)),
  '\x1b[D': (s) => s.edit((e) => e.move(-1)),
  '\x1b[H': (s) => s.edit((e) => e.move(-Infinity)),
  '\x1bOH': (s) => s.edit((e) => e.move(-Infinity)),
  '\x01': (s) => s.edit((e) => e.move(-Infinity)),
  '\x1b[F': (s) => s.edit((e) => e.move(Infinity)),
  '\x1bOF': (s) => s.edit((e) => e.move(Infinity)),
  '\x05': (s) => s.edit((e) => e.move(Infinity)),
  '\x1b[1;5C': (s) => s.edit((e) => e.wordRight()),
  '\x1bf': (s) => s.edit((e) => e.wordRight()),
  '\x1b[1;5D': (s) => s.edit((e) => e.wordLeft()),
  '\x1bb': (s) => s.edit((e) => e.wordLeft()),
  '\x15': (s) => s.edit((e) => e.deleteToStart()),
  '\x0b': (s) => s.edit((e) => e.deleteToEnd()),
  '\x17': (s) => s.edit((e) => e.deleteWordBack()),
  '\t': (s) => void s.tab(),
  '\x03': (s) => s.interrupt(),
  '\x0c': (s) => s.clearScreen(),
};

export class Shell {
  readonly #term: Terminal;
  readonly #api: Api;
  readonly #themes: Themes;
  readonly #editor = new LineEditor();
  readonly #history: History;
  readonly #monitor = new Monitor();
  #running: AbortController | null = null;

  constructor(term: Terminal, api: Api, themes: Themes, storage: Storage | null) {
    this.#term = term;
    this.#api = api;
    this.#themes = themes;
    this.#history = new History(storage);
    term.onData((data) => this.input(data));
  }

  get busy(): boolean {
    return this.#running !== null || this.#monitor.running;
  }

  greet(): void {
    this.#write(`${paint.bold('Retire-Cluster')} terminal on ${location.host}`);
    // The keys are listed under the terminal; this line stays short enough for a phone.
    this.#write(paint.dim('Type help to see the commands; Tab completes.'));
    this.#prompt();
  }

  input(data: string): void {
    if (this.busy) {
      if (data === '\x03') this.interrupt();
      return;
    }
    const key = KEYS[data];
    if (key) return key(this);
    if (data.startsWith('\x1b')) return; // Other escape sequences (F-keys, Esc) do nothing here.
    // Typed or pasted text: a pasted line ending in a newline runs.
    const runs = /[\r\n]$/.test(data);
    const text = [...data.replace(/[\r\n]+$/, '').replace(/[\r\n]+/g, ' ')]
      .filter((ch) => ch >= ' ' && ch !== '\x7f')
      .join('');
    if (text) this.edit((e) => e.insert(text));
    if (runs) void this.enter();
  }

  edit(change: (editor: LineEditor) => void): void {
    change(this.#editor);
    this.#redraw();
  }

  recall(direction: -1 | 1): void {
    const line = direction < 0 ? this.#history.previous(this.#editor.buffer) : this.#history.next();
    if (line !== null) this.edit((e) => e.set(line));
  }

  async enter(): Promise<void> {
    const line = this.#editor.buffer;
    this.#term.write(this.#editor.leave(PROMPT_WIDTH, this.#term.cols));
    this.#editor.set('');
    this.#history.add(line);
    if (line.trim() === '') return this.#prompt();
    let parsed: ParsedLine | null = null;
    try {
      parsed = parseLine(line);
    } catch {
      // The server explains the mistake, in the same words a script would get.
    }
    const path = parsed?.invocation && !parsed.invocation.help ? parsed.invocation.command.path : [];
    if (path[0] === 'clear') return this.clearScreen(true);
    if (path[0] === 'theme') return this.#theme(parsed!.invocation!.args[0]);
    if (path[0] === 'monitor') return this.#startMonitor(path[1]!, parsed!);
    await this.#runRemote(line);
  }

  async tab(): Promise<void> {
    try {
      const result = await complete(this.#api, this.#editor);
      if (result.kind === 'edited') this.#redraw();
      if (result.kind === 'list') {
        this.#term.write(this.#editor.leave(PROMPT_WIDTH, this.#term.cols));
        this.#write(columns(result.choices, this.#term.cols));
        this.#prompt(false);
      }
    } catch {
      // No completion is better than an error in the middle of a line.
    }
  }

  interrupt(): void {
    if (this.#running) {
      this.#running.abort();
      return; // #runRemote prints ^C and the prompt.
    }
    if (this.#monitor.running) {
      this.#monitor.stop();
      this.#write('^C');
      return this.#prompt();
    }
    this.#term.write('^C' + this.#editor.leave(PROMPT_WIDTH, this.#term.cols));
    this.#editor.set('');
    this.#prompt();
  }

  /** Ctrl+L keeps the line being typed; the `clear` command starts afresh. */
  clearScreen(fresh = false): void {
    this.#term.clear();
    this.#term.write('\x1b[2J\x1b[H');
    if (fresh) this.#editor.set('');
    this.#prompt(false);
  }

  async #runRemote(line: string): Promise<void> {
    const controller = new AbortController();
    this.#running = controller;
    try {
      const result = await this.#api.post<{ output: string; exit_code: number }>(
        '/api/v1/command',
        { command: line, color: true, columns: this.#term.cols },
        controller.signal,
      );
      if (result.output) this.#write(result.output);
    } catch (error) {
      if (controller.signal.aborted) {
        this.#write('^C');
        // Only the waiting stops: the task was submitted and runs on.
        if (/\btasks\s+submit\b.*--wait/.test(line)) {
          this.#write(
            paint.dim('stopped waiting; the task runs on (tasks list shows it, tasks cancel ID stops it)'),
          );
        }
      } else if (error instanceof ApiError && error.status === 401)
        this.#write(paint.red('error: the API token was refused; log in again'));
      else this.#write(paint.red(`error: ${(error as Error).message}`));
    } finally {
      this.#running = null;
      this.#prompt();
    }
  }

  #startMonitor(topic: string, parsed: ParsedLine): void {
    this.#monitor.start(
      this.#api,
      topic,
      parsed.filters,
      (text) => this.#write(text),
      (why) => {
        this.#write(paint.red(`monitor stopped: ${why}`));
        this.#prompt();
      },
    );
  }

  #theme(name: string | undefined): void {
    if (name === 'dark' || name === 'light') this.#themes.set(name);
    else this.#themes.toggle();
    this.#write(`theme: ${this.#themes.name}`);
    this.#prompt();
  }

  #write(text: string): void {
    this.#term.write(text.replace(/\r?\n/g, '\r\n') + '\r\n');
  }

  /** A fresh prompt, with the editor's line (empty after a command, kept after a listing). */
  #prompt(clear = true): void {
    if (clear) this.#editor.set('');
    this.#editor.reset();
    this.#redraw();
  }

  #redraw(): void {
    this.#term.write(this.#editor.render(PROMPT, PROMPT_WIDTH, this.#term.cols));
  }
}
