/** One meaning per exit code across every subcommand, so scripts can rely on them. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/**
 * The "Exit codes" paragraph of a command's --help; `failed` says what 1 means for that command. A
 * server (`ok` given) stops normally on Ctrl+C, so 130 does not apply to it.
 */
export function exitCodesHelp(failed = 'the request failed', ok?: string): string {
  return [
    '',
    'Exit codes:',
    `  ${EXIT_OK}    ${ok ?? 'ok'}`,
    `  ${EXIT_FAILED}    ${failed}`,
    `  ${EXIT_USAGE}    bad arguments`,
    ok === undefined ? `  ${EXIT_INTERRUPTED}  interrupted (Ctrl+C)` : null,
  ]
    .filter((line) => line !== null)
    .join('\n');
}
