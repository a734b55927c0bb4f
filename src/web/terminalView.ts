/**
 * The xterm.js terminal in its pane: sized to fit (and refitted when the pane changes), themed with
 * the page, and keyboard-friendly — Esc then Tab moves focus out (the terminal keeps Tab for
 * completion), and Ctrl+C with a selection copies instead of interrupting.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { TERMINAL_THEMES, type Themes } from './theme.ts';

export function createTerminal(container: HTMLElement, themes: Themes): Terminal {
  const narrow = matchMedia('(max-width: 600px)').matches;
  const term = new Terminal({
    cursorBlink: true,
    convertEol: true,
    fontFamily:
      '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, "Liberation Mono", ui-monospace, monospace',
    fontSize: narrow ? 12 : 14,
    lineHeight: 1.15,
    scrollback: 5000,
    theme: TERMINAL_THEMES[themes.name],
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(container);
  const refit = () => {
    try {
      fit.fit();
    } catch {
      // A pane with no size yet (hidden): the next resize fits it.
    }
  };
  refit();
  new ResizeObserver(refit).observe(container);
  themes.onChange((name) => (term.options.theme = TERMINAL_THEMES[name]));

  let escaped = false;
  term.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown') return true;
    if (event.key === 'Tab' && escaped) {
      escaped = false;
      return false; // Not handled by the terminal: the browser moves focus.
    }
    escaped = event.key === 'Escape';
    if ((event.ctrlKey || event.metaKey) && event.key === 'c' && term.hasSelection()) {
      void navigator.clipboard?.writeText(term.getSelection()).catch(() => {});
      term.clearSelection();
      return false;
    }
    return true;
  });
  return term;
}
