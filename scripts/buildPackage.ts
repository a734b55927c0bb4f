/**
 * Compiles src/ to lib/ for the published package: Node strips types from our sources in a checkout,
 * but not from files under node_modules, where an installed package lives. Assets are copied along.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';

rmSync('lib', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
cpSync('src/store/migrations', 'lib/store/migrations', {
  recursive: true,
  filter: (f) => !f.endsWith('.ts'),
});
console.log('built lib/');
