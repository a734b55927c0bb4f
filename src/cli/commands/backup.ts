import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { lockHolder } from '../../main/dataDirLock.ts';
import { STORE_FILE } from '../../main/mainNode.ts';
import { SqliteStore } from '../../store/sqlite.ts';

function dataDirOf(flag: string | undefined): string {
  return resolve(flag ?? process.env.RC_DATA_DIR ?? join(homedir(), '.retire-cluster'));
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description("make a consistent copy of a main node's store, even while it runs")
    .requiredOption('--out <file>', 'where to write the backup')
    .option('--data-dir <dir>', 'the main node data dir (env RC_DATA_DIR; default ~/.retire-cluster)')
    .addHelpText('after', '\nExit codes: 0 written; 1 failed.')
    .action(async (flags: { out: string; dataDir?: string }) => {
      const dataDir = dataDirOf(flags.dataDir);
      const source = join(dataDir, STORE_FILE);
      if (!existsSync(source)) throw new Error(`no store at ${source}`);
      const out = resolve(flags.out);
      mkdirSync(dirname(out), { recursive: true });
      // SQLite's online backup: pages are copied while the main node keeps writing.
      const store = SqliteStore.open(source);
      try {
        await store.backup(out);
      } finally {
        await store.close();
      }
      console.log(`backed up ${source} to ${out}`);
    });

  program
    .command('restore')
    .argument('<file>', 'a file written by retire-cluster backup')
    .description('restore a backup into a data dir whose main node is stopped')
    .option('--data-dir <dir>', 'the main node data dir (env RC_DATA_DIR; default ~/.retire-cluster)')
    .addHelpText('after', '\nExit codes: 0 restored; 1 failed (e.g. a main node is running on the data dir).')
    .action(async (file: string, flags: { dataDir?: string }) => {
      const dataDir = dataDirOf(flags.dataDir);
      const holder = lockHolder(dataDir);
      if (holder !== null)
        throw new Error(`a main node (pid ${holder}) is running on ${dataDir}; stop it first`);
      const backup = resolve(file);
      // Opening checks it is a store this version understands before anything is replaced.
      await SqliteStore.open(backup).close();
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const target = join(dataDir, STORE_FILE);
      const staging = `${target}.restoring`;
      copyFileSync(backup, staging);
      for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
      renameSync(staging, target);
      console.log(`restored ${backup} into ${target}`);
    });
}
