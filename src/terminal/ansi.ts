/**
 * ANSI colours for the terminal's output, or none (scripts asking `POST /api/v1/command` with
 * `color: false`). Only the 8 basic colours, so the page's themes decide the actual shades and keep
 * them readable on both backgrounds.
 */

const CODES = {
  bold: 1,
  // "Bright black" rather than SGR 2 (faint): xterm.js draws faint text at half opacity, which falls
  // below a readable contrast; the themes give bright black a shade that stays readable.
  dim: 90,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
} as const;

export type Colour = keyof typeof CODES;

export type Paint = Record<Colour, (text: string) => string>;

export function painter(enabled: boolean): Paint {
  const entries = Object.entries(CODES).map(([name, code]) => [
    name,
    enabled ? (text: string) => (text === '' ? text : `\x1b[${code}m${text}\x1b[0m`) : (text: string) => text,
  ]);
  return Object.fromEntries(entries) as Paint;
}

// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/** The colour a device or task status is shown in, the same everywhere. */
export function statusColour(status: string): Colour {
  switch (status) {
    case 'online':
    case 'success':
    case 'ok':
    case 'healthy':
      return 'green';
    case 'running':
    case 'assigned':
      return 'cyan';
    case 'queued':
    case 'pending':
    case 'disconnected':
    case 'draining':
    case 'degraded':
      return 'yellow';
    case 'cancelled':
      return 'magenta';
    default:
      return 'red';
  }
}
