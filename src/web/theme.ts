/**
 * Dark (default) and light themes: the page's colours come from CSS variables under
 * `html[data-theme]`, the terminal's from the palettes here. Both palettes keep text at a contrast
 * of at least 4.5:1 against their background.
 */
import type { ITheme } from '@xterm/xterm';

export type ThemeName = 'dark' | 'light';

const KEY = 'retire-cluster.theme';

export const TERMINAL_THEMES: Record<ThemeName, ITheme> = {
  dark: {
    background: '#0d1117',
    foreground: '#d6dde6',
    cursor: '#7ee787',
    cursorAccent: '#0d1117',
    selectionBackground: '#264f78',
    black: '#484f58',
    red: '#ff7b72',
    green: '#7ee787',
    yellow: '#e3b341',
    blue: '#79c0ff',
    magenta: '#d2a8ff',
    cyan: '#56d4dd',
    white: '#d6dde6',
    brightBlack: '#8b949e',
    brightRed: '#ffa198',
    brightGreen: '#aff5b4',
    brightYellow: '#f8e3a1',
    brightBlue: '#a5d6ff',
    brightMagenta: '#e2c5ff',
    brightCyan: '#b3f0ff',
    brightWhite: '#ffffff',
  },
  light: {
    background: '#ffffff',
    foreground: '#1f2328',
    cursor: '#1a7f37',
    cursorAccent: '#ffffff',
    selectionBackground: '#b6d7ff',
    black: '#1f2328',
    red: '#c0242e',
    green: '#116329',
    yellow: '#7d4e00',
    blue: '#0550ae',
    magenta: '#7a3ed0',
    cyan: '#0e6470',
    white: '#57606a',
    brightBlack: '#57606a',
    brightRed: '#a40e26',
    brightGreen: '#0a4a1e',
    brightYellow: '#633c01',
    brightBlue: '#033d8b',
    brightMagenta: '#5a2ba3',
    brightCyan: '#0a4d55',
    brightWhite: '#1f2328',
  },
};

export function initialTheme(): ThemeName {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    // No storage: fall through to the system preference.
  }
  return matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

/** Sets the page's theme and remembers it; the terminal follows through `onChange`. */
export class Themes {
  #name: ThemeName;
  readonly #listeners: ((name: ThemeName) => void)[] = [];

  constructor(name: ThemeName) {
    this.#name = name;
    this.#apply();
  }

  get name(): ThemeName {
    return this.#name;
  }

  onChange(listener: (name: ThemeName) => void): void {
    this.#listeners.push(listener);
  }

  set(name: ThemeName): void {
    this.#name = name;
    try {
      localStorage.setItem(KEY, name);
    } catch {
      // Not remembered across reloads, still applied.
    }
    this.#apply();
  }

  toggle(): void {
    this.set(this.#name === 'dark' ? 'light' : 'dark');
  }

  #apply(): void {
    document.documentElement.dataset.theme = this.#name;
    for (const listener of this.#listeners) listener(this.#name);
  }
}
