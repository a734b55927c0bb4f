/** A store failure. The message names the data file and the cause, so an operator can act on it. */
export class StoreError extends Error {
  override name = 'StoreError';
  readonly path: string;

  /** `what` is the failed action with the path in it, e.g. `cannot open store /data/rc.db`. */
  constructor(path: string, what: string, cause: unknown) {
    super(`${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.path = path;
  }
}
