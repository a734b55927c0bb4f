/**
 * Picks up tokens rotated on disk (`retire-cluster token rotate`) while the main node runs: the
 * secrets object is shared by reference, so every check after a reload uses the new value.
 * Devices that joined keep working: they authenticate with their own device secret.
 */
import { type FSWatcher, watch } from 'node:fs';
import { parseJoinToken } from '../protocol/joinToken.ts';
import type { Logger } from './logger.ts';
import { API_TOKEN_FILE, type ClusterSecrets, JOIN_TOKEN_FILE, readStoredSecret } from './secrets.ts';

export function watchSecrets(dataDir: string, secrets: ClusterSecrets, logger: Logger): { close(): void } {
  const reload = () => {
    const join = readStoredSecret(dataDir, JOIN_TOKEN_FILE);
    if (join && join !== secrets.joinToken) {
      secrets.joinToken = join;
      secrets.joinSecret = parseJoinToken(join).secret;
      logger.info('join token rotated');
    }
    const api = readStoredSecret(dataDir, API_TOKEN_FILE);
    if (api && api !== secrets.apiToken) {
      secrets.apiToken = api;
      logger.info('API token rotated');
    }
  };
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dataDir, (_event, file) => {
      if (file === JOIN_TOKEN_FILE || file === API_TOKEN_FILE) reload();
    });
    watcher.on('error', (error) =>
      logger.warn({ err: error }, 'cannot watch the token files; send SIGHUP after rotating'),
    );
  } catch (error) {
    logger.warn({ err: error }, 'cannot watch the token files; send SIGHUP after rotating');
  }
  process.on('SIGHUP', reload);
  return {
    close: () => {
      watcher?.close();
      process.off('SIGHUP', reload);
    },
  };
}
