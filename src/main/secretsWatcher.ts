/**
 * Picks up tokens rotated on disk while the main node runs: the secrets object is shared by
 * reference, so every check after a reload uses the new value. Devices that joined keep working:
 * they authenticate with their own device secret.
 *
 * Two ways in. `retire-cluster token rotate` sends SIGHUP to the pid in the data dir's lock file, so
 * a rotated token counts at once; a token file replaced by hand is noticed by a stat poll.
 * Not `fs.watch` on the data dir: the store's write-ahead log lives there too, and a directory
 * watch costs the kernel an event and the main node a wake-up on every write to it, thousands a
 * second under load.
 */
import { type Stats, unwatchFile, watchFile } from 'node:fs';
import { join } from 'node:path';
import { parseJoinToken } from '../protocol/joinToken.ts';
import type { Logger } from './logger.ts';
import { API_TOKEN_FILE, type ClusterSecrets, JOIN_TOKEN_FILE, readStoredSecret } from './secrets.ts';

/** How often the token files are checked for a change nobody signalled. */
export const SECRETS_POLL_MS = 1000;

export class SecretsWatcher {
  #dataDir: string;
  #logger: Logger;
  #secrets: ClusterSecrets | null = null;
  #reload = () => this.#apply();
  #onStat = (current: Stats, previous: Stats) => {
    if (
      current.mtimeMs !== previous.mtimeMs ||
      current.ino !== previous.ino ||
      current.size !== previous.size
    )
      this.#apply();
  };

  /**
   * Listens for SIGHUP from here on. Make it before the lock file names this process: a SIGHUP
   * without a listener would end it.
   */
  constructor(dataDir: string, logger: Logger) {
    this.#dataDir = dataDir;
    this.#logger = logger;
    process.on('SIGHUP', this.#reload);
  }

  /** Applies rotations to `secrets` from now on. */
  follow(secrets: ClusterSecrets): void {
    this.#secrets = secrets;
    for (const file of [JOIN_TOKEN_FILE, API_TOKEN_FILE]) {
      watchFile(this.#path(file), { interval: SECRETS_POLL_MS, persistent: false }, this.#onStat);
    }
    // A rotation between loading the secrets and this call would otherwise wait for the next one.
    this.#apply();
  }

  close(): void {
    process.off('SIGHUP', this.#reload);
    for (const file of [JOIN_TOKEN_FILE, API_TOKEN_FILE]) unwatchFile(this.#path(file), this.#onStat);
  }

  #apply(): void {
    const secrets = this.#secrets;
    if (secrets === null) return;
    const join = readStoredSecret(this.#dataDir, JOIN_TOKEN_FILE);
    if (join && join !== secrets.joinToken) {
      secrets.joinToken = join;
      secrets.joinSecret = parseJoinToken(join).secret;
      this.#logger.info('join token rotated');
    }
    const api = readStoredSecret(this.#dataDir, API_TOKEN_FILE);
    if (api && api !== secrets.apiToken) {
      secrets.apiToken = api;
      this.#logger.info('API token rotated');
    }
  }

  #path(file: string): string {
    return join(this.#dataDir, file);
  }
}
