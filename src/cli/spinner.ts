/** A one-line spinner on stderr; only ever started when stderr is a terminal. */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Spinner {
  #timer: NodeJS.Timeout;
  #frame = 0;
  #text = '';
  readonly #started = Date.now();

  constructor(text: string) {
    this.#text = text;
    this.#timer = setInterval(() => this.#draw(), 100);
    this.#draw();
  }

  update(text: string): void {
    this.#text = text;
  }

  stop(): void {
    clearInterval(this.#timer);
    process.stderr.write('\r\x1b[K');
  }

  #draw(): void {
    const seconds = ((Date.now() - this.#started) / 1000).toFixed(1);
    process.stderr.write(`\r\x1b[K${FRAMES[this.#frame++ % FRAMES.length]} ${this.#text}  ${seconds}s`);
  }
}
