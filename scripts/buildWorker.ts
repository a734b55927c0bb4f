/**
 * Bundles the worker into one dependency-free file, dist/worker.cjs, that runs on Node >= 18 (a phone
 * under Termux runs it with plain `node`). Fails if the bundle pulls anything but Node built-ins.
 */
import { build } from 'esbuild';
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';

const outfile = 'dist/worker.cjs';
const result = await build({
  entryPoints: ['src/worker/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: false,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  metafile: true,
  logLevel: 'warning',
  // Written by hand below: tests may be starting workers from the old file while this runs.
  write: false,
});
const foreign = Object.keys(result.metafile.inputs).filter(
  (input) => !input.startsWith('src/worker/') && !input.startsWith('src/protocol/'),
);
if (foreign.length > 0) {
  console.error(
    `the worker bundle must only contain src/worker and src/protocol, but it pulls: ${foreign.join(', ')}`,
  );
  process.exit(1);
}
mkdirSync('dist', { recursive: true });
writeFileSync(`${outfile}.tmp`, result.outputFiles[0]!.contents, { mode: 0o755 });
renameSync(`${outfile}.tmp`, outfile);
console.log(`built ${outfile} (${Math.round(statSync(outfile).size / 1024)} KB)`);
