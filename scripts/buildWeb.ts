/**
 * Builds the dashboard into dist/web/: index.html, and assets/ with app.js (our code, xterm.js and its
 * fit addon, bundled), app.css (ours plus xterm's) and the icon. The main node serves these files
 * itself: nothing is fetched from a CDN at runtime.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const out = 'dist/web';
const assets = join(out, 'assets');
mkdirSync(assets, { recursive: true });

const result = await build({
  entryPoints: { app: 'src/web/main.ts', 'app.css': 'src/web/styles.css' },
  outdir: assets,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
  // Written by hand below, each file replaced at once: a main node may be serving the old ones.
  write: false,
});

for (const file of result.outputFiles) {
  // esbuild names the CSS entry `app.css.css`; the page asks for app.css.
  const target = join(assets, basename(file.path).replace(/\.css\.css$/, '.css'));
  writeAtomically(target, file.contents);
}
for (const name of ['index.html', 'favicon.svg']) {
  const target = join(name === 'index.html' ? out : assets, name);
  copyFileSync(join('src/web', name), `${target}.tmp`);
  renameSync(`${target}.tmp`, target);
}

function writeAtomically(target: string, contents: Uint8Array): void {
  writeFileSync(`${target}.tmp`, contents);
  renameSync(`${target}.tmp`, target);
}

const size = (name: string) => Math.round(statSync(join(assets, name)).size / 1024);
console.log(`built ${out} (app.js ${size('app.js')} KB, app.css ${size('app.css')} KB)`);
