import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  API_TOKEN_FILE,
  JOIN_TOKEN_FILE,
  newSecret,
  readStoredSecret,
  writeSecret,
} from '../../main/secrets.ts';
import { formatJoinToken, parseJoinToken } from '../../protocol/joinToken.ts';
import { lockHolder } from '../../main/dataDirLock.ts';
import { UsageError } from '../errors.ts';

export function registerToken(program: Command): void {
  const token = program.command('token').description("manage the main node's tokens");
  token
    .command('rotate')
    .argument('<which>', 'join (devices) or api (people, scripts, agents)')
    .description('replace a token; a running main node picks it up at once')
    .option('--data-dir <dir>', 'the main node data dir (env RC_DATA_DIR; default ~/.retire-cluster)')
    .addHelpText(
      'after',
      '\nDevices that already joined keep working (they use their own device secret).\nExit codes: 0 rotated; 1 failed; 2 bad arguments.',
    )
    .action((which: string, flags: { dataDir?: string }) => {
      if (which !== 'join' && which !== 'api')
        throw new UsageError(`token rotate takes join or api, not "${which}"`);
      const dataDir = resolve(flags.dataDir ?? process.env.RC_DATA_DIR ?? join(homedir(), '.retire-cluster'));
      if (!existsSync(dataDir)) throw new Error(`no data dir at ${dataDir}`);
      if (which === 'api') {
        const fresh = newSecret();
        writeSecret(join(dataDir, API_TOKEN_FILE), fresh);
        tellMainNode(dataDir);
        console.log(fresh);
        return;
      }
      // The fingerprint stays: only the secret part of the join token changes.
      const current = readStoredSecret(dataDir, JOIN_TOKEN_FILE);
      const fingerprint = current ? parseJoinToken(current).fingerprint : null;
      const fresh = formatJoinToken(newSecret(), fingerprint);
      writeSecret(join(dataDir, JOIN_TOKEN_FILE), fresh);
      tellMainNode(dataDir);
      console.log(fresh);
    });
}

/**
 * SIGHUP makes a running main node reload its tokens right away. Where signals
 * cannot be sent (Windows), its poll of the token files picks the change up within a second.
 */
function tellMainNode(dataDir: string): void {
  const pid = lockHolder(dataDir);
  if (pid === null) return;
  try {
    process.kill(pid, 'SIGHUP');
  } catch {
    // Gone meanwhile, or not ours to signal: the poll remains.
  }
}
